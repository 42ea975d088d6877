import pg from 'pg';
import { sendDigestJobId } from '#libs/digests';
import { digestSends } from '#libs/observability';
import { createMember } from '../helpers/factories.js';
import { SmtpCatcher, parseMessage } from '../helpers/smtp-catcher.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { QUIET_MEMBERS, createSendingSide, waitFor, type SendingSide } from './digest-send-helpers.js';

/** Case M1 (../shared/cases/mail.md) scaled down: a window of 1 s instead of 10 s. */
const WINDOW_MS = 1000;
const WEEK = '2026-W48';

/** The worker's `cambrian_digests_total` by outcome, as /metrics shows it. */
async function digestMetric(): Promise<Record<string, number>> {
  return Object.fromEntries((await digestSends.get()).values.map((entry) => [String(entry.labels.outcome), entry.value]));
}

describe('digest sending over SMTP: rate limit under bursts, 4xx retries, bounces, exactly one per week (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  const sides: SendingSide[] = [];
  const catchers: SmtpCatcher[] = [];

  const ledgerOf = async (week: string, memberIds: string[]) =>
    (await db.query(`SELECT member_id, status, attempts, email, last_error, reason, smtp_reply FROM digest_send WHERE iso_week = $1 AND member_id = ANY($2)`, [week, memberIds]))
      .rows;
  const settled = (week: string, memberIds: string[]) => async () =>
    (await ledgerOf(week, memberIds)).filter((row) => !['pending', 'sending'].includes(row.status)).length === memberIds.length;

  /** `n` opted-in members with addresses of their own. */
  async function members(side: SendingSide, n: number, prefix: string): Promise<Array<{ memberId: string; email: string }>> {
    const created = [];
    for (let i = 0; i < n; i += 1) {
      const { memberId } = await createMember(db, { login: `${prefix}${i}` });
      const email = `${prefix}${i}@example.org`;
      await side.preferences.set(memberId, { email, digestOptIn: true, timeZone: 'Europe/Berlin' });
      created.push({ memberId, email });
    }
    return created;
  }

  async function side(catcher: SmtpCatcher, extra: Record<string, string>): Promise<SendingSide> {
    catchers.push(await catcher.start());
    const created = await createSendingSide(env, {
      SMTP_URL: catcher.url,
      SMTP_MAX_CONNECTIONS: '5',
      DIGEST_RETRY_DELAY_MS: '100',
      DIGEST_SEND_ATTEMPTS: '10',
      ...extra,
    });
    sides.push(created);
    return created;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
  });

  // each test's members, workers and SMTP server are its own
  afterEach(async () => {
    for (const created of sides.splice(0)) await created.close();
    await db.query(`UPDATE member_email_preference SET digest_opt_in = false`);
  });

  afterAll(async () => {
    for (const catcher of catchers) await catcher.stop();
    await db?.end();
    await env?.teardown();
  });

  it('holds the limit of 2 per window through a burst of six to a throttling server: no 454, one digest each (M1)', async () => {
    const catcher = new SmtpCatcher({ throttle: { max: 2, windowMs: WINDOW_MS } });
    const sending = await side(catcher, { SMTP_RATE_LIMIT: '2', SMTP_RATE_WINDOW_MS: String(WINDOW_MS) });
    const six = await members(sending, 6, 'burst');
    // two workers, as two worker processes would run: the limit is shared through Redis
    sending.startWorker({ concurrency: 5 });
    sending.startWorker({ concurrency: 5 });
    expect((await sending.planner.planWeek(WEEK)).queued).toBe(6);
    await waitFor('six digests sent', settled(WEEK, six.map((m) => m.memberId)));

    expect(catcher.maxInWindow(WINDOW_MS)).toBeLessThanOrEqual(2);
    expect(catcher.refused).toEqual([]);
    for (const { email } of six) expect(catcher.to(email)).toHaveLength(1);
    const rows = await ledgerOf(WEEK, six.map((m) => m.memberId));
    expect(rows.map((row) => row.status)).toEqual(Array(6).fill('sent'));
    expect(rows.every((row) => row.smtp_reply.startsWith('250'))).toBe(true);

    // the week again (a second run, the hourly planner): nobody is queued, nothing is sent
    expect((await sending.planner.planWeek(WEEK)).queued).toBe(0);
    for (const { memberId } of six) expect((await sending.sender.send(memberId, WEEK)).action).toBe('already-finished');
    expect(catcher.accepted).toHaveLength(6);
  });

  it('retries every 454 with backoff until each member has exactly one digest, attempts in the ledger (M1 with a looser client limit)', async () => {
    const catcher = new SmtpCatcher({ throttle: { max: 2, windowMs: WINDOW_MS } });
    // the client allows 50 per window: the server's 454 answers are what keeps the pace
    const sending = await side(catcher, { SMTP_RATE_LIMIT: '50', SMTP_RATE_WINDOW_MS: String(WINDOW_MS), DIGEST_RETRY_DELAY_MS: '300' });
    const six = await members(sending, 6, 'throttled');
    digestSends.reset();
    sending.startWorker({ concurrency: 6 });
    await sending.planner.planWeek(WEEK);
    await waitFor('six digests sent through throttling', settled(WEEK, six.map((m) => m.memberId)), 45_000);

    expect(catcher.refused.filter((r) => r.code === 454).length).toBeGreaterThan(0);
    expect(catcher.maxInWindow(WINDOW_MS)).toBeLessThanOrEqual(2);
    for (const { email } of six) expect(catcher.to(email)).toHaveLength(1);
    const rows = await ledgerOf(WEEK, six.map((m) => m.memberId));
    expect(rows.map((row) => row.status)).toEqual(Array(6).fill('sent'));
    // each 454 was one more attempt of that member's job
    const refusedTo = (email: string) => catcher.refused.filter((r) => r.to.includes(email)).length;
    for (const row of rows) expect(row.attempts).toBe(1 + refusedTo(row.email));
    expect(rows.some((row) => row.attempts > 1)).toBe(true);
    // /metrics: six sent, and one `retried` per 454
    expect(await digestMetric()).toEqual({ sent: 6, retried: catcher.refused.filter((r) => r.code === 454).length });
  });

  it('marks a 5xx address bounced without retrying, records an empty week with its reason, and plans neither again', async () => {
    const catcher = new SmtpCatcher({ rejectRecipients: ['gone0@example.org'] });
    const sending = await side(catcher, { SMTP_RATE_LIMIT: '100' });
    const [gone, quiet, fine] = await members(sending, 3, 'gone');
    QUIET_MEMBERS.add(quiet.memberId);
    digestSends.reset();
    const worker = sending.startWorker();
    await sending.planner.planWeek(WEEK);
    const ids = [gone.memberId, quiet.memberId, fine.memberId];
    await waitFor('three rows settled', settled(WEEK, ids));
    await worker.close();

    const rows = Object.fromEntries((await ledgerOf(WEEK, ids)).map((row) => [row.member_id, row]));
    expect(rows[gone.memberId]).toMatchObject({ status: 'bounced', attempts: 1, smtp_reply: expect.stringMatching(/^550/) });
    expect(rows[quiet.memberId]).toMatchObject({ status: 'empty', reason: 'no activity and nothing to offer', email: null });
    expect(rows[fine.memberId]).toMatchObject({ status: 'sent' });
    expect(await digestMetric()).toEqual({ bounced: 1, empty: 1, sent: 1 });
    expect(catcher.to(gone.email)).toHaveLength(0);
    expect(catcher.to(quiet.email)).toHaveLength(0);
    const parsed = await parseMessage(catcher.to(fine.email)[0]);
    expect(parsed.subject).toBe(`Your week ${WEEK} (en, Europe/Berlin)`);

    const preferences = await sending.preferences.get(gone.memberId);
    expect(preferences).toMatchObject({ bouncedAt: expect.any(Date), bounceReply: expect.stringMatching(/^550 .*mailbox unavailable/) });
    // the next week: the bounced address is not planned; a new address clears the bounce
    const next = '2026-W49';
    expect((await sending.planner.planWeek(next)).queued).toBe(2);
    expect(await sending.queue.getJob(sendDigestJobId(gone.memberId, next))).toBeUndefined();
    expect(await sending.queue.getJob(sendDigestJobId(fine.memberId, next))).toBeDefined();
    await sending.preferences.set(gone.memberId, { email: 'new-address@example.org' });
    expect((await sending.preferences.get(gone.memberId))!.bouncedAt).toBeNull();
  });

  it("sends a merged member's digest once, to the address its preferences give, under the survivor", async () => {
    const catcher = new SmtpCatcher();
    const sending = await side(catcher, { SMTP_RATE_LIMIT: '100' });
    const merged = await createMember(db, { login: 'merged-away' });
    const survivor = await createMember(db, { login: 'survivor' });
    await sending.preferences.set(merged.memberId, { email: 'merged@example.org', digestOptIn: true, timeZone: 'Asia/Shanghai', locale: 'zh-CN' });
    await db.query(`UPDATE member SET merged_into_id = $2 WHERE id = $1`, [merged.memberId, survivor.memberId]);
    // the preferences now apply to the survivor
    expect(await sending.preferences.get(survivor.memberId)).toMatchObject({ memberId: survivor.memberId, storedMemberId: merged.memberId, email: 'merged@example.org' });

    const week = '2026-W50';
    sending.startWorker();
    expect((await sending.planner.planWeek(week)).queued).toBe(1);
    await waitFor('the survivor row settled', settled(week, [survivor.memberId]));
    expect(catcher.to('merged@example.org')).toHaveLength(1);
    expect((await parseMessage(catcher.to('merged@example.org')[0])).subject).toBe(`Your week ${week} (zh-CN, Asia/Shanghai)`);
    expect((await db.query(`SELECT member_id FROM digest_send WHERE iso_week = $1 AND member_id = ANY($2)`, [week, [merged.memberId, survivor.memberId]])).rows).toEqual([
      { member_id: survivor.memberId },
    ]);
    // a job for the merged member's old id is the survivor's: finished already
    expect((await sending.sender.send(merged.memberId, week)).action).toBe('already-finished');
    expect(catcher.accepted).toHaveLength(1);
  });
});
