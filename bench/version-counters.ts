/**
 * `npm run bench -- version-counters`: what the cache version counters cost concurrent writers.
 *
 * Every transaction that writes what a leaderboard or a funnel shows bumps `leaderboard_version` /
 * `stage_version` at commit (a deferred constraint trigger), so that cached answers stay exact. Since
 * migration 1764900000200 each counter is 16 shard rows and a commit bumps the shard of its transaction id;
 * before, it was one row, on which every committing writer queued until the commit before it was durable.
 *
 * Scenario: a fresh database (migrated), one repository and 64 members; BENCH_VC_WRITERS (1 and 8)
 * connections, each committing transactions of one activity insert (its own member, so writers share no
 * rollup row: only the counters are in common) in a closed loop for BENCH_VC_SECONDS (3) per run. Each
 * run is measured with the shards (as migrated) and with every commit bumping shard 0 (one row: the
 * mechanism before), alternating, BENCH_VC_RUNS (5) runs of each; medians.
 *
 * Figures (the last stdout line is one JSON object): `commits_per_s_<n>_writers_sharded` /
 * `_one_row`, `sharded_ratio_<n>_writers` = sharded ÷ one row, and `versions_match`: the counter
 * grew by exactly the number of committed transactions in every run.
 * Environment: DATABASE_URL (server), BENCH_DATABASE (the database it creates and drops), BENCH_VC_WRITERS
 * (comma-separated), BENCH_VC_SECONDS, BENCH_VC_RUNS.
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import pg from 'pg';
import { configSchema } from '#libs/config';
import { databaseUrlFor, dropDatabase, erasureKeyOptions, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { COUNTERS, SHARD_OF_TRANSACTION, shardedBumpFunctionSql } from '../migrations/1764900000200-VersionCounterShards.js';
import { median, round } from './lib/stats.js';

const DATABASE = process.env.BENCH_DATABASE || 'cambrian_bench_version_counters';
const WRITERS = (process.env.BENCH_VC_WRITERS ?? '1,8').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_VC_SECONDS ?? 3);
const RUNS = Number(process.env.BENCH_VC_RUNS ?? 5);
const MEMBERS = 64;

const log = (message: string) => console.error(`[bench version-counters] ${message}`);

const LEADERBOARD_COUNTER = COUNTERS.find((counter) => counter.counter === 'leaderboard_version')!;

async function main(): Promise<void> {
  const loadStart = round(loadavg()[0], 2);
  const config = configSchema.parse({ ...process.env, NODE_ENV: 'development' });
  const url = databaseUrlFor(config.DATABASE_URL, DATABASE);
  log(`recreating ${DATABASE}`);
  const { erasureKey } = await recreateDatabase(url, secretBoxFromConfig(config));
  const pool = new pg.Pool({ connectionString: url, max: Math.max(...WRITERS) + 1, options: erasureKeyOptions(erasureKey, '-c jit=off') });
  try {
    const [{ id: repositoryId }] = (
      await pool.query(`INSERT INTO repository (id, owner, name, full_name) VALUES (900000001, 'bench', 'counters', 'bench/counters') RETURNING id`)
    ).rows;
    const members: Array<{ member: string; identity: string }> = [];
    for (let n = 1; n <= MEMBERS; n += 1) {
      const [{ id: member }] = (await pool.query(`INSERT INTO member (kind, login) VALUES ('person', $1) RETURNING id`, [`writer-${n}`])).rows;
      const [{ id: identity }] = (
        await pool.query(`INSERT INTO identity (member_id, platform, key, display_name) VALUES ($1, 'email', $2, $3) RETURNING id`, [member, `writer-${n}@example.org`, `Writer ${n}`])
      ).rows;
      members.push({ member, identity });
    }
    const counter = async () => Number((await pool.query(`SELECT version AS v FROM leaderboard_version`)).rows[0].v);
    let sequence = 0;
    let versionsMatch = true;

    /** `writers` connections committing one-activity transactions for SECONDS; commits per second. */
    const run = async (writers: number): Promise<number> => {
      const before = await counter();
      let commits = 0;
      const deadline = performance.now() + SECONDS * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          const client = await pool.connect();
          try {
            while (performance.now() < deadline) {
              await client.query('BEGIN');
              await client.query(
                `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key) VALUES ('commit', now(), $1, $2, $3, 'api', $4)`,
                [repositoryId, members[writer % MEMBERS].identity, members[writer % MEMBERS].member, `vc:${(sequence += 1)}`],
              );
              await client.query('COMMIT');
              commits += 1;
            }
          } finally {
            client.release();
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      if ((await counter()) - before !== commits) versionsMatch = false;
      return commits / elapsed;
    };

    const result: Record<string, unknown> = { benchmark: 'version-counters', load_average_start: loadStart, seconds_per_run: SECONDS, runs: RUNS };
    for (const writers of WRITERS) {
      const sharded: number[] = [];
      const oneRow: number[] = [];
      await run(writers); // warm-up
      for (let index = 0; index < RUNS; index += 1) {
        for (const mode of ['sharded', 'one row'] as const) {
          await pool.query(shardedBumpFunctionSql(LEADERBOARD_COUNTER, mode === 'sharded' ? SHARD_OF_TRANSACTION : '0'));
          const rate = await run(writers);
          (mode === 'sharded' ? sharded : oneRow).push(rate);
          log(`${writers} writer(s), ${mode}, run ${index + 1}/${RUNS}: ${Math.round(rate)} commits/s`);
        }
      }
      await pool.query(shardedBumpFunctionSql(LEADERBOARD_COUNTER));
      result[`commits_per_s_${writers}_writers_sharded`] = Math.round(median(sharded));
      result[`commits_per_s_${writers}_writers_one_row`] = Math.round(median(oneRow));
      result[`sharded_ratio_${writers}_writers`] = round(median(sharded) / median(oneRow), 2);
    }
    result.versions_match = versionsMatch;
    result.load_average_end = round(loadavg()[0], 2);
    console.log(JSON.stringify(result));
  } finally {
    await pool.end();
    await dropDatabase(url);
  }
}

main().catch((error: unknown) => {
  console.error('[bench version-counters] failed:', error);
  process.exit(1);
});
