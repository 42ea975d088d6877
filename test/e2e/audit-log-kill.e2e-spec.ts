import pg from 'pg';
import { generateApiTokenSecret, hashApiTokenSecret } from '#libs/auth';
import { AppProcess, TEST_APP_ENV } from '../helpers/app-process.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

/**
 * The audit row of a change is committed before the change runs: an api killed while the change
 * waits (here on a row lock the test holds) leaves the row `pending`, with the state before, and
 * the change not made.
 */
describe('audit log when the api dies during a change', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let api: AppProcess | undefined;
  let url: string;

  beforeAll(async () => {
    env = await createTestEnv();
    // `npm run build` first
    api = AppProcess.start(
      'api',
      { ...TEST_APP_ENV, DATABASE_URL: env.database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: env.queuePrefix, RATE_LIMIT_GRAPHQL_PER_IP: 'off', RATE_LIMIT_GRAPHQL_PER_TOKEN: 'off' },
      { stderr: 'inherit' },
    );
    url = await api.url();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
  });

  afterAll(async () => {
    await api?.stop();
    await db?.end();
    await env?.teardown();
  });

  it('leaves the row pending, with the state before, and the change not made', async () => {
    const secret = generateApiTokenSecret();
    await db.query(`INSERT INTO api_token (name, role, token_hash) VALUES ('kill test', 'admin', $1)`, [hashApiTokenSecret(secret)]);
    const ask = (query: string, variables: Record<string, unknown>) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query, variables }),
      });
    const created = (await (await ask(`mutation { createOrganization(name: "Killed Co") { id } }`, {})).json()) as { data: { createOrganization: { id: string } } };
    const orgId = created.data.createOrganization.id;

    const lock = await db.connect();
    try {
      await lock.query('BEGIN');
      await lock.query(`SELECT 1 FROM organization WHERE id = $1 FOR UPDATE`, [orgId]);
      const update = ask(`mutation($id: ID!) { updateOrganization(id: $id, isCustomer: true) { id } }`, { id: orgId }).then(
        () => 'answered',
        () => 'no answer',
      );
      let pending: Array<{ id: string }> = [];
      for (let attempt = 0; attempt < 300 && pending.length === 0; attempt++) {
        pending = (await db.query(`SELECT id FROM audit_event WHERE operation = 'updateOrganization' AND status = 'pending'`)).rows;
        if (pending.length === 0) await new Promise((done) => setTimeout(done, 100));
      }
      expect(pending).toHaveLength(1);
      await api!.kill();
      expect(await update).toBe('no answer');
    } finally {
      await lock.query('ROLLBACK');
      lock.release();
    }
    const { rows } = await db.query(`SELECT status, completed_at, before, after, target_id FROM audit_event WHERE operation = 'updateOrganization'`);
    expect(rows).toEqual([{ status: 'pending', completed_at: null, before: expect.objectContaining({ id: orgId, isCustomer: false }), after: null, target_id: orgId }]);
    expect((await db.query(`SELECT is_customer FROM organization WHERE id = $1`, [orgId])).rows).toEqual([{ is_customer: false }]);
  });
});
