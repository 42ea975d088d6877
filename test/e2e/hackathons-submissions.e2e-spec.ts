import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { MemberMergeService } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, createRepository, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';
import { HACKATHON_OPS as OPS, createHackathonAt } from './hackathon-helpers.js';

describe('GraphQL hackathons: submissions, and registrations and teams following member merges', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: { token: string };
  let people: Record<string, CreatedMember>;
  let hackathonId: string;
  let teamId: string;
  let pullRequestId: number;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    const eco = await createEcosystem(db, { slug: 'rwkv' });
    const repo = await createRepository(db, { ecosystemId: eco, owner: 'BlinkDL', name: 'RWKV-LM' });
    people = {};
    for (const login of ['ann', 'ben', 'cat', 'dan', 'eve']) people[login] = await createMember(db, { login });
    pullRequestId = 880_000_001;
    await db.query(
      `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, created_at, updated_at)
       VALUES ($1, $2, 42, 'Faster WKV kernel', 'open', $3, '2026-03-01T12:00:00Z', '2026-03-01T12:00:00Z')`,
      [pullRequestId, repo, people.ann.githubAccountId],
    );
    hackathonId = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'spring', min: 2, max: 4 }, 'REGISTRATION_OPEN');
    for (const login of ['ann', 'ben', 'cat']) await client.data(OPS.register, { id: hackathonId, member: login }, admin);
    teamId = (await client.data(OPS.createTeam, { id: hackathonId, member: 'ann', name: 'Kernels' }, admin)).createTeam.id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const save = (vars: Record<string, unknown>) => client.request(OPS.save, { team: teamId, ...vars }, admin);

  it('refuses a submission before the event runs', async () => {
    const response = await save({ title: 'Early' });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(response.errors?.[0].message).toMatch(/Submissions to spring are accepted only while it runs \(status registration_open\)/);
  });

  it('refuses a team below the minimum size', async () => {
    await client.data(OPS.status, { id: hackathonId, status: 'RUNNING' }, admin);
    const response = await save({ title: 'Alone' });
    expect(response.errors?.[0].message).toMatch(/Team "Kernels" has 1 member\(s\): spring needs at least 2 to submit/);
  });

  it('creates the submission with a normalised repository URL linked to the known repository, links and pull requests', async () => {
    const { hackathon } = await client.data(`{ hackathon(slug: "spring") { teams { inviteCode } } }`, {}, admin);
    await client.data(OPS.join, { code: hackathon.teams[0].inviteCode, member: 'ben' }, admin);
    const response = await save({
      title: ' WKV  on Metal ',
      description: 'A Metal kernel.',
      repo: 'github.com/blinkdl/rwkv-lm.git',
      links: ['https://example.org/demo', 'https://example.org/demo'],
      prs: ['blinkdl/rwkv-lm#42'],
    });
    expect(response.data.saveSubmission).toMatchObject({
      title: 'WKV on Metal',
      description: 'A Metal kernel.',
      repositoryUrl: 'https://github.com/blinkdl/rwkv-lm',
      repository: { fullName: 'BlinkDL/RWKV-LM' },
      links: ['https://example.org/demo'],
      pullRequests: [{ repositoryFullName: 'BlinkDL/RWKV-LM', number: 42, url: 'https://github.com/BlinkDL/RWKV-LM/pull/42' }],
    });
  });

  it('updates the one submission of the team, keeping what is not given', async () => {
    // as the admin: before results, a team's submission is visible only to its members, organisers and admins
    const first = (await client.data(`query($id: ID!) { team(id: $id) { submission { id } } }`, { id: teamId }, admin)).team.submission.id;
    const response = await save({ description: 'Now with benchmarks.', prs: [String(pullRequestId)], repo: 'https://github.com/someone/elsewhere' });
    expect(response.data.saveSubmission).toMatchObject({
      id: first,
      title: 'WKV on Metal',
      description: 'Now with benchmarks.',
      repositoryUrl: 'https://github.com/someone/elsewhere',
      repository: null,
      links: ['https://example.org/demo'],
      pullRequests: [{ number: 42 }],
    });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM submission WHERE team_id = $1`, [teamId]);
    expect(rows[0].n).toBe(1);
  });

  it.each([
    ['a repository off github.com', { repo: 'https://gitlab.com/a/b' }, 'BAD_USER_INPUT', /not on github.com/],
    ['a javascript: link', { links: ['javascript:alert(1)'] }, 'BAD_USER_INPUT', /not an http or https URL/],
    ['an unknown pull request', { prs: ['BlinkDL/RWKV-LM#999'] }, 'NOT_FOUND', /not known to Cambrian: BlinkDL\/RWKV-LM#999/],
    ['a malformed pull request', { prs: ['#1'] }, 'BAD_USER_INPUT', /is not a pull request/],
    ['an empty title', { title: '  ' }, 'BAD_USER_INPUT', /title: must be 1–200 characters/],
    ['an acting member outside the team', { acting: 'cat' }, 'CONFLICT', /@cat is not a member of team "Kernels"/],
  ])('refuses %s', async (_name, vars, code, message) => {
    const response = await save(vars);
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(response.errors?.[0].message).toMatch(message);
  });

  it('keeps a team with a submission from being left empty', async () => {
    await client.data(OPS.leave, { team: teamId, member: 'ben' }, admin);
    const response = await client.request(OPS.leave, { team: teamId, member: 'ann' }, admin);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(response.errors?.[0].message).toMatch(/last member of team "Kernels", which has a submission/);
    const { hackathon } = await client.data(`{ hackathon(slug: "spring") { teams { inviteCode } } }`, {}, admin);
    await client.data(OPS.join, { code: hackathon.teams[0].inviteCode, member: 'ben' }, admin);
  });

  it("makes a merged member's registration and team membership the survivor's, and gives them back on unmerge", async () => {
    const merges = app.get(MemberMergeService, { strict: false });
    // ben (registered, in Kernels) turns out to be dan (not registered)
    const merge = await merges.merge(people.dan.memberId, people.ben.memberId, { reason: 'same person', actor: 'test' });
    const read = async () =>
      (await client.data(`{ hackathon(slug: "spring") { registrations { member { login } } teams { captain { login } members { member { login } } } } }`))
        .hackathon;
    let hackathon = await read();
    expect(hackathon.registrations.map((r: { member: { login: string } }) => r.member.login)).toEqual(['ann', 'dan', 'cat']);
    expect(hackathon.teams[0].members.map((m: { member: { login: string } }) => m.member.login)).toEqual(['ann', 'dan']);
    // the survivor is registered and in a team already
    const again = await client.request(OPS.register, { id: hackathonId, member: 'dan' }, admin);
    expect(again.errors?.[0].message).toMatch(/@dan is already registered for spring/);
    const other = (await client.data(OPS.createTeam, { id: hackathonId, member: 'cat', name: 'Other' }, admin)).createTeam;
    const join = await client.request(OPS.join, { code: other.inviteCode, member: 'dan' }, admin);
    expect(join.errors?.[0].message).toMatch(/@dan is already in team "Kernels"/);
    // the team counts the survivor once, and the survivor can act for it
    expect((await client.data(OPS.transfer, { team: teamId, member: 'dan', acting: 'ann' }, admin)).transferTeamCaptain.captain.login).toBe('dan');
    hackathon = await read();
    expect(hackathon.teams[0].captain.login).toBe('dan');

    await merges.unmerge(merge.id, { actor: 'test' });
    hackathon = await read();
    expect(hackathon.registrations.map((r: { member: { login: string } }) => r.member.login)).toEqual(['ann', 'ben', 'cat']);
    expect(hackathon.teams[0].members.map((m: { member: { login: string } }) => m.member.login)).toEqual(['ben', 'ann']);
    expect((await client.request(OPS.register, { id: hackathonId, member: 'dan' }, admin)).errors).toBeUndefined();
  });

  it('refuses late edits once judging starts', async () => {
    await client.data(OPS.status, { id: hackathonId, status: 'JUDGING' }, admin);
    const response = await save({ description: 'late' });
    expect(response.errors?.[0].message).toMatch(/accepted only while it runs \(status judging\)/);
  });
});
