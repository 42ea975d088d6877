import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { isoWeekOf, signDigestToken } from '#libs/digests';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createMember } from '../helpers/factories.js';
import { SmtpCatcher, countHeaderLines, parseMessage } from '../helpers/smtp-catcher.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';
import { createSendingSide, waitFor, type SendingSide } from './digest-send-helpers.js';

const SECRET = 'unsubscribe-test-secret';

/** Case M2 (../shared/cases/mail.md): one-click unsubscribe from the message itself, through the real api. */
describe('digest unsubscribe and preferences: list headers, one-click POST, confirmation page, tokens (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let api: NestFastifyApplication;
  let client: GraphqlClient;
  let base: string;
  let adminToken: string;
  let catcher: SmtpCatcher;
  let sending: SendingSide;
  let m1: { memberId: string; email: string };
  let m2: { memberId: string; email: string };

  const post = (url: string, body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  const unsubscribeLink = (raw: Buffer) => {
    const header = /^List-Unsubscribe: <([^>]+)>, <(mailto:[^>]+)>/m.exec(raw.toString().replace(/\r?\n[ \t]+/g, ' '));
    return { https: header![1], mailto: header![2] };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ DIGEST_TOKEN_SECRETS: SECRET });
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
    base = client['url'].replace(/\/graphql$/, '');
    adminToken = (await api.get(ApiTokenService, { strict: false }).create({ name: 'digest admin', role: 'admin' })).secret;
    catcher = await new SmtpCatcher().start();
    sending = await createSendingSide(env, {
      DIGEST_TOKEN_SECRETS: SECRET,
      SMTP_URL: catcher.url,
      SMTP_RATE_LIMIT: '100',
      PUBLIC_BASE_URL: base,
      MAIL_FROM: 'Cambrian <digest@cambrian.test>',
    });
    sending.startWorker();
    for (const login of ['m-1', 'm-2']) {
      const { memberId } = await createMember(db, { login, email: `${login}@example.org` });
      (login === 'm-1' ? (m1 = { memberId, email: '' }) : (m2 = { memberId, email: '' })).email = `${login}@example.org`;
    }
  });

  afterAll(async () => {
    await sending?.close();
    await catcher?.stop();
    await api?.close();
    await db?.end();
    await env?.teardown();
  });

  it('opts members in and starts a week through GraphQL, and lists the ledger by week and status', async () => {
    const SET = `mutation ($memberId: ID!, $input: MemberEmailPreferencesInput!) {
      setMemberEmailPreferences(memberId: $memberId, input: $input) { memberId email digestOptIn locale timeZone }
    }`;
    // no address given: the member's commit e-mail
    const set = await client.data(SET, { memberId: m1.memberId, input: { digestOptIn: true, timeZone: 'asia/shanghai' } }, { token: adminToken });
    expect(set.setMemberEmailPreferences).toEqual({ memberId: m1.memberId, email: m1.email, digestOptIn: true, locale: null, timeZone: 'Asia/Shanghai' });
    await client.data(SET, { memberId: m2.memberId, input: { digestOptIn: true, locale: 'zh-CN' } }, { token: adminToken });
    const bad = await client.request(SET, { memberId: m2.memberId, input: { timeZone: 'Mars/Olympus' } }, { token: adminToken });
    expect(bad.errors![0]).toMatchObject({ message: expect.stringMatching(/"Mars\/Olympus" is not an IANA time zone/), extensions: { code: 'BAD_USER_INPUT' } });
    const unauthenticated = await client.request(SET, { memberId: m2.memberId, input: { digestOptIn: false } });
    expect(unauthenticated.errors![0].extensions!.code).toBe('UNAUTHENTICATED');

    // a week still going on somewhere, or a future one, would send a partial digest and take the week's ledger row
    for (const week of ['2030-W01', isoWeekOf(new Date(), 'Etc/GMT+12')]) {
      const early = await client.request(`mutation ($week: String!) { startDigestRun(week: $week) { week members } }`, { week }, { token: adminToken });
      expect(early.errors![0]).toMatchObject({ message: expect.stringMatching(new RegExp(`${week} has not ended everywhere yet`)), extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(catcher.accepted).toHaveLength(0);
    const run = await client.data(`mutation { startDigestRun(week: "2026-W47") { week members } }`, {}, { token: adminToken });
    expect(run.startDigestRun).toEqual({ week: '2026-W47', members: 2 });
    await waitFor('two digests', async () => catcher.accepted.length === 2);
    await waitFor('two sent rows', async () => (await db.query(`SELECT 1 FROM digest_send WHERE status = 'sent'`)).rowCount === 2);
    const LEDGER = `query ($week: String, $status: DigestSendStatus, $after: String) {
      digestSends(first: 1, week: $week, status: $status, after: $after) { edges { cursor node { memberId week status email attempts messageId } } pageInfo { hasNextPage endCursor } }
    }`;
    const first = (await client.data(LEDGER, { week: '2026-W47', status: 'SENT' }, { token: adminToken })).digestSends;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await client.data(LEDGER, { week: '2026-W47', status: 'SENT', after: first.pageInfo.endCursor }, { token: adminToken })).digestSends;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...second.edges].map((e: any) => e.node.memberId).sort()).toEqual([m1.memberId, m2.memberId].sort());
    expect(first.edges[0].node).toMatchObject({ week: '2026-W47', status: 'SENT', attempts: 1 });
    const malformed = await client.request(LEDGER, { week: '2026-48' }, { token: adminToken });
    expect(malformed.errors![0]).toMatchObject({ message: expect.stringMatching(/"2026-48" is not an ISO week/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('carries one List-Unsubscribe (https, mailto) and one List-Unsubscribe-Post header (M2)', async () => {
    const [message] = catcher.to(m1.email);
    expect(countHeaderLines(message.raw, 'List-Unsubscribe')).toBe(1);
    expect(countHeaderLines(message.raw, 'List-Unsubscribe-Post')).toBe(1);
    const parsed = await parseMessage(message);
    expect(parsed.headerLines.filter((l) => l.key === 'list-unsubscribe-post').map((l) => l.line)).toEqual(['List-Unsubscribe-Post: List-Unsubscribe=One-Click']);
    const link = unsubscribeLink(message.raw);
    expect(link.https.startsWith(`${base}/unsubscribe?token=u.${m1.memberId}.`)).toBe(true);
    expect(link.mailto).toMatch(/^mailto:unsubscribe@cambrian\.test\?subject=unsubscribe%20u\./);
    expect(parsed.text).toContain(`${base}/preferences?token=p.${m1.memberId}.`);
  });

  it('shows a confirmation on GET without unsubscribing, unsubscribes on the one-click POST, and the next week sends nothing (M2)', async () => {
    const link = unsubscribeLink(catcher.to(m1.email)[0].raw).https;
    // a mail scanner prefetching the link changes nothing
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<form method="post" action="unsubscribe\?token=[^"]+"><input type="hidden" name="List-Unsubscribe" value="One-Click">/);
    expect((await sending.preferences.get(m1.memberId))!.digestOptIn).toBe(true);

    const refused = await post(link, 'something=else');
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/List-Unsubscribe=One-Click/);

    const done = await post(link, 'List-Unsubscribe=One-Click');
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/unsubscribed/);
    expect(await sending.preferences.get(m1.memberId)).toMatchObject({ digestOptIn: false, unsubscribedAt: expect.any(Date) });
    // twice is fine (a provider retrying the POST)
    expect((await post(link, 'List-Unsubscribe=One-Click')).status).toBe(200);

    // the next week's job for m-1 (queued before the unsubscribe, say) records skipped and sends nothing
    expect(await sending.sender.send(m1.memberId, '2026-W49')).toMatchObject({ action: 'skipped', status: 'skipped', detail: 'not-opted-in' });
    expect((await sending.planner.planWeek('2026-W50')).queued).toBe(1); // m-2 only
    await waitFor('m-2 week 50', async () => (await db.query(`SELECT 1 FROM digest_send WHERE iso_week = '2026-W50' AND status = 'sent'`)).rowCount === 1);
    expect(catcher.to(m1.email)).toHaveLength(1);
    expect(catcher.to(m2.email)).toHaveLength(2);
  });

  it('accepts the one-click POST as multipart/form-data (RFC 8058 allows either)', async () => {
    const link = unsubscribeLink(catcher.to(m2.email)[0].raw).https;
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const done = await fetch(link, { method: 'POST', body: form });
    expect(done.status).toBe(200);
    expect((await sending.preferences.get(m2.memberId))!.digestOptIn).toBe(false);
  });

  it('lists the unsubscribed members for admins, latest unsubscribe first, page by page, named through their member', async () => {
    const UNSUBSCRIBES = `query ($after: String) {
      digestUnsubscribes(first: 1, after: $after) { totalCount edges { cursor node { memberId email digestOptIn unsubscribedAt member { login } } } pageInfo { hasNextPage endCursor } }
    }`;
    const first = (await client.data(UNSUBSCRIBES, {}, { token: adminToken })).digestUnsubscribes;
    expect(first.totalCount).toBe(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    // m-2 unsubscribed last (previous test)
    expect(first.edges.map((e: any) => e.node)).toEqual([
      { memberId: m2.memberId, email: m2.email, digestOptIn: false, unsubscribedAt: expect.any(String), member: { login: 'm-2' } },
    ]);
    const second = (await client.data(UNSUBSCRIBES, { after: first.pageInfo.endCursor }, { token: adminToken })).digestUnsubscribes;
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(second.edges.map((e: any) => [e.node.memberId, e.node.member.login])).toEqual([[m1.memberId, 'm-1']]);
    expect(Date.parse(second.edges[0].node.unsubscribedAt)).toBeLessThanOrEqual(Date.parse(first.edges[0].node.unsubscribedAt));

    const foreign = await client.request(UNSUBSCRIBES, { after: 'bm90LWEtY3Vyc29y' }, { token: adminToken });
    expect(foreign.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const anonymous = await client.request(UNSUBSCRIBES, {});
    expect(anonymous.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    // the ledger names its rows' members too
    const ledger = await client.data(`{ digestSends(week: "2026-W47", first: 10) { edges { node { memberId member { login } } } } }`, {}, { token: adminToken });
    expect(ledger.digestSends.edges.map((e: any) => e.node.member.login).sort()).toEqual(['m-1', 'm-2']);
  });

  it('lets the member opt in again, change language and time zone on the preferences page', async () => {
    const token = signDigestToken([SECRET], 'preferences', m1.memberId);
    const page = await fetch(`${base}/preferences?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<option value="Asia/Shanghai" selected>');
    const saved = await post(`${base}/preferences?token=${token}`, 'digestOptIn=on&locale=zh-CN&timeZone=Europe%2FBerlin');
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('已保存');
    expect(await sending.preferences.get(m1.memberId)).toMatchObject({ digestOptIn: true, unsubscribedAt: null, locale: 'zh-CN', timeZone: 'Europe/Berlin' });
    // opted in again: no longer listed as unsubscribed
    const listed = await client.data(`{ digestUnsubscribes { totalCount edges { node { memberId } } } }`, {}, { token: adminToken });
    expect(listed.digestUnsubscribes).toEqual({ totalCount: 1, edges: [{ node: { memberId: m2.memberId } }] });
    const bad = await post(`${base}/preferences?token=${token}`, 'digestOptIn=on&timeZone=Nowhere%2FLand');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('&quot;Nowhere/Land&quot; is not an IANA time zone');
  });

  it.each<[string, () => string, number, RegExp]>([
    ['no token', () => '', 400, /has no token/],
    ['a malformed token', () => 'u.not-a-token', 400, /malformed/],
    ['a token signed with another secret', () => signDigestToken(['someone-elses'], 'unsubscribe', m2.memberId), 403, /signature does not match/],
    ["m-1's signature on m-2's id", () => signDigestToken([SECRET], 'unsubscribe', m1.memberId).replace(m1.memberId, m2.memberId), 403, /signature does not match/],
    ['a preferences token', () => signDigestToken([SECRET], 'preferences', m2.memberId), 403, /not for unsubscribing/],
  ])('refuses %s with a clear error and changes nothing', async (_name, token, status, message) => {
    await sending.preferences.set(m2.memberId, { digestOptIn: true });
    const response = await post(`${base}/unsubscribe?token=${encodeURIComponent(token())}`, 'List-Unsubscribe=One-Click');
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(message);
    expect((await sending.preferences.get(m2.memberId))!.digestOptIn).toBe(true);
  });
});
