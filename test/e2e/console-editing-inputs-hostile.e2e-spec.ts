import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

/**
 * The console's editors (resources, resource requests, judging criteria, judge
 * assignments): the values a form could send, or a hand-made request could, against the existing
 * mutations. Every refusal must be a clear client error (BAD_USER_INPUT, NOT_FOUND or CONFLICT with a
 * message), never INTERNAL_SERVER_ERROR, and nothing odd may be stored.
 */
describe('bad values from the console editors', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let token: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    token = (await app.get(ApiTokenService, { strict: false }).create({ name: 'inputs', role: 'admin' })).secret;
    const eco = await createEcosystem(db, { slug: 'rwkv' });
    const ana = await createMember(db, { login: 'ana' });
    const one = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0]?.id as string;
    ids.hackathon = await one(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at) VALUES ($1, 'spring', 'Spring', 'running', now(), now() + interval '2 days') RETURNING id`,
      [eco],
    );
    await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id) VALUES ($1, $2)`, [ids.hackathon, ana.memberId]);
    ids.team = await one(`INSERT INTO team (hackathon_id, name, invite_code, captain_member_id) VALUES ($1, 'Alpha', 'alpha-code-0001', $2) RETURNING id`, [
      ids.hackathon,
      ana.memberId,
    ]);
    await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [ids.team, ids.hackathon, ana.memberId]);
    const created = await client.data(
      `mutation($h: ID!) { createResource(hackathonId: $h, input: { name: "A100 hours", kind: GPU_HOURS, capacity: 10, perTeamMax: 5 }) { id } }`,
      { h: ids.hackathon },
      { token },
    );
    ids.resource = created.createResource.id;
    const request = await client.data(
      `mutation($t: ID!, $r: ID!) { createResourceRequest(input: { teamId: $t, resourceId: $r, rank: 1, amount: 2 }) { id } }`,
      { t: ids.team, r: ids.resource },
      { token },
    );
    ids.request = request.createResourceRequest.id;
    const criterion = await client.data(`mutation { createJudgingCriterion(hackathon: "spring", name: "Impact", weight: 1, scaleMin: 0, scaleMax: 10) { id } }`, {}, { token });
    ids.criterion = criterion.createJudgingCriterion.id;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const RESOURCE = `mutation($h: ID!, $input: CreateResourceInput!) { createResource(hackathonId: $h, input: $input) { id name capacity perTeamMax sponsor eligibilitySkills } }`;
  const UPDATE_RESOURCE = `mutation($id: ID!, $input: UpdateResourceInput!) { updateResource(id: $id, input: $input) { id name capacity perTeamMax } }`;
  const UPDATE_REQUEST = `mutation($id: ID!, $input: UpdateResourceRequestInput!) { updateResourceRequest(id: $id, input: $input) { id rank amount tags } }`;
  const UPDATE_CRITERION = `mutation($id: ID!, $name: String, $description: String, $weight: Float, $scaleMin: Float, $scaleMax: Float) {
    updateJudgingCriterion(id: $id, name: $name, description: $description, weight: $weight, scaleMin: $scaleMin, scaleMax: $scaleMax) { id name weight scaleMin scaleMax }
  }`;
  const ASSIGN = `mutation($j: ID!, $s: ID!) { assignJudge(hackathon: "spring", judge: $j, submission: $s) { judgeId } }`;
  const ADD_JUDGE = `mutation($m: ID!) { addJudge(hackathon: "spring", member: $m) { id } }`;

  const base = { name: 'Credits', kind: 'API_CREDITS', capacity: 10, perTeamMax: 5 };
  const cases: Array<[string, string, () => Record<string, unknown>]> = [
    ['createResource capacity -1', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'neg-cap', capacity: -1 } })],
    ['createResource perTeamMax -1', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'neg-max', perTeamMax: -1 } })],
    ['createResource blank name', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: '   ' } })],
    ['createResource name of 201 characters', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'x'.repeat(201) } })],
    ['createResource name with NUL', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'a\u0000b' } })],
    ['createResource duplicate name in other case', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'a100 HOURS' } })],
    ['createResource sponsor of 100k characters', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'big-sponsor', sponsor: 's'.repeat(100_000) } })],
    ['createResource empty skill', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'empty-skill', eligibilitySkills: [''] } })],
    ['createResource 5000 skills', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'many-skills', eligibilitySkills: Array.from({ length: 5000 }, (_, i) => `s${i}`) } })],
    ['createResource skill of 10k characters', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'long-skill', eligibilitySkills: ['k'.repeat(10_000)] } })],
    ['createResource minTeamSize -1', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'neg-team', eligibilityMinTeamSize: -1 } })],
    ['createResource mentor hours without a mentor', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'mentor', kind: 'MENTOR_HOURS' } })],
    ['createResource mentor not a uuid', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'mentor2', kind: 'MENTOR_HOURS', mentorMemberId: 'not-a-member' } })],
    ['createResource mentor unknown uuid', RESOURCE, () => ({ h: ids.hackathon, input: { ...base, name: 'mentor3', kind: 'MENTOR_HOURS', mentorMemberId: '00000000-0000-4000-8000-000000000000' } })],
    ['createResource hackathon not a uuid', RESOURCE, () => ({ h: 'spring', input: { ...base, name: 'by-slug' } })],
    ['updateResource capacity -5', UPDATE_RESOURCE, () => ({ id: ids.resource, input: { capacity: -5 } })],
    ['updateResource blank name', UPDATE_RESOURCE, () => ({ id: ids.resource, input: { name: '' } })],
    ['updateResource id not a uuid', UPDATE_RESOURCE, () => ({ id: 'nope', input: { capacity: 3 } })],
    ['updateResource unknown id', UPDATE_RESOURCE, () => ({ id: '00000000-0000-4000-8000-000000000000', input: { capacity: 3 } })],
    ['updateResourceRequest rank 0', UPDATE_REQUEST, () => ({ id: ids.request, input: { rank: 0 } })],
    ['updateResourceRequest amount 0', UPDATE_REQUEST, () => ({ id: ids.request, input: { amount: 0 } })],
    ['updateResourceRequest amount -3', UPDATE_REQUEST, () => ({ id: ids.request, input: { amount: -3 } })],
    ['updateResourceRequest amount 2^31-1', UPDATE_REQUEST, () => ({ id: ids.request, input: { amount: 2_147_483_647 } })],
    ['updateResourceRequest rank 2^31-1', UPDATE_REQUEST, () => ({ id: ids.request, input: { rank: 2_147_483_647 } })],
    ['updateResourceRequest empty tag', UPDATE_REQUEST, () => ({ id: ids.request, input: { tags: [''] } })],
    ['updateResourceRequest tag with NUL', UPDATE_REQUEST, () => ({ id: ids.request, input: { tags: ['a\u0000'] } })],
    ['updateResourceRequest id not a uuid', UPDATE_REQUEST, () => ({ id: 'nope', input: { rank: 2 } })],
    ['updateJudgingCriterion weight 0', UPDATE_CRITERION, () => ({ id: ids.criterion, weight: 0 })],
    ['updateJudgingCriterion weight -1', UPDATE_CRITERION, () => ({ id: ids.criterion, weight: -1 })],
    ['updateJudgingCriterion weight 1e300', UPDATE_CRITERION, () => ({ id: ids.criterion, weight: 1e300 })],
    ['updateJudgingCriterion weight 0.00001', UPDATE_CRITERION, () => ({ id: ids.criterion, weight: 0.00001 })],
    ['updateJudgingCriterion scaleMin above scaleMax', UPDATE_CRITERION, () => ({ id: ids.criterion, scaleMin: 20 })],
    ['updateJudgingCriterion equal bounds', UPDATE_CRITERION, () => ({ id: ids.criterion, scaleMin: 5, scaleMax: 5 })],
    ['updateJudgingCriterion blank name', UPDATE_CRITERION, () => ({ id: ids.criterion, name: ' ' })],
    ['updateJudgingCriterion name of 10k characters', UPDATE_CRITERION, () => ({ id: ids.criterion, name: 'n'.repeat(10_000) })],
    ['updateJudgingCriterion description of 1M characters', UPDATE_CRITERION, () => ({ id: ids.criterion, description: 'd'.repeat(900_000) })],
    ['updateJudgingCriterion description with NUL', UPDATE_CRITERION, () => ({ id: ids.criterion, description: 'a\u0000' })],
    ['updateJudgingCriterion id not a uuid', UPDATE_CRITERION, () => ({ id: 'nope', weight: 2 })],
    ['assignJudge judge not a uuid', ASSIGN, () => ({ j: 'nope', s: '00000000-0000-4000-8000-000000000000' })],
    ['assignJudge submission not a uuid', ASSIGN, () => ({ j: '00000000-0000-4000-8000-000000000000', s: 'nope' })],
    ['addJudge member not a member', ADD_JUDGE, () => ({ m: 'no-such-login-xyz' })],
    ['addJudge member a NUL', ADD_JUDGE, () => ({ m: '\u0000' })],
  ];

  it('refuses every bad value with a clear client error, never INTERNAL_SERVER_ERROR', async () => {
    const offenders: string[] = [];
    for (const [name, query, variables] of cases) {
      const response = await client.request(query, variables(), { token });
      const error = response.errors?.[0];
      if (!error) {
        if (response.status >= 400) continue; // refused before GraphQL (body or document limits): a clear HTTP error
        offenders.push(`${name}: accepted (${String(JSON.stringify(response.data)).slice(0, 200)})`);
        continue;
      }
      const code = error.extensions?.code;
      if (!['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'DOCUMENT_TOO_LARGE'].includes(code) || !error.message) {
        offenders.push(`${name}: ${response.status} ${code} ${error.message.slice(0, 200)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
