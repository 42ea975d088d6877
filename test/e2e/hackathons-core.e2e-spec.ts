import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { JobName, QueueName } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createRepository, createTrackedSource } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const CREATE = `mutation($slug: String!, $eco: String!, $repos: [String!], $aoe: Boolean, $startDate: String, $endDate: String,
    $startsAt: DateTime, $endsAt: DateTime, $min: Int, $max: Int, $label: String, $topic: String) {
  createHackathon(ecosystem: $eco, slug: $slug, name: "RWKV Hack", repositories: $repos, anywhereOnEarth: $aoe,
    startDate: $startDate, endDate: $endDate, startsAt: $startsAt, endsAt: $endsAt, minTeamSize: $min, maxTeamSize: $max,
    optInLabel: $label, trackedTopic: $topic) {
    id slug status anywhereOnEarth startDate endDate startsAt endsAt minTeamSize maxTeamSize optInLabel trackedTopic ecosystemSlug
    trackedRepositories { fullName }
  }
}`;

describe('GraphQL hackathons: create, read, change, status order, tracked repositories', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: { token: string };
  const window = { startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-03-03T00:00:00.000Z' };

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    const rwkv = await createEcosystem(db, { slug: 'rwkv' });
    await createRepository(db, { ecosystemId: rwkv, owner: 'BlinkDL', name: 'RWKV-LM' });
    const source = await createTrackedSource(db, { ecosystemId: rwkv, name: 'RWKV' });
    await createRepository(db, { owner: 'RWKV', name: 'rwkv.cpp', trackedSourceId: source });
    const other = await createEcosystem(db, { slug: 'other' });
    await createRepository(db, { ecosystemId: other, owner: 'else', name: 'where' });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('creates a hackathon in DRAFT with its repositories (by ecosystem id or tracked source), case-insensitively', async () => {
    const data = await client.data(CREATE, { slug: 'spring', eco: 'rwkv', repos: ['blinkdl/rwkv-lm', 'RWKV/rwkv.cpp'], ...window, label: 'hackathon-accepted', topic: 'RWKV-Hack' }, admin);
    expect(data.createHackathon).toMatchObject({
      slug: 'spring',
      status: 'DRAFT',
      anywhereOnEarth: false,
      startDate: null,
      ...window,
      minTeamSize: 1,
      maxTeamSize: 5,
      optInLabel: 'hackathon-accepted',
      trackedTopic: 'rwkv-hack',
      ecosystemSlug: 'rwkv',
      trackedRepositories: expect.arrayContaining([{ fullName: 'BlinkDL/RWKV-LM' }, { fullName: 'RWKV/rwkv.cpp' }]),
    });
    const read = await client.data(`{ hackathon(slug: "spring") { name trackedRepositories { fullName } } }`, {}, admin);
    expect(read.hackathon.trackedRepositories).toHaveLength(2);
  });

  it('computes an anywhere-on-earth window from calendar dates', async () => {
    const data = await client.data(CREATE, { slug: 'aoe', eco: 'rwkv', aoe: true, startDate: '2026-03-14', endDate: '2026-03-15' }, admin);
    expect(data.createHackathon).toMatchObject({
      anywhereOnEarth: true,
      startDate: '2026-03-14',
      endDate: '2026-03-15',
      startsAt: '2026-03-13T10:00:00.000Z',
      endsAt: '2026-03-16T12:00:00.000Z',
    });
  });

  it.each([
    ['a malformed slug', { slug: 'Bad Slug' }, 'BAD_USER_INPUT', /slug:/],
    ['a taken slug', { slug: 'spring' }, 'CONFLICT', /slug "spring" exists/],
    ['reversed window', { slug: 'rev', startsAt: window.endsAt, endsAt: window.startsAt }, 'BAD_USER_INPUT', /endsAt: must be after startsAt/],
    ['max below min', { slug: 'sizes', min: 4, max: 2 }, 'BAD_USER_INPUT', /maxTeamSize: must be at least minTeamSize/],
    ['a disqualifying label', { slug: 'lab', label: 'Spam-ok' }, 'BAD_USER_INPUT', /optInLabel/],
    ['a bad topic', { slug: 'top', topic: 'no spaces please' }, 'BAD_USER_INPUT', /trackedTopic/],
    ['an unknown ecosystem', { slug: 'eco', eco: 'nope' }, 'NOT_FOUND', /No ecosystem with slug "nope"/],
    ['a repository of another ecosystem', { slug: 'repo', repos: ['else/where'] }, 'NOT_FOUND', /Not a known repository of the hackathon's ecosystem: else\/where/],
    ['a malformed repository', { slug: 'repo2', repos: ['not a repo'] }, 'BAD_USER_INPUT', /"not a repo" is not a repository/],
  ])('refuses %s', async (_name, patch, code, message) => {
    const response = await client.request(CREATE, { eco: 'rwkv', ...window, ...patch }, admin);
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(response.errors?.[0].message).toMatch(message);
  });

  it('refuses mutations without an admin token', async () => {
    const response = await client.request(CREATE, { slug: 'anon', eco: 'rwkv', ...window });
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('moves the status one step at a time and refuses skips and steps back', async () => {
    const { hackathon } = await client.data(`{ hackathon(slug: "spring") { id } }`, {}, admin);
    const change = (status: string) =>
      client.request(`mutation($id: ID!, $status: HackathonStatus!) { changeHackathonStatus(id: $id, status: $status) { status } }`, { id: hackathon.id, status }, admin);
    const skip = await change('RUNNING');
    expect(skip.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(skip.errors?.[0].message).toMatch(/cannot move forward past a step from draft to running: the only next status is registration_open/);
    expect((await change('REGISTRATION_OPEN')).data.changeHackathonStatus.status).toBe('REGISTRATION_OPEN');
    const back = await change('DRAFT');
    expect(back.errors?.[0].message).toMatch(/cannot move back/);
    for (const status of ['RUNNING', 'JUDGING', 'FINISHED']) {
      expect((await change(status)).data.changeHackathonStatus.status).toBe(status);
    }
    expect((await change('FINISHED')).errors?.[0].message).toMatch(/already finished: a finished hackathon does not change status/);
    // moving to judging asked for the freeze of contribution eligibility, once (a job with a stable id)
    const queue = app.get<Queue>(getQueueToken(QueueName.Hackathons), { strict: false });
    const job = await queue.getJob(`freeze-contributions-${hackathon.id}`);
    expect(job?.name).toBe(JobName.FreezeHackathonContributions);
    expect(job?.data).toMatchObject({ hackathonId: hackathon.id });
  });

  it('updates fields, keeps what is not given, and validates the result as a whole', async () => {
    const { hackathon } = await client.data(`{ hackathon(slug: "aoe") { id } }`, {}, admin);
    const UPDATE = `mutation($id: ID!, $name: String, $max: Int, $endDate: String, $clear: Boolean) {
      updateHackathon(id: $id, name: $name, maxTeamSize: $max, endDate: $endDate, clearOptInLabel: $clear) { name maxTeamSize endsAt startsAt } }`;
    const updated = await client.data(UPDATE, { id: hackathon.id, name: 'AoE Hack', max: 3, endDate: '2026-03-16' }, admin);
    expect(updated.updateHackathon).toEqual({ name: 'AoE Hack', maxTeamSize: 3, startsAt: '2026-03-13T10:00:00.000Z', endsAt: '2026-03-17T12:00:00.000Z' });
    const bad = await client.request(UPDATE, { id: hackathon.id, endDate: '2026-03-01' }, admin);
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0].message).toMatch(/endDate: must not be before startDate/);
    const missing = await client.request(UPDATE, { id: '00000000-0000-4000-8000-000000000000', name: 'x' }, admin);
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('adds and removes tracked repositories, and refuses changes once eligibility is frozen', async () => {
    const { hackathon } = await client.data(`{ hackathon(slug: "aoe") { id } }`, {}, admin);
    const ADD = `mutation($id: ID!, $repos: [String!]!) { addHackathonRepositories(id: $id, repositories: $repos) { trackedRepositories { fullName } } }`;
    const REMOVE = `mutation($id: ID!, $repos: [String!]!) { removeHackathonRepositories(id: $id, repositories: $repos) { trackedRepositories { fullName } } }`;
    expect((await client.data(ADD, { id: hackathon.id, repos: ['BlinkDL/RWKV-LM', 'blinkdl/rwkv-lm'] }, admin)).addHackathonRepositories.trackedRepositories).toEqual([
      { fullName: 'BlinkDL/RWKV-LM' },
    ]);
    expect((await client.data(REMOVE, { id: hackathon.id, repos: ['BlinkDL/RWKV-LM'] }, admin)).removeHackathonRepositories.trackedRepositories).toEqual([]);
    await db.query(`UPDATE hackathon SET eligibility_frozen_at = now() WHERE id = $1`, [hackathon.id]);
    const frozen = await client.request(ADD, { id: hackathon.id, repos: ['BlinkDL/RWKV-LM'] }, admin);
    expect(frozen.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    const window = await client.request(`mutation($id: ID!) { updateHackathon(id: $id, maxTeamSize: 4) { id } }`, { id: hackathon.id }, admin);
    expect(window.errors?.[0].message).toMatch(/frozen.*maxTeamSize can no longer change/);
    const renamed = await client.data(`mutation($id: ID!) { updateHackathon(id: $id, description: "still editable") { description } }`, { id: hackathon.id }, admin);
    expect(renamed.updateHackathon.description).toBe('still editable');
  });

  it('lists hackathons by ecosystem and status with cursor paging', async () => {
    const LIST = `query($after: String, $status: HackathonStatus) { hackathons(ecosystem: "rwkv", status: $status, first: 1, after: $after) {
      totalCount edges { node { slug } } pageInfo { hasNextPage endCursor } } }`;
    const first = (await client.data(LIST, {}, admin)).hackathons;
    expect(first.totalCount).toBe(2);
    expect(first.edges.map((e: { node: { slug: string } }) => e.node.slug)).toEqual(['aoe']);
    const second = (await client.data(LIST, { after: first.pageInfo.endCursor }, admin)).hackathons;
    expect(second.edges.map((e: { node: { slug: string } }) => e.node.slug)).toEqual(['spring']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await client.data(LIST, { status: 'FINISHED' }, admin)).hackathons.totalCount).toBe(1);
    const unknown = await client.request(`{ hackathons(ecosystem: "nope") { totalCount } }`);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const both = await client.request(`{ hackathon(slug: "aoe", id: "x") { id } }`);
    expect(both.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
