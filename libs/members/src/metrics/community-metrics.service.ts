import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { activityOrganizationSql } from '../affiliations/affiliation-sql.js';
import { memberTypeCountsSql } from '../queries/leaderboard-counts.js';
import { SCORED_ACTIVITY_TYPES } from '../queries/leaderboard-score.js';
import { pageSizeSchema } from '../queries/page.types.js';
import { parseQueryInput } from '../queries/parse-query-input.js';
import { SqlConditions } from '../queries/sql-conditions.js';
import { z } from 'zod';
import { contributorAbsenceFactor } from './contributor-absence-factor.js';
import { firstResponseAtSql } from './item-responses.sql.js';
import { MetricScopeResolver, repositoryCondition, type MetricScope, type MetricScopeInput } from './metric-scope.js';
import type {
  ChangeRequestClosureRatio,
  ContributorAbsence,
  NewContributors,
  OrganizationalDiversity,
  ResponseTimeStats,
  TimeToFirstResponse,
} from './metrics.types.js';

/**
 * The activity types that count as a contribution for the CHAOSS metrics: the leaderboard's
 * (commits, pull requests opened and merged, reviews, issues opened, issue / pull request /
 * review comments). Stars, forks, closes and releases are not contributions.
 */
export const CONTRIBUTION_TYPES = SCORED_ACTIVITY_TYPES;

const firstSchema = z.object({ first: pageSizeSchema });

const at = (value: Date | null) => (value === null ? null : value.toISOString());

/**
 * Community health metrics with CHAOSS names (https://chaoss.community/kb-metrics-and-metrics-models/)
 * over a repository, an ecosystem or everything, and a window of UTC instants `[since, until)`.
 * Contributors are persons only: bots and the deleted-user sentinel are never counted as
 * contributors (issue 4). Durations are in seconds.
 */
@Injectable()
export class CommunityMetricsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scopes: MetricScopeResolver,
  ) {}

  /** Resolves a scope (see {@link MetricScopeResolver.resolve}; same errors). */
  scope(input: MetricScopeInput, now: Date = new Date()): Promise<MetricScope> {
    return this.scopes.resolve(input, now);
  }

  /**
   * New Contributors (CHAOSS, https://chaoss.community/kb/metric-new-contributors/): persons
   * whose first contribution ({@link CONTRIBUTION_TYPES}, not removed) within the scope's
   * repositories — ever, not only in the window — falls in the window. The list holds the
   * earliest `first` of them (1–100, default 20), oldest first contribution first.
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–100.
   */
  async newContributors(scope: MetricScope, options: { first?: number | null } = {}): Promise<NewContributors> {
    const { first } = parseQueryInput(firstSchema, options);
    const params = new SqlConditions();
    const cells = memberTypeCountsSql(params, { types: CONTRIBUTION_TYPES, ...scope });
    const types = params.param(CONTRIBUTION_TYPES);
    const repositories = repositoryCondition('a.repository_id', scope, (value) => params.param(value));
    const lower = scope.since ? `AND f.first_at >= ${params.param(at(scope.since))}::timestamptz` : '';
    const rows: Array<{ member_id: string; first_at: Date; total: string }> = await this.dataSource.query(
      `WITH candidates AS (SELECT DISTINCT c.member_id FROM (${cells}) c WHERE c.n > 0),
       firsts AS (
         SELECT c.member_id, f.first_at
           FROM candidates c
           JOIN member m ON m.id = c.member_id AND m.kind = 'person'
          CROSS JOIN LATERAL (
            SELECT a.occurred_at AS first_at FROM activity a
             WHERE a.member_id = c.member_id AND a.removed_at IS NULL AND a.type = ANY(${types}::text[]) ${repositories}
             ORDER BY a.occurred_at LIMIT 1
          ) f
          WHERE f.first_at < ${params.param(at(scope.until))}::timestamptz ${lower}
       )
       SELECT member_id, first_at, count(*) OVER () AS total FROM firsts
        ORDER BY first_at, member_id LIMIT ${params.param(first)}`,
      params.params,
    );
    return {
      since: scope.since,
      until: scope.until,
      count: rows.length ? Number(rows[0].total) : 0,
      contributors: rows.map((row) => ({ memberId: row.member_id, firstContributionAt: new Date(row.first_at) })),
    };
  }

  /**
   * Time to First Response (CHAOSS, https://chaoss.community/kb/metric-time-to-first-response/)
   * of the issues and pull requests opened in the window: seconds from creation to the first
   * issue comment, review comment or review by someone other than the author, bots excluded
   * (see `item-responses.sql.ts`), whenever it came. Median, 90th percentile (continuous) and
   * mean are over the items that got a response; `unresponded` counts those still without one.
   */
  async timeToFirstResponse(scope: MetricScope): Promise<TimeToFirstResponse> {
    const params = new SqlConditions();
    const window = (column: string) =>
      [
        scope.since ? `${column} >= ${params.param(at(scope.since))}::timestamptz` : 'TRUE',
        `${column} < ${params.param(at(scope.until))}::timestamptz`,
      ].join(' AND ');
    const rows: Array<{ kind: string; items: number; responded: number; median: number | null; p90: number | null; mean: number | null }> =
      await this.dataSource.query(
        `WITH items AS (
           SELECT 'PULL_REQUEST' AS kind, p.repository_id, p.number, p.created_at, ga.member_id AS author_id
             FROM pull_request p LEFT JOIN github_account ga ON ga.id = p.author_account_id
            WHERE ${window('p.created_at')} ${repositoryCondition('p.repository_id', scope, (v) => params.param(v))}
           UNION ALL
           SELECT 'ISSUE', i.repository_id, i.number, i.created_at, ga.member_id
             FROM issue i LEFT JOIN github_account ga ON ga.id = i.author_account_id
            WHERE ${window('i.created_at')} ${repositoryCondition('i.repository_id', scope, (v) => params.param(v))}
         ), waits AS (
           SELECT it.kind, extract(epoch FROM ${firstResponseAtSql('it')} - it.created_at)::float8 AS seconds FROM items it
         )
         SELECT coalesce(kind, 'ALL') AS kind, count(*)::int AS items, count(seconds)::int AS responded,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90,
                avg(seconds) AS mean
           FROM waits GROUP BY ROLLUP (kind)`,
        params.params,
      );
    const stats = (kind: string): ResponseTimeStats => {
      const row = rows.find((candidate) => candidate.kind === kind);
      const seconds = (value: number | null | undefined) => (value == null ? null : Math.round(Number(value)));
      return {
        items: row?.items ?? 0,
        responded: row?.responded ?? 0,
        unresponded: (row?.items ?? 0) - (row?.responded ?? 0),
        medianSeconds: seconds(row?.median),
        p90Seconds: seconds(row?.p90),
        meanSeconds: seconds(row?.mean),
      };
    };
    return { since: scope.since, until: scope.until, issues: stats('ISSUE'), pullRequests: stats('PULL_REQUEST'), all: stats('ALL') };
  }

  /**
   * Change Request Closure Ratio (CHAOSS, https://chaoss.community/kb/metric-change-request-closure-ratio/):
   * pull requests closed in the window (merged or not) divided by the pull requests open at any
   * instant of the window (created before `until`, not closed before `since`). Null when none
   * was open. `opened` (created in the window) is given beside it.
   */
  async changeRequestClosureRatio(scope: MetricScope): Promise<ChangeRequestClosureRatio> {
    const params = new SqlConditions();
    const until = `${params.param(at(scope.until))}::timestamptz`;
    const since = scope.since ? `${params.param(at(scope.since))}::timestamptz` : null;
    const closedInWindow = `p.closed_at < ${until}${since ? ` AND p.closed_at >= ${since}` : ''}`;
    const [row]: Array<{ open: number; opened: number; closed: number; merged: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS open,
              count(*) FILTER (WHERE ${since ? `p.created_at >= ${since}` : 'TRUE'})::int AS opened,
              count(*) FILTER (WHERE ${closedInWindow})::int AS closed,
              count(*) FILTER (WHERE ${closedInWindow} AND p.merged)::int AS merged
         FROM pull_request p
        WHERE p.created_at < ${until} ${since ? `AND (p.closed_at IS NULL OR p.closed_at >= ${since})` : ''}
          ${repositoryCondition('p.repository_id', scope, (v) => params.param(v))}`,
      params.params,
    );
    return {
      since: scope.since,
      until: scope.until,
      openDuringPeriod: row.open,
      opened: row.opened,
      closed: row.closed,
      merged: row.merged,
      closedUnmerged: row.closed - row.merged,
      ratio: row.open === 0 ? null : row.closed / row.open,
    };
  }

  /**
   * Contributor Absence Factor (CHAOSS, https://chaoss.community/kb/metric-contributor-absence-factor/,
   * the "bus factor"): the smallest number of persons whose contributions ({@link CONTRIBUTION_TYPES})
   * in the window make at least 50% of all persons' contributions there; `contributors` lists
   * them, most contributions first (ties by member id).
   */
  async contributorAbsenceFactor(scope: MetricScope): Promise<ContributorAbsence> {
    const params = new SqlConditions();
    const cells = memberTypeCountsSql(params, { types: CONTRIBUTION_TYPES, ...scope });
    const rows: Array<{ member_id: string; n: number }> = await this.dataSource.query(
      `SELECT c.member_id, sum(c.n)::int AS n FROM (${cells}) c
         JOIN member m ON m.id = c.member_id AND m.kind = 'person'
        GROUP BY c.member_id HAVING sum(c.n) > 0 ORDER BY n DESC, c.member_id`,
      params.params,
    );
    const contributions = rows.reduce((sum, row) => sum + row.n, 0);
    const factor = contributorAbsenceFactor(rows.map((row) => row.n));
    return {
      since: scope.since,
      until: scope.until,
      factor,
      contributions,
      contributorCount: rows.length,
      contributors: rows.slice(0, factor).map((row) => ({
        memberId: row.member_id,
        contributions: row.n,
        share: row.n / contributions,
      })),
    };
  }

  /**
   * Organizational Diversity (CHAOSS, https://chaoss.community/kb/metric-organizational-diversity/):
   * persons' contributions ({@link CONTRIBUTION_TYPES}) in the window, each credited to the
   * organisation its member was affiliated with at the activity's instant (`organizationAtSql`:
   * manual affiliations over automatic ones), per organisation, most contributions first (ties by
   * name). Contributions credited to no organisation are counted apart, not as an organisation.
   */
  async organizationalDiversity(scope: MetricScope): Promise<OrganizationalDiversity> {
    const params = new SqlConditions();
    const conditions = [
      'a.removed_at IS NULL',
      `a.type = ANY(${params.param(CONTRIBUTION_TYPES)}::text[])`,
      `a.occurred_at < ${params.param(at(scope.until))}::timestamptz`,
    ];
    if (scope.since) conditions.push(`a.occurred_at >= ${params.param(at(scope.since))}::timestamptz`);
    const rows: Array<{ organization_id: string | null; name: string | null; is_customer: boolean | null; contributions: number; contributors: number }> =
      await this.dataSource.query(
        `WITH credited AS (
           SELECT a.member_id, ${activityOrganizationSql('a')} AS organization_id
             FROM activity a JOIN member m ON m.id = a.member_id AND m.kind = 'person'
            WHERE ${conditions.join(' AND ')} ${repositoryCondition('a.repository_id', scope, (v) => params.param(v))}
         )
         SELECT c.organization_id, o.name, o.is_customer, count(*)::int AS contributions, count(DISTINCT c.member_id)::int AS contributors
           FROM credited c LEFT JOIN organization o ON o.id = c.organization_id
          GROUP BY c.organization_id, o.name, o.is_customer
          ORDER BY contributions DESC, o.name NULLS LAST`,
        params.params,
      );
    const contributions = rows.reduce((sum, row) => sum + row.contributions, 0);
    const unaffiliated = rows.find((row) => row.organization_id === null);
    const organizations = rows
      .filter((row) => row.organization_id !== null)
      .map((row) => ({
        organizationId: row.organization_id!,
        name: row.name!,
        isCustomer: row.is_customer === true,
        contributions: row.contributions,
        contributors: row.contributors,
        share: row.contributions / contributions,
      }));
    return {
      since: scope.since,
      until: scope.until,
      contributions,
      organizationCount: organizations.length,
      unaffiliatedContributions: unaffiliated?.contributions ?? 0,
      unaffiliatedContributors: unaffiliated?.contributors ?? 0,
      organizations,
    };
  }
}
