/**
 * Stages benchmark: `npm run bench -- stages` (runs dist/bench/stages.js).
 *
 * On a fresh database (`cambrian_bench_stages` on the DATABASE_URL server, dropped, created and
 * migrated), generated with a fixed seed (`setseed`): BENCH_STAGES_MEMBERS persons (100,000) and
 * 1% bots, BENCH_STAGES_ACTIVITIES activities (1,000,000) over five years in three repositories of
 * one ecosystem, members drawn with a skew (a few very active people, a long tail), types in the
 * proportions of the RWKV history (stars, comments, commits, pull requests, reviews, half of them
 * approvals), and 10% of members affiliated with one of 20 organisations (5 paying).
 *
 * Figures (the last line on stdout is one JSON object; progress goes to stderr):
 *  - `recompute_seconds`, `recompute_members_per_second`: StageService.recomputeEcosystem from
 *    scratch over every member (the path `cambrian stages recompute` takes);
 *  - `incremental_batch_ms_median`: evaluating the members of one GH-Archive-sized batch of
 *    10,000 already-evaluated activities (what an `evaluate-stages` job does), median of 3; alternating with
 *    them, `incremental_batch_without_stage_version_ms_median`, the same with the `stage_version` triggers
 *    disabled (the funnel cache's invalidation), and `stage_version_cost_ratio` = with ÷ without;
 *  - `funnel_<scenario>_p50_ms` / `_p95_ms` at concurrency 10 (BENCH_STAGES_REQUESTS requests, 200,
 *    each through StageQueryService.funnel, the SQL GraphQL runs): `up_to_now` (the whole ecosystem,
 *    no filter: day rollups), `year` (one-year entry periods: an index range over member_stage),
 *    `year_non_paying`, and `all_time_non_paying` (every member with the non-paying filter: the
 *    worst case); `funnel_goal_p95_ms` 50;
 *  - a baseline: the all-time counts computed from raw activities (first activity per member, then
 *    whether it has a star, any other activity, a commit or merged pull request, an approval — the
 *    plan the stored stages replace), 30 requests; `speedup_up_to_now_p95` = baseline p95 ÷ up_to_now p95;
 *  - `cohorts_p95_ms` (one-year periods, weeks 4, 12, 26: member_stage_cohort_cell) against
 *    `cohorts_by_member_*` (the same counted member by member, 30 requests), `ready_p95_ms` (readyForNextStep, first 20) at concurrency 10;
 *  - the same funnels with a period and one filter — `year_unaligned` (one-year periods between
 *    instants that are not midnights), `year_organization`, `year_repository` — which read
 *    `member_stage_cell` (stage-cells.ts), and each against `<scenario>_by_member`, the same
 *    funnel counted member by member (StageQueryService.funnelByMember, the implementation the
 *    cells replaced and are tested against): `speedup_<scenario>_p95_vs_by_member`; `cell_rows`;
 *  - `load_average_1m` at the end: the machine is shared, so read the latencies with it.
 *
 * Environment: DATABASE_URL (default local), BENCH_STAGES_MEMBERS, BENCH_STAGES_ACTIVITIES,
 * BENCH_STAGES_REQUESTS, BENCH_STAGES_REUSE=1 (query figures only, on the previous run's database),
 * BENCH_STAGES_SCENARIOS (a comma list: only those funnel scenarios and, when listed, `baseline`, `cohorts`,
 * `cohorts_by_member`, `ready`; no incremental batches).
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { configSchema } from '#libs/config';
import { databaseUrlFor, erasureKeyOptions, loadErasureKey, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { StageQueryService, StageRulesService, StageService } from '#libs/members';

const DATABASE = 'cambrian_bench_stages';
const MEMBERS = Number(process.env.BENCH_STAGES_MEMBERS ?? 100_000);
const ACTIVITIES = Number(process.env.BENCH_STAGES_ACTIVITIES ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_STAGES_REQUESTS ?? 200);
const CONCURRENCY = 10;
/** BENCH_STAGES_REUSE=1: measure the queries on the database a previous run left (no generation, no recompute). */
const REUSE = process.env.BENCH_STAGES_REUSE === '1';
/**
 * BENCH_STAGES_SCENARIOS=year,cohorts,...: only these funnel scenarios (and `baseline`, `cohorts`,
 * `cohorts_by_member`, `ready` when listed), no incremental batches; the other figures are null.
 */
const ONLY = process.env.BENCH_STAGES_SCENARIOS ? new Set(process.env.BENCH_STAGES_SCENARIOS.split(',').map((name) => name.trim())) : null;
const wanted = (name: string) => !ONLY || ONLY.has(name);

const log = (message: string) => console.error(`[bench stages] ${message}`);

async function main(): Promise<void> {
  const defaults = configSchema.parse({ ...process.env, NODE_ENV: 'development' });
  const url = databaseUrlFor(defaults.DATABASE_URL, DATABASE);
  if (!REUSE) {
    log(`recreating ${DATABASE}`);
    await recreateDatabase(url, secretBoxFromConfig(defaults));
  }
  const erasureKey = await loadErasureKey(url, secretBoxFromConfig(defaults));
  // sessions as Cambrian's DatabaseModule opens them (JIT off)
  const db = await new DataSource({ type: 'postgres', url, extra: { max: CONCURRENCY + 2, options: erasureKeyOptions(erasureKey, '-c jit=off') } }).initialize();
  try {
    const rules = new StageRulesService(db);
    const stages = new StageService(db, rules);
    const queries = new StageQueryService(db, rules);
    let recomputeSeconds: number | null = null;
    let cellRows: number | null = null;
    let result = { members: 0, transitionsInserted: 0 };
    if (!REUSE) {
      await generate(db);
      log('recomputing every member from scratch');
      const started = performance.now();
      result = await stages.recomputeEcosystem(null, {
        onProgress: (done, total) => {
          if (done % 20_000 < 1000 || done === total) log(`  ${done}/${total} members`);
        },
      });
      recomputeSeconds = (performance.now() - started) / 1000;
      // affiliated members without activities stay marked until the hourly check refreshes them
      log(`refreshed the credits of ${await stages.refreshCredits()} members`);
      await db.query('VACUUM ANALYZE member_stage, member_stage_transition, stage_member_repository, member_stage_daily, member_stage_cell, member_stage_credit');
      const [{ cells }]: Array<{ cells: number }> = await db.query(`SELECT count(*)::int AS cells FROM member_stage_cell`);
      cellRows = cells;
      log(`recomputed ${result.members} members (${result.transitionsInserted} transitions) in ${recomputeSeconds.toFixed(1)} s`);
    } else {
      log(`reusing ${DATABASE} (BENCH_STAGES_REUSE=1): no generation, no recompute`);
    }

    // alternating with a baseline: the same kind of batch with the stage_version triggers (the funnel
    // cache's invalidation, migration 1764900000190) disabled, to show what they cost the writes
    const batches: number[] = [];
    const batchesWithoutVersion: number[] = [];
    const versionTriggers = async (action: 'ENABLE' | 'DISABLE') => {
      const triggers: Array<{ relation: string; name: string }> = await db.query(
        `SELECT c.relname AS relation, t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%\\_stage\\_version'`,
      );
      for (const trigger of triggers) await db.query(`ALTER TABLE ${trigger.relation} ${action} TRIGGER ${trigger.name}`);
    };
    for (let run = 0; run < (ONLY ? 0 : 6); run += 1) {
      const ids: Array<{ id: string }> = await db.query(`SELECT id::text FROM activity WHERE id % 100 = $1 LIMIT 10000`, [run]);
      const withVersion = run % 2 === 0;
      if (!withVersion) await versionTriggers('DISABLE');
      try {
        const t0 = performance.now();
        await stages.evaluateActivities(ids.map((row) => row.id));
        (withVersion ? batches : batchesWithoutVersion).push(performance.now() - t0);
      } finally {
        if (!withVersion) await versionTriggers('ENABLE');
      }
    }

    const periods = Array.from({ length: 5 }, (_, year) => ({ from: new Date(Date.UTC(2021 + year, 0, 1)), to: new Date(Date.UTC(2022 + year, 0, 1)) }));
    // one-year periods between instants that are not midnights (the partial days are read member by member)
    const unaligned = Array.from({ length: 5 }, (_, i) => ({ from: new Date(Date.UTC(2021 + i, 2 + i, 7 + i, 13, 17)), to: new Date(Date.UTC(2022 + i, 2 + i, 9 + i, 8, 41)) }));
    const [{ id: ecosystemId }]: Array<{ id: number }> = await db.query(`SELECT id FROM ecosystem WHERE slug = 'bench'`);
    // the generated ids are md5 digests; the API accepts RFC 4122 forms only (version 1–8, variant 10xx)
    const organizations: Array<{ id: string }> = await db.query(
      `SELECT id::text FROM organization WHERE id::text ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' ORDER BY name`,
    );
    log(`organisation funnels over ${organizations.length} organisations whose ids the API accepts`);
    const scenarios = {
      // the whole ecosystem up to now, no filter (member_stage_daily): what a dashboard and bench/members ask
      up_to_now: () => queries.funnel({ ecosystem: 'bench' }),
      // one-year entry periods (member_stage, index range scan)
      year: (i: number) => queries.funnel({ ecosystem: 'bench', ...periods[i % 5] }),
      // the same periods counted member by member (the reference the cells are tested against)
      year_by_member: (i: number) => queries.funnelByMember(ecosystemId, {}, periods[i % 5].from, periods[i % 5].to),
      year_unaligned: (i: number) => queries.funnel({ ecosystem: 'bench', ...unaligned[i % 5] }),
      year_organization: (i: number) => queries.funnel({ ecosystem: 'bench', ...periods[i % 5], organizationId: organizations[i % organizations.length].id }),
      year_repository: (i: number) => queries.funnel({ ecosystem: 'bench', ...periods[i % 5], repository: `bench/repo${1 + (i % 3)}` }),
      year_non_paying: (i: number) => queries.funnel({ ecosystem: 'bench', ...periods[i % 5], nonPayingOnly: true }),
      year_non_paying_by_member: (i: number) => queries.funnelByMember(ecosystemId, { nonPayingOnly: true }, periods[i % 5].from, periods[i % 5].to),
      // the worst case: every member, non-paying filter (a scan of member_stage)
      all_time_non_paying: () => queries.funnel({ ecosystem: 'bench', nonPayingOnly: true }),
      all_time_non_paying_by_member: () => queries.funnelByMember(ecosystemId, { nonPayingOnly: true }, null, new Date()),
      year_organization_by_member: (i: number) =>
        queries.funnelByMember(ecosystemId, { organizationId: organizations[i % organizations.length].id }, periods[i % 5].from, periods[i % 5].to),
      year_repository_by_member: (i: number) => queries.funnelByMember(ecosystemId, { repository: `bench/repo${1 + (i % 3)}` }, periods[i % 5].from, periods[i % 5].to),
    };
    const funnel: Record<string, number[]> = {};
    for (const [name, work] of Object.entries(scenarios)) {
      if (!wanted(name)) continue;
      log(`funnel ${name}: ${REQUESTS} requests at concurrency ${CONCURRENCY}`);
      funnel[name] = await load(work);
    }
    log('baseline: the all-time counts from raw activities');
    const baseline = wanted('baseline') ? await load(() => rawFunnel(db, { from: null, to: null, nonPayingOnly: false }), 30) : [];
    log('cohorts and ready-for-next-step');
    const cohorts = !wanted('cohorts') ? [] : await load((i) => queries.cohorts({ ecosystem: 'bench', from: periods[i % 5].from, to: periods[i % 5].to, weeks: [4, 12, 26] }));
    const cohortsByMember = !wanted('cohorts_by_member') ? [] : await load((i) => queries.cohortRows(ecosystemId, periods[i % 5].from, periods[i % 5].to, [4, 12, 26]), 30);
    const kinds = ['REPORTERS_WITHOUT_PULL_REQUEST', 'FIRST_TIMERS_ONE_AWAY_FROM_REGULAR', 'REGULARS_REVIEWING_OTHERS'] as const;
    const ready = !wanted('ready') ? [] : await load((i) => queries.readyForNextStep({ kind: kinds[i % 3], ecosystem: 'bench', first: 20 }));

    const sample = await queries.funnel({ ecosystem: 'bench' });
    log(`whole-history funnel: ${sample.steps.map((s) => `${s.stage} ${s.reached}`).join(' · ')} · LAPSED ${sample.lapsed}`);
    const out = {
      members: MEMBERS,
      activities: ACTIVITIES,
      concurrency: CONCURRENCY,
      recompute_seconds: recomputeSeconds === null ? null : round(recomputeSeconds),
      recompute_members_per_second: recomputeSeconds === null ? null : Math.round(result.members / recomputeSeconds),
      transitions: recomputeSeconds === null ? null : result.transitionsInserted,
      cell_rows: cellRows,
      incremental_batch_ms_median: batches.length ? round(median(batches)) : null,
      incremental_batch_without_stage_version_ms_median: batchesWithoutVersion.length ? round(median(batchesWithoutVersion)) : null,
      stage_version_cost_ratio: batches.length ? Math.round((median(batches) / median(batchesWithoutVersion)) * 1000) / 1000 : null,
      ...Object.fromEntries(
        Object.entries(funnel).flatMap(([name, times]) => [
          [`funnel_${name}_p50_ms`, round(quantile(times, 0.5))],
          [`funnel_${name}_p95_ms`, round(quantile(times, 0.95))],
        ]),
      ),
      funnel_goal_p95_ms: 50,
      baseline_raw_all_time_p50_ms: round(quantile(baseline, 0.5)),
      baseline_raw_all_time_p95_ms: round(quantile(baseline, 0.95)),
      speedup_up_to_now_p95: round(quantile(baseline, 0.95) / quantile(funnel.up_to_now, 0.95)),
      ...Object.fromEntries(
        ['year', 'year_non_paying', 'all_time_non_paying', 'year_organization', 'year_repository'].map((name) => [
          `speedup_${name}_p95_vs_by_member`,
          round(quantile(funnel[`${name}_by_member`], 0.95) / quantile(funnel[name], 0.95)),
        ]),
      ),
      cohorts_p50_ms: round(quantile(cohorts, 0.5)),
      cohorts_p95_ms: round(quantile(cohorts, 0.95)),
      cohorts_by_member_p50_ms: round(quantile(cohortsByMember, 0.5)),
      cohorts_by_member_p95_ms: round(quantile(cohortsByMember, 0.95)),
      ready_p95_ms: round(quantile(ready, 0.95)),
      load_average_1m: round(loadavg()[0]),
    };
    console.log(JSON.stringify(out));
  } finally {
    await db.destroy();
  }
}

/** Members, identities, repositories, organisations and activities, deterministic (setseed). */
async function generate(db: DataSource): Promise<void> {
  log(`generating ${MEMBERS} members and ${ACTIVITIES} activities`);
  await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('bench', 'Bench') `);
  await db.query(
    `INSERT INTO repository (id, ecosystem_id, owner, name, full_name)
     SELECT 900000000 + i, (SELECT id FROM ecosystem WHERE slug = 'bench'), 'bench', 'repo' || i, 'bench/repo' || i FROM generate_series(1, 3) i`,
  );
  await db.query(
    `INSERT INTO member (id, kind, login)
     SELECT md5('member' || i)::uuid, CASE WHEN i % 100 = 0 THEN 'bot' ELSE 'person' END, 'bench-' || i FROM generate_series(1, $1) i`,
    [MEMBERS],
  );
  await db.query(
    `INSERT INTO identity (id, member_id, platform, key) SELECT md5('identity' || i)::uuid, md5('member' || i)::uuid, 'github', (10000000 + i)::text
     FROM generate_series(1, $1) i`,
    [MEMBERS],
  );
  await db.query(
    `INSERT INTO organization (id, name, is_customer) SELECT md5('org' || i)::uuid, 'Org ' || i, i <= 5 FROM generate_series(1, 20) i`,
  );
  await db.query(
    `INSERT INTO affiliation (member_id, organization_id, source)
     SELECT md5('member' || i)::uuid, md5('org' || (1 + i % 20))::uuid, 'manual' FROM generate_series(1, $1) i WHERE i % 10 = 3`,
    [MEMBERS],
  );
  await db.query(`SELECT setseed(0.42)`);
  const chunk = 250_000;
  for (let start = 1; start <= ACTIVITIES; start += chunk) {
    await db.query(
      `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
       SELECT t.type, timestamptz '2021-01-01' + r.when_ * interval '1826 days', 900000001 + (g % 3),
              md5('identity' || r.who)::uuid, md5('member' || r.who)::uuid, 'api', 'bench:' || g,
              CASE WHEN t.type = 'review' THEN jsonb_build_object('state', CASE WHEN r.kind_ < 0.5 THEN 'APPROVED' ELSE 'COMMENTED' END) ELSE '{}' END
       FROM generate_series($1::int, $2::int) g
       CROSS JOIN LATERAL (SELECT 1 + floor(power(random(), 3) * $3)::int AS who, random() AS when_, random() AS kind_, random() AS pick WHERE g IS NOT NULL) r
       -- both LATERAL subqueries reference g, so they are evaluated per row, not once
       CROSS JOIN LATERAL (SELECT CASE
           WHEN r.pick < 0.15 THEN 'star' WHEN r.pick < 0.18 THEN 'fork' WHEN r.pick < 0.26 THEN 'issue_opened'
           WHEN r.pick < 0.51 THEN 'issue_comment' WHEN r.pick < 0.59 THEN 'pull_request_opened'
           WHEN r.pick < 0.64 THEN 'pull_request_merged' WHEN r.pick < 0.89 THEN 'commit'
           WHEN r.pick < 0.97 THEN 'review' ELSE 'review_comment' END AS type) t`,
      [start, Math.min(start + chunk - 1, ACTIVITIES), MEMBERS],
    );
    log(`  ${Math.min(start + chunk - 1, ACTIVITIES)} activities`);
  }
  await db.query('VACUUM ANALYZE');
  const [{ active }] = await db.query(`SELECT count(DISTINCT member_id)::int AS active FROM activity`);
  log(`${active} members have activities`);
  if (active < MEMBERS / 10) throw new Error(`the generator spread activities over ${active} members only`);
}

/** The baseline: per member in the population, flags from raw activities, then counts. */
async function rawFunnel(db: DataSource, args: { from: Date | null; to: Date | null; nonPayingOnly: boolean }): Promise<unknown> {
  const to = (args.to ?? new Date()).toISOString();
  return db.query(
    `WITH firsts AS (
       SELECT a.member_id, min(a.occurred_at) AS first_at,
              bool_or(a.type NOT IN ('star', 'fork')) AS used,
              bool_or(a.type IN ('commit', 'pull_request_merged')) AS contributed,
              bool_or(a.type = 'review' AND a.facts->>'state' = 'APPROVED') AS approved
       FROM activity a JOIN repository r ON r.id = a.repository_id JOIN member m ON m.id = a.member_id AND m.kind = 'person'
       WHERE r.ecosystem_id = (SELECT id FROM ecosystem WHERE slug = 'bench') AND a.occurred_at < $2::timestamptz
       GROUP BY a.member_id)
     SELECT count(*) AS entered, count(*) FILTER (WHERE used) AS users, count(*) FILTER (WHERE contributed) AS contributors,
            count(*) FILTER (WHERE approved) AS maintainers
     FROM firsts f WHERE f.first_at >= $1::timestamptz
       AND (NOT $3 OR NOT EXISTS (SELECT 1 FROM affiliation af JOIN organization o ON o.id = af.organization_id AND o.is_customer WHERE af.member_id = f.member_id))`,
    [args.from?.toISOString() ?? '-infinity', to, args.nonPayingOnly],
  );
}

/** Runs `requests` calls of `work(i)` over CONCURRENCY workers; returns each call's milliseconds. */
async function load(work: (i: number) => Promise<unknown>, requests = REQUESTS): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        const i = next;
        next += 1;
        const t0 = performance.now();
        await work(i);
        times.push(performance.now() - t0);
      }
    }),
  );
  return times;
}

function quantile(values: number[] | undefined, q: number): number {
  if (!values?.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function median(values: number[]): number {
  return quantile(values, 0.5);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error('[bench stages] failed:', error);
  process.exit(1);
});
