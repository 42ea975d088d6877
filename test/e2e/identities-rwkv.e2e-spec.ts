import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemModule, EcosystemService, EcosystemSyncService, GithubSyncModule } from '#libs/github';
import { IdentityExplanationService, MemberMergeService, MergesModule, MergeSuggestionService } from '#libs/members';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** BlinkDL's account id, from the `33809201+BlinkDL@users.noreply.github.com` address in the RWKV history. */
const BLINKDL = 33809201;
/** The other address the maintainer commits under in the export (local part SHA-1-hashed), as "BlinkDL" and "Bo". */
const HASHED = '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8@a.com';

describe('the RWKV maintainer\'s identities, explained (sim → sync → merge sweep)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let worker: INestApplicationContext;
  let db: DataSource;

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-identities-token' });
    worker = await (
      await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, EcosystemModule, GithubSyncModule, MergesModule] }).compile()
    ).init();
    db = worker.get(DataSource);
    const ecosystems = worker.get(EcosystemService);
    const { id } = await ecosystems.create('rwkv', 'RWKV');
    await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
    await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
    await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
    const result = await worker.get(EcosystemSyncService).syncInProcess(id, { concurrency: 3 });
    expect(result.failures).toEqual([]);
    await worker.get(MergeSuggestionService).sweep();
  }, 240_000);

  afterAll(async () => {
    if (worker) {
      for (const name of Object.values(QueueName)) await worker.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await worker.close();
    }
    await env?.teardown();
    await sim?.close();
  });

  const memberOf = async (platform: string, key: string): Promise<string> =>
    (await db.query(`SELECT member_id FROM identity WHERE platform = $1 AND key = $2`, [platform, key]))[0].member_id;
  const namesOf = async (key: string): Promise<string[]> =>
    (
      await db.query(
        `SELECT DISTINCT c.author_name FROM git_commit c JOIN identity i ON i.id = c.author_identity_id WHERE i.key = $1 ORDER BY 1`,
        [key],
      )
    ).map((row: { author_name: string }) => row.author_name);

  it('resolves the noreply address (git name "PENG Bo") to account 33809201, as GitHub\'s API links it', async () => {
    const member = await memberOf('github', String(BLINKDL));
    const [row] = await db.query(`SELECT login, kind FROM member WHERE id = $1`, [member]);
    expect(row).toEqual({ login: 'BlinkDL', kind: 'person' });
    expect(await namesOf(String(BLINKDL))).toEqual(['PENG Bo']);
    const [identity] = await db.query(`SELECT id FROM identity WHERE platform = 'github' AND key = $1`, [String(BLINKDL)]);
    const [proofs] = await worker.get(IdentityExplanationService).proofsByIdentityIds([identity.id]);
    expect(proofs.map((proof) => proof.kind)).toEqual(['api']);
  });

  it('keeps the hashed address ("BlinkDL" and "Bo") apart, with a suggestion an admin can accept and undo', async () => {
    const maintainer = await memberOf('github', String(BLINKDL));
    const other = await memberOf('email', HASHED);
    expect(other).not.toBe(maintainer);
    expect(await namesOf(HASHED)).toEqual(['BlinkDL', 'Bo']); // one address, two names: one identity
    // no conclusive evidence in the data: GitHub (the sim) links none of these commits to an account
    expect(await db.query(`SELECT id FROM member_merge`)).toEqual([]);
    const suggestions = await db.query(
      `SELECT id, member_id, other_member_id, evidence_kind, conclusive, status, evidence FROM member_merge_suggestion
        WHERE $1 IN (member_id, other_member_id) OR $2 IN (member_id, other_member_id)`,
      [maintainer, other],
    );
    expect(suggestions).toEqual([
      expect.objectContaining({
        member_id: maintainer,
        other_member_id: other,
        evidence_kind: 'author_name_is_login',
        conclusive: false,
        status: 'open',
        evidence: expect.objectContaining({
          login: 'BlinkDL',
          gitName: 'blinkdl',
          repositories: ['BlinkDL/ChatRWKV', 'BlinkDL/RWKV-CUDA', 'BlinkDL/RWKV-LM'],
        }),
      }),
    ]);
    const commitsOf = async (member: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM activity WHERE member_id = $1 AND type = 'commit'`, [member]))[0].n as number;
    const [apart, hashed] = [await commitsOf(maintainer), await commitsOf(other)];

    const merge = await worker.get(MergeSuggestionService).accept(suggestions[0].id, 'admin:e2e', 'PENG Bo confirmed the address');
    expect(await commitsOf(maintainer)).toBe(apart + hashed);
    expect(await memberOf('email', HASHED)).toBe(maintainer);
    await worker.get(MemberMergeService).unmerge(merge.id, { actor: 'admin:e2e' });
    expect([await commitsOf(maintainer), await commitsOf(other)]).toEqual([apart, hashed]);
  });

  it('keeps bots as one bot member each, never persons', async () => {
    const bots = await db.query(
      `SELECT m.kind, m.login, count(DISTINCT i.id)::int AS identities FROM member m JOIN identity i ON i.member_id = m.id
        WHERE m.login LIKE '%[bot]' OR i.key LIKE '%[bot]%' OR i.display_name LIKE '%[bot]' GROUP BY 1, 2 ORDER BY 2`,
    );
    expect(bots).toEqual([
      { kind: 'bot', login: 'dependabot[bot]', identities: 1 },
      { kind: 'bot', login: 'github-actions[bot]', identities: 1 },
    ]);
  });
});
