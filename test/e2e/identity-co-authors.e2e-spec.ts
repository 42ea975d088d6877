import { DataSource } from 'typeorm';
import { mapCommit, type RestCommit } from '#libs/github';
import { ActivityService, IdentityService } from '#libs/members';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

// I5 (shared/cases/identity.md): the quoted line is not in the final trailer block
const I5_MESSAGE = [
  'Fix parser edge case',
  '',
  '    Co-authored-by: Eve Example <eve@example.com>',
  '',
  'Signed-off-by: Oak River <oak@river.example>',
  'Co-authored-by: Pat Partner <4243+pat-p@users.noreply.github.com>',
  'co-authored-by: Sam Second <sam@example.org>',
  'Co-authored-by: Oak River <oak@river.example>',
].join('\n');

const SHA = 'b'.repeat(40);

const restCommit = (): RestCommit =>
  ({
    sha: SHA,
    commit: {
      message: I5_MESSAGE,
      author: { name: 'Oak River', email: 'oak@river.example', date: '2024-05-01T10:00:00Z' },
      committer: { name: 'Oak River', email: 'oak@river.example', date: '2024-05-01T10:00:00Z' },
    },
    author: { id: 4242, login: 'oak-river', type: 'User' },
    committer: { id: 4242, login: 'oak-river', type: 'User' },
    parents: [],
  }) as unknown as RestCommit;

describe('I5: co-author trailers, resolved to members (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let activities: ActivityService;

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    activities = new ActivityService(db, new IdentityService(db));
    await db.query(`INSERT INTO repository (id, owner, name, full_name) VALUES (1, 'river', 'parser', 'river/parser'), (2, 'fork', 'parser', 'fork/parser')`);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  it('credits 4242 once, 4243 from its noreply address and Sam by e-mail; Eve nothing; a fork holding the commit adds nothing', async () => {
    expect(await activities.record(mapCommit(restCommit(), 1).activities)).toEqual({ inserted: 3, skipped: 0 });
    expect(await activities.record(mapCommit(restCommit(), 2).activities)).toEqual({ inserted: 0, skipped: 3 });
    const credited = await db.query(
      `SELECT i.platform, i.key, count(*)::int AS credits FROM activity a JOIN identity i ON i.id = a.identity_id
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(credited).toEqual([
      { platform: 'email', key: 'sam@example.org', credits: 1 },
      { platform: 'github', key: '4242', credits: 1 },
      { platform: 'github', key: '4243', credits: 1 },
    ]);
    const members = await db.query(`SELECT count(DISTINCT member_id)::int AS n FROM activity`);
    expect(members[0].n).toBe(3);
    expect(await db.query(`SELECT key FROM identity WHERE key LIKE '%eve%'`)).toEqual([]);
  });
});
