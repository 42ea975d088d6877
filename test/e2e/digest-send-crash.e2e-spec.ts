import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { simpleParser } from 'mailparser';
import { Worker } from 'bullmq';
import pg from 'pg';
import { DIGEST_MAIL_TRANSPORT, DigestSendRetryError, type DigestMailTransport } from '#libs/digests';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { createMember } from '../helpers/factories.js';
import { SmtpCatcher, countHeaderLines } from '../helpers/smtp-catcher.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createSendingSide, waitFor, type SendingSide } from './digest-send-helpers.js';

/** A crash or a second execution inside the SMTP transaction never sends a second message. */
describe('digest sending when a worker dies or a job runs twice mid-send (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let catcher: SmtpCatcher;
  let sending: SendingSide;
  const extraWorkers: Worker[] = [];

  const row = async (memberId: string, week: string) =>
    (await db.query(`SELECT status, attempts, last_error, email FROM digest_send WHERE member_id = $1 AND iso_week = $2`, [memberId, week])).rows[0];
  /** A member opted in; earlier tests' members opted out, so a planned week is this member's alone. */
  async function optedIn(login: string) {
    await db.query(`UPDATE member_email_preference SET digest_opt_in = false`);
    const { memberId } = await createMember(db, { login });
    await sending.preferences.set(memberId, { email: `${login}@example.org`, digestOptIn: true });
    return memberId;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    catcher = await new SmtpCatcher({ replyDelayMs: 300 }).start();
    sending = await createSendingSide(env, {
      SMTP_URL: catcher.url,
      SMTP_RATE_LIMIT: '100',
      DIGEST_SEND_LEASE_SECONDS: '2',
      DIGEST_RETRY_DELAY_MS: '200',
      DIGEST_SEND_ATTEMPTS: '10',
    });
  });

  afterAll(async () => {
    for (const worker of extraWorkers) await worker.close(true);
    await sending?.close();
    await catcher?.stop();
    await db?.end();
    await env?.teardown();
  });

  it('sends once when the same job runs twice at once: the second finds the row in the SMTP transaction', async () => {
    const memberId = await optedIn('twice');
    const results = await Promise.allSettled([sending.sender.send(memberId, '2026-W48'), sending.sender.send(memberId, '2026-W48')]);
    const fulfilled = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ action: string }>).value.action);
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(fulfilled).toContain('sent');
    // the other one either lost the race to `sending` or found the row in flight (and would be retried)
    expect(fulfilled.length + rejected.length).toBe(2);
    for (const reason of rejected) expect(reason).toBeInstanceOf(DigestSendRetryError);
    expect(catcher.to('twice@example.org')).toHaveLength(1);
    expect(await row(memberId, '2026-W48')).toMatchObject({ status: 'sent' });
    // and a retry of it later finds it finished
    expect((await sending.sender.send(memberId, '2026-W48')).action).toBe('already-finished');
    expect(catcher.to('twice@example.org')).toHaveLength(1);
  });

  it('never sends again after a worker died between the server accepting and the ledger update: the row becomes uncertain', async () => {
    const memberId = await optedIn('killed');
    const week = '2026-W49';
    // worker A hands the message to SMTP, the server accepts it, and A freezes before recording `sent` (as a
    // process killed right then would): it never answers and stops renewing its lock
    let accepted!: () => void;
    const acceptedOnce = new Promise<void>((resolve) => (accepted = resolve));
    const markSent = jest.spyOn(sending.ledger, 'markSent').mockImplementationOnce(() => {
      accepted();
      return new Promise(() => {});
    });
    const lost = new Worker(QueueName.Digests, (job) => sending.processor.process(job), {
      connection: redisConnectionOptions(process.env.REDIS_URL!),
      prefix: env.queuePrefix,
      lockDuration: 1000,
      stalledInterval: 500,
      skipLockRenewal: true,
    });
    lost.on('error', () => {});
    extraWorkers.push(lost);
    expect((await sending.planner.planWeek(week)).queued).toBe(1);
    await acceptedOnce;
    expect(catcher.to('killed@example.org')).toHaveLength(1);
    expect(await row(memberId, week)).toMatchObject({ status: 'sending', email: 'killed@example.org' });
    markSent.mockRestore();

    // worker B takes the stalled job over: it finds the row `sending` (the lease decides when A is gone)
    await lost.close(true).catch(() => undefined);
    sending.startWorker({ concurrency: 2, stalledInterval: 500 });
    await waitFor('the row settled', async () => (await row(memberId, week)).status !== 'sending', 30_000);
    expect(await row(memberId, week)).toMatchObject({ status: 'uncertain', last_error: expect.stringMatching(/maybe delivered, not sent again/) });
    expect(catcher.to('killed@example.org')).toHaveLength(1);
    // uncertain is final: neither the planner nor another job sends it
    expect((await sending.planner.planWeek(week)).queued).toBe(0);
    expect((await sending.sender.send(memberId, week)).action).toBe('already-finished');
    expect(catcher.to('killed@example.org')).toHaveLength(1);
  });

  it('retries a message the server never got (connection refused) and sends it once when the server is back', async () => {
    const memberId = await optedIn('refused');
    const week = '2026-W50';
    const down = new SmtpCatcher();
    await down.start();
    const port = down.port;
    await down.stop();
    const offline = await createSendingSide(env, { SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_RATE_LIMIT: '100', DIGEST_RETRY_DELAY_MS: '200' });
    await expect(offline.sender.send(memberId, week)).rejects.toBeInstanceOf(DigestSendRetryError);
    expect(await row(memberId, week)).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED|connect/i) });
    await offline.app.close();
    // the retry (here through the working server) sends it
    expect((await sending.sender.send(memberId, week)).action).toBe('sent');
    expect(await row(memberId, week)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(catcher.to('refused@example.org')).toHaveLength(1);
  });

  it("plans by each member's wall clock: the week just ended once local Monday 09:00 has passed", async () => {
    await db.query(`UPDATE member_email_preference SET digest_opt_in = false`);
    const zones: Record<string, string> = { shanghai: 'Asia/Shanghai', angeles: 'America/Los_Angeles', berlin: 'Europe/Berlin' };
    const ids: Record<string, string> = {};
    for (const [login, timeZone] of Object.entries(zones)) {
      ids[login] = (await createMember(db, { login })).memberId;
      await sending.preferences.set(ids[login], { email: `${login}@example.org`, digestOptIn: true, timeZone });
    }
    // Monday 30 November 2026 01:00 UTC: 09:00 in Shanghai, 02:00 in Berlin, Sunday 17:00 in Los Angeles
    const plan = await sending.planner.planDue(new Date('2026-11-30T01:00:00Z'));
    expect(plan).toEqual({ weeks: ['2026-W47', '2026-W48'], queued: 2 });
    await waitFor('two rows sent', async () => (await db.query(`SELECT 1 FROM digest_send WHERE member_id = ANY($1) AND status = 'sent'`, [Object.values(ids)])).rowCount === 2);
    const rows = (await db.query(`SELECT member_id, iso_week FROM digest_send WHERE member_id = ANY($1) ORDER BY iso_week`, [Object.values(ids)])).rows;
    expect(rows).toEqual([
      { member_id: ids.angeles, iso_week: '2026-W47' },
      { member_id: ids.shanghai, iso_week: '2026-W48' },
    ]);
    // an hour later nothing new for them; Berlin's turn comes at 08:00 UTC
    expect((await sending.planner.planDue(new Date('2026-11-30T02:00:00Z'))).queued).toBe(0);
    // (Los Angeles has just entered Monday: its next week is not due before its 09:00)
    expect(await sending.planner.planDue(new Date('2026-11-30T08:00:00Z'))).toEqual({ weeks: ['2026-W48'], queued: 1 });
  });
});

describe('digest sending to the file outbox (local runs, the demo)', () => {
  it('writes one .eml per member and week, and a retry writes nothing twice', async () => {
    const env = await createTestEnv();
    const outbox = await mkdtemp(join(tmpdir(), 'cambrian-outbox-'));
    env.apply();
    const db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    // no SMTP_URL (an empty one is unset): the outbox
    const side = await createSendingSide(env, { SMTP_URL: '', MAIL_OUTBOX_DIR: outbox, PUBLIC_BASE_URL: 'https://cambrian.example.org' });
    try {
      const { memberId } = await createMember(db, { login: 'outboxed' });
      await side.preferences.set(memberId, { email: 'outboxed@example.org', digestOptIn: true });
      expect(await side.sender.send(memberId, '2026-W48')).toMatchObject({ action: 'sent', detail: expect.stringMatching(/^250 written to /) });
      const files = (await readdir(outbox)).filter((name) => name.endsWith('.eml'));
      expect(files).toEqual([`digest.2026-w48.${memberId}@cambrian.localhost.eml`]);
      const raw = await readFile(join(outbox, files[0]));
      expect(countHeaderLines(raw, 'List-Unsubscribe')).toBe(1);
      const parsed = await simpleParser(raw);
      expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('outboxed@example.org');
      expect(parsed.text).toContain(`https://cambrian.example.org/unsubscribe?token=u.${memberId}.`);
      // the same message delivered again (a retry after a crash) finds it there
      const transport = side.app.get<DigestMailTransport>(DIGEST_MAIL_TRANSPORT);
      expect(await transport.deliver({ from: 'a@b.c', to: 'outboxed@example.org', messageId: parsed.messageId!, raw }, async () => true)).toMatch(/^250 already in the outbox/);
      expect((await readdir(outbox)).filter((name) => name.endsWith('.eml'))).toHaveLength(1);
    } finally {
      await side.close();
      await db.end();
      await env.teardown();
      await rm(outbox, { recursive: true, force: true });
    }
  });
});
