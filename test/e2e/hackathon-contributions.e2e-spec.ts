import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService, GharchiveImportModule, GharchiveImportService, type RestPullRequest } from '#libs/github';
import { ContributionFreezeService } from '#libs/hackathons';
import { ActivityService, IdentityService } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { PullRequestWriter } from '../../libs/github/src/sync/pull-request-writer.service.js';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const require = createRequire(import.meta.url);
const definitions: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const example = (event: string, action: string) => structuredClone(definitions.find((d) => d.name === event)!.examples.find((x) => x.action === action));

/** The write paths of the worker and the CLI: webhook processing and the GH Archive import. */
@Module({ imports: [ConfigModule, DatabaseModule, GharchiveImportModule, DeliveryProcessingModule] })
class IngestModule {}

// case H1 (../shared/cases/hackathons.md): an event from 1 to 31 October, topic `hacktoberfest`, opt-in label
const TOPIC_REPO = { id: 930001, owner: 'rwkv-h1', name: 'with-topic' };
const PLAIN_REPO = { id: 930002, owner: 'rwkv-h1', name: 'without-topic' };
const PEOPLE = {
  alice: { id: 7100001, login: 'alice-h1', type: 'User' },
  bob: { id: 7100002, login: 'bob-h1', type: 'User' },
  carol: { id: 7100003, login: 'carol-h1', type: 'User' },
  dave: { id: 7100004, login: 'dave-h1', type: 'User' },
  maintainer: { id: 7100009, login: 'maintainer-h1', type: 'User' },
};
type Person = keyof typeof PEOPLE;

const repositoryPayload = (repo: typeof TOPIC_REPO, topics: string[] | undefined) => ({
  id: repo.id,
  name: repo.name,
  full_name: `${repo.owner}/${repo.name}`,
  owner: { login: repo.owner, id: 7199999, type: 'Organization' },
  fork: false,
  ...(topics ? { topics } : {}),
});

/** A REST / webhook pull request object. */
const pullRequest = (repo: typeof TOPIC_REPO, number: number, author: Person, createdAt: string, labels: string[], updatedAt = createdAt) => ({
  id: repo.id * 100 + number,
  number,
  title: `change ${number}`,
  state: 'open',
  user: PEOPLE[author],
  created_at: createdAt,
  updated_at: updatedAt,
  closed_at: null,
  merged_at: null,
  head: { sha: `${number}`.padStart(40, 'a'), ref: `change-${number}` },
  base: { ref: 'main' },
  labels: labels.map((name) => ({ name })),
});

describe('hackathon contributions: case H1, sources merged, freeze, changes after close, overrides, retention', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let ingest: INestApplicationContext;
  let client: GraphqlClient;
  let adminToken: string;
  let hackathonId: string;
  let teamId: string;
  let ecosystemId: number;
  let deliverySeq = 0;
  const memberOf: Partial<Record<Person, string>> = {};
  const tmp = mkdtempSync(join(tmpdir(), 'cambrian-h1-'));

  const deliver = async (event: string, payload: Record<string, unknown>) => {
    deliverySeq += 1;
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ($1, $2, $3, $4) RETURNING id`,
      [`h1-${deliverySeq}`, event, payload.action ?? null, JSON.stringify(payload)],
    );
    const result = await ingest.get(DeliveryProcessingService).process(rows[0].id, { finalAttempt: true });
    expect(result.status).toBe('processed');
  };
  const pullRequestDelivery = (action: string, repo: typeof TOPIC_REPO, topics: string[] | undefined, pr: ReturnType<typeof pullRequest>, sender: Person) => {
    const payload = example('pull_request', action === 'opened' ? 'opened' : 'labeled');
    return { ...payload, action, number: pr.number, pull_request: { ...payload.pull_request, ...pr }, repository: repositoryPayload(repo, topics), sender: PEOPLE[sender] };
  };
  const restResync = (repo: typeof TOPIC_REPO, pulls: Array<ReturnType<typeof pullRequest>>) => {
    const writer = new PullRequestWriter(ingest.get<DataSource>(getDataSourceToken()), ingest.get(ActivityService), ingest.get(IdentityService));
    return writer.writePullRequests(repo.id, pulls as unknown as RestPullRequest[]);
  };
  const contributions = async () =>
    (
      await client.data(
        `query($slug: String!) { hackathon(slug: $slug) { contributions { key kind number login team eligible ruleEligible reason detail frozen overridden
           facts { labels repositoryTopics registration } } } }`,
        { slug: 'hacktoberfest-h1' },
      )
    ).hackathon.contributions as Array<Record<string, any>>;
  const byNumber = (items: Array<Record<string, any>>, number: number, kind = 'pull_request') => items.find((item) => item.number === number && item.kind === kind);
  const freezeService = () => app.get(ContributionFreezeService, { strict: false });

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    ingest = await NestFactory.createApplicationContext(IngestModule, { logger: false, abortOnError: false });
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;

    ecosystemId = await createEcosystem(db, { slug: 'rwkv-h1' });
    for (const repo of [TOPIC_REPO, PLAIN_REPO]) {
      await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, $3, $4, $5)`, [
        repo.id,
        ecosystemId,
        repo.owner,
        repo.name,
        `${repo.owner}/${repo.name}`,
      ]);
    }
    const { rows } = await db.query(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at, opt_in_label, tracked_topic)
       VALUES ($1, 'hacktoberfest-h1', 'Hacktoberfest H1', 'running', '2025-10-01T00:00:00Z', '2025-11-01T00:00:00Z',
               'hacktoberfest-accepted', 'hacktoberfest') RETURNING id`,
      [ecosystemId],
    );
    hackathonId = rows[0].id;

    // during the event, by webhook: #5 opened 10 Oct in the repository with the topic, approved 12 Oct by the maintainer
    const pr5 = pullRequest(TOPIC_REPO, 5, 'alice', '2025-10-10T09:00:00Z', []);
    await deliver('pull_request', pullRequestDelivery('opened', TOPIC_REPO, ['rwkv', 'hacktoberfest'], pr5, 'alice'));
    const reviewOf5 = async (id: number, by: Person, at: string) => {
      const review = example('pull_request_review', 'submitted');
      await deliver('pull_request_review', {
        ...review,
        repository: repositoryPayload(TOPIC_REPO, ['rwkv', 'hacktoberfest']),
        pull_request: { ...review.pull_request, ...pr5 },
        review: { ...review.review, id, user: PEOPLE[by], state: 'approved', submitted_at: at },
        sender: PEOPLE[by],
      });
    };
    await reviewOf5(88000005, 'maintainer', '2025-10-12T10:00:00Z');
    // participants review it too: bob (another team: counts, twice but once per pull request), carol (alice's team: does not)
    await reviewOf5(88000006, 'bob', '2025-10-11T10:00:00Z');
    await reviewOf5(88000007, 'bob', '2025-10-13T10:00:00Z');
    await reviewOf5(88000008, 'carol', '2025-10-11T11:00:00Z');
    // #6 opened 15 Oct, labelled Hacktoberfest-Spam on 16 Oct
    const pr6 = pullRequest(TOPIC_REPO, 6, 'bob', '2025-10-15T09:00:00Z', []);
    await deliver('pull_request', pullRequestDelivery('opened', TOPIC_REPO, undefined, pr6, 'bob'));
    await deliver('pull_request', pullRequestDelivery('labeled', TOPIC_REPO, undefined, { ...pr6, labels: [{ name: 'Hacktoberfest-Spam' }], updated_at: '2025-10-16T09:00:00Z' }, 'maintainer'));
    // #7 opened 20 Oct in the repository without the topic, labelled hacktoberfest-accepted: known from GH Archive only
    // #8 by dave, who is not registered; #5 is in the archive too (a third source of the same pull request)
    const archiveEvent = (pr: ReturnType<typeof pullRequest>, repo: typeof TOPIC_REPO, author: Person, eventId: string) => ({
      id: eventId,
      type: 'PullRequestEvent',
      actor: { id: PEOPLE[author].id, login: PEOPLE[author].login },
      repo: { id: repo.id, name: `${repo.owner}/${repo.name}` },
      payload: { action: 'opened', number: pr.number, pull_request: pr },
      public: true,
      created_at: pr.created_at,
    });
    const archive = join(tmp, 'events.ndjson');
    writeFileSync(
      archive,
      [
        archiveEvent(pullRequest(PLAIN_REPO, 7, 'carol', '2025-10-20T09:00:00Z', ['hacktoberfest-accepted']), PLAIN_REPO, 'carol', '41000000001'),
        archiveEvent(pullRequest(TOPIC_REPO, 8, 'dave', '2025-10-21T09:00:00Z', []), TOPIC_REPO, 'dave', '41000000002'),
        archiveEvent(pr5, TOPIC_REPO, 'alice', '41000000003'),
      ]
        .map((event) => JSON.stringify(event))
        .join('\n'),
    );
    const imported = await ingest.get(GharchiveImportService).import(archive, { all: true });
    expect(imported.failedFiles).toEqual([]);
    // and the REST sync of the repository sees #5 and #6 again (labels included)
    await restResync(TOPIC_REPO, [pr5, { ...pr6, labels: [{ name: 'Hacktoberfest-Spam' }], updated_at: '2025-10-16T09:00:00Z' }]);

    // participants: alice and carol in one team, bob; dave never registered
    for (const person of ['alice', 'bob', 'carol', 'dave', 'maintainer'] as Person[]) {
      const { rows: found } = await db.query(`SELECT member_id FROM github_account WHERE id = $1`, [PEOPLE[person].id]);
      memberOf[person] = found[0].member_id;
    }
    for (const person of ['alice', 'bob', 'carol'] as Person[]) {
      await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id) VALUES ($1, $2)`, [hackathonId, memberOf[person]]);
    }
    const { rows: teams } = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, 'Blink', 'h1-invite-blink') RETURNING id`, [hackathonId]);
    teamId = teams[0].id;
    for (const person of ['alice', 'carol'] as Person[]) {
      await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [teamId, hackathonId, memberOf[person]]);
    }
  });

  afterAll(async () => {
    rmSync(tmp, { recursive: true, force: true });
    await ingest?.close();
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('before the close: #5 counts by topic, #6 is invalid by Hacktoberfest-Spam, #7 counts by the opt-in label, each pull request once', async () => {
    const items = await contributions();
    expect(items.map((item) => `${item.kind}#${item.number}:${item.login}`).sort()).toEqual([
      'pull_request#5:alice-h1',
      'pull_request#6:bob-h1',
      'pull_request#7:carol-h1',
      'review#5:bob-h1',
      'review#5:carol-h1',
    ]);
    expect(items.find((item) => item.kind === 'review' && item.login === 'bob-h1')).toMatchObject({ eligible: true, reason: 'tracked_topic' });
    expect(items.find((item) => item.kind === 'review' && item.login === 'carol-h1')).toMatchObject({ eligible: false, reason: 'own_team_review' });
    expect(byNumber(items, 5)).toMatchObject({ login: 'alice-h1', team: 'Blink', eligible: true, reason: 'tracked_topic', frozen: false });
    expect(byNumber(items, 6)).toMatchObject({ eligible: false, reason: 'disqualifying_label', detail: 'labelled "Hacktoberfest-Spam"' });
    expect(byNumber(items, 7)).toMatchObject({ login: 'carol-h1', eligible: true, reason: 'opt_in_label', facts: { labels: ['hacktoberfest-accepted'] } });
    // three sources wrote #5 (webhook, GH Archive, REST sync): one activity, one contribution
    const { rows } = await db.query(`SELECT source FROM activity WHERE type = 'pull_request_opened' AND repository_id = $1 AND facts->>'number' = '5'`, [TOPIC_REPO.id]);
    expect(rows).toEqual([{ source: 'webhook' }]);
  });

  it('freezes once at close: the job run twice (and the sweep after it) stores the decisions once', async () => {
    const first = await freezeService().freeze(hackathonId);
    expect(first).toEqual({ outcome: 'frozen', decisions: 5 });
    const before = await db.query(`SELECT * FROM hackathon_contribution ORDER BY subject_key`);
    expect(await freezeService().freeze(hackathonId)).toEqual({ outcome: 'already-frozen', decisions: 0 });
    expect(await freezeService().sweep()).toEqual({ frozen: 0, changes: 0 });
    expect((await db.query(`SELECT * FROM hackathon_contribution ORDER BY subject_key`)).rows).toEqual(before.rows);
    const { rows } = await db.query(`SELECT eligibility_frozen_at FROM hackathon WHERE id = $1`, [hackathonId]);
    expect(rows[0].eligibility_frozen_at).not.toBeNull();
    expect((await contributions()).every((item) => item.frozen)).toBe(true);
  });

  it('after the close: topic removed and re-synced, a spam label on #7 — recorded as changes, results unchanged', async () => {
    // 3 Nov: the topic is removed (the repository event carries the new topics); 4 Nov: re-sync of the pull requests
    await deliver('repository', { ...example('repository', 'edited'), action: 'edited', repository: repositoryPayload(TOPIC_REPO, ['rwkv']), sender: PEOPLE.maintainer });
    await restResync(TOPIC_REPO, [pullRequest(TOPIC_REPO, 5, 'alice', '2025-10-10T09:00:00Z', [], '2025-11-04T00:00:00Z')]);
    expect((await db.query(`SELECT topics FROM repository WHERE id = $1`, [TOPIC_REPO.id])).rows[0].topics).toEqual(['rwkv']);
    // a maintainer labels #7 invalid after the close (webhook)
    const pr7 = pullRequest(PLAIN_REPO, 7, 'carol', '2025-10-20T09:00:00Z', ['hacktoberfest-accepted', 'invalid'], '2025-11-05T00:00:00Z');
    await deliver('pull_request', pullRequestDelivery('labeled', PLAIN_REPO, undefined, pr7, 'maintainer'));

    const evaluated = await freezeService().reevaluate(hackathonId);
    // facts changed: #5, #6 and the two reviews of #5 (their repository lost the topic), #7 (a label)
    expect(evaluated).toEqual({ changes: 5, seenAfterFreeze: 0 });
    expect(await freezeService().reevaluate(hackathonId)).toEqual({ changes: 0, seenAfterFreeze: 0 });

    const { hackathon } = await client.data(
      `query { hackathon(slug: "hacktoberfest-h1") { contributionChanges { key changed oldEligible newEligible oldReason newReason
         oldFacts { repositoryTopics labels } newFacts { repositoryTopics labels } } } }`,
    );
    expect(hackathon.contributionChanges).toEqual(
      expect.arrayContaining([
        {
          key: `pr:${TOPIC_REPO.id}:5`,
          changed: ['repositoryTopics'],
          oldEligible: true,
          newEligible: false,
          oldReason: 'tracked_topic',
          newReason: 'untracked_repository',
          oldFacts: { repositoryTopics: ['rwkv', 'hacktoberfest'], labels: [] },
          newFacts: { repositoryTopics: ['rwkv'], labels: [] },
        },
        expect.objectContaining({ key: `pr:${PLAIN_REPO.id}:7`, changed: ['labels'], oldEligible: true, newEligible: false, newReason: 'disqualifying_label' }),
      ]),
    );
    const items = await contributions();
    expect(byNumber(items, 5)).toMatchObject({ eligible: true, reason: 'tracked_topic', frozen: true });
    expect(byNumber(items, 6)).toMatchObject({ eligible: false, reason: 'disqualifying_label' });
    expect(byNumber(items, 7)).toMatchObject({ eligible: true, reason: 'opt_in_label' });
  });

  it('a pull request first seen after the freeze is recorded but does not count', async () => {
    // bob's #9, opened in the window, reaches Cambrian only after the close (a late GH Archive import)
    const late = join(tmp, 'late.ndjson');
    const pr9 = pullRequest(TOPIC_REPO, 9, 'bob', '2025-10-30T09:00:00Z', []);
    writeFileSync(late, JSON.stringify({ id: '41000000009', type: 'PullRequestEvent', actor: PEOPLE.bob, repo: { id: TOPIC_REPO.id, name: 'rwkv-h1/with-topic' }, payload: { action: 'opened', number: 9, pull_request: pr9 }, public: true, created_at: pr9.created_at }));
    await ingest.get(GharchiveImportService).import(late, { all: true });
    expect(await freezeService().reevaluate(hackathonId)).toEqual({ changes: 1, seenAfterFreeze: 1 });
    expect(await freezeService().reevaluate(hackathonId)).toEqual({ changes: 0, seenAfterFreeze: 0 });
    expect(byNumber(await contributions(), 9)).toMatchObject({ eligible: false, ruleEligible: false, reason: 'first_seen_after_freeze', frozen: true });
  });

  it('an organiser override changes results, is admin-only, and can be revoked', async () => {
    const OVERRIDE = `mutation($key: String!, $eligible: Boolean!, $reason: String!) {
      overrideContribution(hackathon: "hacktoberfest-h1", key: $key, eligible: $eligible, reason: $reason) { key eligible reason createdBy revokedAt } }`;
    const key7 = `pr:${PLAIN_REPO.id}:7`;
    const anonymous = await client.request(OVERRIDE, { key: key7, eligible: false, reason: 'invalid after review' });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const counts = async () =>
      (await client.data(`{ hackathon(slug: "hacktoberfest-h1") { contributionCountsByTeam { name pullRequests total } contributionCountsByParticipant { name total } } }`))
        .hackathon;
    expect((await counts()).contributionCountsByTeam).toEqual([{ name: 'Blink', pullRequests: 2, total: 2 }]);
    expect((await counts()).contributionCountsByParticipant).toEqual([
      { name: 'alice-h1', total: 1 },
      { name: 'bob-h1', total: 1 },
      { name: 'carol-h1', total: 1 },
    ]);

    const made = await client.data(OVERRIDE, { key: key7, eligible: false, reason: 'labelled invalid after the close; confirmed spam' }, { token: adminToken });
    expect(made.overrideContribution).toMatchObject({ key: key7, eligible: false, revokedAt: null, createdBy: expect.stringMatching(/^api-token:/) });
    expect(byNumber(await contributions(), 7)).toMatchObject({ eligible: false, ruleEligible: true, overridden: true });
    expect((await counts()).contributionCountsByTeam).toEqual([{ name: 'Blink', pullRequests: 1, total: 1 }]);
    const { hackathon } = await client.data(`{ hackathon(slug: "hacktoberfest-h1") { teams { name contributionCount { pullRequests reviews total } } } }`);
    expect(hackathon.teams).toEqual([{ name: 'Blink', contributionCount: { pullRequests: 1, reviews: 0, total: 1 } }]);

    // the late #9 counts only through an override
    await client.data(OVERRIDE, { key: `pr:${TOPIC_REPO.id}:9`, eligible: true, reason: 'missed by webhooks, opened in the window' }, { token: adminToken });
    expect((await counts()).contributionCountsByParticipant).toEqual(expect.arrayContaining([{ name: 'bob-h1', total: 2 }]));

    const REVOKE = `mutation($key: String!) { revokeContributionOverride(hackathon: "hacktoberfest-h1", key: $key, reason: "decided again") { revokedAt revokeReason } }`;
    const revoked = await client.data(REVOKE, { key: key7 }, { token: adminToken });
    expect(revoked.revokeContributionOverride.revokeReason).toBe('decided again');
    expect(byNumber(await contributions(), 7)).toMatchObject({ eligible: true, overridden: false });
    // an organiser's reasons and who decided are not public: the override's details need an admin token
    const publicHistory = await client.request(`{ hackathon(slug: "hacktoberfest-h1") { contributionOverrides { reason createdBy } } }`);
    expect(publicHistory.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const publicOverride = await client.request(`{ hackathon(slug: "hacktoberfest-h1") { contributions { override { reason createdBy } } } }`);
    expect(publicOverride.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const history = (
      await client.data(`{ hackathon(slug: "hacktoberfest-h1") { contributionOverrides { key eligible reason revokeReason } } }`, {}, { token: adminToken })
    ).hackathon;
    expect(history.contributionOverrides).toEqual([
      { key: `pr:${TOPIC_REPO.id}:9`, eligible: true, reason: 'missed by webhooks, opened in the window', revokeReason: null },
      { key: key7, eligible: false, reason: 'labelled invalid after the close; confirmed spam', revokeReason: 'decided again' },
    ]);
    const again = await client.request(REVOKE, { key: key7 }, { token: adminToken });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    const unknown = await client.request(OVERRIDE, { key: `pr:${TOPIC_REPO.id}:404`, eligible: true, reason: 'x' }, { token: adminToken });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const blank = await client.request(OVERRIDE, { key: key7, eligible: true, reason: '  ' }, { token: adminToken });
    expect(blank.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // carol leaves the team after the close: the frozen results keep #7 with Blink
    await db.query(`DELETE FROM team_member WHERE member_id = $1`, [memberOf.carol]);
    expect(byNumber(await contributions(), 7)).toMatchObject({ team: 'Blink', eligible: true });
    expect((await counts()).contributionCountsByTeam).toEqual([{ name: 'Blink', pullRequests: 2, total: 2 }]);
  });

  it('retention: first-time contributors from the member stages, still contributing 30 and 90 days after the end', async () => {
    // alice's first accepted contribution in the window; carol's before it; alice merges again on 20 Nov, carol on 1 Jan
    await db.query(
      `INSERT INTO member_stage_transition (ecosystem_id, member_id, from_stage, to_stage, at, rule_version)
       VALUES ($1, $2, 'USER', 'FIRST_TIME_CONTRIBUTOR', '2025-10-10T09:00:00Z', 1), ($1, $3, 'USER', 'FIRST_TIME_CONTRIBUTOR', '2025-06-01T00:00:00Z', 1)`,
      [ecosystemId, memberOf.alice, memberOf.carol],
    );
    const merged = (member: string, at: string, key: string) =>
      db.query(
        `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key)
         SELECT 'pull_request_merged', $2, $3, i.id, $1, 'api', $4 FROM identity i WHERE i.member_id = $1 LIMIT 1`,
        [member, at, TOPIC_REPO.id, key],
      );
    await merged(memberOf.alice!, '2025-11-20T00:00:00Z', 'h1-retention-alice');
    await merged(memberOf.carol!, '2026-01-10T00:00:00Z', 'h1-retention-carol');
    const { hackathon } = await client.data(`{ hackathon(slug: "hacktoberfest-h1") { retention { participants firstTimeContributors stillContributing { days at count } } } }`);
    expect(hackathon.retention).toEqual({
      participants: 3,
      firstTimeContributors: 1,
      stillContributing: [
        { days: 30, at: '2025-12-01T00:00:00.000Z', count: 1 },
        { days: 90, at: '2026-01-30T00:00:00.000Z', count: 1 },
      ],
    });
  });
  it('a REST page read before a newer webhook does not put the older labels back', async () => {
    // the sync fetched #20 at 10:00 (no labels); a labeled webhook at 11:00 is written first; the
    // page is written after it: the row keeps the newer labels (as webhooks do, by updated_at)
    const pr20 = pullRequest(PLAIN_REPO, 20, 'maintainer', '2025-12-01T10:00:00Z', []);
    await deliver('pull_request', pullRequestDelivery('opened', PLAIN_REPO, undefined, pr20, 'maintainer'));
    const labelled = { ...pr20, labels: [{ name: 'needs-review' }], updated_at: '2025-12-01T11:00:00Z' };
    await deliver('pull_request', pullRequestDelivery('labeled', PLAIN_REPO, undefined, labelled, 'maintainer'));
    await restResync(PLAIN_REPO, [pr20]);
    const row = async () => (await db.query(`SELECT labels, updated_at FROM pull_request WHERE id = $1`, [pr20.id])).rows[0];
    expect(await row()).toEqual({ labels: ['needs-review'], updated_at: new Date('2025-12-01T11:00:00Z') });
    // a newer page still writes
    await restResync(PLAIN_REPO, [{ ...pr20, labels: [], updated_at: '2025-12-01T12:00:00Z' }]);
    expect(await row()).toEqual({ labels: [], updated_at: new Date('2025-12-01T12:00:00Z') });
  });
});
