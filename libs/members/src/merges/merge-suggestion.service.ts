import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { IdentityException, IdentityExceptionCode } from '../identity.exception.js';
import { decodeCursor, encodeCursor } from '../queries/cursor.js';
import { pageSizeSchema, toPage, type Page } from '../queries/page.types.js';
import { parseQueryInput } from '../queries/parse-query-input.js';
import { MemberMergeService } from './member-merge.service.js';
import { NOT_REJECTED_SQL, SUGGESTION_CANDIDATES_SQL } from './merge-suggestion.sql.js';
import {
  MERGE_SWEEP_ACTOR,
  type MergeActor,
  type MergeSuggestionView,
  type MergeSweepResult,
  type MergeView,
  type SuggestionStatus,
} from './merge.types.js';

/** Arguments of {@link MergeSuggestionService.list}. */
export interface MergeSuggestionListArgs {
  /** Default `open`. */
  status?: SuggestionStatus | null;
  /** Page size, 1–100 (default 20). */
  first?: number | null;
  after?: string | null;
}

interface SuggestionRow {
  id: string;
  member_id: string;
  other_member_id: string;
  evidence_kind: MergeSuggestionView['evidenceKind'];
  evidence: Record<string, unknown>;
  conclusive: boolean;
  status: SuggestionStatus;
  merge_id: string | null;
  created_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  created_us?: string;
}

const listSchema = z.object({
  status: z.enum(['open', 'accepted', 'rejected']).nullish().transform((status) => status ?? 'open'),
  first: pageSizeSchema,
  after: z.string().nullish(),
});

/** (created_at in microseconds since the epoch, as text; id): exact, unlike a millisecond ISO string. */
const cursorValues = z.tuple([z.string().regex(/^\d{1,20}$/), z.uuid()]);
const uuid = z.uuid();

/**
 * Merge suggestions: pairs of members that evidence says are one person, stored with that evidence
 * (`member_merge_suggestion`) for an admin to accept or reject, or for the merge sweep to merge when
 * the evidence is conclusive. What counts as evidence is documented in merge-suggestion.sql.ts;
 * names alone never do. One suggestion per pair of members and kind of evidence: a rejected one is
 * never suggested again, and computing twice adds nothing.
 */
@Injectable()
export class MergeSuggestionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly merges: MemberMergeService,
  ) {}

  /**
   * Finds candidate merges in the stored identities, evidence and commits, and stores the new ones
   * (evidence once rejected is left out, whichever members it would join now).
   * @returns how many suggestions were new.
   */
  async computeSuggestions(): Promise<number> {
    let created = 0;
    for (const candidates of Object.values(SUGGESTION_CANDIDATES_SQL)) {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `INSERT INTO member_merge_suggestion (member_id, other_member_id, evidence_kind, evidence, conclusive)
         SELECT member_id, other_member_id, evidence_kind, evidence, conclusive FROM (${candidates}) c WHERE ${NOT_REJECTED_SQL}
         ON CONFLICT ((least(member_id, other_member_id)), (greatest(member_id, other_member_id)), evidence_kind) DO NOTHING
         RETURNING id`,
      );
      created += rows.length;
    }
    return created;
  }

  /**
   * The merge sweep: settles what reached merged members since their merge
   * ({@link MemberMergeService.settleStrays}), computes suggestions, then merges every open conclusive one (each in its own
   * transaction, recorded as merged by {@link MERGE_SWEEP_ACTOR}). Weaker evidence stays open for an
   * admin. Safe to run twice or concurrently: suggestions are taken with `FOR UPDATE SKIP LOCKED`
   * and a merged pair is never merged again.
   */
  async sweep(): Promise<MergeSweepResult> {
    const changed: string[] = await this.merges.settleStrays();
    const suggested = await this.computeSuggestions();
    let merged = 0;
    let skipped = 0;
    for (;;) {
      const outcome = await this.dataSource.transaction(async (manager) => {
        const [row]: SuggestionRow[] = await manager.query(
          `SELECT s.* FROM member_merge_suggestion s
            WHERE s.status = 'open' AND s.conclusive
              AND NOT EXISTS (SELECT 1 FROM member m WHERE m.id IN (s.member_id, s.other_member_id) AND m.merged_into_id IS NOT NULL)
            ORDER BY s.created_at, s.id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!row) return null;
        try {
          const merge = await this.merges.mergeIn(manager, row.member_id, row.other_member_id, {
            reason: sweepReason(row),
            actor: MERGE_SWEEP_ACTOR,
          });
          await this.decide(manager, row.id, 'accepted', MERGE_SWEEP_ACTOR, merge.id);
          return { merge };
        } catch (error) {
          if (!(error instanceof IdentityException)) throw error;
          // the members cannot merge (kinds differ, one merged meanwhile): an admin looks at it
          await manager.query(`UPDATE member_merge_suggestion SET conclusive = false WHERE id = $1`, [row.id]);
          return { merge: null };
        }
      });
      if (!outcome) break;
      if (outcome.merge) {
        merged += 1;
        changed.push(outcome.merge.intoMemberId, outcome.merge.fromMemberId);
      } else {
        skipped += 1;
      }
    }
    if (changed.length > 0) await this.merges.afterMembersChanged(changed);
    return { suggested, merged, skipped };
  }

  /**
   * Accepts an open suggestion: merges its other member into its member, in one transaction.
   * @returns the merge.
   * @throws IdentityException NOT_FOUND (no such suggestion), CONFLICT (not open, or a member merged
   *   meanwhile), BAD_USER_INPUT (malformed id, members that never merge).
   */
  async accept(suggestionId: string, actor: MergeActor, reason?: string | null): Promise<MergeView> {
    const merge = await this.dataSource.transaction(async (manager) => {
      const row = await this.lockOpen(manager, suggestionId);
      const merged = await this.merges.mergeIn(manager, row.member_id, row.other_member_id, {
        reason: reason?.trim() || `accepted suggestion ${row.id}: ${sweepReason(row)}`,
        actor,
      });
      await this.decide(manager, row.id, 'accepted', actor, merged.id);
      return merged;
    });
    await this.merges.afterMembersChanged([merge.intoMemberId, merge.fromMemberId]);
    return merge;
  }

  /**
   * Rejects an open suggestion; the pair is never suggested again on this evidence.
   * @throws IdentityException NOT_FOUND, CONFLICT (not open), BAD_USER_INPUT (malformed id).
   */
  async reject(suggestionId: string, actor: MergeActor): Promise<MergeSuggestionView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lockOpen(manager, suggestionId);
      await this.decide(manager, row.id, 'rejected', actor, null);
      const [updated]: SuggestionRow[] = await manager.query(`SELECT * FROM member_merge_suggestion WHERE id = $1`, [row.id]);
      return toView(updated);
    });
  }

  /**
   * Suggestions with a status, oldest first, as a cursor page. Open suggestions whose members were
   * merged since are left out (they no longer apply).
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–100 or a foreign cursor.
   */
  async list(args: MergeSuggestionListArgs): Promise<Page<MergeSuggestionView>> {
    const { status, first, after } = parseQueryInput(listSchema, args);
    const params: unknown[] = [status, first + 1];
    let keyset = 'TRUE';
    if (after) {
      const [createdAt, id] = decodeCursor('merge-suggestions', after, cursorValues);
      params.push(createdAt, id);
      keyset = `(s.created_at, s.id) > (timestamptz 'epoch' + $3::bigint * interval '1 microsecond', $4::uuid)`;
    }
    const applies = `(s.status <> 'open' OR NOT EXISTS (
        SELECT 1 FROM member m WHERE m.id IN (s.member_id, s.other_member_id) AND m.merged_into_id IS NOT NULL))`;
    const rows: SuggestionRow[] = await this.dataSource.query(
      `SELECT s.*, (extract(epoch FROM s.created_at) * 1000000)::bigint::text AS created_us
         FROM member_merge_suggestion s WHERE s.status = $1 AND ${applies} AND ${keyset}
       ORDER BY s.created_at, s.id LIMIT $2`,
      params,
    );
    const [{ count }]: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM member_merge_suggestion s WHERE s.status = $1 AND ${applies}`,
      [status],
    );
    return toPage(rows, first, after, count, (row) => ({
      cursor: encodeCursor('merge-suggestions', [row.created_us!, row.id]),
      node: toView(row),
    }));
  }

  private async lockOpen(manager: Pick<DataSource, 'query'>, suggestionId: string): Promise<SuggestionRow> {
    if (!uuid.safeParse(suggestionId).success) {
      throw new IdentityException(`"${suggestionId}" is not a suggestion id (UUID)`, IdentityExceptionCode.BAD_USER_INPUT);
    }
    const [row]: SuggestionRow[] = await manager.query(`SELECT * FROM member_merge_suggestion WHERE id = $1 FOR UPDATE`, [suggestionId]);
    if (!row) throw new IdentityException(`No merge suggestion ${suggestionId}`, IdentityExceptionCode.NOT_FOUND);
    if (row.status !== 'open') {
      throw new IdentityException(`Merge suggestion ${suggestionId} was already ${row.status}`, IdentityExceptionCode.CONFLICT);
    }
    return row;
  }

  private async decide(
    manager: Pick<DataSource, 'query'>,
    id: string,
    status: Exclude<SuggestionStatus, 'open'>,
    actor: MergeActor,
    mergeId: string | null,
  ): Promise<void> {
    await manager.query(
      `UPDATE member_merge_suggestion SET status = $2, decided_at = now(), decided_by = $3, merge_id = $4 WHERE id = $1`,
      [id, status, actor, mergeId],
    );
  }
}

/** The audit reason of a merge made on a suggestion's evidence. */
function sweepReason(row: Pick<SuggestionRow, 'evidence_kind' | 'evidence'>): string {
  const { login, accountId } = row.evidence as { login?: string; accountId?: number };
  const account = `account ${accountId} (${login})`;
  switch (row.evidence_kind) {
    case 'api_link':
      return `GitHub's API linked this member's commit address to ${account}`;
    case 'verified_email':
      return `this member's address is a verified address of ${account}`;
    case 'noreply_login':
      return `this member's login-only noreply address names ${account}`;
    case 'author_name_is_login':
      return `this member's commits carry the git name of ${account}'s login, in its repositories`;
  }
}

function toView(row: SuggestionRow): MergeSuggestionView {
  return {
    id: row.id,
    memberId: row.member_id,
    otherMemberId: row.other_member_id,
    evidenceKind: row.evidence_kind,
    evidence: row.evidence,
    conclusive: row.conclusive,
    status: row.status,
    mergeId: row.merge_id,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
  };
}
