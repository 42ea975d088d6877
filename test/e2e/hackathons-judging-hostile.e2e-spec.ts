import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, nextSeq, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient, type GraphqlResponse } from './graphql-client.js';

const CREATE_CRITERION = `mutation($h: String!, $name: String!, $weight: Float!, $min: Float, $max: Float) {
  createJudgingCriterion(hackathon: $h, name: $name, weight: $weight, scaleMin: $min, scaleMax: $max) { id } }`;
const UPDATE_CRITERION = `mutation($id: ID!, $min: Float, $max: Float, $weight: Float) {
  updateJudgingCriterion(id: $id, scaleMin: $min, scaleMax: $max, weight: $weight) { id scaleMin scaleMax } }`;
const ADD_JUDGE = `mutation($h: String!, $m: ID!) { addJudge(hackathon: $h, member: $m) { id } }`;
const REMOVE_JUDGE = `mutation($h: String!, $m: ID!) { removeJudge(hackathon: $h, member: $m) { id } }`;
const ASSIGN = `mutation($h: String!, $j: ID!, $s: ID!) { assignJudge(hackathon: $h, judge: $j, submission: $s) { judgeId } }`;
const SCORE = `mutation($h: String!, $j: ID!, $s: ID!, $c: ID!, $v: Float!, $comment: String) {
  scoreSubmission(hackathon: $h, judge: $j, submission: $s, criterion: $c, value: $v, comment: $comment) { value } }`;
const AUTO = `mutation($h: String!, $k: Int!) { autoAssignJudges(hackathon: $h, judgesPerSubmission: $k) { __typename } }`;
const MERGE = `mutation($into: ID!, $from: ID!) { mergeMembers(into: $into, from: $from, reason: "same person") { id } }`;

/** A GraphQL error that names the problem: a client error code, no internal error, no Postgres text. */
function expectClientError(response: GraphqlResponse, code: string, messagePart?: string | RegExp) {
  const error = response.errors?.[0];
  expect(error?.extensions?.code).toBe(code);
  expect(error?.message).not.toMatch(/violates|syntax for type|relation "|duplicate key|out of range|numeric field overflow/);
  if (messagePart) expect(error?.message).toMatch(messagePart);
}

describe('GraphQL hackathon judging against hostile input, races and member merges', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: { token: string };
  let ecosystemId: number;
  const people: Record<string, CreatedMember> = {};

  /** A hackathon with teams Alpha (ana) and Beta (bea), each with a submission. */
  async function hackathon(status: 'running' | 'judging') {
    const slug = `hostile-${nextSeq()}`;
    const { rows } = await db.query(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
       VALUES ($1, $2, 'Hostile', $3, '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z') RETURNING id`,
      [ecosystemId, slug, status],
    );
    const submissions: Record<string, string> = {};
    for (const [team, login] of [['Alpha', 'ana'], ['Beta', 'bea']] as const) {
      const t = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, $2, $3) RETURNING id`, [rows[0].id, team, `${slug}-${team}`]);
      await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [t.rows[0].id, rows[0].id, people[login].memberId]);
      const s = await db.query(`INSERT INTO submission (hackathon_id, team_id, title) VALUES ($1, $2, $3) RETURNING id`, [rows[0].id, t.rows[0].id, team]);
      submissions[team] = s.rows[0].id;
    }
    return { slug, submissions };
  }

  /** Waits until another backend waits for a lock (the request under test is blocked). */
  async function untilBlocked() {
    for (let i = 0; i < 200; i++) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the request never waited for a lock');
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = { token: (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret };
    ecosystemId = await createEcosystem(db, { slug: 'rwkv' });
    for (const login of ['ana', 'bea', 'jay', 'kim', 'jay-alt']) people[login] = await createMember(db, { login });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('answers bad input with an error that names it', async () => {
    const { slug, submissions } = await hackathon('judging');
    const create = (variables: Record<string, unknown>) => client.request(CREATE_CRITERION, { h: slug, name: 'X', weight: 1, ...variables }, admin);
    expectClientError(await create({ name: '' }), 'BAD_USER_INPUT', /name/);
    expectClientError(await create({ name: '   ' }), 'BAD_USER_INPUT', /name/);
    expectClientError(await create({ name: 'x'.repeat(100_000) }), 'BAD_USER_INPUT', /100 characters/);
    expectClientError(await create({ weight: -1 }), 'BAD_USER_INPUT', /weight/);
    expectClientError(await create({ weight: 1e308 }), 'BAD_USER_INPUT', /weight/);
    expectClientError(await create({ weight: 1e-9 }), 'BAD_USER_INPUT', /weight/);
    expectClientError(await create({ min: 10, max: 1 }), 'BAD_USER_INPUT', /scaleMax/);
    expectClientError(await create({ min: -1e12 }), 'BAD_USER_INPUT', /scaleMin/);
    expectClientError(await create({ weight: 'heavy' }), 'BAD_USER_INPUT');
    expectClientError(await client.request(CREATE_CRITERION, { h: 'no-such-hackathon', name: 'X', weight: 1 }, admin), 'NOT_FOUND', /no-such-hackathon/);
    expectClientError(await client.request(CREATE_CRITERION, { h: 'a\u0000b', name: 'X', weight: 1 }, admin), 'BAD_USER_INPUT', /NUL character .* variables\.h$/);
    expectClientError(await client.request(ADD_JUDGE, { h: 'x'.repeat(100_000), m: 'jay' }, admin), 'NOT_FOUND');
    // a NUL in a slug (which Postgres refuses in text) is refused before anything runs
    expectClientError(await client.request(`query($s: String!) { hackathon(slug: $s) { id } }`, { s: 'a\u0000b' }), 'BAD_USER_INPUT', /NUL/);
    // the slug in another letter case names the same hackathon, as the hackathon query does
    await client.data(CREATE_CRITERION, { h: ` ${slug.toUpperCase()}`, name: 'Upper', weight: 1 }, admin);
    expectClientError(await client.request(`{ hackathon(slug: "${slug}") { judgeAssignments(judge: "a\u0000b") { judgeId } } }`, {}, admin), 'BAD_USER_INPUT');
    expectClientError(await client.request(UPDATE_CRITERION, { id: 'not-a-uuid', min: 1 }, admin), 'BAD_USER_INPUT', /not-a-uuid/);
    expectClientError(await client.request(UPDATE_CRITERION, { id: '00000000-0000-0000-0000-000000000000', min: 1 }, admin), 'NOT_FOUND');
    const criterion = (await client.data(CREATE_CRITERION, { h: slug, name: 'Impact', weight: 1 }, admin)).createJudgingCriterion.id;
    expectClientError(await client.request(UPDATE_CRITERION, { id: criterion, min: 20 }, admin), 'BAD_USER_INPUT', /scaleMax/);

    expectClientError(await client.request(ADD_JUDGE, { h: slug, m: 'no-such-login-anywhere' }, admin), 'NOT_FOUND');
    expectClientError(await client.request(ADD_JUDGE, { h: slug, m: 'bad login!' }, admin), 'BAD_USER_INPUT');
    await client.data(ADD_JUDGE, { h: slug, m: 'jay' }, admin);
    expectClientError(await client.request(ADD_JUDGE, { h: slug, m: 'JAY' }, admin), 'CONFLICT');
    expectClientError(await client.request(ASSIGN, { h: slug, j: 'jay', s: 'nope' }, admin), 'BAD_USER_INPUT', /nope/);
    expectClientError(await client.request(ASSIGN, { h: slug, j: 'jay', s: '00000000-0000-0000-0000-000000000000' }, admin), 'NOT_FOUND');
    expectClientError(await client.request(ASSIGN, { h: slug, j: 'kim', s: submissions.Alpha }, admin), 'NOT_FOUND', /not a judge/);
    await client.data(ASSIGN, { h: slug, j: 'jay', s: submissions.Alpha }, admin);
    const score = (variables: Record<string, unknown>) =>
      client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: criterion, v: 5, ...variables }, admin);
    expectClientError(await score({ v: 11 }), 'BAD_USER_INPUT', /scale/);
    expectClientError(await score({ v: -1e300 }), 'BAD_USER_INPUT', /scale/);
    expectClientError(await score({ v: 5.00001 }), 'BAD_USER_INPUT', /decimals/);
    expectClientError(await score({ comment: 'x'.repeat(5001) }), 'BAD_USER_INPUT', /5000/);
    expectClientError(await score({ comment: 'a\u0000b' }), 'BAD_USER_INPUT', /NUL/);
    expectClientError(await score({ c: 'crit' }), 'BAD_USER_INPUT', /crit/);
    expectClientError(await score({ s: submissions.Beta }), 'CONFLICT', /assigned/);
    expectClientError(await client.request(AUTO, { h: slug, k: 0 }, admin), 'BAD_USER_INPUT');
    expectClientError(await client.request(AUTO, { h: slug, k: 2 ** 31 }, admin), 'BAD_USER_INPUT');
    expectClientError(await client.request(AUTO, { h: slug, k: 1_000_000 }, admin), 'BAD_USER_INPUT');
    const fields = ['judgeScores { value }', 'judgingResults { normalized }'];
    for (const field of fields) {
      expectClientError(await client.request(`{ hackathon(slug: "${slug}") { ${field} } }`), 'UNAUTHENTICATED');
    }
    for (const mutation of [ADD_JUDGE, REMOVE_JUDGE]) expectClientError(await client.request(mutation, { h: slug, m: 'kim' }), 'UNAUTHENTICATED');
    expectClientError(await score({}).then(() => client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: criterion, v: 5 })), 'UNAUTHENTICATED');
  });

  it('a score racing the withdrawal of its assignment is refused as not assigned, not an internal error', async () => {
    const { slug, submissions } = await hackathon('judging');
    const criterion = (await client.data(CREATE_CRITERION, { h: slug, name: 'Impact', weight: 1 }, admin)).createJudgingCriterion.id;
    await client.data(ADD_JUDGE, { h: slug, m: 'jay' }, admin);
    await client.data(ASSIGN, { h: slug, j: 'jay', s: submissions.Alpha }, admin);
    // the withdrawal's statement (unassignJudge's DELETE) in a transaction still open while the score arrives
    const withdrawal = await db.connect();
    try {
      await withdrawal.query('BEGIN');
      await withdrawal.query(`DELETE FROM judge_assignment WHERE submission_id = $1`, [submissions.Alpha]);
      const scoring = client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: criterion, v: 5 }, admin);
      await untilBlocked();
      await withdrawal.query('COMMIT');
      expectClientError(await scoring, 'CONFLICT', /assigned/);
    } finally {
      withdrawal.release();
    }
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM judge_score WHERE submission_id = $1`, [submissions.Alpha]);
    expect(rows[0].n).toBe(0);
  });

  it('an assignment racing the removal of its judge is refused as not a judge, not an internal error', async () => {
    const { slug, submissions } = await hackathon('running');
    await client.data(ADD_JUDGE, { h: slug, m: 'jay' }, admin);
    // removeJudge's statement in a transaction still open while the assignment arrives
    const removal = await db.connect();
    try {
      await removal.query('BEGIN');
      await removal.query(`DELETE FROM judge WHERE member_id = $1 AND hackathon_id = (SELECT id FROM hackathon WHERE slug = $2)`, [people.jay.memberId, slug]);
      const assigning = client.request(ASSIGN, { h: slug, j: 'jay', s: submissions.Beta }, admin);
      await untilBlocked();
      await removal.query('COMMIT');
      expectClientError(await assigning, 'NOT_FOUND', /not a judge/);
    } finally {
      removal.release();
    }
  });

  it('an assignment racing the deletion of its submission (a team deleted) is refused as not found', async () => {
    const { slug, submissions } = await hackathon('running');
    await client.data(ADD_JUDGE, { h: slug, m: 'jay' }, admin);
    const deletion = await db.connect();
    try {
      await deletion.query('BEGIN');
      await deletion.query(`DELETE FROM submission WHERE id = $1`, [submissions.Beta]);
      const assigning = client.request(ASSIGN, { h: slug, j: 'jay', s: submissions.Beta }, admin);
      await untilBlocked();
      await deletion.query('COMMIT');
      expectClientError(await assigning, 'NOT_FOUND', /submission/);
    } finally {
      deletion.release();
    }
  });

  it('a score racing a change of its criterion’s scale is checked against the new scale', async () => {
    const { slug, submissions } = await hackathon('judging');
    const criterion = (await client.data(CREATE_CRITERION, { h: slug, name: 'Impact', weight: 1 }, admin)).createJudgingCriterion.id;
    await client.data(ADD_JUDGE, { h: slug, m: 'jay' }, admin);
    await client.data(ASSIGN, { h: slug, j: 'jay', s: submissions.Alpha }, admin);
    // updateJudgingCriterion's lock and statement, in a transaction still open while the score arrives
    const change = await db.connect();
    try {
      await change.query('BEGIN');
      await change.query(`SELECT 1 FROM judging_criterion WHERE id = $1 FOR UPDATE`, [criterion]);
      await change.query(`UPDATE judging_criterion SET scale_max = 5 WHERE id = $1`, [criterion]);
      const scoring = client.request(SCORE, { h: slug, j: 'jay', s: submissions.Alpha, c: criterion, v: 8 }, admin);
      await untilBlocked();
      await change.query('COMMIT');
      expectClientError(await scoring, 'BAD_USER_INPUT', /from 1 to 5/);
    } finally {
      change.release();
    }
  });

  it('a judge merged into another member still judges under either login, and is not added twice', async () => {
    const { slug, submissions } = await hackathon('judging');
    const criterion = (await client.data(CREATE_CRITERION, { h: slug, name: 'Impact', weight: 1 }, admin)).createJudgingCriterion.id;
    await client.data(ADD_JUDGE, { h: slug, m: 'jay-alt' }, admin);
    await client.data(ASSIGN, { h: slug, j: 'jay-alt', s: submissions.Alpha }, admin);
    await client.data(MERGE, { into: people.kim.memberId, from: people['jay-alt'].memberId }, admin);
    // jay-alt's login now names kim, the survivor
    await client.data(SCORE, { h: slug, j: 'jay-alt', s: submissions.Alpha, c: criterion, v: 7 }, admin);
    await client.data(SCORE, { h: slug, j: 'kim', s: submissions.Alpha, c: criterion, v: 8 }, admin);
    const scores = await client.data(`{ hackathon(slug: "${slug}") { judgeScores(judge: "kim") { value } } }`, {}, admin);
    expect(scores.hackathon.judgeScores).toEqual([{ value: 8 }]);
    expectClientError(await client.request(ADD_JUDGE, { h: slug, m: 'kim' }, admin), 'CONFLICT');
    await client.data(REMOVE_JUDGE, { h: slug, m: 'kim' }, admin);
    const judges = await client.data(`{ hackathon(slug: "${slug}") { judges { id } } }`);
    expect(judges.hackathon.judges).toEqual([]);
  });

  it('a judge who is a team member through two merges (a chain) is refused for that team, by hand and by autoAssignJudges', async () => {
    const { slug, submissions } = await hackathon('running');
    const middle = await createMember(db, { login: `middle-${nextSeq()}` });
    const judge = await createMember(db, { login: `chain-judge-${nextSeq()}` });
    await client.data(ADD_JUDGE, { h: slug, m: judge.memberId }, admin);
    // ana (Alpha) merged into middle, then middle into the judge: the judge is ana now
    await client.data(MERGE, { into: middle.memberId, from: people.ana.memberId }, admin);
    await client.data(MERGE, { into: judge.memberId, from: middle.memberId }, admin);
    expectClientError(await client.request(ASSIGN, { h: slug, j: judge.memberId, s: submissions.Alpha }, admin), 'CONFLICT', /member of team "Alpha"/);
    await client.data(`mutation($h: String!) { autoAssignJudges(hackathon: $h, judgesPerSubmission: 1) { __typename } }`, { h: slug }, admin);
    const assigned = await client.data(`{ hackathon(slug: "${slug}") { judgeAssignments { submissionId } } }`, {}, admin);
    expect(assigned.hackathon.judgeAssignments).toEqual([{ submissionId: submissions.Beta }]);
  });
});
