import { DataSource } from 'typeorm';
import { createEcosystem, createRepository } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { ActivityService } from '../activity.service.js';
import { IdentityService } from '../identity.service.js';
import { MemberErasureService } from './member-erasure.service.js';

/** The member whose data is deleted. */
const BIRCH = { id: 9_400_801, login: 'Birch-Bark' };
/** Someone else who takes the login once GitHub releases it (a later account, another id). */
const HEIR = { id: 9_400_802, login: 'Birch-Bark' };
const FERN = { id: 9_400_803, login: 'Fern-Frond' };

/**
 * GitHub releases a login when its owner renames or leaves, and another account may take it. The
 * erased member's login is suppressed because pushes and forks name an account by login only; but a
 * fact that names an account by id and login together (`merged_by`, a webhook's issue `author`) names
 * whoever holds that id: when the id is not an erased member's, the fact is about another person and
 * must stay as written.
 */
describe('member deletion and a login taken by someone else afterwards (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let identities: IdentityService;
  let activities: ActivityService;
  let repositoryId: number;

  const github = (who: { id: number; login: string }) => ({ kind: 'github' as const, account: { id: who.id, login: who.login, type: 'User', name: null } });

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    identities = new IdentityService(db);
    activities = new ActivityService(db, identities);
    const pg = { query: (sql: string, params?: unknown[]) => db.query(sql, params).then((rows: unknown) => ({ rows: rows as never[] })) };
    const ecosystemId = await createEcosystem(pg, { slug: 'woods' });
    repositoryId = await createRepository(pg, { id: 9_400_001, owner: 'woods', name: 'trunk', ecosystemId });
    const birch = await identities.resolve(github(BIRCH));
    await new MemberErasureService(db).erase(birch!.memberId, `member:${birch!.memberId}`);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  it("keeps the facts of the login's new holder, named by their own account id", async () => {
    await activities.record([
      {
        type: 'pull_request_merged', occurredAt: new Date(Date.UTC(2025, 5, 2)), repositoryId, actor: github(FERN), source: 'webhook',
        sourceKey: `pull_request:${repositoryId}:21:merged`, facts: { number: 21, merged_by: { id: HEIR.id, login: HEIR.login } },
      },
      {
        type: 'issue_closed', occurredAt: new Date(Date.UTC(2025, 5, 3)), repositoryId, actor: github(FERN), source: 'webhook',
        sourceKey: `issue:${repositoryId}:22:closed:2025-06-03`, facts: { number: 22, author: { id: HEIR.id, login: HEIR.login } },
      },
    ]);
    const facts = async (sourceKey: string) => (await db.query(`SELECT facts FROM activity WHERE source_key = $1`, [sourceKey]))[0]?.facts;
    expect((await facts(`pull_request:${repositoryId}:21:merged`)).merged_by).toEqual({ id: HEIR.id, login: HEIR.login });
    expect((await facts(`issue:${repositoryId}:22:closed:2025-06-03`)).author).toEqual({ id: HEIR.id, login: HEIR.login });
  });
});
