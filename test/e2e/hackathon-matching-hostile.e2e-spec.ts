import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { MatchingModule, MatchingReviewService, MatchingRunService, ResourceService } from '#libs/hackathons';
import { QueueModule, QueueName } from '#libs/queue';
import { createEcosystem, createMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createMatchingHackathon } from './hackathon-matching-helpers.js';

/** Matching runs under races with organisers' changes: the run's job is executed here, step by step. */
describe('matching runs racing pins (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: INestApplicationContext;
  let runs: MatchingRunService;
  let review: MatchingReviewService;
  let ecosystemId: number;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, MatchingModule] }).compile();
    app = await moduleRef.init();
    runs = app.get(MatchingRunService);
    review = app.get(MatchingReviewService);
    ecosystemId = await createEcosystem(db, { slug: 'races' });
  });

  afterAll(async () => {
    await app?.get<Queue>(getQueueToken(QueueName.Hackathons)).obliterate({ force: true });
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  /** Executes the hackathon's queued runs (as the worker would) until none is left. */
  const executeQueued = async (hackathonId: string) => {
    for (;;) {
      const [queued] = (await db.query(`SELECT id FROM matching_run WHERE hackathon_id = $1 AND status = 'queued'`, [hackathonId])).rows;
      if (!queued) return;
      await runs.execute(queued.id);
    }
  };
  const latestDraft = async (hackathonId: string) =>
    (await db.query(`SELECT id FROM matching_run WHERE hackathon_id = $1 AND status = 'draft'`, [hackathonId])).rows.map((r) => r.id as string);
  const units = async (runId: string, teamId: string, resourceId: string) =>
    (await db.query(`SELECT units FROM allocation WHERE run_id = $1 AND team_id = $2 AND resource_id = $3`, [runId, teamId, resourceId])).rows[0]?.units ?? 0;

  it.each([
    ['while its job is solving', 20],
    ['after its job has solved, before the draft is stored', 80],
  ])('honours a pin set %s: the draft holds it, or a new run re-solves around it', async (_name, atProgress) => {
    const hackathon = await createMatchingHackathon(db, ecosystemId, (login) => createMember(db, { login }));
    const { teams, resources } = hackathon;
    const { run: first } = await runs.start(hackathon.id);
    await runs.execute(first.id);
    expect(await units(first.id, teams.bravo, resources.h100)).toBeGreaterThan(0);

    const { run } = await runs.start(hackathon.id);
    let pinned: { created: boolean } | undefined;
    await runs.execute(run.id, async (percent) => {
      if (percent === atProgress) pinned = await review.pin({ teamId: teams.bravo, resourceId: resources.h100, units: 0 });
    });
    expect(pinned).toBeDefined();
    await executeQueued(hackathon.id);
    const drafts = await latestDraft(hackathon.id);
    expect(drafts).toHaveLength(1);
    expect(await units(drafts[0], teams.bravo, resources.h100)).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS n FROM matching_run WHERE hackathon_id = $1 AND status IN ('queued', 'running')`, [hackathon.id])).rows[0].n).toBe(0);
  });

  it('keeps pins racing on one resource within its capacity: the pins that do not fit are refused', async () => {
    const { id, teams, resources } = await createMatchingHackathon(db, ecosystemId, (login) => createMember(db, { login }));
    // Mentor Bo: 4 hours, at most 2 per team
    const results = await Promise.allSettled(
      [teams.alpha, teams.bravo, teams.charlie].map((teamId) => review.pin({ teamId, resourceId: resources.mentor, units: 2 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'PIN_INVALID', message: expect.stringMatching(/exceed the resource's capacity of 4/) });
    expect((await db.query(`SELECT sum(units)::int AS units FROM allocation_pin WHERE hackathon_id = $1`, [id])).rows[0].units).toBe(4);
    await executeQueued(id);
    expect(await latestDraft(id)).toHaveLength(1);
  });

  it('does not publish a draft that lost allocations with a removed resource: the draft is superseded, a new run is needed', async () => {
    const { id, resources } = await createMatchingHackathon(db, ecosystemId, (login) => createMember(db, { login }));
    const { run } = await runs.start(id);
    await runs.execute(run.id);
    const kept = (await db.query(`SELECT count(*)::int AS n FROM allocation WHERE run_id = $1 AND resource_id <> $2`, [run.id, resources.h100])).rows[0].n;
    await app.get(ResourceService).remove(resources.h100);
    expect((await runs.get(run.id)).status).toBe('superseded');
    await expect(review.publish(run.id)).rejects.toMatchObject({ code: 'MATCHING_RUN_STATE_CONFLICT', message: expect.stringMatching(/is superseded/) });
    expect((await db.query(`SELECT count(*)::int AS n FROM team_notification WHERE hackathon_id = $1`, [id])).rows[0].n).toBe(0);
    // a draft the removed resource gave nothing to stays publishable
    const { run: next } = await runs.start(id);
    await runs.execute(next.id);
    expect((await db.query(`SELECT count(*)::int AS n FROM allocation WHERE run_id = $1`, [next.id])).rows[0].n).toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
    const unused = (await db.query(`INSERT INTO resource (hackathon_id, kind, name, capacity, per_team_max) VALUES ($1, 'other', 'Stickers', 5, 1) RETURNING id`, [id])).rows[0].id;
    await app.get(ResourceService).remove(unused);
    expect((await review.publish(next.id)).notified).toBeGreaterThan(0);
  });
});
