import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ApiTokenService, SessionService } from '#libs/auth';
import { AffiliationService, MemberQueryService, StageRulesService } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { AUDITED_MUTATIONS } from '../../apps/api/src/audit/audited-mutations.js';
import { createMember, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const EVENTS = `query Events($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { node {
      id occurredAt completedAt actor actorRole requestId operation targetType targetId arguments before after status outcome errorCode errorMessage
    } }
  }
}`;
const CREATE_ORG = `mutation($name: String!, $domains: [String!]) { createOrganization(name: $name, domains: $domains) { id name isCustomer } }`;
const UPDATE_ORG = `mutation($id: ID!, $isCustomer: Boolean) { updateOrganization(id: $id, isCustomer: $isCustomer) { id name isCustomer } }`;
const SET_AFFILIATION = `mutation($member: ID!, $organization: ID!, $startsAt: DateTime, $note: String) {
  setAffiliation(member: $member, organization: $organization, startsAt: $startsAt, note: $note) { id startsAt }
}`;
const SET_PREFERENCES = `mutation($memberId: ID!, $input: MemberEmailPreferencesInput!) {
  setMemberEmailPreferences(memberId: $memberId, input: $input) { memberId digestOptIn }
}`;

describe('audit log', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let url: string;
  let admin: { token: string; id: string };
  let member: CreatedMember;

  /** The audit events of `operation`, newest first. */
  async function events(filter: Record<string, unknown>, first = 20): Promise<any[]> {
    const data = await client.data(EVENTS, { filter, first }, admin);
    return data.auditEvents.edges.map((edge: { node: any }) => edge.node);
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2, options: env.database.options });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    const address = app.getHttpServer().address() as { port: number };
    url = `http://127.0.0.1:${address.port}/graphql`;
    const created = await app.get(ApiTokenService, { strict: false }).create({ name: 'audit e2e admin', role: 'admin' });
    admin = { token: created.secret, id: created.token.id };
    member = await createMember(db, { login: 'audit-dev' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('lists every mutation of the schema in the audit table, naming those without a before state', () => {
    const schema = app.get(GraphQLSchemaHost, { strict: false }).schema;
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    const listed = Object.keys(AUDITED_MUTATIONS).sort();
    expect({ missing: mutations.filter((m) => !listed.includes(m)), stale: listed.filter((m) => !mutations.includes(m)) }).toEqual({ missing: [], stale: [] });
    const withoutBefore = Object.entries(AUDITED_MUTATIONS)
      .filter(([, audit]) => 'noBefore' in audit)
      .map(([name]) => name)
      .sort();
    expect(withoutBefore).toEqual([
      'autoAssignJudges',
      'createEcosystem',
      'createHackathon',
      'createJudgingCriterion',
      'createOrganization',
      'createResource',
      'createResourceRequest',
      'createTeam',
      'grantOrganizer',
      'joinTeam',
      'requestMemberDeletion',
      'retryFailedJob',
      'startDigestRun',
      'startMatchingRun',
      'startSync',
    ]);
    for (const [name, audit] of Object.entries(AUDITED_MUTATIONS)) {
      if ('noBefore' in audit) expect([name, audit.noBefore.length > 10]).toEqual([name, true]);
    }
  });

  it("records an admin's change: who, when, what, before and after", async () => {
    const startedAt = Date.now();
    const created = (await client.data(CREATE_ORG, { name: 'Acme', domains: ['acme.com'] }, admin)).createOrganization;
    const updated = (await client.data(UPDATE_ORG, { id: created.id, isCustomer: true }, admin)).updateOrganization;
    const endedAt = Date.now();
    expect(updated.isCustomer).toBe(true);

    const [create] = await events({ operation: 'createOrganization' });
    expect(create).toMatchObject({
      actor: `api-token:${admin.id}`,
      actorRole: 'admin',
      operation: 'createOrganization',
      targetType: 'organization',
      targetId: created.id, // learnt from the result
      before: null,
      status: 'OK',
      outcome: 'ok',
      errorCode: null,
    });
    expect(JSON.parse(create.arguments)).toEqual({ name: 'Acme', domains: ['acme.com'] });

    const [update] = await events({ operation: 'updateOrganization' });
    expect(update).toMatchObject({ actor: `api-token:${admin.id}`, targetType: 'organization', targetId: created.id, status: 'OK' });
    expect(JSON.parse(update.arguments)).toEqual({ id: created.id, isCustomer: true });
    expect(JSON.parse(update.before)).toMatchObject({ id: created.id, name: 'Acme', isCustomer: false, domains: ['acme.com'] });
    expect(JSON.parse(update.after)).toMatchObject({ id: created.id, name: 'Acme', isCustomer: true });
    for (const event of [create, update]) {
      const occurred = Date.parse(event.occurredAt);
      // same machine's clock for Postgres and the test; a second of slack either side
      expect(occurred).toBeGreaterThanOrEqual(startedAt - 1000);
      expect(occurred).toBeLessThanOrEqual(endedAt + 1000);
      expect(Date.parse(event.completedAt)).toBeGreaterThanOrEqual(occurred);
    }
    expect(Number(update.id)).toBeGreaterThan(Number(create.id));
  });

  it("records a member's affiliations before setAffiliation", async () => {
    const org = (await client.data(CREATE_ORG, { name: 'Globex' }, admin)).createOrganization;
    const first = (await client.data(SET_AFFILIATION, { member: 'audit-dev', organization: org.id, startsAt: '2025-01-01T00:00:00Z' }, admin)).setAffiliation;
    const [event] = await events({ operation: 'setAffiliation' });
    expect(event).toMatchObject({ targetType: 'member', targetId: 'audit-dev', status: 'OK' });
    expect(JSON.parse(event.before)).toEqual({ affiliations: [] });
    expect(JSON.parse(event.after)).toMatchObject({ id: first.id, memberId: member.memberId, organizationId: org.id, source: 'manual' });
  });

  it('records both members before mergeMembers and the rules in force before updateStageRules', async () => {
    const into = await createMember(db, { login: 'audit-into' });
    const from = await createMember(db, { login: 'audit-from' });
    await client.data(`mutation($into: ID!, $from: ID!) { mergeMembers(into: $into, from: $from, reason: "same person") { id } }`, { into: into.memberId, from: from.memberId }, admin);
    const [merge] = await events({ operation: 'mergeMembers' });
    expect(merge).toMatchObject({ targetType: 'member', targetId: into.memberId, status: 'OK' });
    const before = JSON.parse(merge.before);
    expect([before.into.id, before.into.login, before.from.id, before.from.login]).toEqual([into.memberId, 'audit-into', from.memberId, 'audit-from']);

    const rules = `mutation($rules: StageRulesInput!) { updateStageRules(rules: $rules) { version regular { minWeeks } } }`;
    const changed = (await client.data(rules, { rules: { regularMinWeeks: 5 } }, admin)).updateStageRules;
    const [update] = await events({ operation: 'updateStageRules' });
    expect(update).toMatchObject({ targetType: 'stage-rules', targetId: 'global', status: 'OK' });
    expect(JSON.parse(update.before)).toMatchObject({ source: 'default', rules: { regular: { minWeeks: expect.any(Number) } } });
    expect(JSON.parse(update.before).rules.regular.minWeeks).not.toBe(5);
    expect(JSON.parse(update.after)).toMatchObject({ version: changed.version, regular: { minWeeks: 5 } });
  });

  it('reads a before state (or null) for malformed and unknown arguments of every loader, never failing', async () => {
    const deps = {
      db: app.get(DataSource, { strict: false }),
      members: app.get(MemberQueryService, { strict: false }),
      stageRules: app.get(StageRulesService, { strict: false }),
      affiliations: app.get(AffiliationService, { strict: false }),
    };
    const names = ['id', 'hackathon', 'hackathonId', 'member', 'into', 'from', 'teamId', 'resourceId', 'submission', 'criterion', 'judge', 'mergeId', 'memberId', 'ecosystem', 'key'];
    for (const value of ["1' OR '1'='1", '00000000-0000-4000-8000-000000000000', '', 'x'.repeat(300)]) {
      const args = Object.fromEntries(names.map((name) => [name, value]));
      for (const [name, audit] of Object.entries(AUDITED_MUTATIONS)) {
        if (!('before' in audit)) continue;
        const before = await audit.before(args, deps).then(
          (state) => ({ ok: true, state }),
          (error: Error) => ({ ok: false, state: error.message }),
        );
        expect([name, before.ok]).toEqual([name, true]);
      }
    }
  });

  it('records a failed mutation with the error code and message the caller got', async () => {
    const unknown = '00000000-0000-4000-8000-00000000beef';
    const response = await client.request(UPDATE_ORG, { id: unknown, isCustomer: true }, admin);
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [event] = await events({ operation: 'updateOrganization', targetId: unknown });
    expect(event).toMatchObject({
      targetId: unknown,
      before: null,
      after: null,
      status: 'ERROR',
      errorCode: 'NOT_FOUND',
      errorMessage: response.errors![0].message,
      outcome: `NOT_FOUND: ${response.errors![0].message}`,
    });
  });

  it("stores a deleted member's login named in a later mutation's arguments as [erased], and the member's id as target; a namesake slug stays", async () => {
    const gone = await createMember(db, { login: 'Gone-Dev' });
    const deleted = await client.request(`mutation($id: ID!) { requestMemberDeletion(memberId: $id) { memberId } }`, { id: gone.memberId }, admin);
    expect(deleted.errors).toBeUndefined();
    const org = (await client.data(CREATE_ORG, { name: 'After Deletion Co' }, admin)).createOrganization;
    const response = await client.request(SET_AFFILIATION, { member: 'GONE-DEV', organization: org.id, note: 'moved from @Gone-Dev team' }, admin);
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [event] = await events({ operation: 'setAffiliation', status: 'ERROR' });
    expect(event).toMatchObject({ targetType: 'member', targetId: gone.memberId, errorCode: 'NOT_FOUND' });
    expect(JSON.parse(event.arguments)).toEqual({ member: '[erased]', organization: org.id, note: 'moved from [erased] team' });
    expect(JSON.stringify(event).toLowerCase()).not.toContain('gone-dev');
    expect((await db.query(`SELECT count(*)::int AS n FROM audit_event WHERE strpos(lower(arguments::text || coalesce(error_message, '') || coalesce(target_id, '')), 'gone-dev') > 0`)).rows[0].n).toBe(0);
    // an ecosystem whose slug is the same word is not about the member: its row is kept as written
    const namesake = await client.request(`mutation { setEcosystemDigestDefaults(ecosystem: "gone-dev", locale: "en") { locale } }`, {}, admin);
    expect(namesake.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [ecosystemEvent] = await events({ operation: 'setEcosystemDigestDefaults' });
    expect(ecosystemEvent).toMatchObject({ targetType: 'ecosystem', targetId: 'gone-dev' });
    expect(JSON.parse(ecosystemEvent.arguments)).toMatchObject({ ecosystem: 'gone-dev' });
  });

  it('redacts secrets and e-mail addresses in arguments, before and after', async () => {
    const address = 'audit.person@example.net';
    await client.data(SET_PREFERENCES, { memberId: member.memberId, input: { email: address, digestOptIn: true } }, admin);
    await client.data(SET_PREFERENCES, { memberId: member.memberId, input: { email: `other.${address}`, digestOptIn: false } }, admin);
    const org = (await client.data(CREATE_ORG, { name: 'Initech' }, admin)).createOrganization;
    // overlaps the member's affiliation set above: refused (CONFLICT), recorded all the same
    const refused = await client.request(SET_AFFILIATION, { member: member.memberId, organization: org.id, startsAt: '2024-01-01T00:00:00Z', note: `told by ${address} ghp_${'a'.repeat(36)}` }, admin);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const [second] = await events({ operation: 'setMemberEmailPreferences' });
    expect(JSON.parse(second.arguments)).toEqual({ memberId: member.memberId, input: { email: '[redacted]', digestOptIn: false } });
    expect(JSON.parse(second.before)).toMatchObject({ memberId: member.memberId, email: '[redacted]', digestOptIn: true });
    const [affiliation] = await events({ operation: 'setAffiliation', targetId: member.memberId });
    expect(JSON.parse(affiliation.arguments).note).toBe('told by [email] [token]');
    expect(affiliation.errorCode).toBe('CONFLICT');

    const raw = (await db.query(`SELECT arguments::text || coalesce(before::text, '') || coalesce(after::text, '') || coalesce(error_message, '') AS text FROM audit_event`)).rows;
    expect(raw.length).toBeGreaterThan(0);
    for (const { text } of raw) {
      expect(text).not.toContain('@example.net');
      expect(text).not.toContain('ghp_');
    }
  });

  it('stores the request id the response carries in x-request-id', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}`, 'x-request-id': 'audit-e2e-request-1' },
      body: JSON.stringify({ query: CREATE_ORG, variables: { name: 'Umbrella' } }),
    });
    expect(response.status).toBe(200);
    const header = response.headers.get('x-request-id');
    expect(header).toBe('audit-e2e-request-1');
    const [event] = await events({ operation: 'createOrganization' });
    expect(event.requestId).toBe(header);

    const generated = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: CREATE_ORG, variables: { name: 'Hooli' } }),
    });
    const [latest] = await events({ operation: 'createOrganization' });
    expect(latest.requestId).toBe(generated.headers.get('x-request-id'));
    expect(latest.requestId).not.toBe(header);
  });

  it('records before and after of two concurrent changes of one target as a chain: the second starts from the first one\'s result', async () => {
    const org = (await client.data(CREATE_ORG, { name: 'Race Co' }, admin)).createOrganization;
    const RENAME = `mutation($id: ID!, $name: String) { updateOrganization(id: $id, name: $name) { id name } }`;
    // Hold the row so that both changes are under way at once: each has started (its audit row is
    // being written or written) and waits, on the row or on the other change, before it can end.
    const holder = await db.connect();
    let renames: Array<Promise<unknown>> | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM organization WHERE id = $1 FOR UPDATE', [org.id]);
      renames = [client.data(RENAME, { id: org.id, name: 'Race One' }, admin), client.data(RENAME, { id: org.id, name: 'Race Two' }, admin)];
      let waiting = 0;
      for (let attempt = 0; attempt < 400 && waiting < 2; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        const [row] = (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows;
        waiting = row.n;
      }
      expect(waiting).toBe(2);
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    await Promise.all(renames ?? []);
    const changes = (await events({ operation: 'updateOrganization', targetId: org.id })).sort((a, b) => Date.parse(a.completedAt) - Date.parse(b.completedAt) || Number(a.id) - Number(b.id));
    expect(changes).toHaveLength(2);
    const [first, second] = changes.map((event) => ({ before: JSON.parse(event.before).name, after: JSON.parse(event.after).name }));
    expect(first.before).toBe('Race Co');
    expect(second.before).toBe(first.after);
    expect((await db.query('SELECT name FROM organization WHERE id = $1', [org.id])).rows[0].name).toBe(second.after);
  });

  it('records each root mutation of one document on its own row', async () => {
    const data = await client.data(`mutation { a: createOrganization(name: "Stark") { id } b: createOrganization(name: "Wayne") { id } }`, {}, admin);
    const [wayne, stark] = await events({ operation: 'createOrganization' }, 2);
    expect([stark.targetId, wayne.targetId]).toEqual([data.a.id, data.b.id]);
    expect(stark.requestId).toBe(wayne.requestId);
  });

  it('refuses a mutation whose audit row cannot be written, changing nothing', async () => {
    await db.query(`ALTER TABLE audit_event ADD CONSTRAINT audit_e2e_refuse CHECK (operation <> 'createOrganization') NOT VALID`);
    try {
      const response = await client.request(CREATE_ORG, { name: 'Unaudited' }, admin);
      expect(response.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect((await db.query(`SELECT count(*)::int AS n FROM organization WHERE name = 'Unaudited'`)).rows[0].n).toBe(0);
    } finally {
      await db.query(`ALTER TABLE audit_event DROP CONSTRAINT audit_e2e_refuse`);
    }
  });

  it('leaves the row pending, with its before state, when the end of a change cannot be recorded', async () => {
    const org = (await client.data(CREATE_ORG, { name: 'Pending Co' }, admin)).createOrganization;
    await db.query(`
      CREATE FUNCTION audit_e2e_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
      CREATE TRIGGER audit_e2e_refuse_update BEFORE UPDATE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_e2e_refuse_update();
    `);
    try {
      const updated = (await client.data(UPDATE_ORG, { id: org.id, isCustomer: true }, admin)).updateOrganization;
      expect(updated.isCustomer).toBe(true); // the change was made: the caller gets its result
    } finally {
      await db.query(`DROP TRIGGER audit_e2e_refuse_update ON audit_event; DROP FUNCTION audit_e2e_refuse_update();`);
    }
    const [event] = await events({ operation: 'updateOrganization', targetId: org.id });
    expect(event).toMatchObject({ status: 'PENDING', outcome: 'pending', completedAt: null, after: null });
    expect(JSON.parse(event.before)).toMatchObject({ id: org.id, isCustomer: false });
    expect((await events({ status: 'PENDING' })).map((pending) => pending.id)).toEqual([event.id]);
  });

  it('pages newest first with first/after and counts across pages', async () => {
    const all = await events({ operation: 'createOrganization' }, 100);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const firstPage = (await client.data(EVENTS, { filter: { operation: 'createOrganization' }, first: 2 }, admin)).auditEvents;
    expect(firstPage.totalCount).toBe(all.length);
    expect(firstPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const secondPage = (await client.data(EVENTS, { filter: { operation: 'createOrganization' }, first: 2, after: firstPage.pageInfo.endCursor }, admin)).auditEvents;
    expect([...firstPage.edges, ...secondPage.edges].map((edge: { node: { id: string } }) => edge.node.id)).toEqual(all.slice(0, 4).map((event) => event.id));
    expect(secondPage.pageInfo.hasPreviousPage).toBe(true);

    const byActor = await events({ actor: `api-token:${admin.id}`, targetType: 'organization' }, 100);
    expect(byActor.length).toBeGreaterThan(all.length);
    expect(await events({ from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' })).toEqual([]);
    const reversed = await client.request(EVENTS, { filter: { from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' } }, admin);
    expect([reversed.errors?.[0]?.extensions?.code, reversed.errors?.[0]?.message]).toEqual(['BAD_USER_INPUT', 'filter.from must be before filter.to']);
    const tooMany = await client.request(EVENTS, { first: 101 }, admin);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets no one but an admin read the audit log', async () => {
    const anonymous = await client.request(EVENTS, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anonymous.data?.auditEvents ?? null).toBeNull();
    const { secret } = await app.get(SessionService, { strict: false }).create({
      memberId: member.memberId,
      githubAccountId: member.githubAccountId!,
      githubLogin: 'audit-dev',
      role: 'member',
      ttlSeconds: 3600,
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `cambrian_session=${secret}` },
      body: JSON.stringify({ query: EVENTS }),
    });
    const body = (await response.json()) as { data?: { auditEvents?: unknown } | null; errors?: Array<{ extensions?: { code?: string } }> };
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.data?.auditEvents ?? null).toBeNull();
  });
});
