import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, EcosystemSyncService, GithubSyncModule } from '#libs/github';
import { IdentityService, StageService } from '#libs/members';
import { QueueModule, QueueName } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { buildActivityDeliveries } from '../../apps/github-sim/src/webhooks/build-activity.js';
import { emitWebhooks } from '../../apps/github-sim/src/webhooks/emit-webhooks.js';
import { WebhooksProcessorModule } from '../../apps/worker/src/processors/webhooks-processor.module.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const SECRET = 'member-data-secret';
const REPOSITORY = 'josStorer/RWKV-Runner';

/** The cookies a browser would keep, by name. */
type Jar = Map<string, string>;

function remember(jar: Jar, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const name = pair.slice(0, pair.indexOf('='));
    const value = decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
}

const cookieHeader = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');

/** Every text-like column of every table holding `needle` (case-insensitive), as `table.column`. */
async function findText(db: pg.Pool, needle: string): Promise<string[]> {
  const { rows: columns } = await db.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'ARRAY', 'character varying') AND table_name <> 'migrations'`,
  );
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`, [needle]);
    if (rows[0].n > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

describe('member data export and deletion over HTTP, with a re-sync and a webhook from the simulator (e2e)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let worker: INestApplicationContext;
  let app: NestFastifyApplication;
  let db: pg.Pool;
  let api: string;
  let adminToken: string;
  let ecosystemId: number;
  /** The member who deletes their data, and another one. */
  let me: { memberId: string; accountId: number; login: string; names: string[]; emails: string[] };
  let other: { memberId: string; login: string };
  let session: { jar: Jar; csrf: string };

  const syncAll = async () => {
    const result = await worker.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: 2 });
    expect(result.failures).toEqual([]);
  };

  async function signIn(login: string): Promise<Response> {
    const jar: Jar = new Map();
    const start = await fetch(`${api}/auth/github?login=${encodeURIComponent(login)}`, { redirect: 'manual' });
    remember(jar, start);
    const atGithub = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const done = await fetch(atGithub.headers.get('location')!, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    remember(jar, done);
    (done as Response & { jar?: Jar }).jar = jar;
    return done;
  }

  async function graphql(query: string, variables: Record<string, unknown>, auth: { session?: typeof session; token?: string } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (auth.session) Object.assign(headers, { cookie: cookieHeader(auth.session.jar), 'x-csrf-token': auth.session.csrf });
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    const response = await fetch(`${api}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  }

  const EXPORT = `query ($id: ID!, $first: Int, $after: String) {
    exportMemberData(memberId: $id, activitiesFirst: $first, activitiesAfter: $after) { json activitiesNextCursor downloadPath } }`;
  const DELETE = `mutation ($id: ID!, $confirm: String) {
    requestMemberDeletion(memberId: $id, confirmLogin: $confirm) { memberId requestedBy requestedAt completedAt alreadyDeleted removed } }`;
  const TOTALS = `query {
    leaderboard(first: 100, period: { preset: ALL_TIME }) { entries { score commits comments issuesOpened pullRequestsOpened pullRequestsMerged reviews member { id login displayName } } }
    funnel(ecosystem: "rwkv") { entered lapsed steps { stage reached current } } }`;

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-member-data-token', GITHUB_WEBHOOK_SECRETS: SECRET, ADMIN_GITHUB_LOGINS: 'BlinkDL' });
    worker = await (
      await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, GithubSyncModule, WebhooksProcessorModule] }).compile()
    ).init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2, options: env.database.options });
    db.on('error', () => undefined);
    const ecosystems = worker.get(EcosystemService);
    ecosystemId = (await ecosystems.ensure('rwkv', 'RWKV')).ecosystem.id;
    await ecosystems.track('rwkv', { kind: 'repository', name: REPOSITORY });
    await syncAll();
    await worker.get(StageService).recomputeEcosystem(null);
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    api = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    adminToken = (await app.get(ApiTokenService).create({ name: 'member-data e2e', role: 'admin' })).secret;

    // the person with the most activities who is not the admin and whom the simulator can sign in, and another one
    const simLogins = new Set(sim.snapshot.accounts.all().filter((a) => a.type === 'User').map((a) => a.login.toLowerCase()));
    // (members with an e-mail address GitHub linked to their account first: more to delete)
    const { rows: people } = await db.query(
      `SELECT m.id AS member_id, g.id::int AS account_id, g.login, count(a.*)::int AS n
         FROM member m JOIN github_account g ON g.member_id = m.id JOIN activity a ON a.member_id = m.id
        WHERE m.kind = 'person' AND g.type = 'User' AND lower(g.login) <> 'blinkdl'
        GROUP BY m.id, g.id, g.login
        ORDER BY EXISTS (SELECT 1 FROM identity i WHERE i.member_id = m.id AND i.platform = 'email') DESC, n DESC, g.id`,
    );
    const signable = people.filter((p: { login: string }) => simLogins.has(p.login.toLowerCase()));
    expect(signable.length).toBeGreaterThanOrEqual(2);
    // an address the person confirmed to Cambrian, and their digest preferences under it
    await worker.get(IdentityService).recordVerifiedEmail(signable[0].account_id, 'Morning.Dew@example.org', 'test');
    await db.query(`INSERT INTO member_email_preference (member_id, email, digest_opt_in) VALUES ($1, 'morning.dew@example.org', true)`, [
      signable[0].member_id,
    ]);
    const { rows: identities } = await db.query(`SELECT platform, key, display_name FROM identity WHERE member_id = $1`, [signable[0].member_id]);
    const { rows: account } = await db.query(`SELECT name FROM github_account WHERE id = $1`, [signable[0].account_id]);
    const { rows: gitNames } = await db.query(
      `SELECT DISTINCT c.author_name AS display_name FROM git_commit c JOIN identity i ON i.id = c.author_identity_id WHERE i.member_id = $1`,
      [signable[0].member_id],
    );
    me = {
      memberId: signable[0].member_id,
      accountId: signable[0].account_id,
      login: signable[0].login,
      // git names and profile names of three letters or more (shorter ones occur inside other words)
      names: [...new Set([...[...identities, ...gitNames].map((i: { display_name: string | null }) => i.display_name), account[0]?.name])].filter(
        (name): name is string => typeof name === 'string' && name.length >= 3 && name.toLowerCase() !== signable[0].login.toLowerCase(),
      ),
      emails: identities.filter((i: { platform: string }) => i.platform === 'email').map((i: { key: string }) => i.key),
    };
    other = { memberId: signable[1].member_id, login: signable[1].login };
    const signedIn = await signIn(me.login);
    expect(signedIn.status).toBe(200);
    session = { jar: (signedIn as Response & { jar: Jar }).jar, csrf: ((await signedIn.json()) as { csrfToken: string }).csrfToken };
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    if (worker) {
      for (const name of Object.values(QueueName)) await worker.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await worker.close();
    }
    await db?.end();
    await env?.teardown();
    await sim?.close();
  });

  it("lets a member export their own data (GraphQL pages and the GET /me/export download), and nobody else's", async () => {
    const own = await graphql(EXPORT, { id: me.memberId, first: 5 }, { session });
    expect(own.errors).toBeUndefined();
    const document = JSON.parse(own.data.exportMemberData.json);
    expect(document.member.login).toBe(me.login);
    expect(document.githubAccounts.map((a: { id: number }) => Number(a.id))).toEqual([me.accountId]);
    expect(document.emailAddresses).toEqual([...me.emails].sort());
    expect(document.sessions).toHaveLength(1);
    expect(own.data.exportMemberData.downloadPath).toBe('/me/export');
    expect(JSON.stringify(document)).not.toContain(`"${other.login}"`);

    const download = await fetch(`${api}/me/export`, { headers: { cookie: cookieHeader(session.jar) } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="cambrian-member-${me.memberId}.json"`);
    const whole = (await download.json()) as { activities: { total: number; items: Array<{ id: string }> } };
    expect(whole.activities.items).toHaveLength(whole.activities.total);
    expect(whole.activities.items.slice(0, 5).map((a) => a.id)).toEqual(document.activities.items.map((a: { id: string }) => a.id));

    const foreign = await graphql(EXPORT, { id: other.memberId }, { session });
    expect(foreign.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const unknown = await graphql(EXPORT, { id: '00000000-0000-4000-8000-000000000000' }, { session });
    expect(unknown.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await graphql(EXPORT, { id: me.memberId });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await fetch(`${api}/me/export`)).status).toBe(401);
    const asAdmin = await graphql(EXPORT, { id: other.memberId, first: 0 }, { token: adminToken });
    expect(JSON.parse(asAdmin.data.exportMemberData.json).member.login).toBe(other.login);
    expect(asAdmin.data.exportMemberData.downloadPath).toBeNull();
  });

  it('deletes the personal data on the member\'s confirmed request, keeps the totals, and a re-sync, a webhook or a sign-in brings nothing back', async () => {
    const before = await graphql(TOTALS, {}, { token: adminToken });
    expect(before.errors).toBeUndefined();
    const needles = [me.login, ...me.names, ...me.emails];
    expect(me.emails).toContain('morning.dew@example.org');
    expect((await findText(db, me.login)).length).toBeGreaterThan(0);

    expect((await graphql(DELETE, { id: other.memberId, confirm: other.login }, { session })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await graphql(DELETE, { id: me.memberId, confirm: 'not-me' }, { session })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const deleted = await graphql(DELETE, { id: me.memberId, confirm: `@${me.login.toUpperCase()}` }, { session });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data.requestMemberDeletion).toMatchObject({ memberId: me.memberId, requestedBy: `member:${me.memberId}`, alreadyDeleted: false });
    // the session went with the data
    expect((await graphql(EXPORT, { id: me.memberId }, { session })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    for (const needle of needles) expect({ needle, hits: await findText(db, needle) }).toEqual({ needle, hits: [] });
    const after = await graphql(TOTALS, {}, { token: adminToken });
    const anonymous = after.data.leaderboard.entries.find((e: { member: { id: string } }) => e.member.id === me.memberId);
    expect(anonymous.member).toEqual({ id: me.memberId, login: null, displayName: 'Deleted member' });
    const shown = await graphql(`query ($id: ID!) { member(id: $id) { login displayName identities { platform key } } }`, { id: me.memberId }, { token: adminToken });
    expect(shown).toEqual({ data: { member: { login: null, displayName: 'Deleted member', identities: [] } } });
    const withoutMe = (data: { leaderboard: { entries: Array<{ member: { id: string } }> } }) =>
      data.leaderboard.entries.map((e) => (e.member.id === me.memberId ? { ...e, member: { id: me.memberId } } : e));
    expect(withoutMe(after.data)).toEqual(withoutMe(before.data));
    expect(after.data.funnel).toEqual(before.data.funnel);

    // a full re-sync (cursors and ETags forgotten, so every page is read and written again)
    await db.query(`UPDATE sync_state SET cursor = '{}', etag = NULL`);
    await syncAll();
    // a webhook: the member comments on an issue
    const template = buildActivityDeliveries(sim.snapshot, REPOSITORY).find((d) => d.event === 'issue_comment')!;
    const payload = structuredClone(template.payload) as { sender: unknown; comment: { id: number; user: unknown; html_url?: string } };
    const account = { id: me.accountId, login: me.login, type: 'User', avatar_url: `https://avatars.githubusercontent.com/u/${me.accountId}?v=4` };
    payload.sender = account;
    payload.comment = { ...payload.comment, id: 990_000_001, user: account };
    const [result] = await emitWebhooks({ targetUrl: `${api}/webhooks/github`, secret: SECRET, deliveries: [{ event: 'issue_comment', payload }] });
    expect(result.status).toBe(202);
    let status = 'received';
    for (let waited = 0; waited < 60_000 && status === 'received'; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await db.query(`SELECT status FROM webhook_delivery WHERE delivery_id = $1`, [result.deliveryId])).rows[0]?.status ?? 'received';
    }
    expect(status).toBe('processed');
    const { rows: comment } = await db.query(`SELECT member_id FROM activity WHERE type = 'issue_comment' AND member_id = $1`, [me.memberId]);
    expect(comment.length).toBeGreaterThan(0);
    // not even the delivery's payload, once processed
    for (const needle of needles) expect({ needle, hits: await findText(db, needle) }).toEqual({ needle, hits: [] });
    const { rows: delivery } = await db.query(`SELECT payload::text AS payload FROM webhook_delivery WHERE delivery_id = $1`, [result.deliveryId]);
    expect(delivery).toEqual([{ payload: '{"removed": "personal data deleted"}' }]);
    expect((await db.query(`SELECT 1 FROM github_account WHERE id = $1`, [me.accountId])).rows).toEqual([]);
    const resynced = await graphql(TOTALS, {}, { token: adminToken });
    expect(resynced.data.leaderboard.entries.find((e: { member: { id: string } }) => e.member.id === me.memberId).member.login).toBeNull();

    const again = await signIn(me.login);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: string }).error).toBe('MEMBER_DATA_DELETED');
    // deletion twice is the same as once
    const twice = await graphql(DELETE, { id: me.memberId }, { token: adminToken });
    expect(twice.data.requestMemberDeletion).toMatchObject({ alreadyDeleted: true, requestedBy: `member:${me.memberId}`, removed: deleted.data.requestMemberDeletion.removed });
  });
});
