import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { setUpDemoOrganizations } from '../../apps/cli/src/demo/demo-organizations.js';
import { addEmailIdentity, createActivities, createMember, createRepository } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

describe('demo organisations (GraphQL over HTTP, Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let dataSource: DataSource;
  let app: NestFastifyApplication;
  let graphqlUrl: string;
  let token: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    dataSource = new DataSource({ type: 'postgres', url: env.database.url, logging: false, extra: { options: env.database.options } });
    await dataSource.initialize();
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    graphqlUrl = `http://127.0.0.1:${address.port}/graphql`;
    token = (await app.get(ApiTokenService, { strict: false }).create({ name: 'demo', role: 'admin' })).secret;
    const repositoryId = await createRepository(db);
    // addresses as in the RWKV snapshot: sha1(local)@domain
    for (const [n, domain] of [
      [1, 'nvidia.com'],
      [2, 'cn.ibm.com'],
      [3, 'gmail.com'],
      [4, 'walter.name'],
      [5, 'logandark.mozmail.com'],
    ] as const) {
      const member = await createMember(db);
      const identityId = await addEmailIdentity(db, member.memberId, `${String(n).repeat(40)}@${domain}`);
      await createActivities(db, [{ member: { ...member, identityId }, repositoryId, occurredAt: '2025-05-01T00:00:00Z' }]);
    }
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await db?.end();
    await env?.teardown();
  });

  it('creates the organisations behind the data\'s company domains only, none a customer, and affiliates their members', async () => {
    const lines = await setUpDemoOrganizations(graphqlUrl, token, dataSource);
    expect(lines).toEqual([
      'organisations: 2 of the commit e-mail domains belong to known organisations (none a customer); created NVIDIA, IBM',
      'affiliations: 2 members with 2 organisations; 1 other non-webmail domains look personal and stay unaffiliated',
    ]);
    const { rows } = await db.query(`SELECT name, is_customer FROM organization ORDER BY name`);
    expect(rows).toEqual([
      { name: 'IBM', is_customer: false },
      { name: 'NVIDIA', is_customer: false },
    ]);
  });

  it('changes nothing when run again', async () => {
    const lines = await setUpDemoOrganizations(graphqlUrl, token, dataSource);
    expect(lines[0]).toMatch(/all existed already$/);
    expect((await db.query(`SELECT count(*)::int AS n FROM affiliation`)).rows[0].n).toBe(2);
  });
});
