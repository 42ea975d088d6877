/**
 * GH Archive backfill benchmark: `npm run bench -- gharchive` (runs dist/bench/gharchive.js).
 *
 * Question: how fast does `cambrian import gharchive` write activities, against a raw `COPY` of the
 * same rows into the same table, measured in the same run? Goal: import_rows_per_s ≥ 0.5 ×
 * copy_rows_per_s (issue 3, "Speed and cost").
 *
 * 1. Data: the real events of `../shared/data/third_party/devstats-analysis.gharchive-events.ndjson`
 *    (both formats) are replicated with varied ids (commit SHAs, pull request and issue numbers,
 *    comment, review, release and fork ids, actors, event times) by a seeded PRNG (deterministic),
 *    until about BENCH_ACTIVITIES activities (default 200,000), into one hourly-style `.json.gz`.
 *    Event mix, roughly GH Archive's: pushes of 1–4 commits, stars, comments, pull requests, issues,
 *    reviews, review comments, forks, releases, plus ~8% events that give no activity
 *    (Create/Delete/Gollum/Member) and ~5% of untracked repositories (read and dropped). Timeline
 *    (pre-2015) templates are used where their actor is an account of the payload or a commit
 *    author, so every activity is attributable without seeding accounts. Actors: 20,000 developers
 *    plus one new account per star (stargazers are mostly one-off), so identity resolution is real.
 * 2. Database: `cambrian_bench_gharchive` on the DATABASE_URL server (dropped, created, migrated),
 *    one ecosystem tracking 25 repositories.
 * 3. Three rounds, each: (a) members, identities, accounts and activities truncated; the whole
 *    import path timed — gunzip, readline, JSON.parse, filtering, mapping, identity resolution,
 *    batched `unnest` inserts — as `import_rows_per_s` = activities written / wall seconds;
 *    (b) the activity rows it wrote are dumped (`COPY ... TO STDOUT`, not timed), the activity table
 *    truncated (identities stay, so foreign keys hold), and `COPY activity (...) FROM STDIN` of
 *    exactly those rows timed (pg-copy-streams) as `copy_rows_per_s`. Same table, indexes and
 *    foreign keys in both.
 *    (c) before (b): every row the import wrote in every table (members, accounts, identities,
 *    commits, activities; found by counting each table before and after) is dumped, those tables
 *    truncated, and the rows loaded back by `COPY` in foreign-key order, timed:
 *    `ratio_all_rows` = import / COPY over all the rows the backfill writes (the activity-only
 *    `ratio` charges the import for the identity rows it creates but not the baseline).
 * Medians of the three rounds; `ratio` = import / copy; `ratio_median_of_rounds` = the median of each
 * round's import / COPY (a round's two measurements are minutes apart at most, so it is the figure
 * to trust when other work shares the machine). Progress goes to stderr; the last line on
 * stdout is one JSON object.
 *
 * Environment: DATABASE_URL (default local), BENCH_ACTIVITIES (default 200000), BENCH_BATCH_SIZE
 * (activities per insert, default 10000), BENCH_DATABASE (default `cambrian_bench_gharchive`).
 *
 * Also reported, for diagnosis only: `insert_stage_rows_per_s` = rows / busy seconds of the insert
 * stage alone (the import overlaps reading, actor resolution and inserts), and its ratio to COPY;
 * `read_parse_map_seconds`: one pass over the file without the database (gunzip, line splitting,
 * JSON.parse, mapping), so the reading stage's share of `import_seconds` shows; the stages' busy
 * seconds (they overlap: the slowest bounds the import).
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { loadConfig } from '#libs/config';
import { databaseUrlFor, erasureKeyOptions, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { eventRepository, GharchiveImportService, mapGharchiveEvent, readGharchiveLines } from '#libs/github';
import { thirdPartyDataDir } from '../apps/github-sim/src/testing/sim-data.js';
import { seededRandom } from '../test/helpers/seeded-random.js';

const DATABASE = process.env.BENCH_DATABASE || 'cambrian_bench_gharchive';
const TARGET_ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 200_000);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 10_000);
const ROUNDS = 3;
const REPOSITORIES = 25;
const DEVELOPERS = 20_000;
const SAMPLE = join(thirdPartyDataDir(), 'devstats-analysis.gharchive-events.ndjson');
const COLUMNS = 'type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts';

const log = (message: string) => console.error(`[bench gharchive] ${message}`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated events are free-form JSON
type Json = Record<string, any>;

/** Event mix (weights) over template kinds; `none` = an event type that records no activity. */
const MIX: Array<[kind: string, weight: number]> = [
  ['push', 40],
  ['push-timeline', 5],
  ['star', 12],
  ['issue-comment', 10],
  ['pr-opened', 5],
  ['pr-merged', 4],
  ['pr-timeline', 2],
  ['issue-opened', 4],
  ['issue-closed', 2],
  ['review', 5],
  ['review-comment', 4],
  ['review-comment-timeline', 1],
  ['fork', 3],
  ['release', 1],
  ['none', 8],
];

function templates(): Record<string, Json> {
  const events: Json[] = readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const api = (type: string, where: (e: Json) => boolean = () => true) => events.find((e) => typeof e.actor === 'object' && e.type === type && where(e))!;
  const timeline = (type: string, where: (e: Json) => boolean = () => true) => events.find((e) => typeof e.actor === 'string' && e.type === type && where(e))!;
  return {
    push: api('PushEvent'),
    'push-timeline': timeline('PushEvent', (e) => e.payload.shas.some((s: unknown[]) => s[4] !== false)),
    star: api('WatchEvent'),
    'issue-comment': api('IssueCommentEvent'),
    'pr-opened': api('PullRequestEvent'),
    'pr-merged': api('PullRequestEvent'),
    'pr-timeline': timeline('PullRequestEvent', (e) => e.payload.action === 'opened'),
    'issue-opened': api('IssuesEvent', (e) => e.payload.action === 'opened'),
    'issue-closed': api('IssuesEvent', (e) => e.payload.action === 'closed'),
    review: api('PullRequestReviewEvent'),
    'review-comment': api('PullRequestReviewCommentEvent'),
    'review-comment-timeline': timeline('PullRequestReviewCommentEvent'),
    fork: api('ForkEvent'),
    release: api('ReleaseEvent'),
    none: api('CreateEvent'),
  };
}

const hex40 = (n: number, j: number) => createHash('sha1').update(`${n}:${j}`).digest('hex');

/** Writes the generated events; returns how many activities they should give and how many events. */
async function generate(file: string): Promise<{ events: number; activities: number }> {
  const random = seededRandom(20260405);
  const tpl = templates();
  const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  const pick = () => {
    let r = random() * total;
    for (const [kind, weight] of MIX) if ((r -= weight) < 0) return kind;
    return 'none';
  };
  const base = Date.UTC(2023, 0, 1);
  let activities = 0;
  let events = 0;
  function* lines(): Generator<string> {
    for (let n = 1; activities < TARGET_ACTIVITIES; n += 1) {
      const kind = pick();
      const event = structuredClone(tpl[kind]);
      const repoIndex = Math.floor(random() * REPOSITORIES);
      const untracked = random() < 0.05;
      const repoId = untracked ? 9_000_000 + n : 1_000_000 + repoIndex;
      const fullName = untracked ? `elsewhere/repo-${n}` : `bench-org/repo-${repoIndex}`;
      const dev = kind === 'star' ? 3_000_000 + n : 2_000_000 + Math.floor(random() * DEVELOPERS);
      const user = { id: dev, login: `dev-${dev}`, type: 'User', avatar_url: `https://avatars.githubusercontent.com/u/${dev}?v=4` };
      const at = new Date(base + n * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const p = event.payload;
      event.created_at = at;
      if (typeof event.actor === 'string') {
        event.actor = user.login;
        event.actor_attributes = { ...event.actor_attributes, login: user.login };
        event.repository = { ...event.repository, id: repoId, name: fullName.split('/')[1], owner: fullName.split('/')[0] };
      } else {
        event.id = String(30_000_000_000 + n);
        event.actor = { ...event.actor, id: dev, login: user.login, display_login: user.login };
        event.repo = { id: repoId, name: fullName, url: `https://api.github.com/repos/${fullName}` };
      }
      let gives = 1;
      switch (kind) {
        case 'push': {
          const count = 1 + Math.floor(random() * 4);
          const commit = p.commits[0];
          p.commits = Array.from({ length: count }, (_, j) => ({
            ...commit,
            sha: hex40(n, j),
            author: { email: `${hex40(dev, -1)}@example.org`, name: `Dev ${dev}` },
            distinct: true,
          }));
          p.size = p.distinct_size = count;
          gives = count;
          break;
        }
        case 'push-timeline': {
          const count = 1 + Math.floor(random() * 3);
          const [, , message] = p.shas[0];
          p.shas = Array.from({ length: count }, (_, j) => [hex40(n, j), `${hex40(dev, -1)}@example.org`, message, `Dev ${dev}`, true]);
          gives = count;
          break;
        }
        case 'star':
          break;
        case 'issue-comment':
          p.comment = { ...p.comment, id: 5_000_000_000 + n, user, created_at: at };
          p.issue = { ...p.issue, id: 6_000_000_000 + n, number: 100_000 + n };
          break;
        case 'pr-opened':
        case 'pr-merged':
        case 'pr-timeline':
          p.action = kind === 'pr-merged' ? 'closed' : 'opened';
          p.number = 100_000 + n;
          p.pull_request = {
            ...p.pull_request,
            id: 7_000_000_000 + n,
            number: 100_000 + n,
            user,
            created_at: at,
            updated_at: at,
            merged: kind === 'pr-merged',
            merged_at: kind === 'pr-merged' ? at : null,
            closed_at: kind === 'pr-merged' ? at : null,
            state: kind === 'pr-merged' ? 'closed' : 'open',
          };
          break;
        case 'issue-opened':
        case 'issue-closed':
          p.issue = { ...p.issue, id: 8_000_000_000 + n, number: 100_000 + n, user, created_at: at, updated_at: at, closed_at: kind === 'issue-closed' ? at : null };
          break;
        case 'review':
          p.review = { ...p.review, id: 9_000_000_000 + n, user, submitted_at: at };
          break;
        case 'review-comment':
        case 'review-comment-timeline':
          p.comment = { ...p.comment, id: 10_000_000_000 + n, user, created_at: at };
          break;
        case 'fork':
          p.forkee = { ...p.forkee, id: 11_000_000_000 + n, full_name: `${user.login}/fork-${n}`, created_at: at, owner: user };
          break;
        case 'release':
          p.release = { ...p.release, id: 12_000_000_000 + n, author: user, published_at: at };
          break;
        default:
          gives = 0;
      }
      events += 1;
      if (!untracked) activities += gives;
      yield `${JSON.stringify(event)}\n`;
    }
  }
  await pipeline(Readable.from(lines()), createGzip({ level: 6 }), createWriteStream(file));
  return { events, activities };
}


async function seedTracked(client: pg.Client): Promise<void> {
  const { rows } = await client.query(`INSERT INTO ecosystem (slug, name) VALUES ('bench', 'Bench') RETURNING id`);
  const source = await client.query(`INSERT INTO tracked_source (ecosystem_id, kind, name) VALUES ($1, 'organization', 'bench-org') RETURNING id`, [rows[0].id]);
  for (let i = 0; i < REPOSITORIES; i += 1) {
    await client.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, 'bench-org', $3, $4)`, [1_000_000 + i, rows[0].id, `repo-${i}`, `bench-org/repo-${i}`]);
    await client.query(`INSERT INTO tracked_source_repository (tracked_source_id, repository_id) VALUES ($1, $2)`, [source.rows[0].id, 1_000_000 + i]);
  }
}

async function dumpActivities(client: pg.Client): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = client.query(copyTo(`COPY (SELECT ${COLUMNS} FROM activity) TO STDOUT`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function timedCopy(client: pg.Client, data: Buffer): Promise<number> {
  const started = performance.now();
  await pipeline(Readable.from([data]), client.query(copyFrom(`COPY activity (${COLUMNS}) FROM STDIN`)));
  return (performance.now() - started) / 1000;
}

/** Seconds for one pass over the file without the database: lines, JSON.parse and the mappers. */
async function readParseMapSeconds(file: string): Promise<number> {
  const started = performance.now();
  let drafts = 0;
  for await (const line of readGharchiveLines(file)) {
    const event = JSON.parse(line) as Record<string, unknown>;
    const repository = eventRepository(event);
    drafts += mapGharchiveEvent(event, repository.id ?? 1).length;
  }
  if (drafts === 0) throw new Error('the generated file maps to no activity');
  return (performance.now() - started) / 1000;
}

/**
 * Tables written by triggers on the tables the import writes: the activity rollups (daily, and per
 * member and month), the members whose stage credit changed, and the leaderboard's change log and
 * version. They are not copied themselves, since the COPY into their source tables fills them again
 * through the same triggers (a truncate trigger on `activity` also empties the rollups, and refuses to
 * when one is truncated in the same statement). A trigger added later that writes another table
 * breaks the baseline's row check, which names it; the benchmark smoke test in the suite catches it.
 */
const TRIGGER_MAINTAINED = ['activity_daily', 'activity_member_monthly', 'stage_credit_dirty', 'leaderboard_change', 'leaderboard_version'];

/** Row counts of every table in the public schema. */
async function tableCounts(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const counts = new Map<string, number>();
  for (const { name } of rows) {
    const result = await client.query(`SELECT count(*) AS n FROM "${name}"`);
    counts.set(name, Number(result.rows[0].n));
  }
  return counts;
}

/** The tables among `tables` ordered so that each comes after the tables its foreign keys name. */
async function foreignKeyOrder(client: pg.Client, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid <> c.confrelid`,
  );
  const ordered: string[] = [];
  const visit = (table: string, path: Set<string>) => {
    if (ordered.includes(table) || path.has(table)) return;
    path.add(table);
    for (const edge of rows) if (edge.child === table && tables.includes(edge.parent)) visit(edge.parent, path);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

/** Columns of a table that COPY can load (generated columns excluded), in table order. */
async function loadableColumns(client: pg.Client, table: string): Promise<string> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT column_name AS name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => `"${row.name}"`).join(', ');
}

/**
 * Every row the import wrote, in every table it wrote (members, accounts, identities, commits,
 * activities, ...), dumped, the tables truncated, then loaded back by `COPY` in foreign-key order:
 * the timed seconds of the loads. The baseline for "rows written per second during backfill".
 */
async function timedCopyOfAllRows(client: pg.Client, tables: string[]): Promise<{ seconds: number; rows: number; counts: Map<string, number> }> {
  const ordered = await foreignKeyOrder(client, tables.filter((table) => !TRIGGER_MAINTAINED.includes(table)));
  const dumps: Array<{ table: string; columns: string; data: Buffer }> = [];
  for (const table of ordered) {
    const columns = await loadableColumns(client, table);
    const chunks: Buffer[] = [];
    for await (const chunk of client.query(copyTo(`COPY (SELECT ${columns} FROM "${table}") TO STDOUT`))) chunks.push(chunk as Buffer);
    dumps.push({ table, columns, data: Buffer.concat(chunks) });
  }
  await client.query(`TRUNCATE ${ordered.map((table) => `"${table}"`).join(', ')} RESTART IDENTITY CASCADE`);
  for (const table of ordered) await client.query(`VACUUM ANALYZE "${table}"`);
  let seconds = 0;
  for (const dump of dumps) {
    const started = performance.now();
    await pipeline(Readable.from([dump.data]), client.query(copyFrom(`COPY "${dump.table}" (${dump.columns}) FROM STDIN`)));
    seconds += (performance.now() - started) / 1000;
  }
  const after = await tableCounts(client);
  const rows = tables.reduce((sum, table) => sum + (after.get(table) ?? 0), 0);
  return { seconds, rows, counts: after };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number) => Math.round(value);

async function main(): Promise<void> {
  const config = loadConfig();
  const url = databaseUrlFor(config.DATABASE_URL, DATABASE);
  const { erasureKey } = await recreateDatabase(url, secretBoxFromConfig(config));
  const dir = mkdtempSync(join(tmpdir(), 'bench-gharchive-'));
  const file = join(dir, '2023-01-01-0.json.gz');
  const client = new pg.Client({ connectionString: url, options: erasureKeyOptions(erasureKey) });
  await client.connect();
  const dataSource = await new DataSource({ type: 'postgres', url, extra: { max: 10, application_name: 'bench-gharchive', options: erasureKeyOptions(erasureKey) } }).initialize();
  try {
    log(`generating about ${TARGET_ACTIVITIES} activities from the real sample events`);
    const generated = await generate(file);
    const bytes = statSync(file).size;
    log(`${generated.events} events (${(bytes / 1e6).toFixed(1)} MB gzip) → ${generated.activities} activities expected`);
    await seedTracked(client);
    const readSeconds: number[] = [];
    const importer = new GharchiveImportService(dataSource);
    const imports: number[] = [];
    const copies: number[] = [];
    const eventsPerSecond: number[] = [];
    const insertStage: number[] = [];
    const resolveSeconds: number[] = [];
    let rows = 0;
    let allRowsWritten = 0;
    const importAllRates: number[] = [];
    const copyAllRates: number[] = [];
    const importSeconds: number[] = [];
    for (let r = 1; r <= ROUNDS; r += 1) {
      readSeconds.push(await readParseMapSeconds(file));
      log(`round ${r}: reading, parsing and mapping alone: ${readSeconds[r - 1].toFixed(2)} s`);
      await client.query(`TRUNCATE activity, git_commit_repository, git_commit, identity, github_account, member RESTART IDENTITY CASCADE`);
      await client.query(`VACUUM ANALYZE activity`);
      const before = await tableCounts(client);
      const started = performance.now();
      const result = await importer.import(file, { batchSize: BATCH_SIZE });
      const seconds = (performance.now() - started) / 1000;
      rows = result.activitiesWritten;
      if (rows !== generated.activities) throw new Error(`import wrote ${rows} activities, expected ${generated.activities}`);
      imports.push(rows / seconds);
      importSeconds.push(seconds);
      eventsPerSecond.push(result.eventsRead / seconds);
      insertStage.push(rows / result.stageSeconds.insert);
      resolveSeconds.push(result.stageSeconds.resolve);
      log(
        `round ${r}: import ${rows} rows in ${seconds.toFixed(2)} s = ${round(rows / seconds)} rows/s (${round(result.eventsRead / seconds)} events/s; ` +
          `busy: resolve ${result.stageSeconds.resolve.toFixed(1)} s, insert ${result.stageSeconds.insert.toFixed(1)} s)`,
      );

      const after = await tableCounts(client);
      const written = [...after].filter(([table, count]) => count !== (before.get(table) ?? 0));
      const allRows = written.reduce((sum, [table, count]) => sum + count - (before.get(table) ?? 0), 0);
      const all = await timedCopyOfAllRows(client, written.map(([table]) => table));
      if (all.rows !== allRows) {
        const differing = written.filter(([table, count]) => all.counts.get(table) !== count).map(([table, count]) => `${table} ${all.counts.get(table)} (expected ${count})`);
        throw new Error(
          `COPY of all tables loaded ${all.rows} rows, expected ${allRows}: ${differing.join(', ')}; a table a trigger fills belongs in TRIGGER_MAINTAINED`,
        );
      }
      allRowsWritten = allRows;
      importAllRates.push(allRows / seconds);
      copyAllRates.push(allRows / all.seconds);
      log(
        `round ${r}: all rows the import wrote: ${allRows} in ${written.map(([table]) => table).join(', ')}; ` +
          `import ${round(allRows / seconds)} rows/s, COPY of the same rows ${round(allRows / all.seconds)} rows/s`,
      );

      const data = await dumpActivities(client);
      await client.query(`TRUNCATE activity RESTART IDENTITY`);
      await client.query(`VACUUM ANALYZE activity`);
      const copySeconds = await timedCopy(client, data);
      const copied = Number((await client.query(`SELECT count(*) AS n FROM activity`)).rows[0].n);
      if (copied !== rows) throw new Error(`COPY loaded ${copied} rows, expected ${rows}`);
      copies.push(rows / copySeconds);
      log(`round ${r}: COPY ${rows} rows in ${copySeconds.toFixed(2)} s = ${round(rows / copySeconds)} rows/s`);
    }
    const importRate = median(imports);
    const copyRate = median(copies);
    const summary = {
      benchmark: 'gharchive',
      events: generated.events,
      activities: rows,
      file_bytes_gzip: bytes,
      batch_size: BATCH_SIZE,
      rounds: ROUNDS,
      import_rows_per_s: round(importRate),
      copy_rows_per_s: round(copyRate),
      ratio: Math.round((importRate / copyRate) * 1000) / 1000,
      ratio_median_of_rounds: Math.round(median(imports.map((rate, index) => rate / copies[index])) * 1000) / 1000,
      ratio_runs: imports.map((rate, index) => Math.round((rate / copies[index]) * 1000) / 1000),
      goal_ratio: 0.5,
      meets_goal: importRate / copyRate >= 0.5,
      import_events_per_s: round(median(eventsPerSecond)),
      import_rows_per_s_runs: imports.map(round),
      insert_stage_rows_per_s: round(median(insertStage)),
      ratio_insert_stage: Math.round((median(insertStage) / copyRate) * 1000) / 1000,
      resolve_stage_seconds: Math.round(median(resolveSeconds) * 10) / 10,
      insert_stage_seconds: Math.round((rows / median(insertStage)) * 10) / 10,
      import_seconds: Math.round(median(importSeconds) * 10) / 10,
      read_parse_map_seconds: Math.round(median(readSeconds) * 10) / 10,
      copy_rows_per_s_runs: copies.map(round),
      all_rows_written: allRowsWritten,
      import_all_rows_per_s: round(median(importAllRates)),
      copy_all_rows_per_s: round(median(copyAllRates)),
      ratio_all_rows: Math.round(median(importAllRates.map((rate, index) => rate / copyAllRates[index])) * 1000) / 1000,
    };
    console.log(JSON.stringify(summary));
  } finally {
    await dataSource.destroy();
    await client.end();
    if (!process.env.BENCH_KEEP_FILE) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${file}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
