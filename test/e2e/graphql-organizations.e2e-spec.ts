import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { AffiliationRecomputeService } from '#libs/members';
import { JobName, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import {
  addEmailIdentity,
  createActivities,
  createMember,
  createRepository,
  type CreatedMember,
} from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { GraphqlClient } from './graphql-client.js';

describe('GraphQL organisations and affiliations', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let queue: Queue;
  let admin: { token: string };
  let member: CreatedMember;
  let repositoryId: number;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    queue = new Queue(QueueName.Affiliations, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    repositoryId = await createRepository(db);
    member = await createMember(db, { login: 'octo-dev' });
    const acmeMail = await addEmailIdentity(db, member.memberId, `${'b'.repeat(40)}@acme.com`);
    const globexMail = await addEmailIdentity(db, member.memberId, `${'c'.repeat(40)}@globex.com`);
    await createActivities(db, [
      { member: { ...member, identityId: acmeMail }, repositoryId, occurredAt: '2025-01-10T00:00:00Z' },
      { member: { ...member, identityId: acmeMail }, repositoryId, occurredAt: '2025-03-10T00:00:00Z' },
      { member: { ...member, identityId: globexMail }, repositoryId, occurredAt: '2025-06-01T00:00:00Z' },
      { member, repositoryId, type: 'issue_opened', occurredAt: '2025-08-01T00:00:00Z' },
    ]);
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const CREATE = `mutation Create($name: String!, $domains: [String!], $isCustomer: Boolean) {
    createOrganization(name: $name, domains: $domains, isCustomer: $isCustomer) { id name domains isCustomer }
  }`;
  const UPDATE = `mutation Update($id: ID!, $isCustomer: Boolean, $domains: [String!]) {
    updateOrganization(id: $id, isCustomer: $isCustomer, domains: $domains) { id isCustomer domains }
  }`;
  const SET = `mutation Set($member: ID!, $organization: ID!, $startsAt: DateTime, $endsAt: DateTime, $note: String) {
    setAffiliation(member: $member, organization: $organization, startsAt: $startsAt, endsAt: $endsAt, note: $note) {
      id source startsAt endsAt organization { name } member { login } evidence { note setBy }
    }
  }`;
  const END = `mutation End($id: ID!, $endsAt: DateTime!) { endAffiliation(id: $id, endsAt: $endsAt) { id endsAt } }`;
  const REMOVE = `mutation Remove($id: ID!) { removeAffiliation(id: $id) { id } }`;
  const AFFILIATIONS = `query Member($login: String) {
    member(login: $login) { affiliations { id source startsAt endsAt organization { name } evidence { domains activities } } }
  }`;

  const code = (response: { errors?: Array<{ extensions?: Record<string, any> }> }) => response.errors?.[0]?.extensions?.code;
  const ids: Record<string, string> = {};

  it('refuses every organisation mutation without an admin token, and changes nothing', async () => {
    const uuid = '00000000-0000-4000-8000-000000000000';
    for (const [mutation, variables] of [
      [CREATE, { name: 'Acme' }],
      [UPDATE, { id: uuid, isCustomer: true }],
      [SET, { member: 'octo-dev', organization: uuid }],
      [END, { id: uuid, endsAt: '2025-01-01T00:00:00Z' }],
      [REMOVE, { id: uuid }],
    ] as const) {
      const response = await client.request(mutation, variables);
      expect(code(response)).toBe('UNAUTHENTICATED');
      expect(response.errors![0].message).toMatch(/admin API token/);
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM organization`)).rows[0].n).toBe(0);
    expect(await queue.count()).toBe(0);
  });

  it('creates and updates organisations with an admin token, queuing a recompute', async () => {
    for (const [name, domains] of [
      ['Acme', ['@ACME.com']],
      ['Globex', ['globex.com']],
    ] as const) {
      const created = await client.data(CREATE, { name, domains }, admin);
      expect(created.createOrganization).toMatchObject({ name, domains: [domains[0].replace('@', '').toLowerCase()], isCustomer: false });
      ids[name] = created.createOrganization.id;
    }
    const waiting = await queue.getWaiting();
    expect(waiting.map((job) => [job.name, job.data])).toEqual([
      // each job also carries the id of the request that queued it (for the logs)
      [JobName.RecomputeAffiliations, { memberIds: null, requestId: expect.any(String) }],
      [JobName.RecomputeAffiliations, { memberIds: null, requestId: expect.any(String) }],
    ]);
    const updated = await client.data(UPDATE, { id: ids.Globex, isCustomer: true }, admin);
    expect(updated.updateOrganization).toEqual({ id: ids.Globex, isCustomer: true, domains: ['globex.com'] });
    expect(await queue.count()).toBe(2); // the customer flag does not change affiliations
  });

  it('answers bad input with BAD_USER_INPUT or CONFLICT and a message naming the problem', async () => {
    const webmail = await client.request(CREATE, { name: 'Mail', domains: ['gmail.com'] }, admin);
    expect([code(webmail), webmail.errors![0].message]).toEqual([
      'BAD_USER_INPUT',
      '"gmail.com" is a public webmail, relay or noreply domain: its addresses belong to no organisation',
    ]);
    const malformed = await client.request(CREATE, { name: 'Bad', domains: ['acme com'] }, admin);
    expect(code(malformed)).toBe('BAD_USER_INPUT');
    expect(malformed.errors![0].message).toMatch(/"acme com" is not a domain name/);
    const taken = await client.request(CREATE, { name: 'ACME' }, admin);
    expect(code(taken)).toBe('CONFLICT');
    const unknown = await client.request(UPDATE, { id: '00000000-0000-4000-8000-000000000000', isCustomer: true }, admin);
    expect(code(unknown)).toBe('NOT_FOUND');
    const badId = await client.request(`{ organization(id: "x") { id } }`);
    expect(code(badId)).toBe('BAD_USER_INPUT');
    const backwards = await client.request(
      SET,
      { member: 'octo-dev', organization: ids.Acme, startsAt: '2025-05-01T00:00:00Z', endsAt: '2025-04-01T00:00:00Z' },
      admin,
    );
    expect(code(backwards)).toBe('BAD_USER_INPUT');
    expect(backwards.errors![0].message).toMatch(/must be after startsAt/);
    const noMember = await client.request(SET, { member: 'nobody-here', organization: ids.Acme }, admin);
    expect(code(noMember)).toBe('NOT_FOUND');
  });

  it('shows automatic affiliations and credits contributions by date', async () => {
    await app.get(AffiliationRecomputeService, { strict: false }).recompute();
    const { member: found } = await client.data(AFFILIATIONS, { login: 'octo-dev' });
    expect(found.affiliations).toEqual([
      expect.objectContaining({
        source: 'EMAIL_DOMAIN',
        startsAt: '2025-01-10T00:00:00.000Z',
        endsAt: '2025-06-01T00:00:00.000Z',
        organization: { name: 'Acme' },
        evidence: null, // personal data: admin only
      }),
      expect.objectContaining({ source: 'EMAIL_DOMAIN', startsAt: '2025-06-01T00:00:00.000Z', endsAt: null, organization: { name: 'Globex' } }),
    ]);
    const asAdmin = await client.data(AFFILIATIONS, { login: 'octo-dev' }, admin);
    expect(asAdmin.member.affiliations[0].evidence).toEqual({ domains: ['acme.com'], activities: 2 });

    const ORG = `query Org($id: ID!, $since: DateTime) { organization(id: $id) {
      name contributionCount(since: $since) members { totalCount nodes { member { login } contributionCount lastContributionAt } }
    } }`;
    const acme = await client.data(ORG, { id: ids.Acme });
    expect(acme.organization).toEqual({
      name: 'Acme',
      contributionCount: 2,
      members: { totalCount: 1, nodes: [{ member: { login: 'octo-dev' }, contributionCount: 2, lastContributionAt: '2025-03-10T00:00:00.000Z' }] },
    });
    const globex = await client.data(ORG, { id: ids.Globex, since: '2025-07-01T00:00:00Z' });
    expect(globex.organization.contributionCount).toBe(1); // the issue, made after the move
    const activities = await client.data(
      `{ member(login: "octo-dev") { recentActivities(first: 10) { occurredAt organization { name } } } }`,
    );
    expect(
      activities.member.recentActivities.map((a: { occurredAt: string; organization: { name: string } | null }) => [
        a.occurredAt.slice(0, 10),
        a.organization?.name ?? null,
      ]),
    ).toEqual([
      ['2025-08-01', 'Globex'],
      ['2025-06-01', 'Globex'],
      ['2025-03-10', 'Acme'],
      ['2025-01-10', 'Acme'],
    ]);
    const list = await client.data(`{ organizations(isCustomer: false) { totalCount edges { node { name } } } }`);
    expect(list.organizations).toEqual({ totalCount: 1, edges: [{ node: { name: 'Acme' } }] });
  });

  it('sets, ends and removes a manual affiliation that overrides the automatic ones', async () => {
    const set = await client.data(
      SET,
      { member: 'octo-dev', organization: ids.Acme, startsAt: '2025-07-01T00:00:00Z', note: 'back at Acme' },
      admin,
    );
    expect(set.setAffiliation).toMatchObject({
      source: 'MANUAL',
      startsAt: '2025-07-01T00:00:00.000Z',
      endsAt: null,
      organization: { name: 'Acme' },
      member: { login: 'octo-dev' },
      evidence: { note: 'back at Acme', setBy: expect.any(String) },
    });
    const COUNT = `query C($id: ID!) { organization(id: $id) { contributionCount } }`;
    expect((await client.data(COUNT, { id: ids.Acme })).organization.contributionCount).toBe(3);

    const overlap = await client.request(SET, { member: 'octo-dev', organization: ids.Globex, startsAt: '2025-09-01T00:00:00Z' }, admin);
    expect(code(overlap)).toBe('CONFLICT');
    expect(overlap.errors![0].message).toMatch(/overlaps the member's manual affiliation .* with "Acme"/);

    const automatic = (await client.data(AFFILIATIONS, { login: 'octo-dev' })).member.affiliations.find(
      (a: { source: string }) => a.source === 'EMAIL_DOMAIN',
    );
    const notManual = await client.request(REMOVE, { id: automatic.id }, admin);
    expect(code(notManual)).toBe('BAD_USER_INPUT');

    const ended = await client.data(END, { id: set.setAffiliation.id, endsAt: '2025-07-15T00:00:00Z' }, admin);
    expect(ended.endAffiliation.endsAt).toBe('2025-07-15T00:00:00.000Z');
    expect((await client.data(COUNT, { id: ids.Acme })).organization.contributionCount).toBe(2);
    await client.data(REMOVE, { id: set.setAffiliation.id }, admin);
    const again = await client.request(REMOVE, { id: set.setAffiliation.id }, admin);
    expect(code(again)).toBe('NOT_FOUND');
  });
});
