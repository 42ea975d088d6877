import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { MatchingModule, MatchingReviewService, MatchingRunService } from '#libs/hackathons';
import { QueueModule, QueueName } from '#libs/queue';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createHackathon, waitForRun } from './hackathon-matching-helpers.js';

const WORKER = 'dist/apps/worker/src/main.js'; // `npm run build` first

/** Case J2 with a real process: the compiled worker killed with SIGKILL while it solves a matching run. */
describe('a worker process killed with SIGKILL during a matching run (e2e, compiled worker child)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: INestApplicationContext;
  let runs: MatchingRunService;
  let review: MatchingReviewService;
  const children: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawn(process.execPath, [WORKER], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: env.database.url, QUEUE_PREFIX: env.queuePrefix, LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  const allocations = async (runId: string) =>
    (await db.query(`SELECT team_id, resource_id, units, pinned FROM allocation WHERE run_id = $1 ORDER BY 1, 2`, [runId])).rows;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first`);
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, MatchingModule] }).compile();
    app = await moduleRef.init();
    runs = app.get(MatchingRunService);
    review = app.get(MatchingReviewService);
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await app?.get<Queue>(getQueueToken(QueueName.Hackathons)).obliterate({ force: true });
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('finishes the run after a restart with the allocations of a run nobody killed, and publishing notifies each team once', async () => {
    const hackathonId = await createHackathon(db, await createEcosystem(db, { slug: 'killed' }), 'killed');
    await db.query(`INSERT INTO team (hackathon_id, name, invite_code) SELECT $1, 'T' || lpad(g::text, 5, '0'), md5('k' || g) FROM generate_series(1, 6000) g`, [hackathonId]);
    await db.query(
      `INSERT INTO resource (hackathon_id, kind, name, capacity, per_team_max, tags)
       SELECT $1, 'gpu_hours', 'R' || g, 2 + g % 11, 1 + g % 3, ARRAY['t' || (g % 7)] FROM generate_series(1, 600) g`,
      [hackathonId],
    );
    await db.query(
      `INSERT INTO resource_request (hackathon_id, team_id, resource_id, amount, rank, tags)
       SELECT $1, t.id, r.ids[1 + (t.n * 7919 + k * 104729) % 600], 1 + (t.n + k) % 4, k, ARRAY['t' || ((t.n + k) % 7)]
       FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM team WHERE hackathon_id = $1) t
       CROSS JOIN generate_series(1, 20) k
       CROSS JOIN (SELECT array_agg(id ORDER BY name) AS ids FROM resource WHERE hackathon_id = $1) r`,
      [hackathonId],
    );
    // the reference: the same input solved without a kill
    const { run: reference } = await runs.start(hackathonId);
    await runs.execute(reference.id);
    const expected = await allocations(reference.id);
    expect(expected.length).toBeGreaterThan(1000);

    const { run } = await runs.start(hackathonId);
    const first = startWorker();
    const exited = new Promise((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
    for (let i = 0; ; i++) {
      // killed as soon as the job has started: it still has to read 120,000 requests and solve them
      const { status } = (await db.query(`SELECT status FROM matching_run WHERE id = $1`, [run.id])).rows[0];
      if (status === 'running') break;
      if (status !== 'queued' && status !== 'running') throw new Error(`the run became ${status} before the kill`);
      if (i > 2400) throw new Error('the worker never started the run');
      await sleep(25);
    }
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect((await db.query(`SELECT status FROM matching_run WHERE id = $1`, [run.id])).rows[0].status).toBe('running');
    expect(await allocations(run.id)).toEqual([]);

    startWorker();
    await waitForRun(db, run.id, ['draft'], 150_000);
    const stored = (await db.query(`SELECT input_hash, attempts FROM matching_run WHERE id = $1`, [run.id])).rows[0];
    expect(stored.input_hash).toBe((await runs.get(reference.id)).inputHash);
    expect(stored.attempts).toBe(2);
    expect(await allocations(run.id)).toEqual(expected);

    const [once, again] = [await review.publish(run.id), await review.publish(run.id)];
    const teams = (await db.query(`SELECT count(*)::int AS n FROM matching_explanation WHERE run_id = $1`, [run.id])).rows[0].n;
    expect([once.notified, again.notified]).toEqual([teams, 0]);
    expect((await db.query(`SELECT count(*)::int AS n, count(DISTINCT team_id)::int AS teams FROM team_notification WHERE hackathon_id = $1`, [hackathonId])).rows[0]).toEqual({
      n: teams,
      teams,
    });
  }, 240_000);
});
