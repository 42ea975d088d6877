import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { JudgingResultsService } from '#libs/hackathons';
import { LEADERBOARD_COUNTS, LEADERBOARD_WEIGHTS, StageRulesService, type StageRules } from '#libs/members';
import type { IsoWeekKey } from '../digest.types.js';
import { weekBounds } from '../iso-week.js';
import {
  RANK_MIN_ACTIVE,
  RANK_SHOWN_UP_TO,
  type DigestCommunity,
  type DigestContent,
  type DigestHackathon,
  type DigestItem,
  type DigestPath,
  type DigestStage,
  type DigestTeamNews,
  type DigestWeek,
} from './digest-content.types.js';
import { nextStep } from './digest-path.js';

/** Open newcomer issues listed per digest. */
const ISSUES_PER_DIGEST = 3;
/** Upcoming hackathons listed per ecosystem. */
const HACKATHONS_PER_DIGEST = 3;
/** First-time contributors named in the welcome line (the count covers everyone). */
const FIRST_TIMERS_NAMED = 8;
/** Releases listed per ecosystem. */
const RELEASES_PER_DIGEST = 6;
/** A lapse is announced when it is due within this many days after the week. */
const LAPSE_NOTICE_DAYS = 28;

const RANKS: Record<DigestStage, number> = { LAPSED: 0, OBSERVER: 1, USER: 2, FIRST_TIME_CONTRIBUTOR: 3, REGULAR_CONTRIBUTOR: 4, MAINTAINER: 5 };

/** A number from a jsonb `number` fact, as SQL: NULL unless it is a plain non-negative integer. */
const FACT_NUMBER = `CASE WHEN a.facts->>'number' ~ '^[0-9]{1,9}$' THEN (a.facts->>'number')::int END`;

/**
 * What every digest of one ISO week in one time zone shares, read once: the week's bounds, the
 * ecosystems with their stage rules, the weekly ranks, the community's week, upcoming hackathons and
 * judging results. Build it with {@link DigestContentLoader.weekContext}; it is a snapshot, so a batch
 * of digests reads one consistent picture of the community.
 */
export interface DigestWeekContext {
  week: IsoWeekKey;
  timeZone: string;
  start: Date;
  end: Date;
  ecosystems: Map<number, { id: number; slug: string; name: string }>;
  rules: Map<number, StageRules>;
  /** Per ecosystem: members in the top {@link RANK_SHOWN_UP_TO} of the UTC week, and how many scored. */
  ranks: Map<number, { of: number; positions: Map<string, number> }>;
  /** Per ecosystem; first-timers carry their member id, so that a digest never welcomes its own reader. */
  community: Map<number, DigestCommunity & { firstTimerIds: string[] }>;
  hackathons: Map<number, Array<DigestHackathon & { id: string }>>;
  /** Per team id: the team's judging result in a hackathon that finished this week. */
  results: Map<string, { rank: number; of: number; score: number | null; hackathon: string; team: string }>;
}

/** A member as the digest addresses them, or why there is no digest for them. */
export type LoadedDigest = { kind: 'content'; content: DigestContent } | { kind: 'not_person'; reason: string };

/**
 * Reads digest content from Postgres, in batches: {@link weekContext} once per week and time zone,
 * then {@link load} for any number of members (a fixed number of queries per call, whatever the
 * number of members).
 */
@Injectable()
export class DigestContentLoader {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stageRules: StageRulesService,
    private readonly judging: JudgingResultsService,
  ) {}

  /**
   * The shared part of a week's digests in `timeZone` (an IANA name).
   * @throws RangeError for a malformed week key or an unknown time zone
   */
  async weekContext(week: IsoWeekKey, timeZone: string): Promise<DigestWeekContext> {
    const { start, end } = weekBounds(week, timeZone);
    if (Number.isNaN(start.getTime())) throw new RangeError(`"${timeZone}" is not an IANA time zone`);
    const params = [start.toISOString(), end.toISOString()];
    const ecosystemRows: Array<{ id: number; slug: string; name: string }> = await this.db.query(`SELECT id, slug, name FROM ecosystem ORDER BY id`);
    const ecosystems = new Map(ecosystemRows.map((row) => [row.id, row]));
    const rulesById = await this.stageRules.forEcosystems([...ecosystems.keys()]);
    const rules = new Map([...rulesById].map(([id, effective]) => [id, effective.rules]));
    const [ranks, community, hackathons, results] = await Promise.all([
      this.weeklyRanks(week),
      this.community(params),
      this.upcomingHackathons(params),
      this.judgingResults(params),
    ]);
    return { week, timeZone, start, end, ecosystems, rules, ranks, community, hackathons, results };
  }

  /**
   * The digest content of each member (by id) for the context's week; members that do not exist are
   * absent from the map. Bots, the deleted-user sentinel and members merged into another get
   * `not_person` with the reason.
   */
  async load(memberIds: readonly string[], ctx: DigestWeekContext): Promise<Map<string, LoadedDigest>> {
    const ids = [...new Set(memberIds)];
    const params = [ids, ctx.start.toISOString(), ctx.end.toISOString()];
    const [members, items, counts, firsts, stages, issues, registrations, allocations, teams] = await Promise.all([
      this.db.query(
        `SELECT m.id, m.kind, m.merged_into_id, m.display_name,
                coalesce(m.login, (SELECT ga.login FROM github_account ga WHERE ga.member_id = m.id ORDER BY ga.id LIMIT 1)) AS login
           FROM member m WHERE m.id = ANY($1::uuid[])`,
        [ids],
      ) as Promise<Array<{ id: string; kind: string; merged_into_id: string | null; display_name: string | null; login: string | null }>>,
      this.db.query(
        `SELECT a.member_id, a.type, a.occurred_at, r.full_name, ${FACT_NUMBER} AS number,
                coalesce(nullif(a.facts->>'title', ''), pr.title, i.title) AS title, a.facts->>'url' AS url, a.facts->>'state' AS state
           FROM activity a JOIN repository r ON r.id = a.repository_id
           LEFT JOIN pull_request pr ON a.type <> 'issue_opened' AND pr.repository_id = a.repository_id AND pr.number = ${FACT_NUMBER}
           LEFT JOIN issue i ON a.type = 'issue_opened' AND i.repository_id = a.repository_id AND i.number = ${FACT_NUMBER}
          WHERE a.member_id = ANY($1::uuid[]) AND a.occurred_at >= $2 AND a.occurred_at < $3 AND a.removed_at IS NULL
            AND a.type IN ('pull_request_merged', 'review', 'issue_opened')
          ORDER BY a.occurred_at, a.id`,
        params,
      ) as Promise<Array<{ member_id: string; type: string; occurred_at: Date; full_name: string; number: number | null; title: string | null; url: string | null; state: string | null }>>,
      this.db.query(
        `SELECT a.member_id,
                count(*) FILTER (WHERE a.type = 'commit' AND (a.facts->>'merge') IS DISTINCT FROM 'true')::int AS commits,
                count(*) FILTER (WHERE a.type = 'pull_request_opened')::int AS opened,
                count(*) FILTER (WHERE a.type IN ('issue_comment', 'review_comment'))::int AS comments
           FROM activity a
          WHERE a.member_id = ANY($1::uuid[]) AND a.occurred_at >= $2 AND a.occurred_at < $3 AND a.removed_at IS NULL
            AND a.type IN ('commit', 'pull_request_opened', 'issue_comment', 'review_comment')
          GROUP BY a.member_id`,
        params,
      ) as Promise<Array<{ member_id: string; commits: number; opened: number; comments: number }>>,
      // a repository is new to the member when their first accepted contribution there is this week
      this.db.query(
        `SELECT w.member_id, r.full_name, min(w.occurred_at) AS at
           FROM activity w JOIN repository r ON r.id = w.repository_id
          WHERE w.member_id = ANY($1::uuid[]) AND w.occurred_at >= $2 AND w.occurred_at < $3 AND w.removed_at IS NULL
            AND w.type IN ('commit', 'pull_request_merged') AND (w.facts->>'merge') IS DISTINCT FROM 'true'
          GROUP BY w.member_id, w.repository_id, r.full_name
         HAVING NOT EXISTS (
           SELECT 1 FROM activity p
            WHERE p.member_id = w.member_id AND p.repository_id = w.repository_id AND p.occurred_at < $2
              AND p.type IN ('commit', 'pull_request_merged') AND p.removed_at IS NULL AND (p.facts->>'merge') IS DISTINCT FROM 'true')
          ORDER BY at`,
        params,
      ) as Promise<Array<{ member_id: string; full_name: string; at: Date }>>,
      this.db.query(
        `SELECT s.member_id, s.ecosystem_id, s.stage, s.stage_since, s.contribution_weeks::text[] AS weeks, s.regular_at, s.maintainer_at,
                s.lapse_due_at, s.last_activity_at, s.first_contribution_at
           FROM member_stage s WHERE s.member_id = ANY($1::uuid[])`,
        [ids],
      ) as Promise<
        Array<{
          member_id: string;
          ecosystem_id: number;
          stage: DigestStage;
          stage_since: Date;
          weeks: string[];
          regular_at: Date | null;
          maintainer_at: Date | null;
          lapse_due_at: Date | null;
          last_activity_at: Date;
          first_contribution_at: Date | null;
        }>
      >,
      // good first issue / help wanted (issue.newcomer_friendly, GitHub's default labels, any case) in
      // repositories the member was active in, opened before the week's end and still open, not their own
      this.db.query(
        `SELECT m.member_id, x.* FROM unnest($1::uuid[]) AS m(member_id)
          CROSS JOIN LATERAL (
            SELECT i.number, i.title, i.labels, i.created_at, r.full_name
              FROM stage_member_repository smr
              JOIN issue i ON i.repository_id = smr.repository_id AND i.state = 'open' AND i.newcomer_friendly
              JOIN repository r ON r.id = i.repository_id
             WHERE smr.member_id = m.member_id AND i.created_at < $2
               AND NOT EXISTS (SELECT 1 FROM github_account ga WHERE ga.id = i.author_account_id AND ga.member_id = m.member_id)
             ORDER BY i.created_at DESC, i.id LIMIT ${ISSUES_PER_DIGEST}) x`,
        [ids, ctx.end.toISOString()],
      ) as Promise<Array<{ member_id: string; number: number; title: string; labels: string[]; created_at: Date; full_name: string }>>,
      this.db.query(`SELECT member_id, hackathon_id FROM hackathon_registration WHERE member_id = ANY($1::uuid[]) AND withdrawn_at IS NULL`, [ids]) as Promise<
        Array<{ member_id: string; hackathon_id: string }>
      >,
      this.db.query(
        `SELECT tm.member_id, t.id AS team_id, t.name AS team, h.name AS hackathon, res.name AS resource, res.kind, res.sponsor, al.units
           FROM team_member tm JOIN team t ON t.id = tm.team_id JOIN hackathon h ON h.id = t.hackathon_id
           JOIN matching_run mr ON mr.hackathon_id = h.id AND mr.status = 'published' AND mr.published_at >= $2 AND mr.published_at < $3
           JOIN allocation al ON al.run_id = mr.id AND al.team_id = t.id JOIN resource res ON res.id = al.resource_id
          WHERE tm.member_id = ANY($1::uuid[])
          ORDER BY h.name, res.name`,
        params,
      ) as Promise<Array<{ member_id: string; team_id: string; team: string; hackathon: string; resource: string; kind: string; sponsor: string | null; units: number }>>,
      ctx.results.size
        ? (this.db.query(`SELECT member_id, team_id FROM team_member WHERE member_id = ANY($1::uuid[]) AND team_id = ANY($2::uuid[])`, [ids, [...ctx.results.keys()]]) as Promise<
            Array<{ member_id: string; team_id: string }>
          >)
        : Promise.resolve([] as Array<{ member_id: string; team_id: string }>),
    ]);

    const group = <T extends { member_id: string }>(rows: T[]) => {
      const byMember = new Map<string, T[]>();
      for (const row of rows) {
        const list = byMember.get(row.member_id);
        if (list) list.push(row);
        else byMember.set(row.member_id, [row]);
      }
      return byMember;
    };
    const itemsBy = group(items);
    const countsBy = new Map(counts.map((row) => [row.member_id, row]));
    const firstsBy = group(firsts);
    const stagesBy = group(stages);
    const issuesBy = group(issues);
    const registeredBy = group(registrations);
    const allocationsBy = group(allocations);
    const teamsBy = group(teams);

    const result = new Map<string, LoadedDigest>();
    for (const member of members) {
      if (member.kind !== 'person') {
        result.set(member.id, { kind: 'not_person', reason: `member ${member.id} is a ${member.kind === 'bot' ? 'bot' : 'deleted GitHub account'}: digests go to persons only` });
        continue;
      }
      if (member.merged_into_id) {
        result.set(member.id, { kind: 'not_person', reason: `member ${member.id} was merged into member ${member.merged_into_id}: the digest goes to that member` });
        continue;
      }
      const memberStages = (stagesBy.get(member.id) ?? []).sort(
        (a, b) => RANKS[b.stage] - RANKS[a.stage] || b.last_activity_at.getTime() - a.last_activity_at.getTime(),
      );
      const primary = memberStages[0] ?? null;
      const ecosystem = primary ? (ctx.ecosystems.get(primary.ecosystem_id) ?? null) : null;
      const ecosystemIds = new Set(memberStages.map((s) => s.ecosystem_id));

      const week = this.yourWeek(itemsBy.get(member.id) ?? [], countsBy.get(member.id), firstsBy.get(member.id) ?? []);
      let path: DigestPath | null = null;
      if (primary) {
        const rules = ctx.rules.get(primary.ecosystem_id)!;
        const rank = ctx.ranks.get(primary.ecosystem_id);
        const position = rank?.positions.get(member.id);
        const lapseDue = primary.lapse_due_at;
        path = {
          stage: primary.stage,
          since: primary.stage_since,
          next: nextStep({ stage: primary.stage, contributionWeeks: primary.weeks, regularAt: primary.regular_at, maintainerAt: primary.maintainer_at }, rules, ctx.end),
          lapsesAt: lapseDue && lapseDue > ctx.end && lapseDue.getTime() - ctx.end.getTime() <= LAPSE_NOTICE_DAYS * 86_400_000 ? lapseDue : null,
          rank: position && rank && rank.of >= RANK_MIN_ACTIVE ? { position, of: rank.of } : null,
        };
      }
      const registered = new Set((registeredBy.get(member.id) ?? []).map((row) => row.hackathon_id));
      const hackathons = [...ecosystemIds]
        .flatMap((id) => ctx.hackathons.get(id) ?? [])
        .map(({ id, ...h }) => ({ ...h, registered: registered.has(id) }))
        .slice(0, HACKATHONS_PER_DIGEST);
      result.set(member.id, {
        kind: 'content',
        content: {
          week: ctx.week,
          timeZone: ctx.timeZone,
          weekStart: ctx.start,
          weekEnd: ctx.end,
          member: { id: member.id, name: member.display_name?.trim() || member.login || 'there', login: member.login },
          ecosystem,
          yourWeek: week,
          path,
          nextSteps: {
            issues: (issuesBy.get(member.id) ?? []).map((row) => ({
              repository: row.full_name,
              number: row.number,
              title: row.title,
              url: `https://github.com/${row.full_name}/issues/${row.number}`,
              labels: row.labels.filter((label) => /^(good first issue|help wanted|good first bug|first timers only)$/.test(label.toLowerCase().replace(/[^a-z]+/g, ' ').trim())),
              openedAt: row.created_at,
            })),
            hackathons,
            teams: this.teamNews(allocationsBy.get(member.id) ?? [], teamsBy.get(member.id) ?? [], ctx),
          },
          community: this.communityFor(member.id, primary, ecosystem ? ctx.community.get(ecosystem.id) : undefined, ctx),
        },
      });
    }
    return result;
  }

  /** The ecosystem's week without the reader among the first-timers it welcomes. */
  private communityFor(
    memberId: string,
    primary: { first_contribution_at: Date | null } | null,
    shared: (DigestCommunity & { firstTimerIds: string[] }) | undefined,
    ctx: DigestWeekContext,
  ): DigestCommunity {
    if (!shared) return { firstTimers: [], firstTimerCount: 0, releases: [] };
    const isFirstTimer = !!primary?.first_contribution_at && primary.first_contribution_at >= ctx.start && primary.first_contribution_at < ctx.end;
    return {
      firstTimers: shared.firstTimers.filter((_, index) => shared.firstTimerIds[index] !== memberId),
      firstTimerCount: shared.firstTimerCount - (isFirstTimer ? 1 : 0),
      releases: shared.releases,
    };
  }

  private yourWeek(
    rows: Array<{ type: string; occurred_at: Date; full_name: string; number: number | null; title: string | null; url: string | null; state: string | null }>,
    counts: { commits: number; opened: number; comments: number } | undefined,
    firsts: Array<{ full_name: string; at: Date }>,
  ): DigestWeek {
    const item = (row: (typeof rows)[number], path: 'pull' | 'issues'): DigestItem => ({
      repository: row.full_name,
      number: row.number ?? 0,
      title: row.title ?? '',
      url: row.url && /^https:\/\/github\.com\//.test(row.url) ? row.url : `https://github.com/${row.full_name}/${path}/${row.number ?? ''}`,
      at: row.occurred_at,
    });
    const reviews = new Map<string, DigestWeek['reviews'][number]>();
    for (const row of rows) {
      // several reviews of one pull request in a week are one line, with the latest state
      if (row.type === 'review' && row.number !== null) reviews.set(`${row.full_name}#${row.number}`, { ...item(row, 'pull'), state: row.state });
    }
    return {
      merged: rows.filter((row) => row.type === 'pull_request_merged' && row.number !== null).map((row) => item(row, 'pull')),
      reviews: [...reviews.values()],
      issuesOpened: rows.filter((row) => row.type === 'issue_opened' && row.number !== null).map((row) => item(row, 'issues')),
      firstContributions: firsts.map((row) => ({ repository: row.full_name, url: `https://github.com/${row.full_name}`, at: row.at })),
      commits: counts?.commits ?? 0,
      pullRequestsOpened: counts?.opened ?? 0,
      comments: counts?.comments ?? 0,
    };
  }

  private teamNews(
    allocations: Array<{ team_id: string; team: string; hackathon: string; resource: string; kind: string; sponsor: string | null; units: number }>,
    teams: Array<{ team_id: string }>,
    ctx: DigestWeekContext,
  ): DigestTeamNews[] {
    const news = new Map<string, DigestTeamNews>();
    for (const row of allocations) {
      const entry = news.get(row.team_id) ?? { hackathon: row.hackathon, team: row.team, allocations: [], result: null };
      entry.allocations.push({ resource: row.resource, kind: row.kind, units: row.units, sponsor: row.sponsor });
      news.set(row.team_id, entry);
    }
    for (const { team_id } of teams) {
      const result = ctx.results.get(team_id);
      if (!result) continue;
      const entry = news.get(team_id) ?? { hackathon: result.hackathon, team: result.team, allocations: [], result: null };
      entry.result = { rank: result.rank, of: result.of, score: result.score };
      news.set(team_id, entry);
    }
    return [...news.values()];
  }

  /**
   * Per ecosystem, the members in the top {@link RANK_SHOWN_UP_TO} of the week by leaderboard score
   * (libs/members leaderboard-score.ts weights) over the UTC days of the ISO week, persons only.
   */
  private async weeklyRanks(week: IsoWeekKey): Promise<DigestWeekContext['ranks']> {
    const { start, end } = weekBounds(week, 'UTC');
    const weightOf = Object.entries(LEADERBOARD_COUNTS).flatMap(([name, types]) =>
      types.map((type) => `WHEN '${type}' THEN ${LEADERBOARD_WEIGHTS[name as keyof typeof LEADERBOARD_WEIGHTS]}`),
    );
    const rows: Array<{ ecosystem_id: number; member_id: string; position: number; of: number }> = await this.db.query(
      `SELECT ecosystem_id, member_id, position::int, of::int FROM (
         SELECT ecosystem_id, member_id, rank() OVER (PARTITION BY ecosystem_id ORDER BY score DESC) AS position,
                count(*) OVER (PARTITION BY ecosystem_id) AS of
           FROM (SELECT r.ecosystem_id, d.member_id, sum(d.activities * CASE d.type ${weightOf.join(' ')} ELSE 0 END) AS score
                   FROM activity_daily d JOIN repository r ON r.id = d.repository_id JOIN member m ON m.id = d.member_id AND m.kind = 'person'
                  WHERE d.day >= $1::date AND d.day < $2::date AND r.ecosystem_id IS NOT NULL
                  GROUP BY 1, 2) scores
          WHERE score > 0) ranked
        WHERE position <= $3`,
      [start.toISOString().slice(0, 10), end.toISOString().slice(0, 10), RANK_SHOWN_UP_TO],
    );
    const ranks: DigestWeekContext['ranks'] = new Map();
    for (const row of rows) {
      const entry = ranks.get(row.ecosystem_id) ?? { of: row.of, positions: new Map() };
      entry.positions.set(row.member_id, row.position);
      ranks.set(row.ecosystem_id, entry);
    }
    return ranks;
  }

  /** Per ecosystem: first-time contributors of the week (first accepted contribution in it) and releases. */
  private async community(params: string[]): Promise<DigestWeekContext['community']> {
    const [firstTimers, releases]: [
      Array<{ ecosystem_id: number; member_id: string; name: string; login: string | null; total: number }>,
      Array<{ ecosystem_id: number; full_name: string; tag: string | null; name: string | null; url: string | null; at: Date }>,
    ] = await Promise.all([
      this.db.query(
        `SELECT ecosystem_id, member_id, name, login, total::int FROM (
           SELECT s.ecosystem_id, s.member_id, coalesce(nullif(btrim(m.display_name), ''), m.login, 'someone') AS name, m.login,
                  row_number() OVER (PARTITION BY s.ecosystem_id ORDER BY s.first_contribution_at, m.id) AS n,
                  count(*) OVER (PARTITION BY s.ecosystem_id) AS total
             FROM member_stage s JOIN member m ON m.id = s.member_id
            WHERE s.first_contribution_at >= $1 AND s.first_contribution_at < $2) f
          WHERE n <= ${FIRST_TIMERS_NAMED} + 1 ORDER BY ecosystem_id, n`,
        params,
      ),
      this.db.query(
        `SELECT DISTINCT ON (r.id, a.facts->>'tag_name') r.ecosystem_id, r.full_name, a.facts->>'tag_name' AS tag, a.facts->>'name' AS name,
                a.facts->>'url' AS url, a.occurred_at AS at
           FROM activity a JOIN repository r ON r.id = a.repository_id
          WHERE a.type = 'release' AND a.occurred_at >= $1 AND a.occurred_at < $2 AND a.removed_at IS NULL AND r.ecosystem_id IS NOT NULL
          ORDER BY r.id, a.facts->>'tag_name', a.occurred_at`,
        params,
      ),
    ]);
    const community: DigestWeekContext['community'] = new Map();
    const of = (id: number) => {
      let entry = community.get(id);
      if (!entry) community.set(id, (entry = { firstTimers: [], firstTimerIds: [], firstTimerCount: 0, releases: [] }));
      return entry;
    };
    // one name more than shown, so that leaving the reader out still shows as many
    for (const row of firstTimers) {
      const entry = of(row.ecosystem_id);
      entry.firstTimers.push({ name: row.name, login: row.login });
      entry.firstTimerIds.push(row.member_id);
      entry.firstTimerCount = row.total;
    }
    for (const row of releases.sort((a, b) => b.at.getTime() - a.at.getTime())) {
      if (!row.tag) continue;
      const entry = of(row.ecosystem_id);
      if (entry.releases.length >= RELEASES_PER_DIGEST) continue;
      entry.releases.push({
        repository: row.full_name,
        tag: row.tag,
        name: row.name,
        url: row.url && /^https:\/\/github\.com\//.test(row.url) ? row.url : `https://github.com/${row.full_name}/releases/tag/${encodeURIComponent(row.tag)}`,
        at: row.at,
      });
    }
    return community;
  }

  /**
   * Per ecosystem, announced hackathons still ahead at the week's end: registration open (deadline
   * not passed), or starting after the week. Drafts are never shown.
   */
  private async upcomingHackathons(params: string[]): Promise<DigestWeekContext['hackathons']> {
    const rows: Array<{ id: string; ecosystem_id: number; slug: string; name: string; status: string; starts_at: Date; ends_at: Date; registration_closes_at: Date | null }> =
      await this.db.query(
        `SELECT id, ecosystem_id, slug, name, status, starts_at, ends_at, registration_closes_at FROM hackathon
          WHERE status <> 'draft' AND status <> 'finished'
            AND ((status = 'registration_open' AND (registration_closes_at IS NULL OR registration_closes_at > $1)) OR starts_at >= $1)
          ORDER BY starts_at, slug`,
        [params[1]],
      );
    const byEcosystem: DigestWeekContext['hackathons'] = new Map();
    for (const row of rows) {
      const list = byEcosystem.get(row.ecosystem_id) ?? [];
      list.push({
        id: row.id,
        slug: row.slug,
        name: row.name,
        startsAt: row.starts_at,
        endsAt: row.ends_at,
        registrationClosesAt: row.registration_closes_at,
        registrationOpen: row.status === 'registration_open',
        registered: false,
      });
      byEcosystem.set(row.ecosystem_id, list);
    }
    return byEcosystem;
  }

  /**
   * Judging results of hackathons that finished this week (status `finished`, last changed in the
   * week: a finished hackathon changes status no more), per team with a ranked submission.
   */
  private async judgingResults(params: string[]): Promise<DigestWeekContext['results']> {
    const finished: Array<{ slug: string; name: string }> = await this.db.query(
      `SELECT slug, name FROM hackathon WHERE status = 'finished' AND updated_at >= $1 AND updated_at < $2`,
      params,
    );
    const results: DigestWeekContext['results'] = new Map();
    for (const hackathon of finished) {
      const judged = await this.judging.results(hackathon.slug, true);
      const ranked = judged.submissions.filter((s) => s.rank !== null);
      for (const submission of ranked) {
        const team = judged.teams.get(submission.submissionId);
        if (!team) continue;
        results.set(team.teamId, { rank: submission.rank!, of: ranked.length, score: submission.rawMean, hackathon: hackathon.name, team: team.teamName });
      }
    }
    return results;
  }
}
