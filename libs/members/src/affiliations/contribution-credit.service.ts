import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OrganizationException, OrganizationExceptionCode } from '../organizations/organization.exception.js';
import type { OrganizationMemberCredit } from '../organizations/organization.types.js';
import { activityOrganizationSql, creditTimelineSql, organizationAtSql } from './affiliation-sql.js';


/** A period of UTC instants, `[since, until)`; absent bounds are open. */
export interface CreditPeriod {
  since?: Date | null;
  until?: Date | null;
}

/**
 * Validates a period.
 * @throws OrganizationException INVALID when both bounds are set and `since` is not before `until`.
 */
export function parseCreditPeriod(period: CreditPeriod): CreditPeriod {
  if (period.since && period.until && period.since.getTime() >= period.until.getTime()) {
    throw new OrganizationException('since must be before until', OrganizationExceptionCode.INVALID);
  }
  return { since: period.since ?? null, until: period.until ?? null };
}

/**
 * Activity types that are not contributions (a star or a fork contributes nothing to the
 * project; CHAOSS counts code, issues, reviews and comments).
 */
export const NON_CONTRIBUTION_TYPES = ['star', 'fork'] as const;

function periodSql(period: CreditPeriod, params: unknown[], alias = 'a'): string {
  const conditions = [
    `${alias}.removed_at IS NULL`,
    `${alias}.type NOT IN (${NON_CONTRIBUTION_TYPES.map((type) => `'${type}'`).join(', ')})`,
  ];
  if (period.since) {
    params.push(period.since);
    conditions.push(`${alias}.occurred_at >= $${params.length}`);
  }
  if (period.until) {
    params.push(period.until);
    conditions.push(`${alias}.occurred_at < $${params.length}`);
  }
  return conditions.join(' AND ');
}

/**
 * Runs one read with JIT compilation off: timeline joins are estimated far above
 * `jit_above_cost`, and compiling them took ~0.8 s where running took 40 ms
 * (bench/affiliations.ts, 500k activities).
 */
async function queryWithoutJit<Row>(dataSource: DataSource, sql: string, params: unknown[]): Promise<Row[]> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SET LOCAL jit = off`);
    return (await manager.query(sql, params)) as Row[];
  });
}

/**
 * "A contribution is credited to the organisation the member was with on that date" (issue 4):
 * the read model behind organisation pages and CHAOSS Organizational Diversity. SQL users can
 * embed `activityOrganizationSql` / `organizationAtSql` instead; this service answers the same
 * rule from TypeScript. Undone activities (`removed_at`) are never credited.
 */
@Injectable()
export class ContributionCreditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The organisation credited for each activity (by activity id, as a string), null when the
   * member was with none on its date. Unknown ids are absent from the map.
   */
  async organizationsForActivities(activityIds: readonly string[]): Promise<Map<string, string | null>> {
    const rows: Array<{ id: string; organization_id: string | null }> = await this.dataSource.query(
      `SELECT a.id::text AS id, ${activityOrganizationSql('a')} AS organization_id
         FROM activity a WHERE a.id = ANY($1::bigint[])`,
      [activityIds],
    );
    return new Map(rows.map((row) => [row.id, row.organization_id]));
  }

  /** The organisation credited for `memberId` at instant `at` (UTC), or null. */
  async organizationAt(memberId: string, at: Date): Promise<string | null> {
    const rows: Array<{ organization_id: string | null }> = await this.dataSource.query(
      `SELECT ${organizationAtSql('$1::uuid', '$2::timestamptz')} AS organization_id`,
      [memberId, at],
    );
    return rows[0].organization_id;
  }

  /**
   * Credited contributions (activities other than stars and forks, not undone) per organisation
   * within `period`, in the order of `organizationIds`
   * (0 for an organisation with none); for DataLoaders.
   */
  async contributionCounts(organizationIds: readonly string[], period: CreditPeriod = {}): Promise<number[]> {
    parseCreditPeriod(period);
    const memberIds = await this.affiliatedMemberIds(organizationIds);
    if (memberIds.length === 0) return organizationIds.map(() => 0);
    const params: unknown[] = [organizationIds, memberIds];
    const rows = await queryWithoutJit<{ organization_id: string; n: number }>(
      this.dataSource,
      `SELECT tl.organization_id, count(*)::int AS n
         FROM ${creditTimelineSql('af.member_id = ANY($2::uuid[])')} tl
         JOIN activity a ON a.member_id = tl.member_id AND a.occurred_at >= tl.lo AND a.occurred_at < tl.hi
        WHERE tl.organization_id = ANY($1::uuid[]) AND a.member_id = ANY($2::uuid[]) AND ${periodSql(period, params)}
        GROUP BY tl.organization_id`,
      params,
    );
    const counts = new Map(rows.map((row) => [row.organization_id, row.n]));
    return organizationIds.map((id) => counts.get(id) ?? 0);
  }

  /**
   * Members with any affiliation to one of the organisations. Queries take them as an array
   * parameter, which Postgres estimates by its length: with a subquery instead it expected half
   * the members and merge-joined the whole activity index (462 ms against 34 ms for one
   * organisation of 500k activities, bench/affiliations.ts).
   */
  private async affiliatedMemberIds(organizationIds: readonly string[]): Promise<string[]> {
    const rows: Array<{ member_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT member_id FROM affiliation WHERE organization_id = ANY($1::uuid[])`,
      [organizationIds],
    );
    return rows.map((row) => row.member_id);
  }

  /**
   * The members with an affiliation to the organisation, with the activities credited to it
   * (within `period`): most credited first, then by member id; `first` of them (1–100).
   * Members affiliated but credited nothing in the period come last with 0.
   * @throws OrganizationException INVALID when `first` is outside 1–100 or `since` is not before `until`.
   */
  async membersOf(
    organizationId: string,
    options: CreditPeriod & { first?: number | null } = {},
  ): Promise<{ members: OrganizationMemberCredit[]; totalCount: number }> {
    const first = options.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      throw new OrganizationException('first: must be an integer from 1 to 100', OrganizationExceptionCode.INVALID);
    }
    const credit = parseCreditPeriod(options);
    const memberIds = await this.affiliatedMemberIds([organizationId]);
    if (memberIds.length === 0) return { members: [], totalCount: 0 };
    const params: unknown[] = [organizationId, memberIds];
    const period = periodSql(credit, params);
    params.push(first);
    const rows = await queryWithoutJit<{
      member_id: string;
      n: number;
      first_at: Date | null;
      last_at: Date | null;
      total: number;
    }>(
      this.dataSource,
      `WITH credited AS (
              SELECT a.member_id, count(*)::int AS n, min(a.occurred_at) AS first_at, max(a.occurred_at) AS last_at
                FROM ${creditTimelineSql('af.member_id = ANY($2::uuid[])')} tl
                JOIN activity a ON a.member_id = tl.member_id AND a.occurred_at >= tl.lo AND a.occurred_at < tl.hi
               WHERE tl.organization_id = $1 AND a.member_id = ANY($2::uuid[]) AND ${period}
               GROUP BY a.member_id)
       SELECT m.member_id, coalesce(c.n, 0) AS n, c.first_at, c.last_at, count(*) OVER ()::int AS total
         FROM unnest($2::uuid[]) AS m(member_id) LEFT JOIN credited c ON c.member_id = m.member_id
        ORDER BY coalesce(c.n, 0) DESC, m.member_id LIMIT $${params.length}`,
      params,
    );
    return {
      totalCount: rows[0]?.total ?? 0,
      members: rows.map((row) => ({
        memberId: row.member_id,
        contributionCount: row.n,
        firstContributionAt: row.first_at,
        lastContributionAt: row.last_at,
      })),
    };
  }
}
