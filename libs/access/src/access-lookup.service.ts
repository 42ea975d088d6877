import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { organizationAtSql } from '#libs/members';
import type { HackathonRef, HackathonScope } from './access.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The row kinds a {@link HackathonRef} can name, with the table that holds their `hackathon_id`. */
const TABLE_OF: Record<string, { table: string; column: string; uuid: boolean }> = {
  teamId: { table: 'team', column: 'id', uuid: true },
  inviteCode: { table: 'team', column: 'invite_code', uuid: false },
  submissionId: { table: 'submission', column: 'id', uuid: true },
  criterionId: { table: 'judging_criterion', column: 'id', uuid: true },
  resourceId: { table: 'resource', column: 'id', uuid: true },
  resourceRequestId: { table: 'resource_request', column: 'id', uuid: true },
  matchingRunId: { table: 'matching_run', column: 'id', uuid: true },
};

/**
 * The facts access rules are decided on (issue 8), read from the hackathon tables: which hackathon
 * a row belongs to, whom a member judges, whether two member references name the same person
 * (through merges, `member_root`), whether a member is in a team, and judging conflicts of
 * interest. Read-only; every member comparison goes through `member_root`.
 */
@Injectable()
export class AccessLookupService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The hackathon (and its ecosystem) a reference names; null when there is none or the reference is
   * malformed (the operation itself then reports NOT_FOUND or BAD_USER_INPUT; a rule only refuses).
   */
  async hackathonOf(ref: HackathonRef): Promise<HackathonScope | null> {
    const [kind, raw] = Object.entries(ref)[0] as [string, unknown];
    if (typeof raw !== 'string' || raw.trim() === '') return null;
    const value = raw.trim();
    let rows: Array<{ hackathon_id: string; ecosystem_id: number }>;
    if (kind === 'hackathon') {
      rows = await this.dataSource.query(
        `SELECT id AS hackathon_id, ecosystem_id FROM hackathon WHERE ${UUID.test(value) ? 'id = $1::uuid' : 'slug = $1'}`,
        [value],
      );
    } else {
      const target = TABLE_OF[kind];
      if (!target || (target.uuid && !UUID.test(value))) return null;
      rows = await this.dataSource.query(
        `SELECT h.id AS hackathon_id, h.ecosystem_id FROM ${target.table} x JOIN hackathon h ON h.id = x.hackathon_id
          WHERE x.${target.column} = $1${target.uuid ? '::uuid' : ''}`,
        [value],
      );
    }
    return rows[0] ? { hackathonId: rows[0].hackathon_id, ecosystemId: Number(rows[0].ecosystem_id) } : null;
  }

  /** The id of the ecosystem with this slug, or null. */
  async ecosystemIdOf(slug: string): Promise<number | null> {
    const rows = await this.dataSource.query(`SELECT id FROM ecosystem WHERE slug = $1`, [slug]);
    return rows[0] ? Number(rows[0].id) : null;
  }

  /** The team of a resource request, or null. */
  async teamOfResourceRequest(id: string): Promise<string | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.dataSource.query(`SELECT team_id FROM resource_request WHERE id = $1::uuid`, [id]);
    return rows[0]?.team_id ?? null;
  }

  /**
   * Ids of the hackathons whose judge rows belong to the member (through merges), drafts left out: a draft is
   * unannounced (`Query.hackathon` hides it from everyone but admins and organisers), so judging one gives
   * neither the JUDGE role nor a judge's access until it is announced.
   */
  async judgedHackathonIds(memberId: string): Promise<string[]> {
    const rows: Array<{ hackathon_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT j.hackathon_id FROM judge j JOIN hackathon h ON h.id = j.hackathon_id
        WHERE h.status <> 'draft' AND member_root(j.member_id) = member_root($1::uuid)`,
      [memberId],
    );
    return rows.map((row) => row.hackathon_id);
  }

  /**
   * Each member id's `member_root` (the member it has been merged into, through every merge, or itself), in
   * the order of `ids`; null for an unknown or malformed id. One statement, for DataLoaders.
   */
  async memberRoots(ids: readonly string[]): Promise<Array<string | null>> {
    const valid = [...new Set(ids.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))];
    const rows: Array<{ id: string; root: string | null }> = valid.length
      ? await this.dataSource.query(`SELECT m.id, member_root(m.id) AS root FROM member m WHERE m.id = ANY($1::uuid[])`, [valid])
      : [];
    const roots = new Map(rows.map((row) => [row.id, row.root]));
    return ids.map((id) => roots.get(id.toLowerCase()) ?? null);
  }

  /** Ids of the submissions of the hackathon the member (through merges) is assigned to judge (`judge_assignment`). */
  async assignedSubmissionIds(hackathonId: string, judgeMemberId: string): Promise<Set<string>> {
    if (!UUID.test(hackathonId) || !UUID.test(judgeMemberId)) return new Set();
    const rows: Array<{ submission_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT ja.submission_id FROM judge_assignment ja JOIN judge j ON j.id = ja.judge_id
        WHERE j.hackathon_id = $1::uuid AND member_root(j.member_id) = member_root($2::uuid)`,
      [hackathonId, judgeMemberId],
    );
    return new Set(rows.map((row) => row.submission_id));
  }

  /** True when the member (through merges) is in the team now. */
  async isInTeam(memberId: string, teamId: string): Promise<boolean> {
    if (!UUID.test(teamId)) return false;
    const rows = await this.dataSource.query(
      `SELECT 1 FROM team_member WHERE team_id = $1::uuid AND member_root(member_id) = member_root($2::uuid) LIMIT 1`,
      [teamId, memberId],
    );
    return rows.length > 0;
  }

  /**
   * Submissions of the hackathon the member (as a judge, through merges) has a conflict of interest
   * with now: they are on its team, or credited to the same organisation as one of its members now
   * (`organizationAtSql`, the rule of assignJudge in libs/hackathons judging-conflicts.ts).
   */
  async conflictedSubmissionIds(hackathonId: string, judgeMemberId: string): Promise<Set<string>> {
    if (!UUID.test(hackathonId) || !UUID.test(judgeMemberId)) return new Set();
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT s.id FROM submission s JOIN team_member tm ON tm.team_id = s.team_id
        WHERE s.hackathon_id = $1::uuid
          AND (member_root(tm.member_id) = member_root($2::uuid)
               OR ${organizationAtSql('tm.member_id', 'now()')} = ${organizationAtSql('$2::uuid', 'now()')})`,
      [hackathonId, judgeMemberId],
    );
    return new Set(rows.map((row) => row.id));
  }
}
