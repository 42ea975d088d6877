import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createMember, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

describe('GraphQL organisations under hostile input', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: string;
  let member: CreatedMember;
  let organizationId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    const tokens = app.get(ApiTokenService, { strict: false });
    admin = (await tokens.create({ name: 'e2e admin', role: 'admin' })).secret;
    member = await createMember(db, { login: 'hostile-dev' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const CREATE = `mutation Create($name: String!, $domains: [String!]) { createOrganization(name: $name, domains: $domains) { id name domains } }`;
  const SET = `mutation Set($member: ID!, $organization: ID!, $startsAt: DateTime, $endsAt: DateTime, $note: String) {
    setAffiliation(member: $member, organization: $organization, startsAt: $startsAt, endsAt: $endsAt, note: $note) { id startsAt endsAt evidence { note } } }`;
  const LIST = `query List($query: String, $after: String) { organizations(query: $query, after: $after) { totalCount } }`;
  const code = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;

  it('answers hostile names, domains, queries, member refs and dates with BAD_USER_INPUT or NOT_FOUND, never INTERNAL_SERVER_ERROR', async () => {
    const created = await client.data(CREATE, { name: 'מכון ויצמן', domains: ['WEIZMANN.ac.il.'] }, { token: admin });
    expect(created.createOrganization).toMatchObject({ name: 'מכון ויצמן', domains: ['weizmann.ac.il'] });
    organizationId = created.createOrganization.id;

    for (const variables of [
      { name: 'x'.repeat(10_000) },
      { name: 'Null\u0000Corp' },
      { name: '\u202Eelgoog' },
      { name: 'Mail', domains: ['163.com'] },
      { name: 'Ip', domains: ['127.0.0.1'] },
    ]) {
      expect(code(await client.request(CREATE, variables, { token: admin }))).toBe('BAD_USER_INPUT');
    }
    expect(code(await client.request(LIST, { query: 'a\u0000' }))).toBe('BAD_USER_INPUT');
    expect(code(await client.request(LIST, { query: 'q'.repeat(10_000) }))).toBe('BAD_USER_INPUT');
    expect(code(await client.request(LIST, { after: 'not-a-cursor' }))).toBe('BAD_USER_INPUT');

    const base = { member: member.memberId, organization: organizationId };
    expect(code(await client.request(SET, { ...base, member: 'nobody\u0000' }, { token: admin }))).toBe('BAD_USER_INPUT');
    expect(code(await client.request(SET, { ...base, note: 'left\u0000' }, { token: admin }))).toBe('BAD_USER_INPUT');
    expect(code(await client.request(SET, { ...base, startsAt: 'not a date' }, { token: admin }))).toBe('BAD_USER_INPUT');
    for (const startsAt of ['2024-02-30T00:00:00Z', '2024-06-01 junk', '2024-06-01T09:00:00', 1_700_000_000_000]) {
      expect(code(await client.request(SET, { ...base, startsAt }, { token: admin }))).toBe('BAD_USER_INPUT');
    }
    const literal = await client.request(`mutation { setAffiliation(member: "hostile-dev", organization: "${organizationId}", startsAt: "2023-02-29T00:00:00Z") { id } }`, {}, { token: admin });
    expect(code(literal)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(code(await client.request(SET, { ...base, startsAt: '2025-01-01T00:00:00Z', endsAt: '2025-01-01T00:00:00Z' }, { token: admin }))).toBe('BAD_USER_INPUT');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM affiliation WHERE member_id = $1`, [member.memberId]);
    expect(rows[0].n).toBe(0);
  });

  it('refuses mutations without an admin token and hides evidence from anonymous readers', async () => {
    const set = await client.data(SET, { member: 'hostile-dev', organization: organizationId, note: 'contractor' }, { token: admin });
    expect(set.setAffiliation.evidence).toEqual({ note: 'contractor' });
    expect(code(await client.request(CREATE, { name: 'Sneaky' }, { token: 'cmb_not-a-real-token' }))).toBe('UNAUTHENTICATED');
    expect(code(await client.request(CREATE, { name: 'Sneaky' }))).toBe('UNAUTHENTICATED');
    const read = await client.data(`query { member(login: "hostile-dev") { affiliations { source evidence { note setBy } } } }`);
    expect(read.member.affiliations).toEqual([{ source: 'MANUAL', evidence: null }]);
  });
});
