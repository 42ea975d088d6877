import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { nonPayingAtSql, organizationAtSql } from '../affiliations/affiliation-sql.js';
import { decodeCursor, encodeCursor } from '../queries/cursor.js';
import { pageSizeSchema, type PageInfo } from '../queries/page.types.js';
import { QueryException, QueryExceptionCode } from '../queries/query.exception.js';
import type { ActivityView, MemberView } from '../queries/read-model.types.js';
import { parseRepositoryRef } from '../queries/refs.js';
import { ACTIVITY_COLUMNS, MEMBER_ACCOUNT_JOIN, MEMBER_COLUMNS, toActivityView, toMemberView, type ActivityRow, type MemberRow } from '../queries/rows.js';
import { FUNNEL_CACHE, funnelCacheKey, nextFunnelChange, readStageVersion, type FunnelCache } from './funnel-cache.js';
import { CELL_COUNTS, funnelPlan } from './stage-cells.js';
import { StageRulesService } from './stage-rules.service.js';
import { RANKED_STAGES, type RankedStage, type Stage } from './stage.types.js';

/** A funnel request with its references resolved (the cache's key is made of it). */
interface FunnelRequest {
  ecosystemId: number;
  repositoryId: number | null;
  organizationId: string | null;
  nonPayingOnly: boolean;
  from: Date | null;
  /** The period's end: the caller's, or "now". */
  to: Date;
}

/**
 * Filters of {@link StageQueryService.funnelByMember}: those of {@link FunnelArgs}, with `repository`
 * also as a number, a `repository.id` already resolved (not looked up again).
 */
export type MemberFunnelFilters = Omit<FunnelArgs, 'ecosystem' | 'from' | 'to' | 'repository'> & { repository?: string | number | null };

/** Arguments of {@link StageQueryService.funnel}. */
export interface FunnelArgs {
  ecosystem: string;
  /** GitHub's numeric repository id or "owner/name". */
  repository?: string | null;
  /** `organization.id`. */
  organizationId?: string | null;
  nonPayingOnly?: boolean | null;
  from?: Date | null;
  to?: Date | null;
}

/** One step of the funnel. */
export interface FunnelStep {
  stage: RankedStage;
  /** Members of the population who reached this stage (or a higher one) before `to`. */
  reached: number;
  /** Members of the population whose stage at `to` is this one (not LAPSED). */
  current: number;
  /** reached(next stage) / reached(this stage); null for MAINTAINER or when reached is 0. */
  conversionToNext: number | null;
}

/** The funnel of a population (see {@link StageQueryService.funnel}). */
export interface Funnel {
  ecosystemId: number;
  from: Date | null;
  to: Date;
  /** Members in the population (entered the funnel in the period). */
  entered: number;
  steps: FunnelStep[];
  /** Members of the population LAPSED at `to`. */
  lapsed: number;
}

/** One cohort row: members first seen in `month`, and where they were `weeks` weeks after their own first activity. */
export interface CohortRow {
  /** First instant (UTC) of the calendar month. */
  month: Date;
  weeks: number;
  size: number;
  /** Members for whom first seen + `weeks` weeks is still in the future. */
  pending: number;
  /** Count per stage at that instant (LAPSED included), for members not pending. */
  stages: Record<Stage, number>;
}

/** The "ready for the next step" lists. */
export type ReadyKind = 'REPORTERS_WITHOUT_PULL_REQUEST' | 'FIRST_TIMERS_ONE_AWAY_FROM_REGULAR' | 'REGULARS_REVIEWING_OTHERS';

/** A member's stage in one ecosystem. */
export interface MemberStageView {
  memberId: string;
  ecosystemId: number;
  ecosystemSlug: string;
  stage: Stage;
  /** UTC instant of the transition into the stage. */
  since: Date;
  firstSeenAt: Date;
  lastActivityAt: Date;
  lastContributionAt: Date | null;
  /** When the member lapses if nothing new arrives, or null. */
  lapseDueAt: Date | null;
  issuesOpened: number;
  pullRequestsOpened: number;
  reviewsOfOthers: number;
  /** Distinct ISO weeks with accepted contributions in the regular window ending this week. */
  contributionWeeksInWindow: number;
  ruleVersion: number;
}

/** One stored stage change, with the activity that caused it. */
export interface StageTransitionView {
  id: string;
  memberId: string;
  ecosystemId: number;
  ecosystemSlug: string;
  from: Stage | null;
  to: Stage;
  at: Date;
  ruleVersion: number;
  activity: ActivityView | null;
}

/** A page of the "ready for the next step" list. */
export interface ReadyPage {
  edges: Array<{ cursor: string; node: { member: MemberView; stage: MemberStageView } }>;
  pageInfo: PageInfo;
}

const readyCursor = z.tuple([z.string(), z.string(), z.string().uuid()]);

const STAGE_ROW = `s.member_id, s.ecosystem_id, e.slug AS ecosystem_slug, s.stage, s.stage_since, s.first_seen_at, s.last_activity_at,
  s.last_contribution_at, s.lapse_due_at, s.issues_opened, s.pull_requests_opened, s.reviews_of_others, s.rule_version,
  (SELECT count(*)::int FROM unnest(s.contribution_weeks) w WHERE w >= $WINDOW_START::date) AS weeks_in_window`;

interface StageRow {
  member_id: string;
  ecosystem_id: number;
  ecosystem_slug: string;
  stage: Stage;
  stage_since: Date;
  first_seen_at: Date;
  last_activity_at: Date;
  last_contribution_at: Date | null;
  lapse_due_at: Date | null;
  issues_opened: number;
  pull_requests_opened: number;
  reviews_of_others: number;
  rule_version: string;
  weeks_in_window: number;
}

/**
 * Read models over stored stages: funnels, cohorts, "ready for the next step" lists, members'
 * stages and paths. They read `member_stage` (one row per member and ecosystem) and the
 * transitions, never raw activities, so they stay fast at millions of activities.
 */
@Injectable()
export class StageQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rules: StageRulesService,
    @Optional() @Inject(FUNNEL_CACHE) private readonly cache: FunnelCache<Pick<Funnel, 'entered' | 'lapsed' | 'steps'>> | null = null,
  ) {}

  /** Whether funnels by one organisation sum its cells (true) or count its members (false, the default: faster). */
  organizationCells = false;

  /**
   * The funnel of an ecosystem for a period.
   *
   * Population: persons (never bots or the deleted sentinel) who entered the ecosystem's funnel —
   * had their first activity there — in `[from, to)` (`from` absent: since the beginning; `to`
   * absent: now; UTC instants); with `repository`, only those active in that repository before
   * `to`; with `organizationId`, only those credited to that organisation at `to` (the
   * affiliation covering that instant, manual first); with `nonPayingOnly`, only those not credited
   * to a customer organisation at `to` (members with no organisation included).
   *
   * Per ranked stage: `reached` = members of the population whose first transition to that stage
   * or a higher one is before `to` (a member who skipped a stage counts as having passed it);
   * `current` = members whose stage just before `to` is that stage; `conversionToNext` =
   * reached(next) ÷ reached(this), a fraction in [0, 1], null when reached(this) is 0. `lapsed`
   * counts the population LAPSED just before `to`. Without `to` and without filters the counts come
   * from `member_stage_daily` (whole UTC days) and each member's stored stage: `current` and
   * `lapsed` are then as of the last evaluation (lapses that came due are stored by the hourly check).
   *
   * With a {@link FunnelCache} (`FUNNEL_CACHE_SECONDS` > 0), computed counts are kept in Redis under
   * `stage_version` (bumped in the transaction of every write that can change a funnel), the
   * resolved arguments and, without `to`, the UTC day; a funnel of "now" is served only until the
   * first stored instant at or after its computation that can change it ({@link nextFunnelChange}),
   * so a cached answer is the answer a computation would give at that instant.
   * @param now the instant `to` defaults to (the current time).
   * @throws QueryException BAD_USER_INPUT when from is not before to or a reference is malformed; NOT_FOUND for an unknown ecosystem or repository.
   */
  async funnel(args: FunnelArgs, now: Date = new Date()): Promise<Funnel> {
    const ecosystemId = await this.rules.ecosystemId(args.ecosystem);
    const to = args.to ?? now;
    const from = args.from ?? null;
    if (from && from >= to) throw new QueryException('from must be before to', QueryExceptionCode.BAD_USER_INPUT);
    if (args.organizationId && !z.uuid().safeParse(args.organizationId).success) {
      throw new QueryException(`Invalid organization id "${args.organizationId}"`, QueryExceptionCode.BAD_USER_INPUT);
    }
    const request: FunnelRequest = {
      ecosystemId,
      repositoryId: args.repository ? await this.repositoryId(args.repository) : null,
      organizationId: args.organizationId ?? null,
      nonPayingOnly: Boolean(args.nonPayingOnly),
      from,
      to,
    };
    const toMoves = args.to == null;
    if (!this.cache) return this.computeFunnel(request, toMoves);
    const key = funnelCacheKey({ ...request, to: toMoves ? null : to }, now);
    // the version first: a funnel computed after reading it is at least as new as that version
    const version = await readStageVersion(this.dataSource);
    const counts = await this.cache.counts(version, key, to, toMoves, async () => {
      const [funnel, next] = await Promise.all([this.computeFunnel(request, toMoves), toMoves ? nextFunnelChange(this.dataSource, ecosystemId, to) : null]);
      return { to: to.toISOString(), validThrough: next?.toISOString() ?? null, counts: { entered: funnel.entered, lapsed: funnel.lapsed, steps: funnel.steps } };
    });
    return { ecosystemId, from, to, entered: counts.entered, lapsed: counts.lapsed, steps: counts.steps };
  }

  /** The funnel of `request` by its fastest exact path; `upToNow`: `to` is "now" (not a period's end the caller gave). */
  private async computeFunnel(request: FunnelRequest, upToNow: boolean): Promise<Funnel> {
    const { ecosystemId, from, to } = request;
    const args = { repository: request.repositoryId, organizationId: request.organizationId, nonPayingOnly: request.nonPayingOnly };
    const filters = [request.repositoryId !== null, request.organizationId !== null, request.nonPayingOnly].filter(Boolean).length;
    if (filters === 0) return upToNow ? this.funnelUpToNow(ecosystemId, from, to) : this.funnelFromCells(ecosystemId, from, to, { kind: 'all' });
    if (filters > 1) return this.funnelByMember(ecosystemId, args, from, to);
    if (request.repositoryId !== null) return this.funnelFromCells(ecosystemId, from, to, { kind: 'repository', id: request.repositoryId });
    // one organisation: counting its affiliated members (an index range) beats summing its cells
    // (bench/stages: p95 10 ms against 66 ms); `organizationCells` keeps the cells path for tests
    if (request.organizationId !== null && !this.organizationCells) return this.funnelByMember(ecosystemId, args, from, to);
    // organisation cells follow affiliations through a refresh: while one is pending, count member by member
    const [{ dirty }]: Array<{ dirty: boolean }> = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM stage_credit_dirty) AS dirty`);
    if (dirty) return this.funnelByMember(ecosystemId, args, from, to);
    return this.funnelFromCells(ecosystemId, from, to, request.organizationId !== null ? { kind: 'organization', id: request.organizationId } : { kind: 'nonPaying' });
  }

  /**
   * The funnel counted member by member over `member_stage` (the definition {@link funnel}
   * documents; its faster paths are tested against it): used with repository, organisation and
   * non-paying filters.
   * @throws QueryException BAD_USER_INPUT for a malformed reference; NOT_FOUND for an unknown repository.
   */
  async funnelByMember(ecosystemId: number, args: MemberFunnelFilters, from: Date | null, to: Date): Promise<Funnel> {
    const params: unknown[] = [ecosystemId, from?.toISOString() ?? '-infinity', to.toISOString()];
    const conditions = ['s.ecosystem_id = $1', 's.first_seen_at >= $2::timestamptz', 's.first_seen_at < $3::timestamptz'];
    if (args.repository) {
      params.push(typeof args.repository === 'number' ? args.repository : await this.repositoryId(args.repository));
      conditions.push(
        `EXISTS (SELECT 1 FROM stage_member_repository r WHERE r.repository_id = $${params.length} AND r.member_id = s.member_id AND r.first_at < $3::timestamptz)`,
      );
    }
    const asOf = `($3::timestamptz - interval '1 microsecond')`;
    if (args.organizationId) {
      if (!z.uuid().safeParse(args.organizationId).success) {
        throw new QueryException(`Invalid organization id "${args.organizationId}"`, QueryExceptionCode.BAD_USER_INPUT);
      }
      params.push(args.organizationId);
      const org = `$${params.length}::uuid`;
      // the credited-organisation lookup runs once per member affiliated with the organisation, in an
      // uncorrelated (hashed) subquery, never once per member of the population
      conditions.push(`s.member_id IN (SELECT c.member_id FROM (SELECT DISTINCT af.member_id FROM affiliation af WHERE af.organization_id = ${org}) c
        WHERE ${organizationAtSql('c.member_id', asOf)} = ${org})`);
    }
    if (args.nonPayingOnly) {
      // members credited to a customer at `asOf`, looked up among customer-affiliated members only
      conditions.push(`s.member_id NOT IN (SELECT c.member_id FROM (SELECT DISTINCT af.member_id FROM affiliation af
          JOIN organization o ON o.id = af.organization_id AND o.is_customer) c
        WHERE NOT ${nonPayingAtSql('c.member_id', asOf)})`);
    }
    // one rank (1–5) and one lapsed flag per member, then counts: each member's columns are read once
    const [row]: Array<Record<string, number>> = await this.dataSource.query(
      `SELECT count(*)::int AS entered,
         count(*) FILTER (WHERE rank >= 1)::int AS reached_observer,
         count(*) FILTER (WHERE rank >= 2)::int AS reached_user,
         count(*) FILTER (WHERE rank >= 3)::int AS reached_first,
         count(*) FILTER (WHERE rank >= 4)::int AS reached_regular,
         count(*) FILTER (WHERE rank >= 5)::int AS reached_maintainer,
         count(*) FILTER (WHERE lapsed)::int AS lapsed,
         count(*) FILTER (WHERE rank = 1 AND NOT lapsed)::int AS current_observer,
         count(*) FILTER (WHERE rank = 2 AND NOT lapsed)::int AS current_user,
         count(*) FILTER (WHERE rank = 3 AND NOT lapsed)::int AS current_first,
         count(*) FILTER (WHERE rank = 4 AND NOT lapsed)::int AS current_regular,
         count(*) FILTER (WHERE rank = 5 AND NOT lapsed)::int AS current_maintainer
       FROM (
         SELECT CASE WHEN s.maintainer_at < $3 THEN 5 WHEN s.regular_at < $3 THEN 4 WHEN s.first_contribution_at < $3 THEN 3
                     WHEN s.user_at < $3 THEN 2 ELSE 1 END AS rank,
                s.lapsed_during <> '{}' AND s.lapsed_during @> ${asOf} AS lapsed
         FROM member_stage s WHERE ${conditions.join(' AND ')}
       ) ranked`,
      params,
    );
    return toFunnel(ecosystemId, from, to, row);
  }

  /**
   * The funnel of an entry period without filters, from `member_stage_cell` (stage-cells.ts): the
   * cells of members first seen in the whole UTC days of the period and their changes before
   * `to`'s day, plus, read from `member_stage`, the members first seen in the partial days at
   * either end (their counts at `to`) and the changes in `to`'s day of members first seen before
   * it (found through that day's transitions: their counts at `to` minus those at midnight).
   */
  private async funnelFromCells(ecosystemId: number, from: Date | null, to: Date, filter: CellFilter): Promise<Funnel> {
    const plan = funnelPlan(from, to);
    if (!plan.dayTo) return this.funnelByMember(ecosystemId, filterArgs(filter), from, to);
    // `$FROM`, `$TO`, `$DAY_FROM` and `$DAY_TO` (the first whole day and the start of `to`'s day) are bound
    // at the end, those used only (Postgres cannot type a parameter the statement does not use)
    const params: unknown[] = [ecosystemId];
    // the cells' scopes, with a sign each (non-paying: everyone minus those credited to a customer)
    let scopes: string;
    let sign = '1';
    let held: (asOf: string) => string;
    let boundsChanged: string;
    const customers = `ARRAY(SELECT o.id FROM organization o WHERE o.is_customer)`;
    const creditBounds = (organizations: string) => `SELECT c.member_id FROM member_stage_credit c WHERE c.organization_id = ANY(${organizations})
        AND ((c.lo >= $DAY_TO::timestamptz AND c.lo < $TO::timestamptz) OR (c.hi >= $DAY_TO::timestamptz AND c.hi < $TO::timestamptz))`;
    switch (filter.kind) {
      case 'all':
        scopes = `ARRAY['']`;
        held = () => 'true';
        boundsChanged = '';
        break;
      case 'repository': {
        params.push(filter.id);
        const repository = `$${params.length}::bigint`;
        scopes = `ARRAY['repo:' || ${repository}]`;
        held = (asOf) => `EXISTS (SELECT 1 FROM stage_member_repository r WHERE r.repository_id = ${repository} AND r.member_id = s.member_id AND r.first_at <= ${asOf})`;
        boundsChanged = `UNION SELECT r.member_id FROM stage_member_repository r WHERE r.repository_id = ${repository} AND r.first_at >= $DAY_TO::timestamptz AND r.first_at < $TO::timestamptz`;
        break;
      }
      case 'organization': {
        params.push(filter.id);
        const organization = `$${params.length}::uuid`;
        scopes = `ARRAY['org:' || ${organization}]`;
        // no affiliation at asOf is NULL, and NULL = org is NULL: coalesce, or a member credited at `to`
        // but at no organisation at midnight turns the day's difference into NULL, which sum() skips
        held = (asOf) => `coalesce(${organizationAtSql('s.member_id', asOf)} = ${organization}, false)`;
        boundsChanged = `UNION ${creditBounds(`ARRAY[${organization}]`)}`;
        break;
      }
      case 'nonPaying':
        scopes = `ARRAY[''] || ARRAY(SELECT 'org:' || o.id FROM organization o WHERE o.is_customer)`;
        sign = `CASE WHEN scope = '' THEN 1 ELSE -1 END`;
        held = (asOf) => nonPayingAtSql('s.member_id', asOf);
        boundsChanged = `UNION ${creditBounds(customers)}`;
        break;
    }
    const cellParts = plan.cells.map((range) => {
      params.push(range.grain, range.firstFrom, range.firstTo, range.eventFrom, range.eventTo);
      const n = params.length;
      return `SELECT ${CELL_COUNTS.map((c) => `${sign} * ${c} AS ${c}`).join(', ')} FROM member_stage_cell WHERE ecosystem_id = $1 AND scope = ANY(${scopes}) AND grain = $${n - 4}
        AND first_unit >= $${n - 3}::date AND first_unit < $${n - 2}::date AND event_unit >= $${n - 1}::date AND event_unit < $${n}::date`;
    });
    const toAsOf = `($TO::timestamptz - interval '1 microsecond')`;
    const dayAsOf = `($DAY_TO::timestamptz - interval '1 microsecond')`;
    const atTo = countsAtSql(toAsOf);
    const atDay = countsAtSql(dayAsOf);
    const heldAtTo = `(${held(toAsOf)})::int`;
    const heldAtDay = `(${held(dayAsOf)})::int`;
    // `held` once per member: `OFFSET 0` keeps the planner from pulling the lateral subquery up, which copied
    // its filter (a credited-organisation lookup for non-paying) into every count column, 11 or 22 subplans a
    // row (bench/members, non-paying funnel of now: that part 17 ms of 26, and 7 ms of planning)
    // members first seen in the partial days, read from member_stage, only where there are partial days:
    // a period between midnights is cells only (these parts' expressions cost more to plan than the
    // cells cost to sum: bench/stages, one year by repository, ~12 of ~13 ms)
    const parts = [...cellParts];
    if (from && plan.dayFrom && from < plan.dayFrom) {
      parts.push(`SELECT ${CELL_COUNTS.map((c) => `${atTo[c]} * held`).join(', ')}
         FROM member_stage s CROSS JOIN LATERAL (SELECT ${heldAtTo} AS held OFFSET 0) h
         WHERE s.ecosystem_id = $1 AND s.first_seen_at >= $FROM::timestamptz AND s.first_seen_at < $DAY_FROM::timestamptz`);
    }
    if (plan.dayTo < to) {
      parts.push(
        `SELECT ${CELL_COUNTS.map((c) => `${atTo[c]} * held`).join(', ')}
         FROM member_stage s CROSS JOIN LATERAL (SELECT ${heldAtTo} AS held OFFSET 0) h
         WHERE s.ecosystem_id = $1 AND s.first_seen_at >= $DAY_TO::timestamptz AND s.first_seen_at < $TO::timestamptz`,
        `SELECT ${CELL_COUNTS.map((c) => `${atTo[c]} * held_to - ${atDay[c]} * held_day`).join(', ')}
         FROM member_stage s CROSS JOIN LATERAL (SELECT ${heldAtTo} AS held_to, ${heldAtDay} AS held_day OFFSET 0) h
         WHERE s.ecosystem_id = $1 AND s.first_seen_at >= $DAY_FROM::timestamptz AND s.first_seen_at < $DAY_TO::timestamptz
           AND s.member_id IN (SELECT t.member_id FROM member_stage_transition t WHERE t.ecosystem_id = $1 AND t.at >= $DAY_TO::timestamptz AND t.at < $TO::timestamptz
                               ${boundsChanged})`,
      );
    }
    if (!parts.length) parts.push(`SELECT ${CELL_COUNTS.map((c) => `0 AS ${c}`).join(', ')} WHERE false`);
    let sql = `SELECT ${CELL_COUNTS.map((c) => `coalesce(sum(${c}), 0)::int AS ${c}`).join(', ')}
       FROM (
         ${parts.join('\n         UNION ALL\n         ')}
       ) parts`;
    const bounds = [
      ['$DAY_FROM', plan.dayFrom?.toISOString() ?? '-infinity'],
      ['$DAY_TO', plan.dayTo.toISOString()],
      ['$FROM', from?.toISOString() ?? '-infinity'],
      ['$TO', to.toISOString()],
    ] as const;
    for (const [token, value] of bounds) {
      if (!sql.includes(token)) continue;
      params.push(value);
      sql = sql.replaceAll(token, `$${params.length}`);
    }
    const [row]: Array<Record<string, number>> = await this.dataSource.query(sql, params);
    return toFunnel(ecosystemId, from, to, {
      ...row,
      reached_observer: row.entered,
      lapsed: row.at_lapsed,
      current_observer: row.at_observer,
      current_user: row.at_user,
      current_first: row.at_first,
      current_regular: row.at_regular,
      current_maintainer: row.at_maintainer,
    });
  }

  /**
   * The funnel up to now without filters: whole UTC days before `to`'s day from
   * `member_stage_daily`; from `member_stage`, the part of `from`'s day after `from` and the part of
   * `to`'s day before `to` (a member first seen after `to`, by an activity dated in the future, is
   * not in the population, as on the other paths). Counts use the stored stages (lapses come due
   * through the hourly check), so `current` and `lapsed` are each member's stage as stored.
   */
  private async funnelUpToNow(ecosystemId: number, from: Date | null, to: Date): Promise<Funnel> {
    const dayMs = 86_400_000;
    const firstWholeDay = from ? new Date(Math.ceil(from.getTime() / dayMs) * dayMs) : null;
    const toDay = new Date(Math.floor(to.getTime() / dayMs) * dayMs);
    // member_stage's two index ranges: [from, first whole day) and [to's day, to) (the part of `to`'s
    // day not already in the first, when both fall in one day)
    const head = from && firstWholeDay ? [from, firstWholeDay < to ? firstWholeDay : to] : null;
    const tail = [firstWholeDay && firstWholeDay > toDay ? firstWholeDay : toDay, to];
    const member = `SELECT 1, (user_at IS NOT NULL)::int, (first_contribution_at IS NOT NULL)::int, (regular_at IS NOT NULL)::int,
                (maintainer_at IS NOT NULL)::int, (stage = 'LAPSED')::int, (stage = 'OBSERVER')::int, (stage = 'USER')::int,
                (stage = 'FIRST_TIME_CONTRIBUTOR')::int, (stage = 'REGULAR_CONTRIBUTOR')::int, (stage = 'MAINTAINER')::int
         FROM member_stage WHERE ecosystem_id = $1`;
    const [row]: Array<Record<string, number>> = await this.dataSource.query(
      `SELECT coalesce(sum(entered), 0)::int AS entered, coalesce(sum(entered), 0)::int AS reached_observer,
         coalesce(sum(reached_user), 0)::int AS reached_user, coalesce(sum(reached_first), 0)::int AS reached_first,
         coalesce(sum(reached_regular), 0)::int AS reached_regular, coalesce(sum(reached_maintainer), 0)::int AS reached_maintainer,
         coalesce(sum(at_lapsed), 0)::int AS lapsed, coalesce(sum(at_observer), 0)::int AS current_observer,
         coalesce(sum(at_user), 0)::int AS current_user, coalesce(sum(at_first), 0)::int AS current_first,
         coalesce(sum(at_regular), 0)::int AS current_regular, coalesce(sum(at_maintainer), 0)::int AS current_maintainer
       FROM (
         SELECT entered, reached_user, reached_first, reached_regular, reached_maintainer, at_lapsed, at_observer, at_user, at_first, at_regular, at_maintainer
         FROM member_stage_daily WHERE ecosystem_id = $1 AND ($2::timestamptz IS NULL OR day >= ($2::timestamptz AT TIME ZONE 'UTC')::date)
           AND day < ($3::timestamptz AT TIME ZONE 'UTC')::date
         UNION ALL
         ${member} AND first_seen_at >= $4::timestamptz AND first_seen_at < $5::timestamptz
         UNION ALL
         ${member} AND first_seen_at >= $6::timestamptz AND first_seen_at < $7::timestamptz
       ) parts`,
      [
        ecosystemId,
        firstWholeDay?.toISOString() ?? null,
        toDay.toISOString(),
        head?.[0].toISOString() ?? 'infinity',
        head?.[1].toISOString() ?? 'infinity',
        tail[0].toISOString(),
        tail[1].toISOString(),
      ],
    );
    return toFunnel(ecosystemId, from, to, row);
  }

  /**
   * Cohorts: persons whose first activity in the ecosystem falls in `[from, to)`, grouped by the
   * UTC calendar month of that activity; for each N of `weeks`, the count per stage each member
   * had at their own first activity + N × 7 days (transitions at or before that instant apply),
   * or `pending` when that instant is after now. Whole UTC months of the period whose members are
   * all past their N weeks are summed from `member_stage_cohort_cell` (stage-cells.ts); the months
   * at either end and the recent ones are counted member by member ({@link cohortRows}).
   * @throws QueryException BAD_USER_INPUT for an empty or too long `weeks` list, a negative N or from not before to; NOT_FOUND for an unknown ecosystem.
   */
  async cohorts(args: { ecosystem: string; from?: Date | null; to?: Date | null; weeks: number[] }): Promise<CohortRow[]> {
    const ecosystemId = await this.rules.ecosystemId(args.ecosystem);
    const weeks = z.array(z.int().min(0).max(520)).min(1).max(12).safeParse(args.weeks);
    if (!weeks.success) throw new QueryException('weeks must list 1 to 12 whole numbers of weeks between 0 and 520', QueryExceptionCode.BAD_USER_INPUT);
    const to = args.to ?? new Date();
    if (args.from && args.from >= to) throw new QueryException('from must be before to', QueryExceptionCode.BAD_USER_INPUT);
    // whole months whose members are all past their last N weeks (a day's margin for clocks) come from
    // member_stage_cohort_cell; the months at either end and the recent ones, member by member
    const dayMs = 86_400_000;
    const monthStart = (date: Date, add = 0) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + add, 1));
    const cellsFrom = args.from ? (monthStart(args.from).getTime() === args.from.getTime() ? args.from : monthStart(args.from, 1)) : new Date(0);
    const settled = new Date(Date.now() - (Math.max(...weeks.data) * 7 + 1) * dayMs);
    const cellsTo = monthStart(to < settled ? to : settled);
    const rows = await this.cohortRows(ecosystemId, args.from ?? null, to, weeks.data, cellsFrom < cellsTo ? { from: cellsFrom, to: cellsTo } : null);
    return rows.map((row) => ({
      month: new Date(row.month),
      weeks: row.weeks,
      size: row.size,
      pending: row.pending,
      stages: {
        OBSERVER: row.observer,
        USER: row.user,
        FIRST_TIME_CONTRIBUTOR: row.first,
        REGULAR_CONTRIBUTOR: row.regular,
        MAINTAINER: row.maintainer,
        LAPSED: row.lapsed,
      },
    }));
  }

  /**
   * The cohorts of {@link cohorts} counted member by member over `member_stage` (the definition;
   * the cells are tested against it), except for members first seen in `cells` (whole UTC months,
   * all members past their N weeks), summed from `member_stage_cohort_cell`.
   */
  async cohortRows(
    ecosystemId: number,
    from: Date | null,
    to: Date,
    weeks: number[],
    cells: { from: Date; to: Date } | null = null,
  ): Promise<Array<{ month: Date; weeks: number; size: number; pending: number } & Record<string, number>>> {
    const cellsFrom = cells?.from.toISOString() ?? 'infinity';
    const cellsTo = cells?.to.toISOString() ?? 'infinity';
    // the whole months of `cells` (each an index range of member_stage_cohort_cell up to the last offset asked)
    const cellMonths: string[] = [];
    if (cells) {
      for (let month = cells.from; month < cells.to; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
        cellMonths.push(month.toISOString().slice(0, 10));
      }
    }
    return this.dataSource.query(
      `SELECT month, weeks, sum(size)::int AS size, sum(pending)::int AS pending, sum(lapsed)::int AS lapsed, sum(maintainer)::int AS maintainer,
         sum(regular)::int AS regular, sum(first)::int AS first, sum("user")::int AS "user", sum(observer)::int AS observer
       FROM (
       SELECT date_trunc('month', s.first_seen_at, 'UTC') AS month, w.n AS weeks, count(*)::int AS size,
         count(*) FILTER (WHERE t.at > now())::int AS pending,
         count(*) FILTER (WHERE t.at <= now() AND s.lapsed_during @> t.at)::int AS lapsed,
         count(*) FILTER (WHERE t.at <= now() AND NOT s.lapsed_during @> t.at AND s.maintainer_at <= t.at)::int AS maintainer,
         count(*) FILTER (WHERE t.at <= now() AND NOT s.lapsed_during @> t.at AND s.regular_at <= t.at AND NOT coalesce(s.maintainer_at <= t.at, false))::int AS regular,
         count(*) FILTER (WHERE t.at <= now() AND NOT s.lapsed_during @> t.at AND s.first_contribution_at <= t.at AND NOT coalesce(s.regular_at <= t.at, false) AND NOT coalesce(s.maintainer_at <= t.at, false))::int AS first,
         count(*) FILTER (WHERE t.at <= now() AND NOT s.lapsed_during @> t.at AND s.user_at <= t.at AND NOT coalesce(s.first_contribution_at <= t.at, false) AND NOT coalesce(s.regular_at <= t.at, false) AND NOT coalesce(s.maintainer_at <= t.at, false))::int AS "user",
         count(*) FILTER (WHERE t.at <= now() AND NOT coalesce(s.user_at <= t.at, false) AND NOT coalesce(s.first_contribution_at <= t.at, false) AND NOT coalesce(s.regular_at <= t.at, false) AND NOT coalesce(s.maintainer_at <= t.at, false))::int AS observer
       FROM member_stage s
       CROSS JOIN unnest($4::int[]) AS w(n)
       CROSS JOIN LATERAL (SELECT s.first_seen_at + w.n * interval '7 days' AS at) t
       -- the period outside the cells' months, as two index ranges (a NOT over the cells' range would
       -- walk every member of the period: bench/stages, one year, ~68,000 rows and 4,000 buffers for none)
       WHERE s.ecosystem_id = $1
         AND ((s.first_seen_at >= $2::timestamptz AND s.first_seen_at < least($3::timestamptz, $5::timestamptz))
           OR (s.first_seen_at >= greatest($2::timestamptz, $6::timestamptz) AND s.first_seen_at < $3::timestamptz))
       GROUP BY 1, 2
       UNION ALL
       SELECT c.first_month::timestamp AT TIME ZONE 'UTC', w.n, sum(c.size)::int, 0, sum(c.at_lapsed)::int, sum(c.at_maintainer)::int,
              sum(c.at_regular)::int, sum(c.at_first)::int, sum(c.at_user)::int, sum(c.at_observer)::int
       FROM (
         -- per month and week of offset: ⌈offset_day ÷ 7⌉ ≤ N exactly when offset_day ≤ 7N; each month
         -- is one index range of offsets up to the longest N asked
         SELECT c.first_month, (c.offset_day + 6) / 7 AS week, sum(c.size) AS size, sum(c.at_lapsed) AS at_lapsed, sum(c.at_maintainer) AS at_maintainer,
                sum(c.at_regular) AS at_regular, sum(c.at_first) AS at_first, sum(c.at_user) AS at_user, sum(c.at_observer) AS at_observer
         FROM member_stage_cohort_cell c
         WHERE c.ecosystem_id = $1 AND c.first_month = ANY($7::date[]) AND c.offset_day <= 7 * (SELECT max(n) FROM unnest($4::int[]) n)
         GROUP BY 1, 2
       ) c CROSS JOIN unnest($4::int[]) AS w(n)
       WHERE c.week <= w.n
       GROUP BY 1, 2
       ) parts
       GROUP BY 1, 2 HAVING sum(size) > 0 ORDER BY 1, 2`,
      [ecosystemId, from?.toISOString() ?? '-infinity', to.toISOString(), weeks, cellsFrom, cellsTo, cellMonths],
    );
  }

  /**
   * Members ready for the next step in an ecosystem, most recently active first:
   * - `REPORTERS_WITHOUT_PULL_REQUEST`: at USER, opened at least one issue and never a pull request (next: a first contribution);
   * - `FIRST_TIMERS_ONE_AWAY_FROM_REGULAR`: at FIRST_TIME_CONTRIBUTOR with accepted contributions in exactly
   *   `regular.minWeeks − 1` distinct ISO weeks of the regular window ending this week (one contribution in
   *   another week of the window makes them regular);
   * - `REGULARS_REVIEWING_OTHERS`: at REGULAR_CONTRIBUTOR with reviews or review comments on other members' pull requests (next: maintainer).
   * @throws QueryException BAD_USER_INPUT for first outside 1–100 or a foreign cursor; NOT_FOUND for an unknown ecosystem.
   */
  async readyForNextStep(args: { kind: ReadyKind; ecosystem: string; first?: number | null; after?: string | null }, now = new Date()): Promise<ReadyPage> {
    const first = pageSizeSchema.parse(args.first);
    const ecosystemId = await this.rules.ecosystemId(args.ecosystem);
    const { rules } = (await this.rules.forEcosystems([ecosystemId])).get(ecosystemId)!;
    const windowStart = this.windowStart(now, rules.regular.windowWeeks);
    const params: unknown[] = [ecosystemId, windowStart];
    const conditions = ['s.ecosystem_id = $1'];
    switch (args.kind) {
      case 'REPORTERS_WITHOUT_PULL_REQUEST':
        conditions.push(`s.stage = 'USER' AND s.issues_opened > 0 AND s.pull_requests_opened = 0`);
        break;
      case 'FIRST_TIMERS_ONE_AWAY_FROM_REGULAR':
        params.push(rules.regular.minWeeks - 1);
        conditions.push(`s.stage = 'FIRST_TIME_CONTRIBUTOR' AND (SELECT count(*) FROM unnest(s.contribution_weeks) w WHERE w >= $2::date) = $3`);
        break;
      case 'REGULARS_REVIEWING_OTHERS':
        conditions.push(`s.stage = 'REGULAR_CONTRIBUTOR' AND s.reviews_of_others > 0`);
        break;
    }
    if (args.after) {
      const [kind, at, memberId] = decodeCursor('ready', args.after, readyCursor);
      if (kind !== args.kind) throw new QueryException(`Invalid cursor "${args.after}": use a cursor from this list`, QueryExceptionCode.BAD_USER_INPUT);
      params.push(at, memberId);
      // the order of the member_stage_current index: last activity descending, then member id ascending
      conditions.push(
        `(s.last_activity_at < $${params.length - 1}::timestamptz OR (s.last_activity_at = $${params.length - 1}::timestamptz AND s.member_id > $${params.length}::uuid))`,
      );
    }
    params.push(first + 1);
    const rows: Array<StageRow & MemberRow & { last_activity_text: string }> = await this.dataSource.query(
      `SELECT ${STAGE_ROW.replace('$WINDOW_START', '$2')}, to_json(s.last_activity_at) #>> '{}' AS last_activity_text, ${MEMBER_COLUMNS}
       FROM member_stage s JOIN ecosystem e ON e.id = s.ecosystem_id JOIN member m ON m.id = s.member_id ${MEMBER_ACCOUNT_JOIN}
       WHERE ${conditions.join(' AND ')}
       ORDER BY s.last_activity_at DESC, s.member_id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({
      cursor: encodeCursor('ready', [args.kind, row.last_activity_text, row.member_id]),
      node: { member: toMemberView(row), stage: toStageView(row) },
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: Boolean(args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /** Stages of members (one query): per member id, one entry per ecosystem, most advanced first. */
  async stagesByMemberIds(memberIds: readonly string[], now = new Date()): Promise<MemberStageView[][]> {
    const rows: StageRow[] = await this.dataSource.query(
      `SELECT ${STAGE_ROW.replace('$WINDOW_START', `(date_trunc('week', $2::timestamptz, 'UTC') - (coalesce(r.window_weeks, 12) - 1) * interval '7 days')`)}
       FROM member_stage s JOIN ecosystem e ON e.id = s.ecosystem_id
       LEFT JOIN LATERAL (SELECT (rules->'regular'->>'windowWeeks')::int AS window_weeks FROM stage_rules sr
                          WHERE sr.ecosystem_id = s.ecosystem_id OR sr.ecosystem_id IS NULL ORDER BY sr.ecosystem_id NULLS LAST LIMIT 1) r ON true
       WHERE s.member_id = ANY($1::uuid[])`,
      [memberIds, now.toISOString()],
    );
    const rank = (stage: Stage) => (stage === 'LAPSED' ? 0 : RANKED_STAGES.indexOf(stage) + 1);
    const byMember = new Map<string, MemberStageView[]>();
    for (const row of rows) {
      const list = byMember.get(row.member_id) ?? [];
      list.push(toStageView(row));
      byMember.set(row.member_id, list);
    }
    return memberIds.map((id) =>
      (byMember.get(id) ?? []).sort((a, b) => rank(b.stage) - rank(a.stage) || a.ecosystemSlug.localeCompare(b.ecosystemSlug)),
    );
  }

  /** Dated transitions of members (one query), oldest first, each with the activity that caused it. */
  async pathsByMemberIds(memberIds: readonly string[]): Promise<StageTransitionView[][]> {
    const rows: Array<{ t_id: string; t_member_id: string; ecosystem_id: number; ecosystem_slug: string; from_stage: Stage | null; to_stage: Stage; at: Date; rule_version: string } & Partial<ActivityRow>> =
      await this.dataSource.query(
        `SELECT t.id::text AS t_id, t.member_id AS t_member_id, t.ecosystem_id, e.slug AS ecosystem_slug, t.from_stage, t.to_stage, t.at, t.rule_version,
                ${ACTIVITY_COLUMNS}
         FROM member_stage_transition t JOIN ecosystem e ON e.id = t.ecosystem_id
         LEFT JOIN activity a ON a.id = t.activity_id
         WHERE t.member_id = ANY($1::uuid[])
         ORDER BY t.at, e.slug, t.id`,
        [memberIds],
      );
    const byMember = new Map<string, StageTransitionView[]>();
    for (const row of rows) {
      const list = byMember.get(row.t_member_id) ?? [];
      list.push({
        id: row.t_id,
        memberId: row.t_member_id,
        ecosystemId: row.ecosystem_id,
        ecosystemSlug: row.ecosystem_slug,
        from: row.from_stage,
        to: row.to_stage,
        at: row.at,
        ruleVersion: Number(row.rule_version),
        activity: row.id ? toActivityView(row as ActivityRow) : null,
      });
      byMember.set(row.t_member_id, list);
    }
    return memberIds.map((id) => byMember.get(id) ?? []);
  }

  private windowStart(now: Date, windowWeeks: number): string {
    const day = Math.floor(now.getTime() / 86_400_000) * 86_400_000;
    const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * 86_400_000;
    return new Date(monday - (windowWeeks - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
  }

  private async repositoryId(value: string): Promise<number> {
    const ref = parseRepositoryRef(value);
    if (!ref) throw new QueryException(`Invalid repository "${value}": give GitHub's numeric repository id or "owner/name"`, QueryExceptionCode.BAD_USER_INPUT);
    const rows: Array<{ id: string }> =
      ref.kind === 'id'
        ? await this.dataSource.query(`SELECT id::text AS id FROM repository WHERE id = $1`, [ref.id])
        : await this.dataSource.query(`SELECT id::text AS id FROM repository WHERE lower(full_name) = lower($1) ORDER BY updated_at DESC LIMIT 1`, [ref.fullName]);
    if (!rows[0]) throw new QueryException(`Unknown repository "${value}"`, QueryExceptionCode.NOT_FOUND);
    return Number(rows[0].id);
  }
}

function toStageView(row: StageRow): MemberStageView {
  return {
    memberId: row.member_id,
    ecosystemId: row.ecosystem_id,
    ecosystemSlug: row.ecosystem_slug,
    stage: row.stage,
    since: row.stage_since,
    firstSeenAt: row.first_seen_at,
    lastActivityAt: row.last_activity_at,
    lastContributionAt: row.last_contribution_at,
    lapseDueAt: row.lapse_due_at,
    issuesOpened: row.issues_opened,
    pullRequestsOpened: row.pull_requests_opened,
    reviewsOfOthers: row.reviews_of_others,
    contributionWeeksInWindow: row.weeks_in_window,
    ruleVersion: Number(row.rule_version),
  };
}

/** Which cells a funnel reads: everyone, or one filter of {@link FunnelArgs}. */
type CellFilter = { kind: 'all' } | { kind: 'nonPaying' } | { kind: 'repository'; id: number } | { kind: 'organization'; id: string };

/** The filter as {@link StageQueryService.funnelByMember} arguments. */
function filterArgs(filter: CellFilter): MemberFunnelFilters {
  switch (filter.kind) {
    case 'all':
      return {};
    case 'nonPaying':
      return { nonPayingOnly: true };
    case 'repository':
      return { repository: filter.id };
    case 'organization':
      return { organizationId: filter.id };
  }
}

/** Per count column of `member_stage_cell`, an int expression: member row `s`'s count at instant `asOf` (stage-cells.ts). */
function countsAtSql(asOf: string): Record<(typeof CELL_COUNTS)[number], string> {
  const rank = `(CASE WHEN s.maintainer_at <= ${asOf} THEN 5 WHEN s.regular_at <= ${asOf} THEN 4 WHEN s.first_contribution_at <= ${asOf} THEN 3
    WHEN s.user_at <= ${asOf} THEN 2 ELSE 1 END)`;
  const lapsed = `(s.lapsed_during @> ${asOf})`;
  const reached = (column: string) => `coalesce(s.${column} <= ${asOf}, false)::int`;
  const at = (r: number) => `(${rank} = ${r} AND NOT ${lapsed})::int`;
  return {
    entered: `(s.first_seen_at <= ${asOf})::int`,
    reached_user: reached('user_at'),
    reached_first: reached('first_contribution_at'),
    reached_regular: reached('regular_at'),
    reached_maintainer: reached('maintainer_at'),
    at_observer: `(s.first_seen_at <= ${asOf} AND ${rank} = 1 AND NOT ${lapsed})::int`,
    at_user: at(2),
    at_first: at(3),
    at_regular: at(4),
    at_maintainer: at(5),
    at_lapsed: `${lapsed}::int`,
  };
}

/** The funnel's shape from one row of counts (reached_*, current_*, entered, lapsed). */
function toFunnel(ecosystemId: number, from: Date | null, to: Date, row: Record<string, number>): Funnel {
  const reached = [row.reached_observer, row.reached_user, row.reached_first, row.reached_regular, row.reached_maintainer];
  const current = [row.current_observer, row.current_user, row.current_first, row.current_regular, row.current_maintainer];
  return {
    ecosystemId,
    from,
    to,
    entered: row.entered,
    lapsed: row.lapsed,
    steps: RANKED_STAGES.map((stage, index) => ({
      stage,
      reached: reached[index],
      current: current[index],
      conversionToNext: index + 1 < reached.length && reached[index] > 0 ? reached[index + 1] / reached[index] : null,
    })),
  };
}
