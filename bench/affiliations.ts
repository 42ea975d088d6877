/**
 * Affiliations benchmark: `npm run bench -- affiliations` (runs dist/bench/affiliations.js).
 *
 * On a dedicated database (`cambrian_bench_affiliations` on the DATABASE_URL server, dropped,
 * created and migrated), generated deterministically in SQL (md5 / hashint4 of row numbers, no
 * random state):
 *  - BENCH_AFF_ORGS (500) organisations `Org n` owning `orgn.example`;
 *  - BENCH_AFF_MEMBERS (50,000) members with one e-mail identity each: half on gmail.com
 *    (webmail: never affiliated), half on an organisation's domain; every fifth member also has a
 *    second organisation's address, used from 2025-01-01 on (a job change);
 *  - BENCH_AFF_ACTIVITIES (500,000) commit activities spread over the 730 days before
 *    2026-01-01 (one repository).
 *
 * Figures (the last line on stdout is one JSON object; progress goes to stderr; medians of
 * BENCH_RUNS (5) runs unless said otherwise):
 *  - `recompute_first_ms` (one run, from no affiliation) and `recompute_noop_ms` (unchanged
 *    evidence: the diff must change nothing, `recompute_noop_changes` = 0);
 *  - `credit_all_ms`: every activity credited to the organisation of its member on its date
 *    (`activityOrganizationSql`, the Organizational Diversity shape: count per organisation over
 *    all activities); baseline `group_by_member_ms`: the same rows counted per member without
 *    crediting; `credit_overhead_ratio` = credit_all / group_by_member;
 *  - `credit_all_jit_on_ms`: the same with Postgres JIT on (the server default; the other
 *    queries here run with `jit = off`, as ContributionCreditService and the recompute do: their
 *    cost estimates pass `jit_above_cost` and compiling took longer than running);
 *  - `credit_timeline_ms`: the same counts through `creditTimelineSql` (activities joined to each
 *    member's resolved periods), `timeline_speedup` = credit_all / credit_timeline, and
 *    `timeline_same_counts` (both give the same count per organisation);
 *  - `org_contribution_count_ms`: ContributionCreditService.contributionCounts for one
 *    organisation; `org_members_ms`: membersOf (top 20) for the same one;
 *  - checks: `job_changers` (members moving from one organisation's address to another's: every
 *    tenth), `job_changers_credited_twice` (those whose activities are credited to two
 *    organisations; below job_changers only where both addresses fall to the same organisation or
 *    a member has activities on one side of the change only) and `webmail_affiliations` (members
 *    with only gmail.com addresses yet an affiliation; goal 0).
 *
 * Environment: DATABASE_URL (default local), BENCH_AFF_ORGS, BENCH_AFF_MEMBERS, BENCH_AFF_ACTIVITIES, BENCH_RUNS.
 */
import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '#libs/config';
import { databaseUrlFor, erasureKeyOptions, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { activityOrganizationSql, AffiliationRecomputeService, ContributionCreditService, creditTimelineSql } from '#libs/members';
import { median, round } from './lib/stats.js';

const ORGS = Number(process.env.BENCH_AFF_ORGS ?? 500);
const MEMBERS = Number(process.env.BENCH_AFF_MEMBERS ?? 50_000);
const ACTIVITIES = Number(process.env.BENCH_AFF_ACTIVITIES ?? 500_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const log = (message: string) => console.error(`[bench affiliations] ${message}`);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

async function runs(label: string, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) times.push((await timed(work)).ms);
  log(`${label}: ${times.map((ms) => round(ms)).join(', ')} ms`);
  return median(times);
}

/** Generates the organisations, members, identities and activities described above. */
async function generate(pool: pg.Pool): Promise<void> {
  const started = performance.now();
  await pool.query(`INSERT INTO repository (id, owner, name, full_name) VALUES (1, 'bench', 'repo', 'bench/repo')`);
  await pool.query(
    `INSERT INTO organization (name, domains) SELECT 'Org ' || g, ARRAY['org' || g || '.example'] FROM generate_series(1, $1) g`,
    [ORGS],
  );
  await pool.query(
    `INSERT INTO member (id, kind, display_name) SELECT md5('member' || g)::uuid, 'person', 'Dev ' || g FROM generate_series(1, $1) g`,
    [MEMBERS],
  );
  // first address: gmail for even members, else an organisation; second (every fifth member): another organisation
  await pool.query(
    `INSERT INTO identity (id, member_id, platform, key)
     SELECT md5('first' || g)::uuid, md5('member' || g)::uuid, 'email',
            md5('local' || g) || '@' || CASE WHEN g % 2 = 0 THEN 'gmail.com' ELSE 'org' || (g % $2 + 1) || '.example' END
       FROM generate_series(1, $1) g
     UNION ALL
     SELECT md5('second' || g)::uuid, md5('member' || g)::uuid, 'email',
            md5('local2' || g) || '@org' || ((g * 7) % $2 + 1) || '.example'
       FROM generate_series(5, $1, 5) g`,
    [MEMBERS, ORGS],
  );
  await pool.query(
    `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key)
     SELECT 'commit', x.t, 1,
            CASE WHEN x.g % 5 = 0 AND x.t >= '2025-01-01T00:00:00Z' THEN md5('second' || x.g)::uuid ELSE md5('first' || x.g)::uuid END,
            md5('member' || x.g)::uuid, 'api', 'bench:' || i
       FROM generate_series(1, $1) i,
            LATERAL (SELECT 1 + (abs(hashint4(i)) % $2) AS g,
                            '2026-01-01T00:00:00Z'::timestamptz - ((abs(hashint4(i + 7919)) % (730 * 24)) * interval '1 hour') AS t) x`,
    [ACTIVITIES, MEMBERS],
  );
  await pool.query(`ANALYZE`);
  log(`generated ${ORGS} organisations, ${MEMBERS} members, ${ACTIVITIES} activities in ${round((performance.now() - started) / 1000)} s`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const databaseUrl = databaseUrlFor(config.DATABASE_URL, 'cambrian_bench_affiliations');
  log(`recreating ${databaseUrl}`);
  const { erasureKey } = await recreateDatabase(databaseUrl, secretBoxFromConfig(config));
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, options: erasureKeyOptions(erasureKey, '-c jit=off') });
  const jitPool = new pg.Pool({ connectionString: databaseUrl, max: 1, options: erasureKeyOptions(erasureKey) });
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, logging: false, extra: { options: erasureKeyOptions(erasureKey) } });
  await dataSource.initialize();
  try {
    await generate(pool);
    const recompute = new AffiliationRecomputeService(dataSource);
    const credit = new ContributionCreditService(dataSource);

    const first = await timed(() => recompute.recompute());
    log(`first recompute: ${round(first.ms)} ms, ${JSON.stringify(first.result)}`);
    let noopChanges = 0;
    const noopMs = await runs('unchanged recompute', async () => {
      const result = await recompute.recompute();
      noopChanges += result.inserted + result.updated + result.deleted;
    });

    const creditAllSql = `SELECT credited, count(*) FROM (SELECT ${activityOrganizationSql('a')} AS credited
      FROM activity a WHERE a.removed_at IS NULL) c GROUP BY credited`;
    const creditTimelineAllSql = `SELECT tl.organization_id, count(*) FROM ${creditTimelineSql()} tl
      JOIN activity a ON a.member_id = tl.member_id AND a.occurred_at >= tl.lo AND a.occurred_at < tl.hi
      WHERE a.removed_at IS NULL GROUP BY tl.organization_id`;
    const baselineSql = `SELECT a.member_id, count(*) FROM activity a WHERE a.removed_at IS NULL GROUP BY a.member_id`;
    const creditAllMs = await runs('credit every activity', () => pool.query(creditAllSql));
    const creditAllJitMs = await runs('credit every activity, JIT on (the server default)', () => jitPool.query(creditAllSql));
    const timelineMs = await runs('credit every activity through the timeline', () => pool.query(creditTimelineAllSql));
    const baselineMs = await runs('baseline: count per member', () => pool.query(baselineSql));
    const [perRow, timeline] = await Promise.all([pool.query(creditAllSql), pool.query(creditTimelineAllSql)]);
    const perRowCounts = new Map(perRow.rows.filter((row) => row.credited).map((row) => [row.credited, Number(row.count)]));
    const sameCredit =
      timeline.rows.length === perRowCounts.size &&
      timeline.rows.every((row) => perRowCounts.get(row.organization_id) === Number(row.count));

    const [{ id: orgId }] = (await pool.query(`SELECT id FROM organization WHERE name = 'Org 2'`)).rows;
    const orgCountMs = await runs('contributionCounts(one organisation)', () => credit.contributionCounts([orgId]));
    const orgMembersMs = await runs('membersOf(one organisation, top 20)', () => credit.membersOf(orgId, { first: 20 }));

    const checks = (
      await pool.query(
        `SELECT
           (SELECT count(*)::int FROM (
              SELECT a.member_id FROM activity a
               WHERE a.member_id IN (SELECT md5('member' || g)::uuid FROM generate_series(5, $1, 10) g)
               GROUP BY a.member_id HAVING count(DISTINCT ${activityOrganizationSql('a')}) = 2) x) AS twice,
           (SELECT count(*)::int FROM generate_series(5, $1, 10) g) AS changers,
           (SELECT count(*)::int FROM affiliation af JOIN identity i ON i.member_id = af.member_id
             WHERE i.key LIKE '%@gmail.com' AND NOT EXISTS (
               SELECT 1 FROM identity j WHERE j.member_id = i.member_id AND j.key NOT LIKE '%@gmail.com'))
             AS webmail`,
        [MEMBERS],
      )
    ).rows[0];

    const figures = {
      organizations: ORGS,
      members: MEMBERS,
      activities: ACTIVITIES,
      affiliations_automatic: first.result.total,
      recompute_first_ms: round(first.ms),
      recompute_noop_ms: round(noopMs),
      recompute_noop_changes: noopChanges,
      credit_all_ms: round(creditAllMs),
      group_by_member_ms: round(baselineMs),
      credit_overhead_ratio: round(creditAllMs / baselineMs, 2),
      credit_all_jit_on_ms: round(creditAllJitMs),
      credit_timeline_ms: round(timelineMs),
      credit_timeline_overhead_ratio: round(timelineMs / baselineMs, 2),
      timeline_speedup: round(creditAllMs / timelineMs, 2),
      timeline_same_counts: sameCredit,
      org_contribution_count_ms: round(orgCountMs),
      org_members_ms: round(orgMembersMs),
      job_changers: checks.changers,
      job_changers_credited_twice: checks.twice,
      webmail_affiliations: checks.webmail,
      runs: RUNS,
    };
    console.log(JSON.stringify(figures));
  } finally {
    await dataSource.destroy();
    await pool.end();
    await jitPool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
