import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { createActivities, createEcosystem, createMember, createRepository, type ActivityFields, type CreatedMember } from '../../../../test/helpers/factories.js';
import { ActivityService } from '../activity.service.js';
import { IdentityService } from '../identity.service.js';
import { CELL_COUNTS, COHORT_COUNTS, cohortCellsSql, stageCellsSql } from './stage-cells.js';
import { StageQueryService } from './stage-query.service.js';
import { StageRulesService } from './stage-rules.service.js';
import { StageService } from './stage.service.js';
import { StageTrigger } from './stage-trigger.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const DAY = 86_400_000;

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('StageService (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let stages: StageService;
  let queries: StageQueryService;
  let rules: StageRulesService;
  const pg = () => ({ query: async (sql: string, params?: unknown[]) => ({ rows: await db.query(sql, params) }) });

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    rules = new StageRulesService(db);
    stages = new StageService(db, rules);
    queries = new StageQueryService(db, rules);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  const snapshot = async () => ({
    transitions: await db.query(
      `SELECT ecosystem_id, member_id, from_stage, to_stage, at, activity_id, rule_version FROM member_stage_transition
       ORDER BY member_id, ecosystem_id, at, to_stage`,
    ),
    states: await db.query(
      `SELECT ecosystem_id, member_id, stage, stage_since, first_seen_at, user_at, first_contribution_at, regular_at, maintainer_at,
              lapsed_during::text, last_activity_at, last_contribution_at, lapse_due_at, contribution_weeks::text, issues_opened,
              pull_requests_opened, reviews_of_others, rule_version
       FROM member_stage ORDER BY member_id, ecosystem_id`,
    ),
    repositories: await db.query(`SELECT repository_id, member_id, ecosystem_id, first_at FROM stage_member_repository ORDER BY 1, 2`),
    daily: await db.query(
      `SELECT * FROM member_stage_daily WHERE entered <> 0 OR reached_user <> 0 OR at_lapsed <> 0 OR at_user <> 0 ORDER BY ecosystem_id, day`,
    ),
    cells: await db.query(
      `SELECT ecosystem_id, scope, grain, first_unit::text, event_unit::text, ${CELL_COUNTS.join(', ')} FROM member_stage_cell
       WHERE ${CELL_COUNTS.map((c) => `${c} <> 0`).join(' OR ')} ORDER BY 1, 2, 3, 4, 5`,
    ),
    cohortCells: await db.query(
      `SELECT ecosystem_id, first_month::text, offset_day, ${COHORT_COUNTS.join(', ')} FROM member_stage_cohort_cell
       WHERE ${COHORT_COUNTS.map((c) => `${c} <> 0`).join(' OR ')} ORDER BY 1, 2, 3`,
    ),
  });
  /** member_stage_cohort_cell as computed from member_stage in one go. */
  const cohortCellsFromStates = () =>
    db.query(
      `SELECT ecosystem_id, first_month, offset_day, ${COHORT_COUNTS.join(', ')} FROM (${cohortCellsSql('true')}) c
       WHERE ${COHORT_COUNTS.map((c) => `${c} <> 0`).join(' OR ')} ORDER BY 1, 2, 3`,
    );
  /** member_stage_cell as computed from member_stage in one go. */
  const cellsFromStates = () =>
    db.query(
      `SELECT ecosystem_id, scope, grain, first_unit, event_unit, ${CELL_COUNTS.join(', ')} FROM (${stageCellsSql('true')}) c
       WHERE ${CELL_COUNTS.map((c) => `${c} <> 0`).join(' OR ')} ORDER BY 1, 2, 3, 4, 5`,
    );
  /** member_stage_daily as a GROUP BY of member_stage would give it. */
  const dailyFromStates = () =>
    db.query(
      `SELECT ecosystem_id, (first_seen_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS entered, count(user_at)::int AS reached_user,
              count(first_contribution_at)::int AS reached_first, count(regular_at)::int AS reached_regular, count(maintainer_at)::int AS reached_maintainer,
              count(*) FILTER (WHERE stage = 'OBSERVER')::int AS at_observer, count(*) FILTER (WHERE stage = 'USER')::int AS at_user,
              count(*) FILTER (WHERE stage = 'FIRST_TIME_CONTRIBUTOR')::int AS at_first, count(*) FILTER (WHERE stage = 'REGULAR_CONTRIBUTOR')::int AS at_regular,
              count(*) FILTER (WHERE stage = 'MAINTAINER')::int AS at_maintainer, count(*) FILTER (WHERE stage = 'LAPSED')::int AS at_lapsed
       FROM member_stage GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  const clear = () =>
    db.query(`DELETE FROM member_stage_transition; DELETE FROM member_stage; DELETE FROM stage_member_repository; DELETE FROM member_stage_daily; DELETE FROM member_stage_cell; DELETE FROM member_stage_cohort_cell`);

  it('stores the same transitions incrementally (shuffled batches, replays, concurrent workers) as a recomputation from scratch', async () => {
    const ecosystemId = await createEcosystem(pg(), { slug: 'inc' });
    const otherEcosystem = await createEcosystem(pg(), { slug: 'inc-other' });
    const repos = [
      await createRepository(pg(), { ecosystemId }),
      await createRepository(pg(), { ecosystemId }),
      await createRepository(pg(), { ecosystemId: otherEcosystem }),
      await createRepository(pg(), { ecosystemId: null }),
    ];
    const people: CreatedMember[] = [];
    for (let i = 0; i < 12; i += 1) people.push(await createMember(pg()));
    const bot = await createMember(pg(), { kind: 'bot' });
    const ghost = await createMember(pg(), { kind: 'deleted' });
    const rand = random(42);
    const pick = <T>(items: T[]) => items[Math.floor(rand() * items.length)];
    const start = Date.parse('2023-01-01T00:00:00Z');
    const activities: ActivityFields[] = [];
    let number = 0;
    for (let i = 0; i < 600; i += 1) {
      const member = i % 50 === 0 ? pick([bot, ghost]) : people[Math.floor(Math.pow(rand(), 2) * people.length)];
      const repositoryId = pick(repos);
      const occurredAt = new Date(start + Math.floor(rand() * 880) * DAY + Math.floor(rand() * DAY));
      const type = pick(['star', 'fork', 'issue_opened', 'issue_comment', 'pull_request_opened', 'commit', 'commit', 'pull_request_merged', 'review', 'review_comment']);
      number += 1;
      const facts: Record<string, unknown> = { number };
      let sourceKey: string | undefined;
      if (type === 'pull_request_opened' || type === 'pull_request_merged') sourceKey = `pull_request:${repositoryId}:${number}:${type.split('_')[2]}`;
      if (type === 'review' || type === 'review_comment') {
        facts.number = Math.max(1, number - 5);
        facts.state = rand() < 0.6 ? 'APPROVED' : 'COMMENTED';
      }
      activities.push({ member, repositoryId, type, occurredAt, sourceKey, facts });
    }
    // who opened the pull requests that reviews point at
    for (const activity of [...activities]) {
      if (activity.type === 'review' || activity.type === 'review_comment') {
        const n = activity.facts!.number as number;
        if (!activities.some((a) => a.sourceKey === `pull_request:${activity.repositoryId}:${n}:opened`)) {
          activities.push({
            member: pick(people),
            repositoryId: activity.repositoryId,
            type: 'pull_request_opened',
            occurredAt: new Date(new Date(activity.occurredAt).getTime() - DAY),
            sourceKey: `pull_request:${activity.repositoryId}:${n}:opened`,
          });
        }
      }
    }
    // pull requests merged by another member (the maintainer rule reads pull_request.merged_by_account_id)
    const merged = activities.filter((a) => a.type === 'pull_request_merged');
    for (const activity of merged) {
      const merger = people[(people.indexOf(activity.member) + 1) % people.length];
      const n = Number(activity.sourceKey!.split(':')[2]);
      await db.query(
        `INSERT INTO pull_request (id, repository_id, number, state, author_account_id, merged, merged_at, merged_by_account_id, created_at, updated_at)
         VALUES ($1, $2, $3, 'closed', $4, true, $5, $6, $5, $5)`,
        [900_000 + n, activity.repositoryId, n, activity.member.githubAccountId, new Date(activity.occurredAt).toISOString(), merger.githubAccountId],
      );
    }

    // incremental: shuffled batches of random sizes, each evaluated as the trigger would
    const shuffled = [...activities].sort(() => rand() - 0.5);
    for (let at = 0; at < shuffled.length; ) {
      const size = 1 + Math.floor(rand() * 60);
      const ids = await createActivities(pg(), shuffled.slice(at, at + size));
      await stages.evaluateActivities(ids, { now: NOW });
      at += size;
    }
    const incremental = await snapshot();
    expect(incremental.transitions.length).toBeGreaterThan(20);
    expect(incremental.daily).toEqual(await dailyFromStates());
    expect(incremental.cells.length).toBeGreaterThan(20);
    expect(incremental.cells).toEqual(await cellsFromStates());
    expect(incremental.cohortCells.length).toBeGreaterThan(20);
    expect(incremental.cohortCells).toEqual(await cohortCellsFromStates());
    const stagesSeen = new Set(incremental.transitions.map((t: { to_stage: string }) => t.to_stage));
    for (const stage of ['OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED']) {
      expect(stagesSeen).toContain(stage);
    }
    // bots, the deleted sentinel and repositories outside any ecosystem never get stages
    const members = new Set(incremental.states.map((s: { member_id: string }) => s.member_id));
    expect(members.has(bot.memberId)).toBe(false);
    expect(members.has(ghost.memberId)).toBe(false);
    expect(incremental.repositories.some((r: { repository_id: string }) => Number(r.repository_id) === repos[3])).toBe(false);

    // a replay changes nothing
    const all: Array<{ id: string }> = await db.query(`SELECT id::text FROM activity`);
    const replay = await stages.evaluateActivities(all.map((row) => row.id), { now: NOW });
    expect(replay).toMatchObject({ transitionsInserted: 0, transitionsDeleted: 0 });

    // from scratch
    await clear();
    await stages.recomputeEcosystem(null, { now: NOW });
    expect(await snapshot()).toEqual(incremental);

    // concurrent workers evaluating the same members store each transition once
    await clear();
    const ids = people.map((p) => p.memberId);
    await Promise.all([stages.recomputeMembers(ids, { now: NOW }), stages.recomputeMembers([...ids].reverse(), { now: NOW }), stages.recomputeMembers(ids, { now: NOW })]);
    expect(await snapshot()).toEqual(incremental);
  });

  it('lapses a contributor through the scheduled check, dated when the period ended, and returns them on a new contribution', async () => {
    const ecosystemId = await createEcosystem(pg(), { slug: 'lapse' });
    const repo = await createRepository(pg(), { ecosystemId });
    const alice = await createMember(pg());
    const [first] = await createActivities(pg(), [{ member: alice, repositoryId: repo, type: 'commit', occurredAt: '2024-01-01T10:00:00Z' }]);
    await stages.evaluateActivities([first], { now: new Date('2024-02-01T00:00:00Z') });
    const [state] = await db.query(`SELECT stage, lapse_due_at FROM member_stage WHERE member_id = $1`, [alice.memberId]);
    expect(state.stage).toBe('FIRST_TIME_CONTRIBUTOR');
    expect(state.lapse_due_at).toEqual(new Date('2024-07-01T10:00:00Z'));

    expect(await stages.checkLapses({ now: new Date('2024-06-30T00:00:00Z') })).toBe(0);
    expect(await stages.checkLapses({ now: new Date('2024-08-01T00:00:00Z') })).toBe(1);
    const [returned] = await createActivities(pg(), [{ member: alice, repositoryId: repo, type: 'pull_request_merged', occurredAt: '2024-09-01T00:00:00Z' }]);
    await stages.evaluateActivities([returned], { now: new Date('2024-10-01T00:00:00Z') });

    const path = await queries.pathsByMemberIds([alice.memberId]);
    expect(path[0].map((t) => [t.from, t.to, t.at.toISOString(), t.activity?.id ?? null])).toEqual([
      [null, 'FIRST_TIME_CONTRIBUTOR', '2024-01-01T10:00:00.000Z', first],
      ['FIRST_TIME_CONTRIBUTOR', 'LAPSED', '2024-07-01T10:00:00.000Z', first],
      ['LAPSED', 'FIRST_TIME_CONTRIBUTOR', '2024-09-01T00:00:00.000Z', returned],
    ]);
  });

  it('credits the merger of another member’s pull request as maintainer, at the merge, and follows changed rules', async () => {
    const ecosystemId = await createEcosystem(pg(), { slug: 'merge' });
    const repo = await createRepository(pg(), { ecosystemId });
    const author = await createMember(pg());
    const maintainer = await createMember(pg());
    await db.query(
      `INSERT INTO pull_request (id, repository_id, number, state, author_account_id, merged, merged_at, merged_by_account_id, created_at, updated_at)
       VALUES (1, $1, 7, 'closed', $2, true, '2025-05-02T00:00:00Z', $3, '2025-05-01T00:00:00Z', '2025-05-02T00:00:00Z')`,
      [repo, author.githubAccountId, maintainer.githubAccountId],
    );
    const ids = await createActivities(pg(), [
      { member: maintainer, repositoryId: repo, type: 'star', occurredAt: '2025-04-01T00:00:00Z' },
      { member: author, repositoryId: repo, type: 'pull_request_merged', occurredAt: '2025-05-02T00:00:00Z', sourceKey: `pull_request:${repo}:7:merged` },
    ]);
    await stages.evaluateActivities([ids[1]], { now: NOW }); // the merge alone brings the merger in
    const [mine] = await queries.stagesByMemberIds([maintainer.memberId], NOW);
    expect(mine.map((s) => [s.ecosystemSlug, s.stage, s.since.toISOString()])).toEqual([['merge', 'MAINTAINER', '2025-05-02T00:00:00.000Z']]);

    const changed = await rules.update('merge', { maintainer: { minMergesOfOthers: 2 } }, 'test');
    expect(changed.version).toBeGreaterThan(0);
    await expect(rules.update('merge', { regular: { minWeeks: 20, windowWeeks: 4 } }, 'test')).rejects.toThrow(/regular.minWeeks must not exceed/);
    await stages.recomputeEcosystem(ecosystemId, { now: NOW });
    const [after] = await queries.stagesByMemberIds([maintainer.memberId], NOW);
    expect(after.map((s) => [s.stage, s.ruleVersion])).toEqual([['USER', changed.version]]); // one merge below the threshold is participation
  });

  it('answers the funnel, cohorts and next-step lists from stored stages', async () => {
    const ecosystemId = await createEcosystem(pg(), { slug: 'funnel' });
    const repo = await createRepository(pg(), { ecosystemId });
    const other = await createRepository(pg(), { ecosystemId });
    const [observer, reporter, first, regular, maintainer] = await Promise.all(Array.from({ length: 5 }, () => createMember(pg())));
    const weekly = (member: CreatedMember, dates: string[], type = 'commit') => dates.map((occurredAt) => ({ member, repositoryId: repo, type, occurredAt }));
    const ids = await createActivities(pg(), [
      { member: observer, repositoryId: other, type: 'star', occurredAt: '2025-01-05T00:00:00Z' },
      { member: reporter, repositoryId: repo, type: 'issue_opened', occurredAt: '2025-01-10T00:00:00Z' },
      ...weekly(first, ['2025-05-06T00:00:00Z', '2025-05-14T00:00:00Z']),
      ...weekly(regular, ['2025-02-03T00:00:00Z', '2025-02-10T00:00:00Z', '2025-02-17T00:00:00Z']),
      { member: regular, repositoryId: repo, type: 'review_comment', occurredAt: '2025-02-18T00:00:00Z', facts: { number: 3 } },
      { member: maintainer, repositoryId: repo, type: 'pull_request_opened', occurredAt: '2025-02-01T00:00:00Z', sourceKey: `pull_request:${repo}:3:opened` },
      ...weekly(maintainer, ['2025-02-02T00:00:00Z', '2025-02-03T00:00:00Z', '2025-02-04T00:00:00Z'], 'review').map((a, i) => ({
        ...a,
        facts: { number: 100 + i, state: 'APPROVED' },
      })),
    ]);
    await stages.evaluateActivities(ids, { now: NOW });

    const funnel = await queries.funnel({ ecosystem: 'funnel', from: new Date('2025-01-01T00:00:00Z'), to: NOW });
    expect(funnel.entered).toBe(5);
    expect(funnel.steps.map((s) => [s.stage, s.reached, s.current])).toEqual([
      ['OBSERVER', 5, 1],
      ['USER', 4, 1],
      ['FIRST_TIME_CONTRIBUTOR', 3, 1], // a member who skips a stage has passed it
      ['REGULAR_CONTRIBUTOR', 2, 1],
      ['MAINTAINER', 1, 1],
    ]);
    expect(funnel.steps.map((s) => s.conversionToNext)).toEqual([0.8, 0.75, 2 / 3, 0.5, null]);
    // without `to` or filters: day rows plus the part of from's day, the same counts
    expect(await queries.funnel({ ecosystem: 'funnel', from: new Date('2025-01-01T00:00:00Z') })).toMatchObject({ entered: 5, steps: funnel.steps, lapsed: funnel.lapsed });
    const midDay = { ecosystem: 'funnel', from: new Date('2025-01-05T12:00:00Z') };
    expect((await queries.funnel(midDay)).steps).toEqual((await queries.funnel({ ...midDay, to: NOW })).steps);
    expect((await queries.funnel(midDay)).entered).toBe(4);
    const byRepository = await queries.funnel({ ecosystem: 'funnel', repository: String(other), to: NOW });
    expect(byRepository.entered).toBe(1);
    const early = await queries.funnel({ ecosystem: 'funnel', to: new Date('2025-02-04T00:00:00Z') });
    expect(early.steps.map((s) => s.reached)).toEqual([4, 3, 1, 0, 0]);
    await expect(queries.funnel({ ecosystem: 'funnel', from: NOW, to: NOW })).rejects.toThrow(/from must be before to/);
    await expect(queries.funnel({ ecosystem: 'nope' })).rejects.toThrow(/Unknown ecosystem/);

    const cohorts = await queries.cohorts({ ecosystem: 'funnel', weeks: [0, 2], from: new Date('2025-02-01T00:00:00Z'), to: NOW });
    const feb = cohorts.filter((c) => c.month.toISOString() === '2025-02-01T00:00:00.000Z');
    expect(feb.map((c) => [c.weeks, c.size, c.stages.USER, c.stages.FIRST_TIME_CONTRIBUTOR, c.stages.REGULAR_CONTRIBUTOR, c.stages.MAINTAINER])).toEqual([
      [0, 2, 1, 1, 0, 0],
      [2, 2, 0, 0, 1, 1],
    ]);

    const now = new Date('2025-05-20T00:00:00Z');
    const reporters = await queries.readyForNextStep({ kind: 'REPORTERS_WITHOUT_PULL_REQUEST', ecosystem: 'funnel' }, now);
    expect(reporters.edges.map((e) => e.node.member.id)).toEqual([reporter.memberId]);
    const oneAway = await queries.readyForNextStep({ kind: 'FIRST_TIMERS_ONE_AWAY_FROM_REGULAR', ecosystem: 'funnel' }, now);
    expect(oneAway.edges.map((e) => e.node.member.id)).toEqual([first.memberId]);
    const reviewing = await queries.readyForNextStep({ kind: 'REGULARS_REVIEWING_OTHERS', ecosystem: 'funnel', first: 1 }, now);
    expect(reviewing.edges.map((e) => e.node.member.id)).toEqual([regular.memberId]);
    expect(reviewing.pageInfo.hasNextPage).toBe(false);
  });

  it('pages the next-step lists with cursors, ties on the last activity included', async () => {
    const ecosystemId = await createEcosystem(pg(), { slug: 'paging' });
    const repo = await createRepository(pg(), { ecosystemId });
    const reporters = await Promise.all(Array.from({ length: 5 }, () => createMember(pg())));
    const at = ['2025-05-01T00:00:00Z', '2025-05-02T00:00:00Z', '2025-05-02T00:00:00Z', '2025-05-03T00:00:00Z', '2025-05-02T00:00:00Z'];
    const ids = await createActivities(pg(), reporters.map((member, i) => ({ member, repositoryId: repo, type: 'issue_opened', occurredAt: at[i] })));
    await stages.evaluateActivities(ids, { now: NOW });
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const result = await queries.readyForNextStep({ kind: 'REPORTERS_WITHOUT_PULL_REQUEST', ecosystem: 'paging', first: 2, after }, NOW);
      seen.push(...result.edges.map((edge) => edge.node.member.id));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    const tied = [reporters[1], reporters[2], reporters[4]].map((m) => m.memberId).sort();
    expect(seen).toEqual([reporters[3].memberId, ...tied, reporters[0].memberId]);
    await expect(queries.readyForNextStep({ kind: 'REGULARS_REVIEWING_OTHERS', ecosystem: 'paging', after: seen.length ? after : null }, NOW)).rejects.toThrow(/Invalid cursor/);
  });

  it('without a queue, collects the members of recorded activities and evaluates them at shutdown (ActivityService → StageTrigger)', async () => {
    const ecosystemId = await createEcosystem(pg(), { slug: 'trigger' });
    const repo = await createRepository(pg(), { ecosystemId });
    const recent = new Date(Date.now() - 86_400_000);
    const noQueue = { get: () => { throw new Error('no queue'); } } as never;
    const trigger = new StageTrigger(noQueue, stages);
    const activities = new ActivityService(db, new IdentityService(db), trigger);
    await activities.record([
      { type: 'commit', occurredAt: recent, repositoryId: repo, actor: { kind: 'github', account: { id: 77_001, login: 'newcomer', type: 'User' } }, source: 'webhook', sourceKey: 'commit:' + 'a'.repeat(40) },
      { type: 'star', occurredAt: recent, repositoryId: repo, actor: { kind: 'github', account: { id: 77_002, login: 'robot[bot]', type: 'Bot' } }, source: 'webhook', sourceKey: `star:${repo}:77002` },
    ]);
    const staged = () => db.query(`SELECT m.login, s.stage FROM member_stage s JOIN member m ON m.id = s.member_id WHERE s.ecosystem_id = $1`, [ecosystemId]);
    expect(await staged()).toEqual([]); // collected: evaluated together, once per member
    await trigger.beforeApplicationShutdown();
    expect(await staged()).toEqual([{ login: 'newcomer', stage: 'FIRST_TIME_CONTRIBUTOR' }]);
  });
});
