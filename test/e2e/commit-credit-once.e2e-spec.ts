import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, GithubSyncModule, mapCommit, RepositoryDiscoveryService, RepositorySyncService, type RestCommit } from '#libs/github';
import { ActivityService, IdentityService, MemberMergeService, MergesModule } from '#libs/members';
import { QueueName } from '#libs/queue';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const REPOSITORY = 'BlinkDL/RWKV-CUDA'; // 163 commits; BlinkDL commits as 33809201+BlinkDL@users.noreply... and by e-mail
const BLINK_ID = 33809201;
const BLINK_WORK = 'peng.bo@work.example'; // not in the data: a verified address of the account
const BBUF_NOREPLY = '35585791+BBuf@users.noreply.github.com';
const BBUF_MAIL = '7320bc546c3cf913ac75a7aafc1a4b3c3a7f1a6f@qq.com';
const ADMIN = 'admin:e2e';

interface Credit {
  key: string;
  member_id: string;
  live: boolean;
}

/**
 * No member is credited twice for one commit, whatever mix of author and co-author identities
 * resolves to them: through the REST sync against the simulator (trailers added to two commits
 * of the RWKV data), and across a merge and its unmerge.
 */
describe('one credit per member and commit (sync against the sim, merge, unmerge)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: DataSource;
  let repositoryId: number;
  let blinkSha: string;
  let bbufSha: string;

  /** Commit credits of one commit (live or set aside), author first. */
  const credits = async (sha: string): Promise<Credit[]> =>
    db.query(
      `SELECT source_key AS key, member_id, removed_at IS NULL AS live FROM activity
        WHERE type = 'commit' AND (source_key = $1 OR source_key LIKE $1 || ':co:%') ORDER BY source_key`,
      [`commit:${sha}`],
    );
  const memberOf = async (platform: string, key: string): Promise<string> =>
    (await db.query(`SELECT member_id FROM identity WHERE platform = $1 AND key = $2`, [platform, key]))[0].member_id;
  /** The rollup counts exactly the live activities (it follows every set-aside and restore). */
  const rollupMatches = async (): Promise<void> => {
    const [row] = await db.query(
      `SELECT (SELECT coalesce(sum(activities), 0)::int FROM activity_daily) AS rolled,
              (SELECT count(*)::int FROM activity WHERE removed_at IS NULL) AS live`,
    );
    expect(row.rolled).toBe(row.live);
  };

  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0 });
    const data = sim.snapshot.repositories.find((repository) => repository.repository.fullName === REPOSITORY)!;
    const blink = data.defaultBranchCommits.find((commit) => commit.author.email.startsWith(`${BLINK_ID}+`))!;
    const bbuf = data.defaultBranchCommits.find((commit) => commit.author.email === BBUF_MAIL && commit.message === commit.firstLine)!;
    // the author's own verified address, twice in two letter cases, and a real co-author
    blink.message = `${blink.firstLine}\n\nCo-authored-by: PENG Bo <${BLINK_WORK}>\nCo-authored-by: Bo <${BLINK_WORK.toUpperCase()}>\nCo-authored-by: Xiaoyu Zhang <${BBUF_NOREPLY}>`;
    // BBuf by e-mail, co-authored by BBuf's account: two members until they are merged
    bbuf.message = `${bbuf.firstLine}\n\nCo-authored-by: Xiaoyu Zhang <${BBUF_NOREPLY}>`;
    blinkSha = blink.sha;
    bbufSha = bbuf.sha;

    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-credit-once-token', LOG_LEVEL: 'warn' });
    app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule, MergesModule] }).compile()).init();
    db = app.get(DataSource);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('credits', 'Credits');
    await ecosystems.track('credits', { kind: 'repository', name: REPOSITORY });
    await app.get(RepositoryDiscoveryService).discover(ecosystem.id);
    repositoryId = (await db.query(`SELECT id::int AS id FROM repository`))[0].id;
    // the account is known and its work address verified before the commits arrive
    const identities = app.get(IdentityService);
    await identities.resolve({ kind: 'github', account: { id: BLINK_ID, login: 'BlinkDL', type: 'User' } });
    await identities.recordVerifiedEmail(BLINK_ID, BLINK_WORK, 'profile');
    await app.get(RepositorySyncService).syncRepository(repositoryId, { resources: ['commits'] });
  }, 300_000);

  afterAll(async () => {
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await env?.teardown();
    await sim?.close();
  });

  it('credits the author once when a trailer names their own verified address; the real co-author once', async () => {
    const blink = await memberOf('github', String(BLINK_ID));
    const bbuf = await memberOf('github', '35585791');
    expect(await memberOf('email', BLINK_WORK)).toBe(blink);
    const rows = await credits(blinkSha);
    expect(rows.filter((row) => row.live)).toEqual([
      { key: `commit:${blinkSha}`, member_id: blink, live: true },
      { key: `commit:${blinkSha}:co:${BBUF_NOREPLY.toLowerCase()}`, member_id: bbuf, live: true },
    ]);
    // the duplicate is kept, set aside, so that an unmerge could give it back
    expect(rows.filter((row) => !row.live)).toEqual([{ key: `commit:${blinkSha}:co:${BLINK_WORK}`, member_id: blink, live: false }]);
    await rollupMatches();
  });

  it('a merge of two credited members leaves one credit (the authorship); the unmerge gives both back', async () => {
    const account = await memberOf('github', '35585791');
    const mail = await memberOf('email', BBUF_MAIL);
    expect(account).not.toBe(mail);
    expect((await credits(bbufSha)).map((row) => [row.member_id, row.live])).toEqual([
      [mail, true],
      [account, true],
    ]);
    const merges = app.get(MemberMergeService);
    const merge = await merges.merge(account, mail, { reason: 'same person: BBuf', actor: ADMIN });
    expect((await credits(bbufSha)).map((row) => [row.member_id, row.live])).toEqual([
      [account, true],
      [account, false],
    ]);
    await rollupMatches();

    // a commit recorded while they are one (author by e-mail, trailer naming the account) credits once
    const later = {
      sha: 'c'.repeat(40),
      commit: {
        message: `Tune kernel\n\nCo-authored-by: Xiaoyu Zhang <${BBUF_NOREPLY}>`,
        author: { name: 'BBuf', email: BBUF_MAIL, date: '2026-01-05T10:00:00Z' },
        committer: { name: 'BBuf', email: BBUF_MAIL, date: '2026-01-05T10:00:00Z' },
      },
      author: null,
      committer: null,
      parents: [],
    } as unknown as RestCommit;
    await app.get(ActivityService).record(mapCommit(later, repositoryId).activities);
    expect((await credits(later.sha)).map((row) => [row.member_id, row.live])).toEqual([
      [account, true],
      [account, false],
    ]);

    await merges.unmerge(merge.id, { actor: ADMIN });
    for (const sha of [bbufSha, later.sha]) {
      expect((await credits(sha)).map((row) => [row.member_id, row.live])).toEqual([
        [mail, true],
        [account, true],
      ]);
    }
    await rollupMatches();
  });

  it('no member holds two live credits for any commit', async () => {
    const doubled = await db.query(
      `SELECT split_part(source_key, ':', 2) AS sha, member_id, count(*)::int AS n FROM activity
        WHERE type = 'commit' AND removed_at IS NULL GROUP BY 1, 2 HAVING count(*) > 1`,
    );
    expect(doubled).toEqual([]);
    const [{ commits }] = await db.query(`SELECT count(*)::int AS commits FROM git_commit_repository WHERE repository_id = $1`, [repositoryId]);
    expect(commits).toBeGreaterThan(100);
  });
});
