/**
 * Digest composing benchmark: `npm run bench -- digests [--members N]` (runs dist/bench/digests.js).
 *
 * On a fresh database (`cambrian_bench_digest_compose` on the DATABASE_URL server, dropped, created and
 * migrated), generated with a fixed seed (`setseed`) the way bench/stages.ts does it: N persons
 * (100,000; 1% bots) with a year of history (≈5 activities each, skewed: a few very active people and
 * a long tail) and a busy ISO week 2026-W48 (≈3 activities per member: commits, merged pull requests,
 * reviews, issues, comments, spread over the week's edges in every zone), 20 repositories of one
 * ecosystem with 600 open issues (a third labelled good first issue, a third help wanted), an
 * upcoming hackathon and releases; stages recomputed from scratch (StageService.recomputeEcosystem).
 *
 * Then every member's digest of 2026-W48 is composed and rendered (DigestComposerService.composeMany,
 * chunks of 1,000 members, two chunks in flight: the queries of one overlap the rendering of the
 * other) in four time zones and both locales, as the sender would.
 *
 * Figures (the last line on stdout is one JSON object; progress goes to stderr):
 *  - `digests_per_s` (composed and rendered, empty ones included: deciding "nothing to say" is
 *    part of the work) and `compose_render_100000_s`, the projected time for 100,000 members
 *    (goal: under 600 s);
 *  - the baseline, measured in the same run: one fixed digest (every section) rendered the same number
 *    of times (`baseline_fixed_template_renders_per_s`); `ratio` = digests_per_s ÷ baseline;
 *  - `mjml_full_compile_per_s`: compiling a whole digest with MJML each time (200 renders), the path
 *    the compiled layout avoids, and what 100,000 would take that way (`mjml_full_compile_100000_s`);
 *  - `digests`, `empty`, `load_average_1m` (the machine is shared).
 *
 * Environment: DATABASE_URL (default local), BENCH_DIGESTS_REUSE=1 (compose only, on the previous
 * run's database).
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { configSchema } from '#libs/config';
import { databaseUrlFor, erasureKeyOptions, loadErasureKey, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import {
  compileMjml,
  DigestComposerService,
  DigestContentLoader,
  digestMjml,
  digestView,
  DIGEST_MESSAGES,
  renderDigest,
  type ComposedDigest,
  type DigestLocale,
  type DigestRequest,
  type DigestWeekContext,
} from '#libs/digests';
import { JudgingResultsService } from '#libs/hackathons';
import { StageRulesService, StageService } from '#libs/members';
import { sampleDigestContent } from '../libs/digests/src/compose/sample-digest-content.js';

const DATABASE = 'cambrian_bench_digest_compose';
const WEEK = '2026-W48';
const ZONES = ['UTC', 'Asia/Shanghai', 'Europe/Berlin', 'America/Los_Angeles'];
const LOCALES: DigestLocale[] = ['en', 'zh-CN'];
const CHUNK = 1000;
const IN_FLIGHT = 2;
const REUSE = process.env.BENCH_DIGESTS_REUSE === '1';

const log = (message: string) => console.error(`[bench digests] ${message}`);

function membersOption(): number {
  const index = process.argv.indexOf('--members');
  if (index < 0) return 100_000;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 100) throw new Error(`--members needs an integer of at least 100, got "${process.argv[index + 1]}"`);
  return value;
}

async function main(): Promise<void> {
  const members = membersOption();
  const defaults = configSchema.parse({ ...process.env, NODE_ENV: 'development' });
  const url = databaseUrlFor(defaults.DATABASE_URL, DATABASE);
  if (!REUSE) {
    log(`recreating ${DATABASE}`);
    await recreateDatabase(url, secretBoxFromConfig(defaults));
  }
  const erasureKey = await loadErasureKey(url, secretBoxFromConfig(defaults));
  const db = await new DataSource({ type: 'postgres', url, extra: { max: 6, options: erasureKeyOptions(erasureKey, '-c jit=off') } }).initialize();
  try {
    const rules = new StageRulesService(db);
    if (!REUSE) {
      await generate(db, members);
      log('recomputing stages');
      const started = performance.now();
      await new StageService(db, rules).recomputeEcosystem(null);
      log(`stages recomputed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await db.query('VACUUM ANALYZE');
    }
    const composer = new DigestComposerService(new DigestContentLoader(db, rules, new JudgingResultsService(db)));
    const ids: Array<{ id: string }> = await db.query(`SELECT id FROM member ORDER BY id`);
    const requests: DigestRequest[] = ids.map(({ id }, i) => ({
      recipient: { memberId: id, email: `${id}@bench.invalid`, locale: LOCALES[i % 2], timeZone: ZONES[i % ZONES.length] },
      links: { unsubscribeUrl: `https://cambrian.example/unsubscribe?token=${id}`, preferencesUrl: `https://cambrian.example/preferences?token=${id}` },
    }));

    log(`composing and rendering ${requests.length} digests of ${WEEK}`);
    const contexts = new Map<string, DigestWeekContext>();
    // the shared parts are read once, before the clock starts for members: as the sender's first job would
    for (const zone of ZONES) contexts.set(`${WEEK}|${zone}`, await new DigestContentLoader(db, rules, new JudgingResultsService(db)).weekContext(WEEK, zone));
    let digests = 0;
    let empty = 0;
    let bytes = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests.length) {
          const chunk = requests.slice(next, next + CHUNK);
          next += CHUNK;
          const composed: ComposedDigest[] = await composer.composeMany(chunk, WEEK, contexts);
          for (const result of composed) {
            if (result.kind === 'digest') {
              digests += 1;
              bytes += result.rendered.html.length + result.rendered.text.length;
            } else empty += 1;
          }
          if ((next / CHUNK) % 10 === 0) log(`  ${Math.min(next, requests.length)}/${requests.length}`);
        }
      }),
    );
    const composeSeconds = (performance.now() - started) / 1000;
    const perSecond = requests.length / composeSeconds;

    log(`baseline: one fixed digest rendered ${requests.length} times`);
    const fixed = sampleDigestContent();
    const links = requests[0].links;
    const baselineStarted = performance.now();
    for (let i = 0; i < requests.length; i += 1) await renderDigest(fixed, LOCALES[i % 2], links);
    const baselinePerSecond = requests.length / ((performance.now() - baselineStarted) / 1000);

    log('whole-digest MJML compiles, 200 times');
    const compiles = 200;
    const compileStarted = performance.now();
    for (let i = 0; i < compiles; i += 1) {
      const m = DIGEST_MESSAGES[LOCALES[i % 2]];
      await compileMjml(digestMjml(m.htmlLang, digestView(fixed, m, links).slots));
    }
    const compilePerSecond = compiles / ((performance.now() - compileStarted) / 1000);

    const out = {
      members: requests.length,
      week: WEEK,
      digests,
      empty,
      average_digest_kb: Math.round(bytes / Math.max(1, digests) / 102.4) / 10,
      compose_render_seconds: round(composeSeconds),
      digests_per_s: round(perSecond),
      baseline_fixed_template_renders_per_s: round(baselinePerSecond),
      ratio: round(perSecond / baselinePerSecond),
      compose_render_100000_s: round(100_000 / perSecond),
      goal_compose_render_100000_s: 600,
      mjml_full_compile_per_s: round(compilePerSecond),
      mjml_full_compile_100000_s: round(100_000 / compilePerSecond),
      load_average_1m: round(loadavg()[0]),
    };
    console.log(JSON.stringify(out));
  } finally {
    await db.destroy();
  }
}

/** Members, identities, repositories, issues, a hackathon and activities, deterministic (setseed). */
async function generate(db: DataSource, members: number): Promise<void> {
  log(`generating ${members} members`);
  await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('bench', 'Bench')`);
  await db.query(
    `INSERT INTO repository (id, ecosystem_id, owner, name, full_name)
     SELECT 900000000 + i, (SELECT id FROM ecosystem WHERE slug = 'bench'), 'bench', 'repo' || i, 'bench/repo' || i FROM generate_series(1, 20) i`,
  );
  await db.query(
    `INSERT INTO member (id, kind, login, display_name)
     SELECT md5('member' || i)::uuid, CASE WHEN i % 100 = 0 THEN 'bot' ELSE 'person' END, 'bench-' || i, 'Bench Member ' || i FROM generate_series(1, $1) i`,
    [members],
  );
  await db.query(
    `INSERT INTO identity (id, member_id, platform, key) SELECT md5('identity' || i)::uuid, md5('member' || i)::uuid, 'github', (10000000 + i)::text
     FROM generate_series(1, $1) i`,
    [members],
  );
  await db.query(
    `INSERT INTO issue (id, repository_id, number, title, state, labels, created_at, updated_at)
     SELECT 800000000 + i, 900000001 + i % 20, 10000 + i, 'Bench issue ' || i, 'open',
            CASE i % 3 WHEN 0 THEN '{"good first issue"}'::text[] WHEN 1 THEN '{"Help Wanted"}'::text[] ELSE '{bug}'::text[] END,
            timestamptz '2026-10-01' + i * interval '1 hour', timestamptz '2026-10-01' + i * interval '1 hour'
     FROM generate_series(1, 600) i`,
  );
  await db.query(
    `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at, registration_closes_at)
     SELECT id, 'bench-winter', 'Bench Winter Hackathon', 'registration_open', '2026-12-12T01:00:00Z', '2026-12-14T01:00:00Z', '2026-12-10T15:59:00Z'
     FROM ecosystem WHERE slug = 'bench'`,
  );
  await db.query(`SELECT setseed(0.42)`);
  const history = members * 5;
  const week = members * 3;
  const chunk = 250_000;
  for (const [label, total, from, days, offset] of [
    ['history', history, '2025-11-01', 386, 0],
    ['week', week, '2026-11-22', 9, history],
  ] as const) {
    for (let start = 1; start <= total; start += chunk) {
      await db.query(
        `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
         SELECT t.type, $4::timestamptz + r.when_ * ($5 || ' days')::interval, 900000001 + (g % 20),
                md5('identity' || r.who)::uuid, md5('member' || r.who)::uuid, 'api', 'bench:' || ($6 + g),
                CASE WHEN t.type IN ('pull_request_merged', 'review', 'issue_opened', 'pull_request_opened')
                     THEN jsonb_build_object('number', 1 + g % 50000, 'title', 'Bench change ' || g || ' <escaped & "quoted">',
                                             'state', CASE WHEN r.kind_ < 0.5 THEN 'APPROVED' ELSE 'COMMENTED' END)
                     ELSE '{}' END
         FROM generate_series($1::int, $2::int) g
         CROSS JOIN LATERAL (SELECT 1 + floor(power(random(), 2) * $3)::int AS who, random() AS when_, random() AS kind_, random() AS pick WHERE g IS NOT NULL) r
         CROSS JOIN LATERAL (SELECT CASE
             WHEN r.pick < 0.35 THEN 'commit' WHEN r.pick < 0.50 THEN 'pull_request_merged' WHEN r.pick < 0.65 THEN 'review'
             WHEN r.pick < 0.75 THEN 'issue_opened' WHEN r.pick < 0.95 THEN 'issue_comment' ELSE 'pull_request_opened' END AS type) t`,
        [start, Math.min(start + chunk - 1, total), members, from, String(days), offset],
      );
      log(`  ${label}: ${Math.min(start + chunk - 1, total)}/${total} activities`);
    }
  }
  await db.query(
    `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
     SELECT 'release', timestamptz '2026-11-24' + i * interval '13 hours', 900000000 + i, md5('identity' || 1)::uuid, md5('member' || 1)::uuid,
            'api', 'bench:release:' || i, jsonb_build_object('tag_name', 'v1.' || i || '.0', 'name', 'Release 1.' || i)
     FROM generate_series(1, 5) i`,
  );
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: unknown) => {
  console.error('[bench digests] failed:', error);
  process.exit(1);
});
