import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ActivityService, IdentityService, type ActivityInput, type MergeSuggestionService } from '#libs/members';
import { JobName, JobSchedulerId, QueueModule, QueueName } from '#libs/queue';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { IdentityProcessorModule } from './identity-processor.module.js';
import { IdentityProcessor, UnknownIdentityJobError } from './identity.processor.js';

const commit = (n: number, actor: ActivityInput['actor']): ActivityInput => ({
  type: 'commit',
  occurredAt: new Date(Date.UTC(2024, 1, 1 + n)),
  repositoryId: 1,
  actor,
  source: 'api',
  sourceKey: `commit:${n.toString(16).padStart(40, '0')}`,
});

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('IdentityProcessor and the merge sweep scheduler (Postgres, Redis)', () => {
  let env: TestEnv;
  let db: DataSource;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ MEMBER_MERGE_SWEEP_EVERY_SECONDS: '10' });
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    const [ecosystem] = await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('river', 'River') RETURNING id`);
    await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES (1, $1, 'river', 'parser', 'river/parser')`, [
      ecosystem.id,
    ]);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.destroy();
    await env?.teardown();
  });

  const boot = async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, QueueModule, IdentityProcessorModule],
    }).compile();
    const app = await moduleRef.init();
    apps.push(app);
    return app;
  };

  it('I4: the worker registers the merge sweep scheduler, and its job merges git history into the GitHub member (48 commits)', async () => {
    // member B from git history (8 commits), member A from GitHub (40 commits), A's verified address is B's
    const identities = new IdentityService(db);
    const activities = new ActivityService(db, identities);
    const fromGit = { kind: 'commit-author' as const, account: null, name: 'Oak River', email: 'oak@river.example' };
    const fromGithub = {
      kind: 'commit-author' as const,
      account: { id: 4242, login: 'oak-river', type: 'User' },
      name: 'Oak River',
      email: '4242+oak-river@users.noreply.github.com',
    };
    await activities.record(Array.from({ length: 8 }, (_, n) => commit(n, fromGit)));
    await activities.record(Array.from({ length: 40 }, (_, n) => commit(100 + n, fromGithub)));
    await identities.recordVerifiedEmail(4242, 'oak@river.example', 'profile');
    await db.query(`INSERT INTO organization (name, domains) VALUES ('River Labs', '{river.example}')`);
    const members = () => db.query(`SELECT member_id, count(*)::int AS commits FROM activity GROUP BY member_id ORDER BY 2`);
    expect((await members()).map((row: { commits: number }) => row.commits)).toEqual([8, 40]);

    const app = await boot();
    await boot(); // a second worker process (or a restart) keeps the one scheduler
    const queue = app.get<Queue>(getQueueToken(QueueName.Identity));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.key, scheduler.name, scheduler.every])).toEqual([
      [JobSchedulerId.MergeSweep, JobName.MergeSweep, 10_000],
    ]);

    const merged = await waitFor('the merge sweep job', async () => {
      const rows = await members();
      return rows.length === 1 ? rows : null;
    });
    expect(merged).toEqual([{ member_id: await accountMember(db, 4242), commits: 48 }]);
    const [record] = await db.query(`SELECT merged_by, reason FROM member_merge`);
    expect(record).toMatchObject({ merged_by: 'merge-sweep', reason: expect.stringContaining('verified address of account 4242') });
    const completed = await waitFor('a completed merge-sweep job', async () => {
      const jobs = await queue.getCompleted();
      return jobs.find((job) => job.name === JobName.MergeSweep && (job.returnvalue as { merged: number }).merged === 1) ?? null;
    });
    expect(completed.repeatJobKey).toBe(JobSchedulerId.MergeSweep);
    // the merge told the affiliations and the stages: the survivor's are recomputed from all 48 commits
    const staged = await db.query(`SELECT DISTINCT member_id FROM member_stage_transition`);
    expect(staged).toEqual([{ member_id: await accountMember(db, 4242) }]);
    const affiliated = await db.query(`SELECT member_id, source FROM affiliation`);
    expect(affiliated).toEqual([{ member_id: await accountMember(db, 4242), source: 'email_domain' }]);
    await queue.obliterate({ force: true });
  });

  it('fails a job name it has no handler for', async () => {
    const processor = new IdentityProcessor({} as MergeSuggestionService);
    await expect(processor.process({ id: '1', name: 'no-such-job', data: {} } as Job)).rejects.toBeInstanceOf(UnknownIdentityJobError);
  });
});

async function accountMember(db: DataSource, id: number): Promise<string> {
  const [row] = await db.query(`SELECT member_id FROM github_account WHERE id = $1`, [id]);
  return row.member_id;
}
