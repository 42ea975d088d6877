import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { EcosystemSyncService } from '#libs/github';
import { StageService } from '#libs/members';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { closeWorkerGracefully, createWorkerProcess, type WorkerProcess } from '../../apps/worker/src/bootstrap.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';
import { HACKATHON_OPS as OPS } from './hackathon-helpers.js';
import { busiestPullRequestMonth, pullRequestsInWindow, retentionFromActivities, waitFor, type Participant } from './hackathon-flow-helpers.js';

/**
 * The whole hackathon flow on the RWKV data, through GraphQL (issue 5, "Done when"): the real sync
 * fills Cambrian from the GitHub simulator seeded with the RWKV export; a hackathon over the
 * month with the most pull request authors goes from draft to finished; those authors register
 * (by login, in another letter case), form teams and submit; their pull requests in the window
 * are counted; a matching run allocates scarce resources and is published once; judges score;
 * results and the 30/90-day retention come back. A worker process runs the jobs (the matching run,
 * the freeze at close).
 */
describe('hackathon flow on the RWKV data, draft to finished through GraphQL', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let api: NestFastifyApplication;
  let worker: WorkerProcess;
  let db: DataSource;
  let client: GraphqlClient;
  let admin: { token: string };
  let participants: Participant[];
  let judges: string[];
  let window: { startDate: string; endDate: string };
  let hackathonId: string;
  const teams: Array<{ id: string; name: string; inviteCode: string; members: Participant[] }> = [];
  const submissions: string[] = [];

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-hackathon-flow' });
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
    admin = { token: (await api.get(ApiTokenService, { strict: false }).create({ name: 'flow admin', role: 'admin' })).secret };
    worker = await createWorkerProcess();
    db = api.get(DataSource);

    await client.data(`mutation { createEcosystem(slug: "rwkv", name: "RWKV") { slug } }`, {}, admin);
    for (const [kind, name] of [
      ['USER', 'BlinkDL'],
      ['ORGANIZATION', 'RWKV'],
      ['REPOSITORY', 'josStorer/RWKV-Runner'],
    ]) {
      await client.data(
        `mutation($kind: TrackedSourceKind!, $name: String!) { addTrackedSource(ecosystem: "rwkv", kind: $kind, name: $name) { created } }`,
        { kind, name },
        admin,
      );
    }
    const [{ id: ecosystemId }] = await db.query(`SELECT id FROM ecosystem WHERE slug = 'rwkv'`);
    const result = await worker.app.get(EcosystemSyncService, { strict: false }).syncInProcess(ecosystemId, { concurrency: 3 });
    expect(result.failures).toEqual([]);
    await api.get(StageService, { strict: false }).recomputeEcosystem(ecosystemId);

    const month = await busiestPullRequestMonth(db);
    window = { startDate: month.startDate, endDate: month.endDate };
    participants = month.authors.slice(0, 4);
    judges = await db
      .query(
        `SELECT m.login FROM member m WHERE m.kind = 'person' AND m.login IS NOT NULL AND NOT (m.login = ANY($1::text[]))
          AND EXISTS (SELECT 1 FROM activity a WHERE a.member_id = m.id) ORDER BY m.login LIMIT 2`,
        [participants.map((p) => p.login)],
      )
      .then((rows: Array<{ login: string }>) => rows.map((row) => row.login));
  }, 240_000);

  afterAll(async () => {
    if (worker) await closeWorkerGracefully(worker);
    await api?.close();
    await env?.teardown();
    await sim?.close();
  });

  it('found a month with at least four pull request authors to invite', () => {
    expect(participants).toHaveLength(4);
    expect(judges).toHaveLength(2);
  });

  it('creates the hackathon over that month anywhere on earth, with the six repositories', async () => {
    const repositories = (await client.data(`{ repositories(ecosystem: "rwkv") { fullName } }`)).repositories.map(
      (r: { fullName: string }) => r.fullName,
    );
    const { createHackathon } = await client.data(
      `mutation($repos: [String!], $startDate: String!, $endDate: String!) {
        createHackathon(ecosystem: "rwkv", slug: "rwkv-flow", name: "RWKV Flow Hack", anywhereOnEarth: true,
          startDate: $startDate, endDate: $endDate, minTeamSize: 2, maxTeamSize: 3, optInLabel: "hackathon-accepted",
          repositories: $repos) { id status startsAt endsAt trackedRepositories { fullName } } }`,
      { repos: repositories, ...window },
      admin,
    );
    hackathonId = createHackathon.id;
    expect(createHackathon.status).toBe('DRAFT');
    expect(createHackathon.trackedRepositories).toHaveLength(6);
    expect(new Date(createHackathon.startsAt).toISOString()).toBe(new Date(`${window.startDate}T00:00:00+14:00`).toISOString());
    expect(new Date(createHackathon.endsAt).getTime()).toBe(new Date(`${window.endDate}T23:59:59-12:00`).getTime() + 1000);
  });

  it('opens registration; participants register by login in another letter case', async () => {
    expect((await client.data(OPS.status, { id: hackathonId, status: 'REGISTRATION_OPEN' }, admin)).changeHackathonStatus.status).toBe(
      'REGISTRATION_OPEN',
    );
    for (const [index, participant] of participants.entries()) {
      const { registerForHackathon } = await client.data(
        OPS.register,
        { id: hackathonId, member: participant.login.toUpperCase(), skills: index % 2 ? ['CUDA', 'cuda '] : ['Rust'], consent: true },
        admin,
      );
      expect(registerForHackathon.member).toEqual({ id: participant.memberId, login: participant.login });
    }
  });

  it('forms two teams through invite codes', async () => {
    for (const [index, members] of [participants.slice(0, 2), participants.slice(2, 4)].entries()) {
      const { createTeam } = await client.data(OPS.createTeam, { id: hackathonId, member: members[0].login, name: `Team ${index + 1}` }, admin);
      await client.data(OPS.join, { code: createTeam.inviteCode, member: members[1].login }, admin);
      teams.push({ id: createTeam.id, name: createTeam.name, inviteCode: createTeam.inviteCode, members });
    }
    const { hackathon } = await client.data(`{ hackathon(slug: "rwkv-flow") { teams { name captain { login } members { member { login } } } } }`);
    expect(hackathon.teams).toEqual(
      teams.map((team) => ({ name: team.name, captain: { login: team.members[0].login }, members: team.members.map((m) => ({ member: { login: m.login } })) })),
    );
  });

  it('runs; teams submit with their pull requests of the window', async () => {
    await client.data(OPS.status, { id: hackathonId, status: 'RUNNING' }, admin);
    const { hackathon } = await client.data(`{ hackathon(slug: "rwkv-flow") { startsAt endsAt } }`);
    for (const team of teams) {
      const pulls = await pullRequestsInWindow(db, team.members, hackathon.startsAt, hackathon.endsAt);
      const refs = pulls.slice(0, 3).map((p) => `${p.fullName}#${p.number}`);
      const { saveSubmission } = await client.data(
        OPS.save,
        { team: team.id, title: `${team.name} project`, repo: `https://github.com/${pulls[0]?.fullName ?? 'BlinkDL/RWKV-LM'}`, prs: refs },
        admin,
      );
      expect(saveSubmission.repository).not.toBeNull();
      expect(saveSubmission.pullRequests.map((p: { repositoryFullName: string; number: number }) => `${p.repositoryFullName}#${p.number}`).sort()).toEqual(
        [...refs].sort(),
      );
      submissions.push(saveSubmission.id);
    }
  });

  it("counts the participants' pull requests in the window in the tracked repositories", async () => {
    const { hackathon } = await client.data(
      `{ hackathon(slug: "rwkv-flow") { startsAt endsAt contributionCountsByParticipant { id pullRequests total }
         contributionCountsByTeam { id pullRequests total } } }`,
      {},
      admin,
    );
    let expectedTotal = 0;
    for (const participant of participants) {
      const pulls = await pullRequestsInWindow(db, [participant], hackathon.startsAt, hackathon.endsAt);
      const counted = hackathon.contributionCountsByParticipant.find((c: { id: string }) => c.id === participant.memberId);
      expect({ login: participant.login, pullRequests: counted?.pullRequests ?? 0 }).toEqual({ login: participant.login, pullRequests: pulls.length });
      expectedTotal += pulls.length;
    }
    expect(expectedTotal).toBeGreaterThan(0);
    const byTeam = new Map(hackathon.contributionCountsByTeam.map((c: { id: string; pullRequests: number }) => [c.id, c.pullRequests]));
    for (const team of teams) {
      const pulls = await pullRequestsInWindow(db, team.members, hackathon.startsAt, hackathon.endsAt);
      expect(byTeam.get(team.id)).toBe(pulls.length);
    }
  });

  it('allocates scarce resources by a matching run in the worker, reviewed and published once', async () => {
    const create = async (input: Record<string, unknown>) =>
      (await client.data(`mutation($h: ID!, $input: CreateResourceInput!) { createResource(hackathonId: $h, input: $input) { id } }`, { h: hackathonId, input }, admin))
        .createResource.id as string;
    const gpu = await create({ kind: 'GPU_HOURS', name: 'A100 hours', sponsor: 'RWKV Foundation', capacity: 10, perTeamMax: 8, tags: ['cuda'] });
    const credits = await create({ kind: 'API_CREDITS', name: 'Inference credits', capacity: 100, perTeamMax: 60 });
    const request = (teamId: string, resourceId: string, amount: number, rank: number, tags: string[] = []) =>
      client.data(`mutation($input: CreateResourceRequestInput!) { createResourceRequest(input: $input) { id } }`, { input: { teamId, resourceId, amount, rank, tags } }, admin);
    // both teams want more GPU hours than there are (16 of 10)
    await request(teams[0].id, gpu, 8, 1, ['cuda']);
    await request(teams[0].id, credits, 50, 2);
    await request(teams[1].id, gpu, 8, 1);
    const { startMatchingRun } = await client.data(`mutation($h: ID!) { startMatchingRun(hackathonId: $h) { created run { id } } }`, { h: hackathonId }, admin);
    expect(startMatchingRun.created).toBe(true);
    const RUN = `query($id: ID!) { matchingRun(id: $id) { status objective allocations { teamId resourceId units } explanations { teamId text } } }`;
    const draft = await waitFor('the matching run', async () => {
      const { matchingRun } = await client.data(RUN, { id: startMatchingRun.run.id }, admin);
      if (matchingRun.status === 'FAILED') throw new Error('the matching run failed');
      return matchingRun.status === 'DRAFT' ? matchingRun : null;
    });
    const units = (teamId: string, resourceId: string) =>
      draft.allocations.filter((a: { teamId: string; resourceId: string }) => a.teamId === teamId && a.resourceId === resourceId).reduce((n: number, a: { units: number }) => n + a.units, 0);
    // capacities and per-team maxima hold; the scarce GPU hours are all used, and every team gets some (fairness)
    expect(units(teams[0].id, gpu) + units(teams[1].id, gpu)).toBe(10);
    expect(units(teams[0].id, gpu)).toBeGreaterThan(0);
    expect(units(teams[1].id, gpu)).toBeGreaterThan(0);
    expect(units(teams[0].id, credits)).toBe(50);
    expect(draft.objective).toBeGreaterThan(0);
    expect(draft.explanations.map((e: { teamId: string }) => e.teamId).sort()).toEqual(teams.map((t) => t.id).sort());
    const PUBLISH = `mutation($id: ID!) { publishMatchingRun(id: $id) { notified run { status } } }`;
    expect((await client.data(PUBLISH, { id: startMatchingRun.run.id }, admin)).publishMatchingRun).toEqual({ notified: 2, run: { status: 'PUBLISHED' } });
    expect((await client.data(PUBLISH, { id: startMatchingRun.run.id }, admin)).publishMatchingRun.notified).toBe(0);
    for (const team of teams) {
      const { teamNotifications } = await client.data(`query($t: ID!) { teamNotifications(teamId: $t) { runId kind } }`, { t: team.id }, admin);
      expect(teamNotifications).toEqual([{ runId: startMatchingRun.run.id, kind: 'allocation_published' }]);
    }
  });

  it('moves to judging: eligibility is frozen once; judges with no conflict score both submissions', async () => {
    const before = (await client.data(`{ hackathon(slug: "rwkv-flow") { contributionCountsByTeam { id total } } }`, {}, admin)).hackathon;
    await client.data(OPS.status, { id: hackathonId, status: 'JUDGING' }, admin);
    // the move asked the worker for the freeze; asking again (as an organiser may) freezes once
    const { freezeContributions } = await client.data(`mutation { freezeContributions(hackathon: "rwkv-flow") { outcome } }`, {}, admin);
    expect(['frozen', 'already-frozen']).toContain(freezeContributions.outcome);
    const frozen = await waitFor('the freeze at close', async () => {
      const { hackathon } = await client.data(
        `{ hackathon(slug: "rwkv-flow") { eligibilityFrozenAt contributionCountsByTeam { id total } } }`,
        {},
        admin,
      );
      return hackathon.eligibilityFrozenAt ? hackathon : null;
    });
    expect(frozen.contributionCountsByTeam).toEqual(before.contributionCountsByTeam);
    const { createJudgingCriterion: impact } = await client.data(
      `mutation { createJudgingCriterion(hackathon: "rwkv-flow", name: "Impact", weight: 2) { id } }`,
      {},
      admin,
    );
    const { createJudgingCriterion: craft } = await client.data(
      `mutation { createJudgingCriterion(hackathon: "rwkv-flow", name: "Craft", weight: 1, scaleMin: 0, scaleMax: 5) { id } }`,
      {},
      admin,
    );
    // a participant cannot judge their own team's submission
    await client.data(`mutation($m: ID!) { addJudge(hackathon: "rwkv-flow", member: $m) { id } }`, { m: participants[0].login }, admin);
    const conflict = await client.request(
      `mutation($m: ID!, $s: ID!) { assignJudge(hackathon: "rwkv-flow", judge: $m, submission: $s) { judgeId } }`,
      { m: participants[0].login, s: submissions[0] },
      admin,
    );
    expect(conflict.errors?.[0].extensions?.code).toBe('CONFLICT');
    const values: Record<string, [number, number][]> = { [judges[0]]: [[9, 4], [6, 3]], [judges[1]]: [[8, 5], [7, 2]] };
    for (const judge of judges) {
      await client.data(`mutation($m: ID!) { addJudge(hackathon: "rwkv-flow", member: $m) { id } }`, { m: judge }, admin);
      for (const [index, submission] of submissions.entries()) {
        await client.data(`mutation($m: ID!, $s: ID!) { assignJudge(hackathon: "rwkv-flow", judge: $m, submission: $s) { judgeId } }`, { m: judge, s: submission }, admin);
        for (const [criterion, value] of [[impact.id, values[judge][index][0]], [craft.id, values[judge][index][1]]] as const) {
          await client.data(
            `mutation($m: ID!, $s: ID!, $c: ID!, $v: Float!) { scoreSubmission(hackathon: "rwkv-flow", judge: $m, submission: $s, criterion: $c, value: $v) { value } }`,
            { m: judge, s: submission, c: criterion, v: value },
            admin,
          );
        }
      }
    }
    const { hackathon } = await client.data(`{ hackathon(slug: "rwkv-flow") { judgingProgress { assignments fullyScored completion } } }`);
    expect(hackathon.judgingProgress).toEqual({ assignments: 4, fullyScored: 4, completion: 1 });
  });

  it('finishes with results and the 30/90-day retention', async () => {
    await client.data(OPS.status, { id: hackathonId, status: 'FINISHED' }, admin);
    const { hackathon } = await client.data(
      `{ hackathon(slug: "rwkv-flow") { status judgingResults { submissions { teamName rank judgesCompleted rawMean } }
         retention { participants firstTimeContributors stillContributing { days count } } } }`,
      {},
      admin,
    );
    expect(hackathon.status).toBe('FINISHED');
    expect(hackathon.judgingResults.submissions.map((s: { teamName: string; rank: number; judgesCompleted: number }) => [s.teamName, s.rank, s.judgesCompleted])).toEqual([
      ['Team 1', 1, 2],
      ['Team 2', 2, 2],
    ]);
    // weighted totals on 0–100 (impact 1–10 weight 2, craft 0–5 weight 1), worked by hand: ((2·8/9 + 4/5)/3 + (2·7/9 + 5/5)/3)/2
    expect(hackathon.judgingResults.submissions[0].rawMean).toBeCloseTo(((2 * 8) / 9 + 4 / 5 + (2 * 7) / 9 + 1) / 6 * 100, 6);
    expect(hackathon.retention.participants).toBe(4);
    const expected = await retentionFromActivities(db, participants, window);
    expect(hackathon.retention.firstTimeContributors).toBe(expected.firstTimeContributors);
    expect(hackathon.retention.stillContributing).toEqual(expected.stillContributing);
  });
});
