import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';
import { HACKATHON_OPS as OPS, createHackathonAt } from './hackathon-helpers.js';

describe('GraphQL hackathons: registration and teams', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: { token: string };
  let people: Record<string, CreatedMember>;
  let bot: CreatedMember;
  let deleted: CreatedMember;
  let hackathonId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 4 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    await createEcosystem(db, { slug: 'rwkv' });
    people = {};
    for (const login of ['Alice-Dev', 'bob', 'carol', 'dave', 'erin', 'frank']) people[login] = await createMember(db, { login });
    bot = await createMember(db, { kind: 'bot', login: 'helper[bot]' });
    deleted = await createMember(db, { kind: 'deleted' });
    hackathonId = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'spring', max: 3 }, 'REGISTRATION_OPEN');
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const register = (member: string, extra: Record<string, unknown> = {}, id = hackathonId) =>
    client.request(OPS.register, { id, member, ...extra }, admin);

  it('registers a member by GitHub login case-insensitively, with normalised tags and consent', async () => {
    const response = await register('@alice-DEV', { skills: [' CUDA', 'cuda', 'Fine-Tuning '], needs: ['GPU'], consent: true });
    expect(response.data.registerForHackathon).toMatchObject({
      skills: ['cuda', 'fine-tuning'],
      interests: [],
      needs: ['gpu'],
      emailConsent: true,
      withdrawnAt: null,
      member: { id: people['Alice-Dev'].memberId, login: 'Alice-Dev' },
    });
    const byId = await register(people.bob.memberId);
    expect(byId.data.registerForHackathon.member.login).toBe('bob');
  });

  it.each([
    ['a second registration', () => 'ALICE-dev', 'CONFLICT', /@Alice-Dev is already registered for spring/],
    ['an unknown login', () => 'nobody-here', 'NOT_FOUND', /No member with GitHub login "nobody-here"/],
    ['a string that is no login', () => 'not a login!', 'BAD_USER_INPUT', /is not a GitHub login/],
    ['a bot', () => bot.memberId, 'BAD_USER_INPUT', /is a bot: bots cannot take part/],
    ['the deleted-user sentinel', () => deleted.memberId, 'BAD_USER_INPUT', /deleted-user sentinel/],
    ['an unknown member id', () => '00000000-0000-4000-8000-000000000000', 'NOT_FOUND', /No member/],
  ])('refuses %s', async (_name, member, code, message) => {
    const response = await register(member());
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(response.errors?.[0].message).toMatch(message);
  });

  it('changes a registration, keeping what is not given, and refuses one of a member not registered', async () => {
    const UPDATE = `mutation($id: ID!, $member: String!, $interests: [String!], $consent: Boolean) {
      updateHackathonRegistration(hackathonId: $id, member: $member, interests: $interests, emailConsent: $consent) { skills interests needs emailConsent } }`;
    const updated = await client.data(UPDATE, { id: hackathonId, member: 'Alice-Dev', interests: ['Chinese  NLP', 'chinese nlp'], consent: false }, admin);
    expect(updated.updateHackathonRegistration).toEqual({ skills: ['cuda', 'fine-tuning'], interests: ['chinese nlp'], needs: ['gpu'], emailConsent: false });
    const missing = await client.request(UPDATE, { id: hackathonId, member: 'frank', interests: ['x'] }, admin);
    expect(missing.errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(missing.errors?.[0].message).toMatch(/@frank is not registered for spring/);
  });

  it('refuses tags over the caps', async () => {
    const response = await register('carol', { skills: ['x'.repeat(51)] });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(response.errors?.[0].message).toMatch(/skills: .* longer than 50 characters/);
  });

  it('refuses registration in draft, after it closed, and after the event runs', async () => {
    const draft = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'draft-one' }, 'DRAFT');
    expect((await register('carol', {}, draft)).errors?.[0].message).toMatch(/Registration for draft-one is not open \(status draft\)/);
    const closed = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'closed-one' }, 'REGISTRATION_OPEN');
    await client.data(`mutation($id: ID!) { updateHackathon(id: $id, registrationClosesAt: "2020-01-01T00:00:00Z") { id } }`, { id: closed }, admin);
    const late = await register('carol', {}, closed);
    expect(late.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(late.errors?.[0].message).toMatch(/closed at 2020-01-01T00:00:00.000Z/);
    const judging = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'judged' }, 'JUDGING');
    expect((await register('carol', {}, judging)).errors?.[0].message).toMatch(/not open \(status judging\)/);
  });

  it('withdraws and registers again; registrations list active ones only', async () => {
    await register('carol', { skills: ['rust'] });
    expect((await client.data(OPS.withdraw, { id: hackathonId, member: 'carol' }, admin)).withdrawFromHackathon.withdrawnAt).toEqual(expect.any(String));
    const list = async () =>
      (await client.data(`query { hackathon(slug: "spring") { registrations { member { login } } } }`)).hackathon.registrations.map(
        (r: { member: { login: string } }) => r.member.login,
      );
    expect(await list()).toEqual(['Alice-Dev', 'bob']);
    expect((await client.request(OPS.withdraw, { id: hackathonId, member: 'carol' }, admin)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const again = await register('carol', { skills: ['go'] });
    expect(again.data.registerForHackathon).toMatchObject({ skills: ['go'], withdrawnAt: null });
    expect(await list()).toEqual(['Alice-Dev', 'bob', 'carol']);
  });

  it('creates a team with its creator as captain and an invite code shown to admins only', async () => {
    const unregistered = await client.request(OPS.createTeam, { id: hackathonId, member: 'dave', name: 'Nope' }, admin);
    expect(unregistered.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(unregistered.errors?.[0].message).toMatch(/@dave is not registered for spring: register before joining a team/);
    const { createTeam } = await client.data(OPS.createTeam, { id: hackathonId, member: 'alice-dev', name: '  Token  Shifters ' }, admin);
    expect(createTeam).toMatchObject({ name: 'Token Shifters', captain: { login: 'Alice-Dev' }, members: [{ isCaptain: true, member: { login: 'Alice-Dev' } }] });
    expect(createTeam.inviteCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const anonymous = await client.data(`query($id: ID!) { team(id: $id) { name inviteCode } }`, { id: createTeam.id });
    expect(anonymous.team).toEqual({ name: 'Token Shifters', inviteCode: null });
    const sameName = await client.request(OPS.createTeam, { id: hackathonId, member: 'bob', name: 'token shifters' }, admin);
    expect(sameName.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(sameName.errors?.[0].message).toMatch(/A team named "token shifters" exists/);
    const twice = await client.request(OPS.createTeam, { id: hackathonId, member: 'Alice-Dev', name: 'Second' }, admin);
    expect(twice.errors?.[0].message).toMatch(/@Alice-Dev is already in team "Token Shifters" of spring/);
  });

  it('joins by invite code, enforces one team per member and the size limit, hands captaincy on leaving', async () => {
    const { hackathon } = await client.data(`{ hackathon(slug: "spring") { teams { id inviteCode } } }`, {}, admin);
    const [team] = hackathon.teams;
    await client.data(OPS.join, { code: team.inviteCode, member: 'bob' }, admin);
    expect((await client.request(OPS.join, { code: team.inviteCode, member: 'bob' }, admin)).errors?.[0].message).toMatch(/@bob is already in team/);
    expect((await client.request(OPS.join, { code: 'A'.repeat(22), member: 'carol' }, admin)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await client.request(OPS.join, { code: 'short', member: 'carol' }, admin)).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const joined = await client.data(OPS.join, { code: ` ${team.inviteCode} `, member: 'carol' }, admin);
    expect(joined.joinTeam.members.map((m: { member: { login: string } }) => m.member.login)).toEqual(['Alice-Dev', 'bob', 'carol']);
    await register('dave');
    const full = await client.request(OPS.join, { code: team.inviteCode, member: 'dave' }, admin);
    expect(full.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(full.errors?.[0].message).toMatch(/Team "Token Shifters" is full \(3 of at most 3 members\)/);

    const withdrawInTeam = await client.request(OPS.withdraw, { id: hackathonId, member: 'carol' }, admin);
    expect(withdrawInTeam.errors?.[0].message).toMatch(/@carol is in team "Token Shifters": leave the team before withdrawing/);

    const notCaptain = await client.request(OPS.transfer, { team: team.id, member: 'carol', acting: 'bob' }, admin);
    expect(notCaptain.errors?.[0].message).toMatch(/Only the captain/);
    const outsider = await client.request(OPS.transfer, { team: team.id, member: 'dave' }, admin);
    expect(outsider.errors?.[0].message).toMatch(/@dave is not a member of team "Token Shifters"/);
    expect((await client.data(OPS.transfer, { team: team.id, member: 'carol', acting: 'Alice-Dev' }, admin)).transferTeamCaptain.captain.login).toBe('carol');

    const left = await client.data(OPS.leave, { team: team.id, member: 'carol' }, admin);
    // the longest-standing of the others (alice, who created the team) takes over
    expect(left.leaveTeam).toEqual({ teamDeleted: false, team: { captain: { login: 'Alice-Dev' }, members: [{ member: { login: 'Alice-Dev' } }, { member: { login: 'bob' } }] } });
    expect((await client.request(OPS.leave, { team: team.id, member: 'carol' }, admin)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('deletes a team when its last member leaves', async () => {
    const { createTeam } = await client.data(OPS.createTeam, { id: hackathonId, member: 'dave', name: 'Solo' }, admin);
    expect((await client.data(OPS.leave, { team: createTeam.id, member: 'dave' }, admin)).leaveTeam).toEqual({ teamDeleted: true, team: null });
    expect((await client.data(`query($id: ID!) { team(id: $id) { id } }`, { id: createTeam.id })).team).toBeNull();
  });

  it('lets exactly as many concurrent joins in as the team has room for', async () => {
    const event = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'race', max: 3 }, 'REGISTRATION_OPEN');
    const racers: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const { memberId } = await createMember(db, { login: `racer-${i}` });
      racers.push(memberId);
      await register(memberId, {}, event);
    }
    const { createTeam } = await client.data(OPS.createTeam, { id: event, member: racers[0], name: 'Racers' }, admin);
    const results = await Promise.all(racers.slice(1).map((member) => client.request(OPS.join, { code: createTeam.inviteCode, member }, admin)));
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(2);
    for (const refused of results.filter((r) => r.errors)) {
      expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
      expect(refused.errors?.[0].message).toMatch(/is full \(3 of at most 3 members\)/);
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM team_member WHERE team_id = $1`, [createTeam.id]);
    expect(rows[0].n).toBe(3);
  });

  it('lets one member join only one of two teams when both joins race', async () => {
    const event = await createHackathonAt(client, admin.token, { eco: 'rwkv', slug: 'two-teams', max: 5 }, 'REGISTRATION_OPEN');
    for (const login of ['erin', 'frank', 'bob']) await register(login, {}, event);
    const a = (await client.data(OPS.createTeam, { id: event, member: 'erin', name: 'A' }, admin)).createTeam;
    const b = (await client.data(OPS.createTeam, { id: event, member: 'frank', name: 'B' }, admin)).createTeam;
    const results = await Promise.all([a, b].map((team) => client.request(OPS.join, { code: team.inviteCode, member: 'bob' }, admin)));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const refused = results.find((r) => r.errors)!;
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(refused.errors?.[0].message).toMatch(/@bob is already in (team "[AB]"|a team) of two-teams/);
  });

  it('refuses team changes once judging starts', async () => {
    const { hackathon } = await client.data(`{ hackathon(slug: "spring") { teams { id } } }`);
    const teamId = hackathon.teams[0].id;
    for (const status of ['RUNNING', 'JUDGING']) await client.data(OPS.status, { id: hackathonId, status }, admin);
    const response = await client.request(OPS.leave, { team: teamId, member: 'bob' }, admin);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(response.errors?.[0].message).toMatch(/Teams of spring can change only while registration is open or the event runs \(status judging\)/);
  });
});
