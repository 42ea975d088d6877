import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { ContributionFreezeService } from '#libs/hackathons';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createActivities, createEcosystem, createMember, createRepository, nextSeq, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const FREEZE = `mutation($h: String!) { freezeContributions(hackathon: $h) { outcome decisions changes } }`;
const OVERRIDE = `mutation($h: String!, $key: String!, $reason: String!) {
  overrideContribution(hackathon: $h, key: $key, eligible: false, reason: $reason) { key } }`;
const MERGE = `mutation($into: ID!, $from: ID!) { mergeMembers(into: $into, from: $from, reason: "same person") { id } }`;
const CONTRIBUTIONS = `query($h: String!) { hackathon(slug: $h) { contributions { key kind number eligible reason frozen }
  contributionChanges { key changed } } }`;

describe('GraphQL hackathon contributions: window edges, bad input and member merges after the freeze', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: { token: string };
  let ecosystemId: number;
  let repositoryId: number;

  /** A judging hackathon over [2026-03-01, 2026-03-03) tracking the repository, with the members registered, each in a team of their own. */
  async function hackathon(members: CreatedMember[]) {
    const slug = `contrib-${nextSeq()}`;
    const { rows } = await db.query(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
       VALUES ($1, $2, 'Hostile', 'judging', '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z') RETURNING id`,
      [ecosystemId, slug],
    );
    await db.query(`INSERT INTO hackathon_repository (hackathon_id, repository_id) VALUES ($1, $2)`, [rows[0].id, repositoryId]);
    for (const member of members) {
      await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id) VALUES ($1, $2)`, [rows[0].id, member.memberId]);
      const team = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, $2, $3) RETURNING id`, [rows[0].id, `T${nextSeq()}`, `${slug}-${nextSeq()}`]);
      await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [team.rows[0].id, rows[0].id, member.memberId]);
    }
    return slug;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    ecosystemId = await createEcosystem(db, { slug: 'rwkv' });
    repositoryId = await createRepository(db, { ecosystemId });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('counts a pull request opened exactly at the start, not one opened exactly at the end (outside: not listed)', async () => {
    const author = await createMember(db, { login: `edge-${nextSeq()}` });
    const slug = await hackathon([author]);
    await createActivities(db, [
      { member: author, repositoryId, type: 'pull_request_opened', occurredAt: '2026-03-01T00:00:00Z', facts: { number: 101 } },
      { member: author, repositoryId, type: 'pull_request_opened', occurredAt: '2026-03-03T00:00:00Z', facts: { number: 102 } },
      { member: author, repositoryId, type: 'pull_request_opened', occurredAt: '2026-03-02T23:59:59.999Z', facts: { number: 103 } },
    ]);
    const { contributions } = (await client.data(CONTRIBUTIONS, { h: slug })).hackathon;
    expect(contributions.map((c: { number: number; eligible: boolean }) => [c.number, c.eligible])).toEqual([
      [101, true],
      [103, true],
    ]);
  });

  it('refuses malformed override input with a named error', async () => {
    const author = await createMember(db, { login: `bad-${nextSeq()}` });
    const slug = await hackathon([author]);
    const override = (variables: Record<string, unknown>) => client.request(OVERRIDE, { h: slug, key: `pr:${repositoryId}:1`, reason: 'r', ...variables }, admin);
    for (const [variables, code] of [
      [{ key: 'pr:1' }, 'BAD_USER_INPUT'],
      [{ key: 'x'.repeat(100_000) }, 'BAD_USER_INPUT'],
      [{ reason: '' }, 'BAD_USER_INPUT'],
      [{ reason: 'x'.repeat(2001) }, 'BAD_USER_INPUT'],
      [{ h: 'no-such-hackathon' }, 'NOT_FOUND'],
      [{ h: '' }, 'NOT_FOUND'],
      [{ h: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND'],
      [{ key: `pr:${repositoryId}:99999999999` }, 'BAD_USER_INPUT'],
      [{ key: `pr:${repositoryId}:7` }, 'NOT_FOUND'],
    ] as const) {
      const error = (await override(variables)).errors?.[0];
      expect([JSON.stringify(variables).slice(0, 80), error?.extensions?.code]).toEqual([JSON.stringify(variables).slice(0, 80), code]);
      expect(error?.message).not.toMatch(/violates|syntax for type|out of range|relation "/);
    }
    const anonymous = await client.request(FREEZE, { h: slug });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a reviewer merged into another member after the freeze: no change recorded, the review still counts once', async () => {
    const author = await createMember(db, { login: `author-${nextSeq()}` });
    const reviewer = await createMember(db, { login: `reviewer-${nextSeq()}` });
    const survivor = await createMember(db, { login: `survivor-${nextSeq()}` });
    const slug = await hackathon([author, reviewer]);
    await createActivities(db, [
      { member: author, repositoryId, type: 'pull_request_opened', occurredAt: '2026-03-01T10:00:00Z', facts: { number: 201 } },
      { member: reviewer, repositoryId, type: 'review', occurredAt: '2026-03-01T12:00:00Z', facts: { number: 201 } },
    ]);
    expect((await client.data(FREEZE, { h: slug }, admin)).freezeContributions).toMatchObject({ outcome: 'frozen', decisions: 2 });
    await client.data(MERGE, { into: survivor.memberId, from: reviewer.memberId }, admin);
    expect((await client.data(FREEZE, { h: slug }, admin)).freezeContributions).toMatchObject({ outcome: 'already-frozen', changes: 0 });
    const { contributions, contributionChanges } = (await client.data(CONTRIBUTIONS, { h: slug })).hackathon;
    expect(contributionChanges).toEqual([]);
    expect(contributions.map((c: { kind: string; eligible: boolean }) => [c.kind, c.eligible])).toEqual([
      ['pull_request', true],
      ['review', true],
    ]);
  });

  it('a draft or an event taking registrations over a past window is not frozen, so its window can still be corrected', async () => {
    const author = await createMember(db, { login: `draft-${nextSeq()}` });
    const slug = await hackathon([author]);
    for (const status of ['draft', 'registration_open']) {
      await db.query(`UPDATE hackathon SET status = $2 WHERE slug = $1`, [slug, status]);
      expect((await client.data(FREEZE, { h: slug }, admin)).freezeContributions).toMatchObject({ outcome: 'not-closed', decisions: 0 });
      await app.get(ContributionFreezeService, { strict: false }).sweep();
      const { rows } = await db.query(`SELECT eligibility_frozen_at FROM hackathon WHERE slug = $1`, [slug]);
      expect(rows[0].eligibility_frozen_at).toBeNull();
    }
    await db.query(`UPDATE hackathon SET status = 'running' WHERE slug = $1`, [slug]);
    expect((await client.data(FREEZE, { h: slug }, admin)).freezeContributions).toMatchObject({ outcome: 'frozen' });
  });
});
