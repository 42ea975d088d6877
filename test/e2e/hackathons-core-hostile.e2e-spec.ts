import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';
import { HACKATHON_OPS as OPS, createHackathonAt } from './hackathon-helpers.js';

describe('GraphQL hackathon core against hostile callers (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: { token: string };
  let hackathonId: string;
  let teamId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 4 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    await createEcosystem(db, { slug: 'rwkv' });
    for (const login of ['alice', 'bob']) await createMember(db, { login });
    hackathonId = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'spring', max: 3 }, 'REGISTRATION_OPEN');
    await client.data(OPS.register, { id: hackathonId, member: 'alice', skills: ['cuda'], interests: ['nlp'], needs: ['wheelchair access'], consent: true }, admin);
    teamId = (await client.data(OPS.createTeam, { id: hackathonId, member: 'alice', name: 'Alpha' }, admin)).createTeam.id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('shows who registered to anyone, but skills, interests, needs and e-mail consent to admin tokens only', async () => {
    const REGISTRATIONS = `{ hackathon(slug: "spring") { registrations { member { login } } } }`;
    expect((await client.data(REGISTRATIONS)).hackathon.registrations).toEqual([{ member: { login: 'alice' } }]);
    for (const field of ['skills', 'interests', 'needs', 'emailConsent']) {
      const query = `{ hackathon(slug: "spring") { registrations { ${field} } } }`;
      const anonymous = await client.request(query);
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(anonymous.errors?.[0].message).toContain(`HackathonRegistration.${field}`);
      expect(JSON.stringify(anonymous.data)).not.toMatch(/wheelchair|cuda|nlp|true/);
      const listed = await client.request(`{ hackathons(first: 5) { edges { node { registrations { ${field} } } } } }`);
      expect(listed.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const byAdmin = await client.data(`{ hackathon(slug: "spring") { registrations { skills interests needs emailConsent } } }`, {}, admin);
    expect(byAdmin.hackathon.registrations).toEqual([{ skills: ['cuda'], interests: ['nlp'], needs: ['wheelchair access'], emailConsent: true }]);
  });

  it('refuses a NUL character in hackathon and submission texts as bad input naming where it is, before anything runs', async () => {
    const CREATE = `mutation($name: String!, $description: String) { createHackathon(ecosystem: "rwkv", slug: "nul", name: $name, description: $description,
      startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-03T00:00:00Z") { id } }`;
    for (const [variables, message] of [
      [{ name: 'Spring\u0000Hack' }, /NUL character \(U\+0000\), found in: variables\.name$/],
      [{ name: 'Spring', description: 'about\u0000' }, /found in: variables\.description$/],
    ] as const) {
      const response = await client.request(CREATE, variables, admin);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].message).toMatch(message);
    }
    const update = await client.request(`mutation($id: ID!) { updateHackathon(id: $id, name: "a\\u0000") { id } }`, { id: hackathonId }, admin);
    expect(update.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/NUL character \(U\+0000\), found in: a string literal at line 1, column \d+$/) });

    await client.data(OPS.status, { id: hackathonId, status: 'RUNNING' }, admin);
    for (const [variables, message] of [
      [{ title: 'Project\u0000' }, /found in: variables\.title$/],
      [{ title: 'Project', description: 'x\u0000y' }, /found in: variables\.description$/],
    ] as const) {
      const response = await client.request(OPS.save, { team: teamId, ...variables }, admin);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].message).toMatch(message);
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM submission`)).rows[0].n).toBe(0);
  });

  it('answers an ecosystem slug holding a NUL character as bad input, not an internal error', async () => {
    const listed = await client.request(`query($eco: String!) { hackathons(first: 5, ecosystem: $eco) { edges { node { slug } } } }`, { eco: 'rwkv\u0000' });
    expect(listed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(listed.errors?.[0].message).toMatch(/found in: variables\.eco$/);
    const created = await client.request(
      `mutation($eco: String!) { createHackathon(ecosystem: $eco, slug: "nul-eco", name: "N", startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-03T00:00:00Z") { id } }`,
      { eco: '\u0000' },
      admin,
    );
    expect(created.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
  it('hides drafts (unannounced events) from the public, in hackathon and hackathons, and shows them to admin tokens', async () => {
    await client.data(
      `mutation { createHackathon(ecosystem: "rwkv", slug: "unannounced", name: "Unannounced", startsAt: "2026-05-01T00:00:00Z", endsAt: "2026-05-03T00:00:00Z") { id } }`,
      {},
      admin,
    );
    const ONE = `{ hackathon(slug: "unannounced") { slug status } }`;
    const LIST = `{ hackathons(first: 50) { totalCount edges { node { slug } } } }`;
    expect((await client.data(ONE)).hackathon).toBeNull();
    const publicList = (await client.data(LIST)).hackathons;
    expect(publicList.edges.map((edge: { node: { slug: string } }) => edge.node.slug)).not.toContain('unannounced');
    expect((await client.data(`{ hackathons(status: DRAFT) { totalCount } }`)).hackathons.totalCount).toBe(0);
    expect((await client.data(ONE, {}, admin)).hackathon).toEqual({ slug: 'unannounced', status: 'DRAFT' });
    const adminList = (await client.data(LIST, {}, admin)).hackathons;
    expect(adminList.edges.map((edge: { node: { slug: string } }) => edge.node.slug)).toContain('unannounced');
    expect(adminList.totalCount).toBe(publicList.totalCount + 1);
  });
});
