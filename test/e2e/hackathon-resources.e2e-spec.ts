import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createHackathon, createTeam } from './hackathon-matching-helpers.js';
import { GraphqlClient } from './graphql-client.js';

const RESOURCE = `id kind name sponsor capacity perTeamMax tags mentorMemberId eligibilityMinTeamSize eligibilitySkills`;

describe('GraphQL hackathon resources and resource requests', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let token: string;
  let hackathonId: string;
  let teamId: string;
  let mentorId: string;

  const gql = (query: string, variables: Record<string, unknown> = {}) => client.data(query, variables, { token });
  const code = async (query: string, variables: Record<string, unknown> = {}) => {
    const answer = await client.request(query, variables, { token });
    return { code: answer.errors?.[0].extensions?.code, message: answer.errors?.[0].message ?? '' };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    token = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e organiser', role: 'admin' })).secret;
    hackathonId = await createHackathon(db, await createEcosystem(db, { slug: 'res' }), 'res-hack');
    teamId = await createTeam(db, hackathonId, 'Alpha', [(await createMember(db)).memberId]);
    mentorId = (await createMember(db, { login: 'bo-mentor' })).memberId;
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('creates, lists, changes and removes resources, a mentor among them', async () => {
    const { createResource: gpu } = await gql(
      `mutation($h: ID!) { createResource(hackathonId: $h, input: { kind: GPU_HOURS, name: " A100 hours ", sponsor: "Acme", capacity: 40,
        perTeamMax: 10, tags: ["CUDA", "cuda", "Fine-Tuning"], eligibilityMinTeamSize: 2 }) { ${RESOURCE} } }`,
      { h: hackathonId },
    );
    expect(gpu).toMatchObject({ kind: 'GPU_HOURS', name: 'A100 hours', sponsor: 'Acme', capacity: 40, perTeamMax: 10, tags: ['cuda', 'fine-tuning'], eligibilityMinTeamSize: 2 });
    const { createResource: mentor } = await gql(
      `mutation($h: ID!, $m: ID!) { createResource(hackathonId: $h, input: { kind: MENTOR_HOURS, name: "Mentor Bo", capacity: 6, perTeamMax: 2,
        mentorMemberId: $m, tags: ["rwkv"] }) { ${RESOURCE} } }`,
      { h: hackathonId, m: mentorId },
    );
    expect(mentor).toMatchObject({ kind: 'MENTOR_HOURS', mentorMemberId: mentorId, tags: ['rwkv'] });

    expect(await code(`mutation($h: ID!) { createResource(hackathonId: $h, input: { kind: DATASET, name: "a100 HOURS", capacity: 1, perTeamMax: 1 }) { id } }`, { h: hackathonId })).toMatchObject({ code: 'CONFLICT' });
    expect(await code(`mutation($h: ID!, $m: ID!) { createResource(hackathonId: $h, input: { kind: OTHER, name: "X", capacity: 1, perTeamMax: 1, mentorMemberId: $m }) { id } }`, { h: hackathonId, m: mentorId })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await code(`mutation { createResource(hackathonId: "00000000-0000-4000-8000-000000000000", input: { kind: OTHER, name: "X", capacity: 1, perTeamMax: 1 }) { id } }`)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await code(`mutation($h: ID!) { createResource(hackathonId: $h, input: { kind: OTHER, name: "X", capacity: 2000000000, perTeamMax: 1 }) { id } }`, { h: hackathonId })).toMatchObject({ code: 'BAD_USER_INPUT' });
    const anonymous = await client.request(`mutation($h: ID!) { createResource(hackathonId: $h, input: { kind: OTHER, name: "X", capacity: 1, perTeamMax: 1 }) { id } }`, { h: hackathonId });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const { updateResource } = await gql(`mutation($id: ID!) { updateResource(id: $id, input: { capacity: 30, sponsor: null, eligibilitySkills: ["CUDA"] }) { ${RESOURCE} } }`, { id: gpu.id });
    expect(updateResource).toMatchObject({ name: 'A100 hours', capacity: 30, sponsor: null, perTeamMax: 10, eligibilitySkills: ['cuda'] });
    const { hackathonResources } = await gql(`query($h: ID!) { hackathonResources(hackathonId: $h) { name } }`, { h: hackathonId });
    expect(hackathonResources.map((r: { name: string }) => r.name)).toEqual(['A100 hours', 'Mentor Bo']);
    await gql(`mutation($id: ID!) { deleteResource(id: $id) { id } }`, { id: mentor.id });
    expect(await code(`mutation($id: ID!) { deleteResource(id: $id) { id } }`, { id: mentor.id })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('files ranked requests for a resource or a kind, with unique ranks per team', async () => {
    const { createResource: dataset } = await gql(
      `mutation($h: ID!) { createResource(hackathonId: $h, input: { kind: DATASET, name: "Chinese NLP corpus", capacity: 5, perTeamMax: 1 }) { id } }`,
      { h: hackathonId },
    );
    const REQUEST = `id teamId resourceId kind amount rank tags`;
    const { createResourceRequest: first } = await gql(
      `mutation($t: ID!, $r: ID!) { createResourceRequest(input: { teamId: $t, resourceId: $r, amount: 1, rank: 1, tags: ["NLP"] }) { ${REQUEST} } }`,
      { t: teamId, r: dataset.id },
    );
    expect(first).toMatchObject({ teamId, resourceId: dataset.id, kind: null, amount: 1, rank: 1, tags: ['nlp'] });
    const { createResourceRequest: second } = await gql(
      `mutation($t: ID!) { createResourceRequest(input: { teamId: $t, kind: GPU_HOURS, amount: 8, rank: 2 }) { ${REQUEST} } }`,
      { t: teamId },
    );
    expect(second).toMatchObject({ resourceId: null, kind: 'GPU_HOURS', rank: 2 });

    expect(await code(`mutation($t: ID!) { createResourceRequest(input: { teamId: $t, kind: GPU_HOURS, amount: 1, rank: 1 }) { id } }`, { t: teamId })).toMatchObject({ code: 'CONFLICT' });
    const both = await code(`mutation($t: ID!, $r: ID!) { createResourceRequest(input: { teamId: $t, resourceId: $r, kind: DATASET, amount: 1, rank: 5 }) { id } }`, { t: teamId, r: dataset.id });
    expect(both.code).toBe('BAD_USER_INPUT');
    expect(both.message).toContain('either a resource or a kind');
    expect(await code(`mutation($t: ID!) { createResourceRequest(input: { teamId: $t, kind: DATASET, amount: 0, rank: 5 }) { id } }`, { t: teamId })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await code(`mutation { createResourceRequest(input: { teamId: "not-a-uuid", kind: DATASET, amount: 1, rank: 5 }) { id } }`)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await code(`mutation($id: ID!) { updateResourceRequest(id: $id, input: { rank: 1 }) { id } }`, { id: second.id })).toMatchObject({ code: 'CONFLICT' });

    const { updateResourceRequest } = await gql(`mutation($id: ID!) { updateResourceRequest(id: $id, input: { rank: 3, amount: 4 }) { rank amount } }`, { id: second.id });
    expect(updateResourceRequest).toEqual({ rank: 3, amount: 4 });
    const { resourceRequests } = await gql(`query($h: ID!, $t: ID) { resourceRequests(hackathonId: $h, teamId: $t) { rank } }`, { h: hackathonId, t: teamId });
    expect(resourceRequests).toEqual([{ rank: 1 }, { rank: 3 }]);
    await gql(`mutation($id: ID!) { deleteResourceRequest(id: $id) { id } }`, { id: first.id });
    expect((await gql(`query($h: ID!) { resourceRequests(hackathonId: $h) { id } }`, { h: hackathonId })).resourceRequests).toEqual([{ id: second.id }]);
  });
});
