import type { DataSource } from 'typeorm';
import { graphqlRequest } from './graphql-client.js';

/** Slug of the demo's hackathon. */
export const DEMO_HACKATHON_SLUG = 'rwkv-hack-demo';

const HACKATHON = `query($slug: String!) { hackathon(slug: $slug) { id status startDate endDate startsAt endsAt
  teams { name members { member { login } } submission { title pullRequests { repositoryFullName number } } }
  registrations { id } } }`;
const CREATE = `mutation($slug: String!, $startDate: String!, $endDate: String!, $repos: [String!]) {
  createHackathon(ecosystem: "rwkv", slug: $slug, name: "RWKV Community Hack (demo)", anywhereOnEarth: true,
    startDate: $startDate, endDate: $endDate, minTeamSize: 2, maxTeamSize: 3, optInLabel: "hackathon-accepted", repositories: $repos) { id } }`;
const STATUS = `mutation($id: ID!, $status: HackathonStatus!) { changeHackathonStatus(id: $id, status: $status) { status } }`;
const REGISTER = `mutation($id: ID!, $member: String!, $skills: [String!]) {
  registerForHackathon(hackathonId: $id, member: $member, skills: $skills, emailConsent: true) { id } }`;
const CREATE_TEAM = `mutation($id: ID!, $member: String!, $name: String!) { createTeam(hackathonId: $id, member: $member, name: $name) { id inviteCode } }`;
const JOIN = `mutation($code: String!, $member: String!) { joinTeam(inviteCode: $code, member: $member) { id } }`;
const SUBMIT = `mutation($team: ID!, $title: String!, $repo: String, $prs: [String!]) {
  saveSubmission(teamId: $team, title: $title, repositoryUrl: $repo, pullRequests: $prs) { id } }`;
const REPOSITORIES = `{ repositories(ecosystem: "rwkv") { fullName } }`;
const COUNTS = `query($slug: String!) { hackathon(slug: $slug) { contributionCountsByTeam { name pullRequests reviews total } } }`;
const FREEZE = `mutation($slug: String!) { freezeContributions(hackathon: $slug) { outcome decisions } }`;
const CRITERION = `mutation($slug: String!, $name: String!, $weight: Float!) { createJudgingCriterion(hackathon: $slug, name: $name, weight: $weight) { id } }`;
const ADD_JUDGE = `mutation($slug: String!, $member: ID!) { addJudge(hackathon: $slug, member: $member) { id } }`;
const ASSIGN = `mutation($slug: String!, $judge: ID!, $submission: ID!) { assignJudge(hackathon: $slug, judge: $judge, submission: $submission) { judgeId } }`;
const SCORE = `mutation($slug: String!, $judge: ID!, $submission: ID!, $criterion: ID!, $value: Float!) {
  scoreSubmission(hackathon: $slug, judge: $judge, submission: $submission, criterion: $criterion, value: $value) { value } }`;
const RESULTS = `query($slug: String!) { hackathon(slug: $slug) {
  judgingResults { submissions { teamName rank rawMean judgesCompleted } }
  retention { participants firstTimeContributors stillContributing { days count } } } }`;

interface DemoHackathon {
  id: string;
  status: string;
  startDate: string;
  endDate: string;
  teams: Array<{ name: string; members: Array<{ member: { login: string } }>; submission: { title: string; pullRequests: unknown[] } | null }>;
  registrations: unknown[];
}

/**
 * The hackathon step of the demo, on the synced RWKV data and entirely through GraphQL as an
 * admin: a hackathon "anywhere on earth" over the calendar month with the most pull request
 * authors, those authors registered by login and put in two teams, submissions linking their pull
 * requests of the month, contributions counted, eligibility frozen at judging, two judges scoring,
 * finished with results and 30/90-day retention. A hackathon left by an earlier run is reported,
 * not redone.
 * @returns lines for the demo to print.
 */
export async function runDemoHackathon(graphqlUrl: string, token: string, dataSource: DataSource): Promise<string[]> {
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => graphqlRequest<T>(graphqlUrl, query, variables, token);
  const existing = (await gql<{ hackathon: DemoHackathon | null }>(HACKATHON, { slug: DEMO_HACKATHON_SLUG })).hackathon;
  if (existing?.status === 'FINISHED') return [`hackathon ${DEMO_HACKATHON_SLUG}: finished in an earlier run`, ...(await summary(gql))];
  if (existing) return [`hackathon ${DEMO_HACKATHON_SLUG}: left ${existing.status.toLowerCase()} by an interrupted run; run with --fresh to redo it`];

  const month = await busiestMonth(dataSource);
  if (month.authors.length < 4) return [`hackathon step skipped: no month has four pull request authors`];
  const lines: string[] = [];
  const repos = (await gql<{ repositories: Array<{ fullName: string }> }>(REPOSITORIES)).repositories.map((r) => r.fullName);
  const { createHackathon } = await gql<{ createHackathon: { id: string } }>(CREATE, {
    slug: DEMO_HACKATHON_SLUG,
    startDate: month.startDate,
    endDate: month.endDate,
    repos,
  });
  const id = createHackathon.id;
  lines.push(
    `hackathon ${DEMO_HACKATHON_SLUG}: ${month.startDate} to ${month.endDate} anywhere on earth over ${repos.length} repositories ` +
      `(the month with the most pull request authors: ${month.authors.length})`,
  );
  await gql(STATUS, { id, status: 'REGISTRATION_OPEN' });
  const participants = month.authors.slice(0, 4);
  for (const [index, login] of participants.entries()) {
    await gql(REGISTER, { id, member: login.toUpperCase(), skills: index % 2 ? ['cuda'] : ['rust'] });
  }
  lines.push(`  registered ${participants.map((login) => `@${login}`).join(', ')} (by login, in upper case)`);
  const teams: Array<{ id: string; name: string; members: string[] }> = [];
  for (const [index, members] of [participants.slice(0, 2), participants.slice(2, 4)].entries()) {
    const name = index === 0 ? 'Time Mixers' : 'Channel Mixers';
    const { createTeam } = await gql<{ createTeam: { id: string; inviteCode: string } }>(CREATE_TEAM, { id, member: members[0], name });
    await gql(JOIN, { code: createTeam.inviteCode, member: members[1] });
    teams.push({ id: createTeam.id, name, members });
  }
  lines.push(`  teams: ${teams.map((team) => `${team.name} (${team.members.map((m) => `@${m}`).join(', ')}; joined by invite code)`).join('; ')}`);
  await gql(STATUS, { id, status: 'RUNNING' });
  for (const team of teams) {
    const pulls = await pullRequestsOf(dataSource, team.members, month);
    await gql(SUBMIT, {
      team: team.id,
      title: `${team.name}: RWKV work of ${month.startDate.slice(0, 7)}`,
      repo: pulls[0] ? `https://github.com/${pulls[0].fullName}` : null,
      prs: pulls.slice(0, 5).map((p) => `${p.fullName}#${p.number}`),
    });
  }
  lines.push(`  running: both teams submitted, linking their pull requests of the month`);
  lines.push(...(await matchResources(gql, id, teams)));
  const counts = (await gql<{ hackathon: { contributionCountsByTeam: Array<{ name: string; pullRequests: number; reviews: number }> } }>(COUNTS, {
    slug: DEMO_HACKATHON_SLUG,
  })).hackathon.contributionCountsByTeam;
  lines.push(`  contributions counted in the window: ${counts.map((c) => `${c.name} ${c.pullRequests} pull requests, ${c.reviews} reviews`).join('; ')}`);
  await gql(STATUS, { id, status: 'JUDGING' });
  const freeze = (await gql<{ freezeContributions: { outcome: string; decisions: number } }>(FREEZE, { slug: DEMO_HACKATHON_SLUG })).freezeContributions;
  lines.push(`  judging: eligibility ${freeze.outcome === 'frozen' ? `frozen (${freeze.decisions} decisions)` : 'frozen by the worker'}`);
  await judge(gql, dataSource, participants);
  await gql(STATUS, { id, status: 'FINISHED' });
  return [...lines, ...(await summary(gql))];
}

type Gql = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

const CREATE_RESOURCE = `mutation($h: ID!, $input: CreateResourceInput!) { createResource(hackathonId: $h, input: $input) { id } }`;
const CREATE_REQUEST = `mutation($input: CreateResourceRequestInput!) { createResourceRequest(input: $input) { id } }`;
const START_RUN = `mutation($h: ID!) { startMatchingRun(hackathonId: $h) { run { id } } }`;
const RUN = `query($id: ID!) { matchingRun(id: $id) { status error objective stats { solveMs } explanations { teamName text } } }`;
const PUBLISH = `mutation($id: ID!) { publishMatchingRun(id: $id) { notified } }`;

/**
 * Two sponsored resources, GPU hours scarcer than the teams ask (16 wanted, 10 offered); a matching
 * run solved by the worker (exact min-cost flow), then published once.
 */
async function matchResources(gql: Gql, hackathonId: string, teams: Array<{ id: string }>): Promise<string[]> {
  const resource = async (input: Record<string, unknown>) =>
    (await gql<{ createResource: { id: string } }>(CREATE_RESOURCE, { h: hackathonId, input })).createResource.id;
  const gpu = await resource({ kind: 'GPU_HOURS', name: 'A100 hours', sponsor: 'Demo Cloud', capacity: 10, perTeamMax: 8, tags: ['cuda'] });
  const credits = await resource({ kind: 'API_CREDITS', name: 'Inference credits', sponsor: 'Demo Cloud', capacity: 100, perTeamMax: 60 });
  const asks: Array<[string, string, number, number, string[]]> = [
    [teams[0].id, gpu, 8, 1, ['cuda']],
    [teams[0].id, credits, 50, 2, []],
    [teams[1].id, gpu, 8, 1, []],
    [teams[1].id, credits, 80, 2, []],
  ];
  for (const [teamId, resourceId, amount, rank, tags] of asks) await gql(CREATE_REQUEST, { input: { teamId, resourceId, amount, rank, tags } });
  const runId = (await gql<{ startMatchingRun: { run: { id: string } } }>(START_RUN, { h: hackathonId })).startMatchingRun.run.id;
  type Run = { status: string; error: string | null; objective: number; stats: { solveMs: number }; explanations: Array<{ teamName: string; text: string }> };
  let run: Run;
  for (const deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
    run = (await gql<{ matchingRun: Run }>(RUN, { id: runId })).matchingRun;
    if (run.status === 'DRAFT') break;
    if (run.status === 'FAILED') return [`  matching run failed: ${run.error}`];
    if (Date.now() > deadline) return [`  matching run still ${run.status.toLowerCase()} after 60 s; see .cambrian/logs/worker.log`];
  }
  const { publishMatchingRun } = await gql<{ publishMatchingRun: { notified: number } }>(PUBLISH, { id: runId });
  const again = (await gql<{ publishMatchingRun: { notified: number } }>(PUBLISH, { id: runId })).publishMatchingRun.notified;
  return [
    `  matching: 10 A100 hours and 100 inference credits for 16 hours and 130 credits asked; the worker solved it exactly ` +
      `(objective ${run.objective}, ${run.stats.solveMs} ms); published: ${publishMatchingRun.notified} teams notified (publishing again: ${again})`,
    ...run.explanations.map((explanation) => `    ${explanation.teamName} ${explanation.text}`),
  ];
}

/** Two judges (members with activity, not participants) score every submission on two criteria. */
async function judge(gql: Gql, dataSource: DataSource, participants: string[]): Promise<void> {
  const judges: Array<{ login: string }> = await dataSource.query(
    `SELECT m.login FROM member m WHERE m.kind = 'person' AND m.login IS NOT NULL AND NOT (m.login = ANY($1::text[]))
       AND NOT EXISTS (SELECT 1 FROM affiliation f WHERE f.member_id = m.id)
       AND EXISTS (SELECT 1 FROM activity a WHERE a.member_id = m.id) ORDER BY m.login LIMIT 2`,
    [participants],
  );
  const slug = DEMO_HACKATHON_SLUG;
  const criteria = [
    (await gql<{ createJudgingCriterion: { id: string } }>(CRITERION, { slug, name: 'Impact on RWKV', weight: 2 })).createJudgingCriterion.id,
    (await gql<{ createJudgingCriterion: { id: string } }>(CRITERION, { slug, name: 'Engineering', weight: 1 })).createJudgingCriterion.id,
  ];
  const { hackathon } = await gql<{ hackathon: { submissions: Array<{ id: string }> } }>(
    `query($slug: String!) { hackathon(slug: $slug) { submissions { id } } }`,
    { slug },
  );
  for (const [j, { login }] of judges.entries()) {
    await gql(ADD_JUDGE, { slug, member: login });
    for (const [s, submission] of hackathon.submissions.entries()) {
      await gql(ASSIGN, { slug, judge: login, submission: submission.id });
      for (const [c, criterion] of criteria.entries()) {
        // fixed values, different per judge, submission and criterion
        await gql(SCORE, { slug, judge: login, submission: submission.id, criterion, value: 9 - s * 2 - j - c });
      }
    }
  }
}

async function summary(gql: Gql): Promise<string[]> {
  const { hackathon } = await gql<{
    hackathon: {
      judgingResults: { submissions: Array<{ teamName: string; rank: number | null; rawMean: number | null; judgesCompleted: number }> };
      retention: { participants: number; firstTimeContributors: number; stillContributing: Array<{ days: number; count: number | null }> };
    };
  }>(RESULTS, { slug: DEMO_HACKATHON_SLUG });
  const results = hackathon.judgingResults.submissions
    .map((s) => `${s.rank ?? '–'}. ${s.teamName} ${s.rawMean?.toFixed(1) ?? '–'}/100 (${s.judgesCompleted} judges)`)
    .join(', ');
  const retention = hackathon.retention;
  return [
    `  finished: ${results}`,
    `  retention: ${retention.participants} participants, ${retention.firstTimeContributors} first-time contributor${retention.firstTimeContributors === 1 ? '' : 's'} in the window; ` +
      retention.stillContributing.map((p) => `${p.count ?? 'not yet known'} still contributing after ${p.days} days`).join(', '),
  ];
}

/** The UTC calendar month with the most persons opening pull requests (latest on a tie), and its authors, most first. */
async function busiestMonth(dataSource: DataSource): Promise<{ startDate: string; endDate: string; authors: string[] }> {
  const [row]: Array<{ month: string }> = await dataSource.query(
    `SELECT to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month
       FROM pull_request p JOIN github_account g ON g.id = p.author_account_id JOIN member m ON m.id = g.member_id AND m.kind = 'person'
      GROUP BY 1 ORDER BY count(DISTINCT m.id) DESC, 1 DESC LIMIT 1`,
  );
  if (!row) return { startDate: '', endDate: '', authors: [] };
  const [year, month] = row.month.split('-').map(Number);
  const startDate = new Date(Date.UTC(year, month - 1, 1)).toISOString().slice(0, 10);
  const endDate = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  const authors: Array<{ login: string }> = await dataSource.query(
    `SELECT m.login FROM pull_request p JOIN github_account g ON g.id = p.author_account_id
       JOIN member m ON m.id = g.member_id AND m.kind = 'person' AND m.login IS NOT NULL
      WHERE p.created_at >= $1::date AND p.created_at < $2::date + 1
      GROUP BY m.login ORDER BY count(*) DESC, m.login`,
    [startDate, endDate],
  );
  return { startDate, endDate, authors: authors.map((a) => a.login) };
}

async function pullRequestsOf(
  dataSource: DataSource,
  logins: string[],
  month: { startDate: string; endDate: string },
): Promise<Array<{ fullName: string; number: number }>> {
  return dataSource.query(
    `SELECT r.full_name AS "fullName", p.number FROM pull_request p JOIN repository r ON r.id = p.repository_id
       JOIN github_account g ON g.id = p.author_account_id JOIN member m ON m.id = g.member_id
      WHERE m.login = ANY($1::text[]) AND p.created_at >= $2::date AND p.created_at < $3::date + 1
      ORDER BY p.created_at, r.full_name, p.number`,
    [logins, month.startDate, month.endDate],
  );
}
