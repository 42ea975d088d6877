import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { refuseNul } from '../common/text-input.js';
import type { EligibilityReason } from './eligibility.js';
import { evaluateLive, loadParticipants } from './contribution-evaluator.js';
import { ContributionException, ContributionExceptionCode } from './contribution.exception.js';
import type { ContributionChange, ContributionCount, ContributionOverride, ContributionView, StoredFacts } from './contribution.types.js';
import { loadHackathonRules } from './hackathon-rules.js';

interface OverrideRow {
  id: string;
  subject_key: string;
  eligible: boolean;
  reason: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

interface FrozenRow {
  subject_key: string;
  kind: 'pull_request' | 'review';
  repository_id: string;
  pull_request_number: number;
  member_id: string;
  occurred_at: Date;
  eligible: boolean;
  reason: string;
  facts: StoredFacts;
  seen_after_freeze: boolean;
}

const SUBJECT_KEY = /^(pr:\d{1,19}:\d{1,10}|review:\d{1,19}:\d{1,10}:[0-9a-f-]{36})$/;

/**
 * Contributions of a hackathon's participants and their results: before the freeze evaluated
 * from the live data, after it read from the frozen decisions; organisers' overrides apply in
 * both cases. Also the changes recorded after the freeze, and overrides.
 */
@Injectable()
export class ContributionTrackingService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Every contribution (eligible or not) of the hackathon's participants, oldest first.
   * @param hackathon slug or id. @throws ContributionException NOT_FOUND.
   */
  async contributions(hackathon: string): Promise<ContributionView[]> {
    const manager = this.dataSource.manager;
    const rules = await loadHackathonRules(manager, hackathon);
    const participants = await loadParticipants(manager, rules.id);
    const overrides = new Map((await this.activeOverrides(manager, rules.id)).map((override) => [override.subjectKey, override]));
    let items: Array<Omit<ContributionView, 'repositoryFullName' | 'memberLogin' | 'teamName' | 'override' | 'eligible'>>;
    if (rules.frozenAt) {
      const rows: FrozenRow[] = await manager.query(
        `SELECT subject_key, kind, repository_id, pull_request_number, member_id, occurred_at, eligible, reason, facts, seen_after_freeze
         FROM hackathon_contribution WHERE hackathon_id = $1`,
        [rules.id],
      );
      items = rows.map((row) => ({
        subjectKey: row.subject_key,
        kind: row.kind,
        repositoryId: Number(row.repository_id),
        pullRequestNumber: row.pull_request_number,
        memberId: row.member_id,
        // the team at the freeze; decisions stored without one (none so far) fall back to the current team
        teamId: row.facts.teamId !== undefined ? row.facts.teamId : (participants.get(row.member_id)?.teamId ?? null),
        occurredAt: row.occurred_at,
        ruleEligible: row.eligible,
        reason: row.reason as EligibilityReason | 'first_seen_after_freeze',
        detail: row.facts.detail,
        facts: row.facts.inputs,
        frozen: true,
        seenAfterFreeze: row.seen_after_freeze,
      }));
    } else {
      items = (await evaluateLive(manager, rules, participants)).map((item) => ({
        subjectKey: item.subjectKey,
        kind: item.kind,
        repositoryId: item.repositoryId,
        pullRequestNumber: item.pullRequestNumber,
        memberId: item.memberId,
        teamId: item.teamId,
        occurredAt: item.occurredAt,
        ruleEligible: item.decision.eligible,
        reason: item.decision.reason,
        detail: item.decision.detail,
        facts: item.facts,
        frozen: false,
        seenAfterFreeze: false,
      }));
    }
    const names = await this.names(manager, items.map((item) => item.repositoryId), items.map((item) => item.memberId), rules.id);
    return items
      .map((item) => {
        const override = overrides.get(item.subjectKey) ?? null;
        return {
          ...item,
          repositoryFullName: names.repositories.get(item.repositoryId) ?? null,
          memberLogin: names.members.get(item.memberId) ?? null,
          teamName: item.teamId ? (names.teams.get(item.teamId) ?? null) : null,
          override,
          eligible: override ? override.eligible : item.ruleEligible,
        };
      })
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.subjectKey.localeCompare(b.subjectKey));
  }

  /** Eligible pull requests and reviews per team (teams without any included, ordered by total, then name). */
  async countsByTeam(hackathon: string): Promise<ContributionCount[]> {
    const rules = await loadHackathonRules(this.dataSource.manager, hackathon);
    const teams: Array<{ id: string; name: string }> = await this.dataSource.query(`SELECT id, name FROM team WHERE hackathon_id = $1`, [rules.id]);
    return countBy(await this.contributions(rules.id), (item) => item.teamId, new Map(teams.map((team) => [team.id, team.name])));
  }

  /** Eligible pull requests and reviews per participant (the member credited now), ordered by total, then login. */
  async countsByParticipant(hackathon: string): Promise<ContributionCount[]> {
    const items = await this.contributions(hackathon);
    return countBy(items, (item) => item.memberId, new Map(items.map((item) => [item.memberId, item.memberLogin ?? ''])), false);
  }

  /** Changes recorded after the freeze, oldest first. */
  async changes(hackathon: string): Promise<ContributionChange[]> {
    const rules = await loadHackathonRules(this.dataSource.manager, hackathon);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT subject_key, seq, detected_at, changed, old_eligible, new_eligible, old_reason, new_reason, old_facts, new_facts
       FROM hackathon_contribution_change WHERE hackathon_id = $1 ORDER BY detected_at, id`,
      [rules.id],
    );
    return rows.map((row) => ({
      subjectKey: row.subject_key as string,
      seq: row.seq as number,
      detectedAt: row.detected_at as Date,
      changed: row.changed as string[],
      oldEligible: row.old_eligible as boolean | null,
      newEligible: row.new_eligible as boolean | null,
      oldReason: row.old_reason as string | null,
      newReason: row.new_reason as string | null,
      oldFacts: row.old_facts as ContributionChange['oldFacts'],
      newFacts: row.new_facts as ContributionChange['newFacts'],
    }));
  }

  /**
   * An organiser's explicit decision on one contribution: results use it instead of the rules'
   * (frozen or live) until it is revoked. An active override of the subject is revoked first
   * (the history keeps both).
   * @param actor who decides (an API token id for now; a member later).
   * @throws ContributionException INVALID (reason empty or over 2,000 characters, malformed subject key),
   *   NOT_FOUND (unknown hackathon, or a subject that is not one of its contributions).
   */
  async override(hackathon: string, subjectKey: string, eligible: boolean, reason: string, actor: string): Promise<ContributionOverride> {
    const why = validReason(reason);
    assertSubjectKey(subjectKey);
    const rules = await loadHackathonRules(this.dataSource.manager, hackathon);
    if (!(await this.contributions(rules.id)).some((item) => item.subjectKey === subjectKey)) {
      throw new ContributionException(`"${subjectKey}" is not a contribution of hackathon ${rules.slug}`, ContributionExceptionCode.NOT_FOUND);
    }
    return this.dataSource.transaction(async (manager) => {
      await loadHackathonRules(manager, rules.id, true);
      await manager.query(
        `UPDATE hackathon_contribution_override SET revoked_at = now(), revoked_by = $3, revoke_reason = 'replaced by a new override'
         WHERE hackathon_id = $1 AND subject_key = $2 AND revoked_at IS NULL`,
        [rules.id, subjectKey, actor],
      );
      const [row]: OverrideRow[] = await manager.query(
        `INSERT INTO hackathon_contribution_override (hackathon_id, subject_key, eligible, reason, created_by)
         VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [rules.id, subjectKey, eligible, why, actor],
      );
      return toOverride(row);
    });
  }

  /**
   * Revokes the active override of a contribution: results use the rules' decision again.
   * @throws ContributionException INVALID (reason empty or too long), NOT_FOUND (unknown hackathon),
   *   NO_OVERRIDE_CONFLICT (the subject has no active override).
   */
  async revokeOverride(hackathon: string, subjectKey: string, reason: string, actor: string): Promise<ContributionOverride> {
    const why = validReason(reason);
    assertSubjectKey(subjectKey);
    const rules = await loadHackathonRules(this.dataSource.manager, hackathon);
    const rows: OverrideRow[] = await this.dataSource.query(
      `WITH revoked AS (
         UPDATE hackathon_contribution_override SET revoked_at = now(), revoked_by = $3, revoke_reason = $4
         WHERE hackathon_id = $1 AND subject_key = $2 AND revoked_at IS NULL RETURNING *)
       SELECT * FROM revoked`,
      [rules.id, subjectKey, actor, why],
    );
    if (rows.length === 0) {
      throw new ContributionException(`"${subjectKey}" has no active override in hackathon ${rules.slug}`, ContributionExceptionCode.NO_OVERRIDE_CONFLICT);
    }
    return toOverride(rows[0]);
  }

  /** Every override of a hackathon, active and revoked, newest first. */
  async overrides(hackathon: string): Promise<ContributionOverride[]> {
    const rules = await loadHackathonRules(this.dataSource.manager, hackathon);
    const rows: OverrideRow[] = await this.dataSource.query(
      `SELECT * FROM hackathon_contribution_override WHERE hackathon_id = $1 ORDER BY created_at DESC, id`,
      [rules.id],
    );
    return rows.map(toOverride);
  }

  private async activeOverrides(manager: EntityManager, hackathonId: string): Promise<ContributionOverride[]> {
    const rows: OverrideRow[] = await manager.query(
      `SELECT * FROM hackathon_contribution_override WHERE hackathon_id = $1 AND revoked_at IS NULL`,
      [hackathonId],
    );
    return rows.map(toOverride);
  }

  private async names(manager: EntityManager, repositoryIds: number[], memberIds: string[], hackathonId: string) {
    const [repositories, members, teams]: [Array<{ id: string; full_name: string }>, Array<{ id: string; login: string | null }>, Array<{ id: string; name: string }>] =
      await Promise.all([
        manager.query(`SELECT id, full_name FROM repository WHERE id = ANY($1::bigint[])`, [[...new Set(repositoryIds)]]),
        manager.query(`SELECT id, login FROM member WHERE id = ANY($1::uuid[])`, [[...new Set(memberIds)]]),
        manager.query(`SELECT id, name FROM team WHERE hackathon_id = $1`, [hackathonId]),
      ]);
    return {
      repositories: new Map(repositories.map((row) => [Number(row.id), row.full_name])),
      members: new Map(members.map((row) => [row.id, row.login])),
      teams: new Map(teams.map((row) => [row.id, row.name])),
    };
  }
}

function countBy(
  items: ContributionView[],
  keyOf: (item: ContributionView) => string | null,
  names: Map<string, string>,
  includeEmpty = true,
): ContributionCount[] {
  const counts = new Map<string, ContributionCount>();
  if (includeEmpty) for (const [id, name] of names) counts.set(id, { id, name, pullRequests: 0, reviews: 0, total: 0 });
  for (const item of items) {
    const key = keyOf(item);
    if (key === null || !item.eligible) continue;
    const count = counts.get(key) ?? { id: key, name: names.get(key) || null, pullRequests: 0, reviews: 0, total: 0 };
    if (item.kind === 'pull_request') count.pullRequests += 1;
    else count.reviews += 1;
    count.total += 1;
    counts.set(key, count);
  }
  return [...counts.values()].sort((a, b) => b.total - a.total || (a.name ?? '').localeCompare(b.name ?? '') || a.id.localeCompare(b.id));
}

function validReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === '' || trimmed.length > 2000) {
    throw new ContributionException('An override needs a reason: 1 to 2,000 characters', ContributionExceptionCode.INVALID);
  }
  refuseNul({ reason: trimmed }, (message) => new ContributionException(message, ContributionExceptionCode.INVALID));
  return trimmed;
}

function assertSubjectKey(subjectKey: string): void {
  if (!SUBJECT_KEY.test(subjectKey)) {
    throw new ContributionException(
      `"${subjectKey.slice(0, 100)}" is not a contribution key (pr:<repository id>:<number> or review:<repository id>:<number>:<member id>)`,
      ContributionExceptionCode.INVALID,
    );
  }
}

function toOverride(row: OverrideRow): ContributionOverride {
  return {
    id: row.id,
    subjectKey: row.subject_key,
    eligible: row.eligible,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
  };
}
