import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { IdentityException, IdentityExceptionCode } from '../identity.exception.js';
import type { MemberKind } from '../member.entity.js';
import type { MemberSnapshot, MergeActor, MergeView } from './merge.types.js';
import { MEMBERS_CHANGED_LISTENER, type MembersChangedListener } from './members-changed.listener.js';
import { settleCommitCreditsOfMembers } from '../commit-credits.js';
import { REQUEST_AGAIN_SQL } from '../stages/stage-outbox.js';

/** Options of {@link MemberMergeService.merge}. */
export interface MergeOptions {
  /** Why the two members are one person (required: the audit record says it). */
  reason: string;
  actor: MergeActor;
}

/** Options of {@link MemberMergeService.unmerge}. */
export interface UnmergeOptions {
  actor: MergeActor;
  reason?: string | null;
}

interface MemberRow {
  id: string;
  kind: MemberKind;
  login: string | null;
  display_name: string | null;
  merged_into_id: string | null;
  erased_at: Date | null;
}

interface MergeRow {
  id: string;
  into_member_id: string;
  from_member_id: string;
  identity_ids: string[];
  account_ids: string[];
  before: MergeView['before'];
  after: MergeView['after'];
  activities_moved: number;
  reason: string;
  merged_by: string;
  merged_at: Date;
  unmerged_at: Date | null;
  unmerged_by: string | null;
  unmerge_reason: string | null;
}

const uuid = z.uuid();

/**
 * A member's login once an unmerge gave the accounts back (`$1` the member, `$2` its login before
 * the merge): the login it shows if one of its accounts still holds it, else its account's
 * current login (the one that held `$2` first, a rename since included), else `$2` for a member
 * without accounts. Read before any update of the row: the statement sees the accounts as moved.
 */
const LOGIN_AFTER_UNMERGE = `COALESCE(
  (SELECT a.login FROM github_account a WHERE a.member_id = $1
    ORDER BY lower(a.login) = lower(coalesce(member.login, '')) DESC, lower(a.login) = lower(coalesce($2, '')) DESC,
             a.login_set_at DESC, a.id DESC LIMIT 1),
  CASE WHEN NOT EXISTS (SELECT 1 FROM github_account a WHERE a.member_id = $1) THEN $2 END)`;

/**
 * Merges and unmerges members, reversibly and audited (issue 4, "merge and unmerge by an admin").
 *
 * A merge moves every identity of one member (`from`) to another (`into`), with the GitHub accounts
 * linked to `from` and the `member_id` of every activity of `from`; `from` stays as a row marked
 * `merged_into_id` and without a login (lookups by login find the survivor), so that an unmerge
 * can give back the same member id. `member_merge` records the
 * identities and accounts moved, both members before and after, who, when and why. An unmerge moves
 * exactly those identities, accounts and their activities back, restores both members as they were,
 * and marks the suggestion the merge came from as rejected, so the merge sweep never redoes it.
 *
 * Rules: bots and persons never merge into each other, the deleted-account sentinel never merges,
 * and a member already merged into another cannot take part (merge into its survivor instead).
 * Merges of overlapping members serialise on row locks of both members.
 */
@Injectable()
export class MemberMergeService {
  private readonly logger = new Logger(MemberMergeService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(MEMBERS_CHANGED_LISTENER) private readonly listener?: MembersChangedListener,
  ) {}

  /**
   * Merges member `fromId` into member `intoId`.
   * @returns the audit record of the merge.
   * @throws IdentityException BAD_USER_INPUT (malformed ids, the same member twice, an empty reason,
   *   the deleted-user sentinel, a bot with a person), NOT_FOUND (a member that does not exist),
   *   CONFLICT (a member already merged into another).
   */
  async merge(intoId: string, fromId: string, options: MergeOptions): Promise<MergeView> {
    const merge = await this.dataSource.transaction((manager) => this.mergeIn(manager, intoId, fromId, options));
    await this.afterMembersChanged([merge.intoMemberId, merge.fromMemberId]);
    return merge;
  }

  /**
   * {@link merge} inside the caller's transaction (the merge sweep links its suggestion in the same
   * transaction). The caller must call {@link afterMembersChanged} after committing.
   */
  async mergeIn(manager: EntityManager, intoId: string, fromId: string, options: MergeOptions): Promise<MergeView> {
    for (const [name, id] of [['into', intoId], ['from', fromId]] as const) {
      if (!uuid.safeParse(id).success) throw badInput(`${name}: "${id}" is not a member id (UUID)`);
    }
    // UUIDs compare in any letter case (Postgres answers them lower-cased)
    intoId = intoId.toLowerCase();
    fromId = fromId.toLowerCase();
    if (intoId === fromId) throw badInput('A member cannot be merged into itself');
    const reason = options.reason?.trim();
    if (!reason) throw badInput('reason: say why these members are one person');
    const members = await lockMembers(manager, [intoId, fromId]);
    const into = members.get(intoId);
    const from = members.get(fromId);
    if (!into) throw notFound(`No member ${intoId}`);
    if (!from) throw notFound(`No member ${fromId}`);
    for (const member of [into, from]) {
      if (member.merged_into_id) {
        throw new IdentityException(
          `Member ${member.id} was merged into ${member.merged_into_id}: merge with that member instead`,
          IdentityExceptionCode.CONFLICT,
        );
      }
      if (member.kind === 'deleted') throw badInput('The deleted-user sentinel stands for many accounts and never merges');
      if (member.erased_at) throw erasedConflict(member.id);
    }
    if (into.kind !== from.kind) throw badInput(`A ${from.kind} cannot be merged into a ${into.kind}`);

    const identities = await updateReturning<{ id: string }>(
      manager,
      `UPDATE identity SET member_id = $1 WHERE member_id = $2 RETURNING id`,
      [intoId, fromId],
    );
    const accounts = await updateReturning<{ id: string }>(
      manager,
      `UPDATE github_account SET member_id = $1 WHERE member_id = $2 RETURNING id`,
      [intoId, fromId],
    );
    const [, activitiesMoved]: [unknown, number] = await manager.query(
      `UPDATE activity SET member_id = $1 WHERE member_id = $2`,
      [intoId, fromId],
    );
    // the survivor keeps its own login and name; it takes the other's only where it has none
    const [intoAfter] = await updateReturning<MemberRow>(
      manager,
      `UPDATE member SET login = COALESCE(login, $2), display_name = COALESCE(display_name, $3), updated_at = now()
       WHERE id = $1 RETURNING id, kind, login, display_name, merged_into_id`,
      [intoId, from.login, from.display_name],
    );
    const [fromAfter] = await updateReturning<MemberRow>(
      manager,
      // its login moves on with the account: a lookup by login must find the survivor (an unmerge restores it)
      `UPDATE member SET merged_into_id = $1, login = NULL, updated_at = now() WHERE id = $2
       RETURNING id, kind, login, display_name, merged_into_id`,
      [intoId, fromId],
    );
    const [row]: MergeRow[] = await manager.query(
      `INSERT INTO member_merge (into_member_id, from_member_id, identity_ids, account_ids, before, after,
                                 activities_moved, reason, merged_by)
       VALUES ($1, $2, $3::uuid[], $4::bigint[], $5, $6, $7, $8, $9) RETURNING *`,
      [
        intoId,
        fromId,
        identities.map((identity) => identity.id),
        accounts.map((account) => account.id),
        JSON.stringify({ into: snapshot(into), from: snapshot(from) }),
        JSON.stringify({ into: snapshot(intoAfter), from: snapshot(fromAfter) }),
        activitiesMoved,
        reason,
        options.actor,
      ],
    );
    await setAsideDuplicateCommits(manager, intoId, row.id);
    return toMergeView(row);
  }

  /**
   * Undoes a merge exactly: the identities and accounts it moved go back to the merged member with
   * their activities (and so do addresses GitHub linked, while merged, only to accounts that go
   * back: they are added to the record), both members get back the login and name they had, and
   * the suggestion the merge came from (if any) becomes rejected.
   * @returns the audit record, now with `unmergedAt`.
   * @throws IdentityException BAD_USER_INPUT (malformed id), NOT_FOUND (no such merge), CONFLICT (already
   *   undone; the survivor was merged into another member since: undo that merge first; an identity
   *   moved on since).
   */
  async unmerge(mergeId: string, options: UnmergeOptions): Promise<MergeView> {
    if (!uuid.safeParse(mergeId).success) throw badInput(`"${mergeId}" is not a merge id (UUID)`);
    const merge = await this.dataSource.transaction(async (manager) => {
      const [found]: MergeRow[] = await manager.query(`SELECT * FROM member_merge WHERE id = $1 FOR UPDATE`, [mergeId]);
      if (!found) throw notFound(`No merge ${mergeId}`);
      if (found.unmerged_at) {
        throw new IdentityException(`Merge ${mergeId} was already undone at ${found.unmerged_at.toISOString()}`, IdentityExceptionCode.CONFLICT);
      }
      const intoId = found.into_member_id;
      const fromId = found.from_member_id;
      const members = await lockMembers(manager, [intoId, fromId]);
      const into = members.get(intoId)!;
      for (const member of members.values()) if (member.erased_at) throw erasedConflict(member.id);
      if (into.merged_into_id) {
        throw new IdentityException(
          `Member ${intoId} was merged into ${into.merged_into_id} after this merge: undo that merge first`,
          IdentityExceptionCode.CONFLICT,
        );
      }
      const [{ moved }]: Array<{ moved: number }> = await manager.query(
        `SELECT count(*)::int AS moved FROM identity WHERE id = ANY($1::uuid[]) AND member_id <> $2`,
        [found.identity_ids, intoId],
      );
      if (moved > 0) {
        throw new IdentityException(`${moved} identities of merge ${mergeId} belong to another member now`, IdentityExceptionCode.CONFLICT);
      }
      // addresses GitHub linked, while merged, only to accounts that go back, go back with them
      const linkedSince: Array<{ id: string }> = await manager.query(
        `SELECT i.id FROM identity i
          WHERE i.member_id = $1 AND i.platform = 'email' AND i.created_at >= $2 AND NOT (i.id = ANY($3::uuid[]))
            AND EXISTS (SELECT 1 FROM identity_evidence e WHERE e.identity_id = i.id AND e.kind IN ('api_link', 'verified_email'))
            AND NOT EXISTS (SELECT 1 FROM identity_evidence e WHERE e.identity_id = i.id AND e.kind IN ('api_link', 'verified_email')
                               AND NOT (e.subject = ANY($4::text[])))`,
        [intoId, found.merged_at, found.identity_ids, found.account_ids.map(String)],
      );
      found.identity_ids = [...found.identity_ids, ...linkedSince.map((row) => row.id)];
      await manager.query(`UPDATE identity SET member_id = $1 WHERE id = ANY($2::uuid[])`, [fromId, found.identity_ids]);
      await manager.query(`UPDATE github_account SET member_id = $1 WHERE id = ANY($2::bigint[]) AND member_id = $3`, [
        fromId,
        found.account_ids,
        intoId,
      ]);
      await manager.query(
        `UPDATE activity SET removed_at = NULL, facts = facts - '${DUPLICATE_FACT}' WHERE facts->>'${DUPLICATE_FACT}' = $1`,
        [mergeId],
      );
      // activities recorded since the merge under the moved identities go back with them
      await manager.query(`UPDATE activity SET member_id = $1 WHERE member_id = $2 AND identity_id = ANY($3::uuid[])`, [
        fromId,
        intoId,
        found.identity_ids,
      ]);
      // a credit set aside (at record time) while the two were one is its member's only one again
      await settleCommitCreditsOfMembers(manager, [fromId, intoId]);
      const { before, after } = found;
      // logins follow the accounts as they are now (a rename seen since the merge is kept)
      await manager.query(
        `UPDATE member SET login = ${LOGIN_AFTER_UNMERGE}, display_name = $3, merged_into_id = NULL, updated_at = now() WHERE id = $1`,
        [fromId, before.from.login, before.from.displayName],
      );
      // the survivor's name goes back only where the merge set it (not where it changed since)
      await manager.query(
        `UPDATE member SET login = ${LOGIN_AFTER_UNMERGE},
                display_name = CASE WHEN display_name IS NOT DISTINCT FROM $4 THEN $3 ELSE display_name END, updated_at = now()
          WHERE id = $1`,
        [intoId, before.into.login, before.into.displayName, after.into.displayName],
      );
      await manager.query(
        `UPDATE member_merge_suggestion SET status = 'rejected', decided_at = now(), decided_by = $2
         WHERE merge_id = $1`,
        [mergeId, options.actor],
      );
      const [row] = await updateReturning<MergeRow>(
        manager,
        `UPDATE member_merge SET unmerged_at = now(), unmerged_by = $2, unmerge_reason = $3, identity_ids = $4::uuid[]
          WHERE id = $1 RETURNING *`,
        [mergeId, options.actor, options.reason?.trim() || null, found.identity_ids],
      );
      return toMergeView(row);
    });
    await this.afterMembersChanged([merge.intoMemberId, merge.fromMemberId]);
    return merge;
  }

  /**
   * Moves what reached a merged member after its merge into the member it was merged into: a
   * resolver that read the identity's member just before the merge committed can still record an
   * activity, or attach a new e-mail identity, under the merged member. Stray identities are added
   * to the standing merge's record (so an unmerge takes them back too); stray activities follow.
   * Run by the merge sweep; chains (A into B, then B into C) settle one step per round. Likewise,
   * an activity written under the survivor of an undone merge for an identity the unmerge took
   * back goes to that identity's member.
   * @returns the members that changed (both sides), for {@link afterMembersChanged}.
   */
  async settleStrays(): Promise<string[]> {
    const changed: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const strays: Array<{ id: string; merged_into_id: string }> = await this.dataSource.query(
        `SELECT m.id, m.merged_into_id FROM member m
          WHERE m.merged_into_id IS NOT NULL
            AND (EXISTS (SELECT 1 FROM identity i WHERE i.member_id = m.id)
                 OR EXISTS (SELECT 1 FROM activity a WHERE a.member_id = m.id)
                 OR EXISTS (SELECT 1 FROM github_account g WHERE g.member_id = m.id))`,
      );
      if (strays.length === 0) break;
      for (const stray of strays) {
        await this.dataSource.transaction(async (manager) => {
          const members = await lockMembers(manager, [stray.id, stray.merged_into_id]);
          if (members.get(stray.id)?.merged_into_id !== stray.merged_into_id) return;
          const identities = await updateReturning<{ id: string }>(
            manager,
            `UPDATE identity SET member_id = $1 WHERE member_id = $2 RETURNING id`,
            [stray.merged_into_id, stray.id],
          );
          const accounts = await updateReturning<{ id: string }>(
            manager,
            `UPDATE github_account SET member_id = $1 WHERE member_id = $2 RETURNING id`,
            [stray.merged_into_id, stray.id],
          );
          const [, moved]: [unknown, number] = await manager.query(`UPDATE activity SET member_id = $1 WHERE member_id = $2`, [
            stray.merged_into_id,
            stray.id,
          ]);
          const [standing] = await updateReturning<{ id: string }>(
            manager,
            `UPDATE member_merge SET identity_ids = identity_ids || $3::uuid[], account_ids = account_ids || $4::bigint[],
                    activities_moved = activities_moved + $5
              WHERE id = (SELECT id FROM member_merge WHERE from_member_id = $1 AND into_member_id = $2 AND unmerged_at IS NULL
                           ORDER BY merged_at DESC LIMIT 1)
              RETURNING id`,
            [stray.id, stray.merged_into_id, identities.map((row) => row.id), accounts.map((row) => row.id), moved],
          );
          if (standing) await setAsideDuplicateCommits(manager, stray.merged_into_id, standing.id);
        });
        changed.push(stray.id, stray.merged_into_id);
      }
    }
    const behind = await updateReturning<{ old_member_id: string; member_id: string }>(
      this.dataSource.manager,
      // activities written under a survivor by a resolver that read the identity before an unmerge
      // took it back: they follow their identity (only survivors of undone merges are looked at)
      `WITH strays AS (
         SELECT a.id, a.member_id AS old_member_id, i.member_id
           FROM activity a JOIN identity i ON i.id = a.identity_id
          WHERE a.member_id IN (SELECT into_member_id FROM member_merge WHERE unmerged_at IS NOT NULL)
            AND a.member_id <> i.member_id
          FOR UPDATE OF a
       )
       UPDATE activity a SET member_id = s.member_id FROM strays s WHERE a.id = s.id RETURNING s.old_member_id, s.member_id`,
      [],
    );
    for (const row of behind) changed.push(row.old_member_id, row.member_id);
    return [...new Set(changed)];
  }

  /** Merges (undone ones included) that involve any of these members, oldest first, by member id. */
  async mergesByMemberIds(memberIds: readonly string[]): Promise<MergeView[][]> {
    const rows: MergeRow[] = await this.dataSource.query(
      `SELECT * FROM member_merge WHERE into_member_id = ANY($1::uuid[]) OR from_member_id = ANY($1::uuid[])
       ORDER BY merged_at, id`,
      [memberIds],
    );
    const views = rows.map(toMergeView);
    return memberIds.map((id) => views.filter((view) => view.intoMemberId === id || view.fromMemberId === id));
  }

  /**
   * The member where each of these members' identities and activities are now (null when it
   * stands on its own), in order: the end of a chain (A into B, then B into C: C for A and B).
   */
  async mergedIntoByMemberIds(memberIds: readonly string[]): Promise<Array<string | null>> {
    const rows: Array<{ id: string; merged_into_id: string | null }> = await this.dataSource.query(
      `WITH RECURSIVE chain AS (
         SELECT id, merged_into_id, 1 AS depth FROM member WHERE id = ANY($1::uuid[]) AND merged_into_id IS NOT NULL
         UNION ALL
         SELECT c.id, m.merged_into_id, c.depth + 1 FROM chain c JOIN member m ON m.id = c.merged_into_id
          WHERE m.merged_into_id IS NOT NULL AND c.depth < 100
       )
       SELECT DISTINCT ON (id) id, merged_into_id FROM chain ORDER BY id, depth DESC`,
      [memberIds],
    );
    const byId = new Map(rows.map((row) => [row.id, row.merged_into_id]));
    return memberIds.map((id) => byId.get(id) ?? null);
  }

  /** One merge by id, or null. */
  async find(mergeId: string): Promise<MergeView | null> {
    if (!uuid.safeParse(mergeId).success) throw badInput(`"${mergeId}" is not a merge id (UUID)`);
    const [row]: MergeRow[] = await this.dataSource.query(`SELECT * FROM member_merge WHERE id = $1`, [mergeId]);
    return row ? toMergeView(row) : null;
  }

  /**
   * The hook run after a merge or an unmerge committed: what is derived from these members'
   * activities (stage transitions) is recomputed through the {@link MembersChangedListener} when
   * the stages module provides one. A failure there is logged, not raised: the merge stands, and
   * the stage evaluations requested in its transaction (`stage_evaluation_outbox`, see lockMembers)
   * are run by the workers' outbox relay.
   */
  async afterMembersChanged(memberIds: string[]): Promise<void> {
    if (!this.listener) return;
    try {
      await this.listener.recomputeMembers([...new Set(memberIds)]);
    } catch (error) {
      this.logger.error(`recomputing members ${memberIds.join(', ')} after a merge failed: ${error instanceof Error ? error.stack : error}`);
    }
  }
}

/** The fact naming the merge that set a duplicate commit credit aside (see {@link setAsideDuplicateCommits}). */
const DUPLICATE_FACT = 'setAsideByMerge';

/**
 * One commit credits a person once. Before a merge, the two members can each hold a credit for
 * the same commit (one as its author, the other as a `Co-authored-by` address; or two co-author
 * addresses of one person): the survivor keeps one, the authorship if there is one, and the
 * others are marked removed, with the merge's id in their facts so that an unmerge brings them
 * back. Commit credits are the activities keyed `commit:<sha>` (author) and
 * `commit:<sha>:co:<address>` (co-author).
 */
async function setAsideDuplicateCommits(manager: EntityManager, memberId: string, mergeId: string): Promise<void> {
  await manager.query(
    `UPDATE activity a SET removed_at = now(), facts = a.facts || jsonb_build_object('${DUPLICATE_FACT}', $2::text)
       FROM (SELECT id, row_number() OVER (PARTITION BY split_part(source_key, ':', 2)
                                           ORDER BY source_key LIKE 'commit:%:co:%', occurred_at, id) AS n
               FROM activity WHERE member_id = $1 AND type = 'commit' AND removed_at IS NULL AND source_key LIKE 'commit:%') ranked
      WHERE a.id = ranked.id AND ranked.n > 1`,
    [memberId, mergeId],
  );
}

/** Rows of an `UPDATE ... RETURNING` (TypeORM answers `[rows, rowCount]` for UPDATE statements). */
async function updateReturning<Row>(manager: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  const [rows]: [Row[], number] = await manager.query(sql, params);
  return rows;
}

/**
 * Locks the members a merge, an unmerge or a stray settling changes, after requesting their stage
 * evaluation in the same transaction (`stage_evaluation_outbox`, relayed by the workers): the
 * evaluation is then committed with the change, so an api killed after the commit, or a
 * recomputation in {@link MemberMergeService.afterMembersChanged} that failed, still ends with the
 * stages a recomputation from scratch stores. The outbox rows are locked first, in key order, as
 * the activity inserts lock them (their foreign keys lock members last), so the two cannot deadlock.
 */
async function lockMembers(manager: EntityManager, ids: string[]): Promise<Map<string, MemberRow>> {
  await manager.query(
    `INSERT INTO stage_evaluation_outbox (key)
     SELECT 'member:' || id FROM member WHERE id = ANY($1::uuid[]) ORDER BY 1
     ${REQUEST_AGAIN_SQL}`,
    [ids],
  );
  const rows: MemberRow[] = await manager.query(
    `SELECT id, kind, login, display_name, merged_into_id, erased_at FROM member WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

function snapshot(row: MemberRow): MemberSnapshot {
  return { id: row.id, kind: row.kind, login: row.login, displayName: row.display_name, mergedIntoId: row.merged_into_id };
}

function toMergeView(row: MergeRow): MergeView {
  return {
    id: row.id,
    intoMemberId: row.into_member_id,
    fromMemberId: row.from_member_id,
    identityIds: row.identity_ids,
    accountIds: row.account_ids.map(Number),
    before: row.before,
    after: row.after,
    activitiesMoved: row.activities_moved,
    reason: row.reason,
    mergedBy: row.merged_by,
    mergedAt: row.merged_at,
    unmergedAt: row.unmerged_at,
    unmergedBy: row.unmerged_by,
    unmergeReason: row.unmerge_reason,
  };
}

/** An erased member's identities are gone and its audit scrubbed: it neither merges nor unmerges. */
function erasedConflict(memberId: string): IdentityException {
  return new IdentityException(`Member ${memberId} had its personal data deleted: it no longer merges or unmerges`, IdentityExceptionCode.CONFLICT);
}

function badInput(message: string): IdentityException {
  return new IdentityException(message, IdentityExceptionCode.BAD_USER_INPUT);
}

function notFound(message: string): IdentityException {
  return new IdentityException(message, IdentityExceptionCode.NOT_FOUND);
}
