import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, nextSeq, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const CREATE_CRITERION = `mutation($h: String!, $name: String!, $weight: Float!, $min: Float, $max: Float) {
  createJudgingCriterion(hackathon: $h, name: $name, weight: $weight, scaleMin: $min, scaleMax: $max) { id name weight scaleMin scaleMax } }`;
const ADD_JUDGE = `mutation($h: String!, $m: ID!) { addJudge(hackathon: $h, member: $m) { id member { login } } }`;
const ASSIGN = `mutation($h: String!, $j: ID!, $s: ID!) { assignJudge(hackathon: $h, judge: $j, submission: $s) { judgeId submissionId member { login } } }`;
const SCORE = `mutation($h: String!, $j: ID!, $s: ID!, $c: ID!, $v: Float!, $comment: String) {
  scoreSubmission(hackathon: $h, judge: $j, submission: $s, criterion: $c, value: $v, comment: $comment) { value comment member { login } } }`;
const RESULTS = `query($h: String!, $n: Boolean) { hackathon(slug: $h) { judgingResults(normalized: $n) {
  normalized tieTolerance
  submissions { title teamName rank finalScore rawMean normalizedMean judgesCompleted team { name }
    judges { weightedTotal normalizedScore member { login } } tie { tiedWith broken explanation } }
  judges { member { login } scoredSubmissions degenerate } } } }`;
const PROGRESS = `query($h: String!) { hackathon(slug: $h) { judgingProgress {
  criteria assignments fullyScored partiallyScored notStarted completion
  judges { member { login } assigned fullyScored partiallyScored notStarted completion } } } }`;

type Status = 'running' | 'judging' | 'finished';

describe('GraphQL hackathon judging: conflicts of interest, scales, normalisation, ties, progress', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: { token: string };
  let ecosystemId: number;
  const people: Record<string, CreatedMember> = {};
  const orgs: Record<string, string> = {};

  /** A hackathon with teams Alpha (ana, alf), Beta (bea), Gamma (gus), each with a submission of the same name. */
  async function hackathon(status: Status) {
    const slug = `judging-${nextSeq()}`;
    const { rows } = await db.query(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
       VALUES ($1, $2, 'Judging test', $3, '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z') RETURNING id`,
      [ecosystemId, slug, status],
    );
    const hackathonId = rows[0].id;
    const submissions: Record<string, string> = {};
    for (const [team, members] of [
      ['Alpha', ['ana', 'alf']],
      ['Beta', ['bea']],
      ['Gamma', ['gus']],
    ] as const) {
      const t = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, $2, $3) RETURNING id`, [
        hackathonId,
        team,
        `${slug}-${team}`,
      ]);
      for (const login of members) {
        await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [
          t.rows[0].id,
          hackathonId,
          people[login].memberId,
        ]);
      }
      const s = await db.query(`INSERT INTO submission (hackathon_id, team_id, title) VALUES ($1, $2, $3) RETURNING id`, [
        hackathonId,
        t.rows[0].id,
        team,
      ]);
      submissions[team] = s.rows[0].id;
    }
    return { slug, submissions };
  }

  const setStatus = (slug: string, status: Status) => db.query(`UPDATE hackathon SET status = $2 WHERE slug = $1`, [slug, status]);

  async function criterion(slug: string, name: string, weight: number, min: number, max: number): Promise<string> {
    const data = await client.data(CREATE_CRITERION, { h: slug, name, weight, min, max }, admin);
    return data.createJudgingCriterion.id;
  }

  async function judges(slug: string, ...logins: string[]) {
    for (const login of logins) await client.data(ADD_JUDGE, { h: slug, m: login }, admin);
  }

  const affiliate = (login: string, org: string, startsAt: string | null, endsAt: string | null) =>
    db.query(`INSERT INTO affiliation (member_id, organization_id, source, starts_at, ends_at) VALUES ($1, $2, 'manual', $3, $4)`, [
      people[login].memberId,
      orgs[org],
      startsAt,
      endsAt,
    ]);

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    ecosystemId = await createEcosystem(db, { slug: 'rwkv' });
    for (const login of ['ana', 'alf', 'bea', 'gus', 'jay', 'kim', 'lou', 'max']) people[login] = await createMember(db, { login });
    const { rows } = await db.query(`INSERT INTO organization (name) VALUES ('OpenLab'), ('OldCo'), ('NewCo') RETURNING id, name`);
    for (const row of rows) orgs[row.name] = row.id;
    // lou is with OpenLab, as is gus (Gamma): a conflict now
    await affiliate('lou', 'OpenLab', '2020-01-01T00:00:00Z', null);
    await affiliate('gus', 'OpenLab', '2022-06-01T00:00:00Z', null);
    // jay was with OldCo until 2021, bea (Beta) still is: no conflict now
    await affiliate('jay', 'OldCo', '2019-01-01T00:00:00Z', '2021-01-01T00:00:00Z');
    await affiliate('bea', 'OldCo', '2018-01-01T00:00:00Z', null);
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('refuses a judge on the submission’s team and a judge sharing an organisation now; a past affiliation does not conflict', async () => {
    const { slug, submissions } = await hackathon('running');
    await judges(slug, 'alf', 'lou', 'jay');

    const sameTeam = await client.request(ASSIGN, { h: slug, j: 'alf', s: submissions.Alpha }, admin);
    expect(sameTeam.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'JUDGE_ON_TEAM_CONFLICT' });
    expect(sameTeam.errors?.[0].message).toBe(
      'conflict of interest: judge @alf is a member of team "Alpha", which made submission "Alpha"',
    );

    const sameOrganization = await client.request(ASSIGN, { h: slug, j: 'lou', s: submissions.Gamma }, admin);
    expect(sameOrganization.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'JUDGE_SAME_ORGANIZATION_CONFLICT' });
    expect(sameOrganization.errors?.[0].message).toContain('judge @lou and @gus');
    expect(sameOrganization.errors?.[0].message).toContain('organisation "OpenLab"');

    // jay's OldCo affiliation ended in 2021; bea is still there
    const past = await client.data(ASSIGN, { h: slug, j: 'jay', s: submissions.Beta }, admin);
    expect(past.assignJudge).toMatchObject({ submissionId: submissions.Beta, member: { login: 'jay' } });
    // alf may judge the other teams, and assigning twice changes nothing
    await client.data(ASSIGN, { h: slug, j: 'alf', s: submissions.Beta }, admin);
    await client.data(ASSIGN, { h: slug, j: 'alf', s: submissions.Beta }, admin);
    const listed = await client.data(`{ hackathon(slug: "${slug}") { judgeAssignments(judge: "alf") { submissionId } } }`, {}, admin);
    expect(listed.hackathon.judgeAssignments).toEqual([{ submissionId: submissions.Beta }]);
  });

  it('refuses a judge merged into a team member (member merges keep the old id on judge rows)', async () => {
    const { slug, submissions } = await hackathon('running');
    const alias = await createMember(db, { login: 'ana-alias' });
    await client.data(ADD_JUDGE, { h: slug, m: 'ana-alias' }, admin);
    await db.query(`UPDATE member SET merged_into_id = $2 WHERE id = $1`, [alias.memberId, people.ana.memberId]);
    const refused = await client.request(ASSIGN, { h: slug, j: alias.memberId, s: submissions.Alpha }, admin);
    expect(refused.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'JUDGE_ON_TEAM_CONFLICT' });
  });

  it('checks conflicts again at scoring: an affiliation that began after the assignment refuses the score', async () => {
    const { slug, submissions } = await hackathon('judging');
    const impact = await criterion(slug, 'Impact', 1, 1, 10);
    await judges(slug, 'max');
    await client.data(ASSIGN, { h: slug, j: 'max', s: submissions.Beta }, admin);
    await client.data(SCORE, { h: slug, j: 'max', s: submissions.Beta, c: impact, v: 5 }, admin);
    await affiliate('max', 'OldCo', new Date(Date.now() - 60_000).toISOString(), null);
    const refused = await client.request(SCORE, { h: slug, j: 'max', s: submissions.Beta, c: impact, v: 6 }, admin);
    expect(refused.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'JUDGE_SAME_ORGANIZATION_CONFLICT' });
    expect(refused.errors?.[0].message).toContain('organisation "OldCo"');
  });

  it('validates criteria and scores: weight > 0, scale bounds, values on the criterion’s scale, status, assignment', async () => {
    const { slug, submissions } = await hackathon('running');
    const bad = async (variables: Record<string, unknown>) =>
      (await client.request(CREATE_CRITERION, { h: slug, ...variables }, admin)).errors?.[0];
    expect((await bad({ name: 'Zero', weight: 0 }))?.message).toBe('weight must be greater than 0; got 0');
    expect((await bad({ name: 'Flat', weight: 1, min: 5, max: 5 }))?.message).toBe('scaleMax (5) must be greater than scaleMin (5)');
    const impact = await criterion(slug, 'Impact', 2, 1, 10);
    const craft = await criterion(slug, 'Craft', 1, 1, 5);
    expect((await bad({ name: 'impact', weight: 1 }))?.extensions).toEqual({ code: 'CONFLICT', reason: 'CRITERION_ALREADY_EXISTS' });
    await judges(slug, 'jay', 'kim');
    await client.data(ASSIGN, { h: slug, j: 'jay', s: submissions.Alpha }, admin);

    const running = await client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: impact, v: 5 }, admin);
    expect(running.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'JUDGING_STATUS_CONFLICT' });
    expect(running.errors?.[0].message).toContain('only while the hackathon is judging; it is running');
    await setStatus(slug, 'judging');

    for (const [c, v] of [
      [impact, 11],
      [impact, 0],
      [craft, 6],
      [craft, 2.00001],
    ] as const) {
      const outside = await client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c, v }, admin);
      expect(outside.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'SCORE_OUT_OF_SCALE_INVALID' });
    }
    const craftMessage = (await client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: craft, v: 6 }, admin)).errors?.[0];
    expect(craftMessage?.message).toContain('score 6 is outside the scale of "Craft": a number from 1 to 5');
    // both bounds are on the scale; a second score replaces the first
    await client.data(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: impact, v: 10 }, admin);
    const replaced = await client.data(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: impact, v: 1, comment: 'weak' }, admin);
    expect(replaced.scoreSubmission).toEqual({ value: 1, comment: 'weak', member: { login: 'jay' } });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM judge_score WHERE criterion_id = $1`, [impact]);
    expect(rows[0].n).toBe(1);

    const unassigned = await client.request(SCORE, { h: slug, j: 'kim', s: submissions.Alpha, c: impact, v: 5 }, admin);
    expect(unassigned.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'JUDGE_NOT_ASSIGNED_CONFLICT' });
    const notJudge = await client.request(SCORE, { h: slug, j: 'ana', s: submissions.Beta, c: impact, v: 5 }, admin);
    expect(notJudge.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', reason: 'JUDGE_NOT_FOUND' });
    // a scale that would exclude a given score is refused
    const narrowed = await client.request(
      `mutation($id: ID!) { updateJudgingCriterion(id: $id, scaleMin: 2) { id } }`,
      { id: impact },
      admin,
    );
    expect(narrowed.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'CRITERION_IN_USE_CONFLICT' });
    const anonymous = await client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: impact, v: 5 });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('ranks by raw mean, and normalisation per judge changes the ranking in a case where raw totals do not', async () => {
    const { slug, submissions } = await hackathon('judging');
    const impact = await criterion(slug, 'Impact', 2, 1, 10);
    const craft = await criterion(slug, 'Craft', 1, 1, 5);
    await judges(slug, 'jay', 'kim');
    // jay spreads widely (100, 0, 53.7); kim narrowly (38.0, 92.6, 76.9)
    const table = {
      jay: { Alpha: [10, 5], Beta: [1, 1], Gamma: [6, 3] },
      kim: { Alpha: [5, 2], Beta: [9, 5], Gamma: [8, 4] },
    } as const;
    for (const [judge, bySubmission] of Object.entries(table)) {
      for (const [team, [i, c]] of Object.entries(bySubmission)) {
        await client.data(ASSIGN, { h: slug, j: judge, s: submissions[team] }, admin);
        await client.data(SCORE, { h: slug, j: judge, s: submissions[team], c: impact, v: i }, admin);
        await client.data(SCORE, { h: slug, j: judge, s: submissions[team], c: craft, v: c }, admin);
      }
    }
    const raw = (await client.data(RESULTS, { h: slug, n: false }, admin)).hackathon.judgingResults;
    expect(raw.normalized).toBe(false);
    expect(raw.submissions.map((s: any) => [s.title, s.rank])).toEqual([
      ['Alpha', 1],
      ['Gamma', 2],
      ['Beta', 3],
    ]);
    expect(raw.submissions[0].rawMean).toBeCloseTo((100 + (100 * (2 * (4 / 9) + 1 / 4)) / 3) / 2, 9);
    expect(raw.submissions[0].team).toEqual({ name: 'Alpha' });
    expect(raw.submissions.every((s: any) => s.judgesCompleted === 2 && s.tie === null)).toBe(true);

    const normalized = (await client.data(RESULTS, { h: slug, n: true }, admin)).hackathon.judgingResults;
    expect(normalized.submissions.map((s: any) => [s.title, s.rank])).toEqual([
      ['Gamma', 1],
      ['Alpha', 2],
      ['Beta', 3],
    ]);
    // both means stay available whichever ranks
    expect(normalized.submissions[1].rawMean).toBeCloseTo(raw.submissions[0].rawMean, 9);
    expect(normalized.submissions[0].finalScore).toBe(normalized.submissions[0].normalizedMean);
    expect(normalized.judges).toEqual([
      expect.objectContaining({ scoredSubmissions: 3, degenerate: null }),
      expect.objectContaining({ scoredSubmissions: 3, degenerate: null }),
    ]);
    const scoresRead = await client.request(`{ hackathon(slug: "${slug}") { judgingResults { normalized } } }`);
    expect(scoresRead.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('explains ties: not broken when judges and means are equal, broken by more judges', async () => {
    const { slug, submissions } = await hackathon('judging');
    const impact = await criterion(slug, 'Impact', 1, 1, 10);
    await judges(slug, 'jay', 'kim');
    const score = async (judge: string, team: string, v: number) => {
      await client.data(ASSIGN, { h: slug, j: judge, s: submissions[team] }, admin);
      await client.data(SCORE, { h: slug, j: judge, s: submissions[team], c: impact, v }, admin);
    };
    await score('jay', 'Alpha', 7);
    await score('jay', 'Beta', 7);
    await score('jay', 'Gamma', 9);
    const tied = (await client.data(RESULTS, { h: slug, n: false }, admin)).hackathon.judgingResults.submissions;
    expect(tied.map((s: any) => [s.title, s.rank])).toEqual([
      ['Gamma', 1],
      ['Alpha', 2],
      ['Beta', 2],
    ]);
    expect(tied[1].tie).toEqual({
      tiedWith: [submissions.Beta],
      broken: false,
      explanation: 'tied with "Beta" at 66.67; not broken (1 judge each)',
    });
    expect(tied[0].tie).toBeNull();

    await score('kim', 'Beta', 7);
    const broken = (await client.data(RESULTS, { h: slug, n: false }, admin)).hackathon.judgingResults.submissions;
    expect(broken.map((s: any) => [s.title, s.rank])).toEqual([
      ['Gamma', 1],
      ['Beta', 2],
      ['Alpha', 3],
    ]);
    expect(broken[1].tie).toEqual({
      tiedWith: [submissions.Alpha],
      broken: true,
      explanation: 'tied with "Alpha" at 66.67; ahead of "Alpha": 2 judges completed it against 1',
    });
    expect(broken[2].tie.explanation).toBe('tied with "Beta" at 66.67; behind "Beta": 1 judge completed it against 2');
  });

  it('counts judge progress: fully, partially and not scored, and overall completion', async () => {
    const { slug, submissions } = await hackathon('judging');
    const impact = await criterion(slug, 'Impact', 2, 1, 10);
    const craft = await criterion(slug, 'Craft', 1, 1, 5);
    await judges(slug, 'jay', 'kim', 'max');
    for (const team of ['Alpha', 'Beta', 'Gamma']) await client.data(ASSIGN, { h: slug, j: 'jay', s: submissions[team] }, admin);
    await client.data(ASSIGN, { h: slug, j: 'kim', s: submissions.Alpha }, admin);
    const score = (judge: string, team: string, c: string, v: number) =>
      client.data(SCORE, { h: slug, j: judge, s: submissions[team], c, v }, admin);
    await score('jay', 'Alpha', impact, 8);
    await score('jay', 'Alpha', craft, 4);
    await score('jay', 'Beta', impact, 6);
    await score('kim', 'Alpha', impact, 3);
    await score('kim', 'Alpha', craft, 3);

    const progress = (await client.data(PROGRESS, { h: slug })).hackathon.judgingProgress;
    expect(progress).toEqual({
      criteria: 2,
      assignments: 4,
      fullyScored: 2,
      partiallyScored: 1,
      notStarted: 1,
      completion: 0.5,
      judges: [
        { member: { login: 'jay' }, assigned: 3, fullyScored: 1, partiallyScored: 1, notStarted: 1, completion: 1 / 3 },
        { member: { login: 'kim' }, assigned: 1, fullyScored: 1, partiallyScored: 0, notStarted: 0, completion: 1 },
        { member: { login: 'max' }, assigned: 0, fullyScored: 0, partiallyScored: 0, notStarted: 0, completion: null },
      ],
    });
    // a partial scoring does not count in the results; each judge has one completed submission (z = 0)
    const results = (await client.data(RESULTS, { h: slug, n: true }, admin)).hackathon.judgingResults;
    expect(results.submissions.map((s: any) => [s.title, s.rank, s.judgesCompleted])).toEqual([
      ['Alpha', 1, 2],
      ['Beta', null, 0],
      ['Gamma', null, 0],
    ]);
    expect(results.judges.map((j: any) => j.degenerate)).toEqual(['SINGLE_SUBMISSION', 'SINGLE_SUBMISSION']);

    // withdrawing an assignment removes its scores from the progress
    await client.data(
      `mutation($h: String!, $s: ID!) { unassignJudge(hackathon: $h, judge: "jay", submission: $s) { submissionId } }`,
      { h: slug, s: submissions.Beta },
      admin,
    );
    const after = (await client.data(PROGRESS, { h: slug })).hackathon.judgingProgress;
    expect([after.assignments, after.fullyScored, after.partiallyScored, after.notStarted]).toEqual([3, 2, 0, 1]);
  });

  it('auto-assigns k judges per submission, avoiding conflicts, balancing loads, adding nothing the second time', async () => {
    const { slug, submissions } = await hackathon('running');
    await judges(slug, 'alf', 'lou', 'jay', 'kim'); // alf is on Alpha; lou shares OpenLab with gus (Gamma)
    const AUTO = `mutation($h: String!, $k: Int!) { autoAssignJudges(hackathon: $h, judgesPerSubmission: $k) {
      created { submissionId member { login } } short { submissionId judges eligible } } }`;
    const first = (await client.data(AUTO, { h: slug, k: 2 }, admin)).autoAssignJudges;
    expect(first.short).toEqual([]);
    expect(first.created).toHaveLength(6);
    const pairs = first.created.map((a: any) => `${a.member.login}-${a.submissionId}`);
    expect(pairs).not.toContain(`alf-${submissions.Alpha}`);
    expect(pairs).not.toContain(`lou-${submissions.Gamma}`);
    const loads = new Map<string, number>();
    for (const a of first.created) loads.set(a.member.login, (loads.get(a.member.login) ?? 0) + 1);
    expect(Math.max(...loads.values())).toBe(2);
    expect((await client.data(AUTO, { h: slug, k: 2 }, admin)).autoAssignJudges.created).toEqual([]);

    const more = (await client.data(AUTO, { h: slug, k: 4 }, admin)).autoAssignJudges;
    expect(more.created).toHaveLength(4);
    expect(more.short).toEqual(
      expect.arrayContaining([
        { submissionId: submissions.Alpha, judges: 3, eligible: 3 },
        { submissionId: submissions.Gamma, judges: 3, eligible: 3 },
      ]),
    );
    const bad = await client.request(AUTO, { h: slug, k: 0 }, admin);
    expect(bad.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'JUDGING_INVALID' });
  });

  it('freezes judging once the hackathon is finished', async () => {
    const { slug } = await hackathon('finished');
    const refused = await client.request(CREATE_CRITERION, { h: slug, name: 'Late', weight: 1 }, admin);
    expect(refused.errors?.[0].extensions).toEqual({ code: 'CONFLICT', reason: 'JUDGING_STATUS_CONFLICT' });
    const unknown = await client.request(CREATE_CRITERION, { h: 'no-such-hackathon', name: 'X', weight: 1 }, admin);
    expect(unknown.errors?.[0].extensions).toEqual({ code: 'NOT_FOUND', reason: 'HACKATHON_NOT_FOUND' });
  });
});
