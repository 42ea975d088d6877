import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Queue } from 'bullmq';
import pg from 'pg';
import { JobName, QueueName, redisConnectionOptions } from '#libs/queue';
import { createActivities, createEcosystem, createMember, createRepository } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const WORKER = 'dist/apps/worker/src/main.js'; // `npm run build` first, as for the other process tests

/** Polls `check` every 100 ms; fails after `limitMs` (a bound, not a timing assertion). */
async function until(check: () => Promise<boolean>, limitMs: number, what: string): Promise<void> {
  for (const start = Date.now(); !(await check()); ) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a worker process killed with SIGKILL in the middle of a contribution freeze', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let queue: Queue;
  let holder: pg.PoolClient | undefined;
  const children: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawn(process.execPath, [WORKER], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const decisions = async (hackathonId: string) =>
    (
      await db.query(
        `SELECT subject_key, eligible, reason, facts->'inputs' AS inputs FROM hackathon_contribution WHERE hackathon_id = $1 ORDER BY subject_key`,
        [hackathonId],
      )
    ).rows;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build first`);
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    queue = new Queue(QueueName.Hackathons, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    holder?.release(true);
    await queue?.obliterate({ force: true });
    await queue?.close();
    await db?.end();
    await env?.teardown();
  });

  it('leaves nothing behind, and the retried job stores exactly what a run without the kill stores', async () => {
    const ecosystemId = await createEcosystem(db, { slug: 'killed-freeze' });
    const repositoryId = await createRepository(db, { ecosystemId });
    const members = [await createMember(db, { login: 'kf-ana' }), await createMember(db, { login: 'kf-bea' })];
    await createActivities(db, [
      ...[1, 2, 3].map((number) => ({ member: members[0], repositoryId, type: 'pull_request_opened', occurredAt: `2026-03-01T0${number}:00:00Z`, facts: { number } })),
      { member: members[1], repositoryId, type: 'pull_request_opened', occurredAt: '2026-03-01T05:00:00Z', facts: { number: 4, labels: ['SPAM'] } },
      { member: members[1], repositoryId, type: 'review', occurredAt: '2026-03-01T06:00:00Z', facts: { number: 1 } },
    ]);
    // two identical events over the same activities (the window is still open: only the status closes them); the
    // control is frozen later, by a worker that is not killed
    const ids: string[] = [];
    for (const [slug, status] of [['kf-control', 'running'], ['kf-killed', 'judging']]) {
      const { rows } = await db.query(
        `WITH h AS (INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
                    VALUES ($1, $2, $2, $5, '2026-03-01T00:00:00Z', '2099-01-01T00:00:00Z') RETURNING id),
              r AS (INSERT INTO hackathon_registration (hackathon_id, member_id) SELECT h.id, m FROM h, unnest($3::uuid[]) m),
              t AS (INSERT INTO hackathon_repository (hackathon_id, repository_id) SELECT id, $4 FROM h)
         SELECT id FROM h`,
        [ecosystemId, slug, members.map((m) => m.memberId), repositoryId, status],
      );
      ids.push(rows[0].id);
    }
    const [controlId, killedId] = ids;

    // another transaction holds an uncommitted decision of the killed event's, so its freeze stops half-way, inside its transaction
    holder = await db.connect();
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO hackathon_contribution (hackathon_id, subject_key, kind, repository_id, pull_request_number, member_id, occurred_at, eligible, reason, facts, frozen_at)
       VALUES ($1, $2, 'pull_request', $3, 1, $4, '2026-03-01T01:00:00Z', true, 'tracked_repository', '{}', now())`,
      [killedId, `pr:${repositoryId}:1`, repositoryId, members[0].memberId],
    );
    const first = startWorker();
    const exited = new Promise((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    // the freeze the move to judging requests
    await queue.add(JobName.FreezeHackathonContributions, { hackathonId: killedId }, { jobId: `freeze-contributions-${killedId}` });
    await until(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0,
      30_000,
      'the freeze blocked half-way',
    );
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await holder.query('ROLLBACK');
    holder.release();
    holder = undefined;
    // the dead worker's backend ends with its transaction rolled back
    await until(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND (wait_event_type = 'Lock' OR state LIKE 'idle in transaction%')`))
          .rows[0].n === 0,
      30_000,
      'the killed worker’s transaction gone',
    );
    expect(await decisions(killedId)).toEqual([]);
    expect((await db.query(`SELECT eligibility_frozen_at FROM hackathon WHERE id = $1`, [killedId])).rows[0].eligibility_frozen_at).toBeNull();

    // a new worker: the freeze requested again (as the move to judging does) is done once, with the control's decisions
    startWorker();
    await db.query(`UPDATE hackathon SET status = 'judging' WHERE id = $1`, [controlId]);
    await queue.add(JobName.FreezeHackathonContributions, { hackathonId: controlId }, { jobId: `freeze-contributions-${controlId}` });
    await queue.add(JobName.FreezeHackathonContributions, { hackathonId: killedId }, { jobId: `freeze-contributions-${killedId}-again` });
    for (const id of [controlId, killedId]) {
      await until(
        async () => (await db.query(`SELECT eligibility_frozen_at FROM hackathon WHERE id = $1`, [id])).rows[0].eligibility_frozen_at !== null,
        90_000,
        'both events frozen by the second worker',
      );
    }
    const control = await decisions(controlId);
    expect(control.map((row) => [row.subject_key, row.eligible, row.reason])).toEqual([
      [`pr:${repositoryId}:1`, true, 'tracked_repository'],
      [`pr:${repositoryId}:2`, true, 'tracked_repository'],
      [`pr:${repositoryId}:3`, true, 'tracked_repository'],
      [`pr:${repositoryId}:4`, false, 'disqualifying_label'],
      [`review:${repositoryId}:1:${members[1].memberId}`, true, 'tracked_repository'],
    ]);
    expect(await decisions(killedId)).toEqual(control);
  }, 240_000);
});
