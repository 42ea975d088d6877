import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  isEnumType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import {
  createActivities,
  createEcosystem,
  createMember,
  createRepository,
  createTrackedSource,
  type CreatedMember,
} from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

/** An e-mail address anywhere in a string (RFC 5322's common shape; enough to catch a leak). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
/** How deep the walk goes below each root field, and the most fields one document may select (the API allows 200). */
const MAX_DEPTH = 5;
const MAX_FIELDS_PER_DOCUMENT = 150;

/** Every string in a JSON answer, with its path. */
function strings(value: unknown, path: string, out: Array<{ path: string; value: string }>): void {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((item, i) => strings(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) strings(item, `${path}.${key}`, out);
}

describe('the public (anonymous) never sees an e-mail address anywhere in the schema', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let schema: GraphQLSchema;
  const people: Record<string, CreatedMember> = {};
  /** Values for required arguments, by argument name (root fields) — the demo-like data's ids and slugs. */
  const known: Record<string, unknown> = {};

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    schema = app.get(GraphQLSchemaHost, { strict: false }).schema;
    const admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };

    // demo-like data: an ecosystem with a repository and activity, people with e-mail identities (one known only by
    // e-mail), an organisation, a hackathon with registrations, a team, a submission, judging with a comment, digest
    // preferences, a merge whose reason quotes an address
    const ecosystemId = await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    const source = await createTrackedSource(db, { ecosystemId, kind: 'organization', name: 'RWKV' });
    const repositoryId = await createRepository(db, { owner: 'RWKV', name: 'rwkv-lm', ecosystemId, trackedSourceId: source });
    for (const login of ['ana', 'bob', 'jay']) people[login] = await createMember(db, { login, email: `${login}@private.example` });
    people.git = await createMember(db, { login: null, email: 'git-only@private.example', displayName: 'Git Only' });
    people.dup = await createMember(db, { login: 'ana-alt', email: 'ana.alt@private.example' });
    await createActivities(
      db,
      Object.values(people).map((member, i) => ({ member, repositoryId, type: 'commit', occurredAt: `2026-02-0${i + 1}T10:00:00Z` })),
    );
    const organizationId = (await db.query(`INSERT INTO organization (name, domains) VALUES ('OpenLab', '{openlab.example}') RETURNING id`)).rows[0].id;
    await client.data(
      `mutation($m: ID!, $o: ID!) { setAffiliation(member: $m, organization: $o, startsAt: "2025-01-01T00:00:00Z", note: "confirmed by ana@private.example") { id } }`,
      { m: people.ana.memberId, o: organizationId },
      admin,
    );
    await client.data(
      `mutation($from: ID!, $into: ID!) { mergeMembers(from: $from, into: $into, reason: "same person: ana.alt@private.example") { id } }`,
      { from: people.dup.memberId, into: people.ana.memberId },
      admin,
    );
    await client.data(
      `mutation($m: ID!) { setMemberEmailPreferences(memberId: $m, input: { email: "ana@private.example", digestOptIn: true }) { email } }`,
      { m: people.ana.memberId },
      admin,
    );
    const hackathonId = (
      await db.query(
        `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at) VALUES ($1, 'spring', 'Spring', 'judging',
           '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z') RETURNING id`,
        [ecosystemId],
      )
    ).rows[0].id;
    for (const login of ['ana', 'bob']) {
      await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id, skills, needs, email_consent) VALUES ($1, $2, '{rust}', '{gpu}', true)`, [
        hackathonId,
        people[login].memberId,
      ]);
    }
    const teamId = (
      await db.query(`INSERT INTO team (hackathon_id, name, invite_code, captain_member_id) VALUES ($1, 'Alpha', 'alpha-invite-0001', $2) RETURNING id`, [
        hackathonId,
        people.ana.memberId,
      ])
    ).rows[0].id;
    for (const login of ['ana', 'bob']) {
      await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [teamId, hackathonId, people[login].memberId]);
    }
    const submissionId = (
      await db.query(`INSERT INTO submission (hackathon_id, team_id, title, description) VALUES ($1, $2, 'Alpha', 'A model') RETURNING id`, [hackathonId, teamId])
    ).rows[0].id;
    const criterionId = (await db.query(`INSERT INTO judging_criterion (hackathon_id, name, weight) VALUES ($1, 'Impact', 1) RETURNING id`, [hackathonId])).rows[0].id;
    const judgeId = (await db.query(`INSERT INTO judge (hackathon_id, member_id) VALUES ($1, $2) RETURNING id`, [hackathonId, people.jay.memberId])).rows[0].id;
    await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [judgeId, submissionId]);
    await db.query(`INSERT INTO judge_score (judge_id, submission_id, criterion_id, value, comment) VALUES ($1, $2, $3, 8, 'write to jay@private.example')`, [
      judgeId,
      submissionId,
      criterionId,
    ]);
    Object.assign(known, {
      slug: 'spring',
      ecosystem: 'rwkv',
      hackathonId,
      teamId,
      memberId: people.ana.memberId,
      member: people.ana.memberId,
      login: 'ana',
      week: '2026-W06',
      weeks: [1],
      first: 10,
    });
    known.id = { organization: organizationId };
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  /** Arguments of root fields that take one of several optional ones (e.g. `hackathon(slug | id)`), by root field. */
  const rootArgs = (): Record<string, Record<string, unknown>> => ({
    ecosystem: { slug: 'rwkv' },
    hackathon: { slug: 'spring' },
    member: { id: known.memberId },
    organization: { id: (known.id as Record<string, unknown>).organization },
    team: { id: known.teamId },
    repository: { ref: 'RWKV/rwkv-lm' },
    // refused to the public anyway: any well-formed id
    matchingRun: { id: '00000000-0000-4000-8000-000000000000' },
  });

  /** A value for an argument: the root field's own, a known id or slug, an enum's first value; undefined when there is none. */
  function argumentValue(root: string, arg: GraphQLArgument): unknown {
    const own = rootArgs()[root];
    if (own && arg.name in own) return own[arg.name];
    if (arg.name === 'id') return undefined;
    if (arg.name in known) return known[arg.name];
    const type = getNamedType(arg.type);
    if (isEnumType(type)) return type.getValues()[0].name;
    return undefined;
  }

  /** `(a: 1, b: "x")` for the field's required arguments (and `first`, and a root field's own); null when a required one has no value. */
  function argumentsOf(root: string, field: GraphQLField<unknown, unknown>): string | null {
    const parts: string[] = [];
    for (const arg of field.args) {
      const value = argumentValue(root, arg);
      if (value === undefined) {
        if (isNonNullType(arg.type) && arg.defaultValue === undefined) return null;
        continue;
      }
      const own = rootArgs()[root];
      if (!isNonNullType(arg.type) && arg.name !== 'first' && !(own && arg.name in own)) continue;
      const literal = isEnumType(getNamedType(arg.type)) ? String(value) : JSON.stringify(value);
      parts.push(`${arg.name}: ${literal}`);
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** The selection of every field of `type` down to `depth` levels, with its field count. */
  function selection(type: GraphQLObjectType, depth: number): { text: string; count: number } {
    const parts: string[] = [];
    let count = 0;
    for (const field of Object.values(type.getFields())) {
      const args = argumentsOf('', field);
      if (args === null) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        parts.push(`${field.name}${args}`);
        count += 1;
      } else if (isObjectType(named) && depth > 1) {
        const inner = selection(named, depth - 1);
        if (inner.count === 0) continue;
        parts.push(`${field.name}${args} { ${inner.text} }`);
        count += inner.count + 1;
      }
    }
    return { text: parts.join(' '), count };
  }

  /** Documents that together select `type` below `prefix` (split by child field when one would be too large). */
  function documents(wrap: (inner: string) => string, type: GraphQLObjectType, depth: number): string[] {
    const whole = selection(type, depth);
    if (whole.count <= MAX_FIELDS_PER_DOCUMENT) return whole.count ? [wrap(whole.text)] : [];
    const out: string[] = [];
    const leaves: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const args = argumentsOf('', field);
      if (args === null) continue;
      const named = getNamedType(field.type);
      if (isLeafType(named)) leaves.push(`${field.name}${args}`);
      else if (isObjectType(named) && depth > 1) out.push(...documents((inner) => wrap(`${field.name}${args} { ${inner} }`), named, depth - 1));
    }
    if (leaves.length) out.push(wrap(leaves.join(' ')));
    return out;
  }

  it('walks every query reachable without credentials and finds no e-mail address in any answer or error', async () => {
    const queryType = schema.getQueryType()!;
    const leaks: string[] = [];
    let answered = 0;
    let stringsSeen = 0;
    for (const root of Object.values(queryType.getFields())) {
      const args = argumentsOf(root.name, root);
      if (args === null) throw new Error(`no value for a required argument of Query.${root.name}: add one to \`known\``);
      const named = getNamedType(root.type);
      const docs = isObjectType(named) ? documents((inner) => `{ ${root.name}${args} { ${inner} } }`, named, MAX_DEPTH) : [`{ ${root.name}${args} }`];
      for (const doc of docs) {
        const response = await client.request(doc);
        // every generated document is valid and within the limits (else the walk would prove nothing)
        expect(response.errors?.filter((e) => /^(GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|QUERY_TOO|DOCUMENT_TOO)/.test(String(e.extensions?.code))) ?? []).toEqual([]);
        const found: Array<{ path: string; value: string }> = [];
        strings(response.data, root.name, found);
        strings(response.errors, `${root.name}:errors`, found);
        stringsSeen += found.length;
        if (response.data && Object.values(response.data).some((v) => v !== null)) answered += 1;
        for (const { path, value } of found) if (EMAIL.test(value)) leaks.push(`${path}: ${value}`);
      }
    }
    expect(leaks).toEqual([]);
    // the walk saw the data: many answers and strings, not a wall of refusals
    expect(answered).toBeGreaterThan(20);
    expect(stringsSeen).toBeGreaterThan(500);
  });

  it('finds the addresses when an admin walks the same data (the walk can see them)', async () => {
    const admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'walk admin', role: 'admin' })).secret };
    const answer = await client.data(`{ member(id: "${people.ana.memberId}") { identities { email } } }`, {}, admin);
    expect(JSON.stringify(answer)).toMatch(EMAIL);
  });
});
