import type { Job } from 'bullmq';
import pg from 'pg';
import { JobName } from '#libs/queue';
import { createSendingSide, type SendingSide } from '../e2e/digest-send-helpers.js';
import { parseMessage, SmtpCatcher, type CaughtMessage } from '../helpers/smtp-catcher.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { startApp, type AppProcess, until } from './resilience-processes.js';

const WEEK = '2026-W40'; // Monday 28 September to Sunday 4 October 2026, UTC
const MEMBERS = 150;
/** The worker is killed in the same tick as the server accepts this message (1-based). */
const KILL_AT = 40;

/** What a member received, less what differs between two sends of the same digest (Date, MIME boundaries). */
interface Received {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  listUnsubscribe: string;
}

/** One run: a database with the same members (same ids), a queue prefix, an SMTP server of its own. */
interface Side {
  env: TestEnv;
  db: pg.Pool;
  catcher: SmtpCatcher;
  sending: SendingSide;
  workers: AppProcess[];
}

async function createSide(onAccepted?: (message: CaughtMessage) => void): Promise<Side> {
  const env = await createTestEnv();
  const catcher = await new SmtpCatcher({ onAccepted }).start();
  const sending = await createSendingSide(env, { SMTP_URL: catcher.url }); // the test plans the run only; the workers send
  const db = new pg.Pool({ connectionString: env.database.url, max: 2 });
  // the same members in both databases, ids included, so that Message-IDs, tokens and links are equal
  await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('rwkv', 'RWKV')`);
  await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) SELECT 1956500995, id, 'BlinkDL', 'RWKV-LM', 'BlinkDL/RWKV-LM' FROM ecosystem`);
  await db.query(
    `WITH m AS (
       INSERT INTO member (id, kind, display_name, login)
       SELECT md5('kill-digests-' || g)::uuid, 'person', 'Member ' || g, 'member' || g FROM generate_series(1, $1) g RETURNING id, login
     ), a AS (
       INSERT INTO github_account (id, login, type, member_id) SELECT 8000000 + substr(login, 7)::int, login, 'User', id FROM m RETURNING id, login, member_id
     ), i AS (
       INSERT INTO identity (member_id, platform, key, github_account_id, display_name) SELECT member_id, 'github', id::text, id, login FROM a RETURNING id, member_id, key
     )
     INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
     SELECT 'commit', timestamptz '2026-09-29 10:00:00Z' + (i.key::int % 97) * interval '1 hour', 1956500995, i.id, i.member_id, 'api',
            'commit:' || md5(i.key), jsonb_build_object('sha', md5(i.key), 'headline', 'Work of ' || i.key)
       FROM i`,
    [MEMBERS],
  );
  await db.query(
    `INSERT INTO member_email_preference (member_id, email, digest_opt_in, locale, time_zone)
     SELECT id, login || '@example.org', true, CASE WHEN substr(login, 7)::int % 2 = 0 THEN 'zh-CN' ELSE 'en' END, 'UTC' FROM member`,
  );
  return { env, db, catcher, sending, workers: [] };
}

/** The Postgres sessions of the worker started first (PGAPPNAME), so the test can see them gone after the kill. */
const FIRST_WORKER_SESSIONS = 'cambrian-worker-killed';

function startWorker(side: Side, env: Record<string, string> = {}): AppProcess {
  const worker = startApp('worker', {
    ...env,
    DATABASE_URL: side.env.database.url,
    REDIS_URL: process.env.REDIS_URL!,
    QUEUE_PREFIX: side.env.queuePrefix,
    SMTP_URL: side.catcher.url,
    SMTP_RATE_LIMIT: '40', // per second: the run lasts a few seconds, long enough to be killed in the middle
    DIGEST_SEND_LEASE_SECONDS: '2',
    DIGEST_RETRY_DELAY_MS: '200',
    DIGEST_SCHEDULE_CRON: '0 0 1 1 *', // no planning of its own during the test
    PUBLIC_BASE_URL: 'https://cambrian.example.org',
    LOG_LEVEL: 'warn',
  });
  side.workers.push(worker);
  return worker;
}

/** Ledger rows of the week by member. */
async function ledger(side: Side): Promise<Map<string, { status: string; message_id: string; last_error: string | null }>> {
  const { rows } = await side.db.query(`SELECT member_id, status, message_id, last_error FROM digest_send WHERE iso_week = $1`, [WEEK]);
  return new Map(rows.map((row) => [row.member_id as string, row]));
}

/**
 * Waits until every member's row is settled (not pending or sending) and no send job is left to run
 * (completed jobs are removed: the ledger is the record).
 */
async function runFinished(side: Side, what: string): Promise<void> {
  const summary = async () => {
    const ledgerStates = (await side.db.query(`SELECT status, count(*)::int AS n FROM digest_send WHERE iso_week = $1 GROUP BY 1 ORDER BY 1`, [WEEK])).rows;
    const jobs = (await side.sending.queue.getJobs(['failed', 'active', 'waiting', 'delayed', 'prioritized'])).filter((job): job is Job => job?.name === JobName.SendDigest);
    return { ledgerStates, jobs };
  };
  await until(
    async () => {
      const { ledgerStates, jobs } = await summary();
      const settled = ledgerStates.filter((row) => row.status !== 'pending' && row.status !== 'sending').reduce((sum, row) => sum + row.n, 0);
      return settled === MEMBERS && jobs.length === 0;
    },
    `the digest run to finish (${what})`,
    2400, // 120 s: includes BullMQ's stalled-job check returning the killed worker's jobs (30 to 60 s)
  ).catch(async (error: Error) => {
    const { ledgerStates, jobs } = await summary();
    const states = await Promise.all(jobs.map(async (job) => `${job.id} ${await job.getState()} ${job.failedReason ?? ''}`));
    throw new Error(`${error.message}: ledger ${JSON.stringify(ledgerStates)}, jobs left ${JSON.stringify(states.slice(0, 5))}, ${side.catcher.accepted.length} accepted`);
  });
}

/** What each address received, parsed. */
async function received(side: Side): Promise<Map<string, Received[]>> {
  const byAddress = new Map<string, Received[]>();
  for (const message of side.catcher.accepted) {
    const parsed = await parseMessage(message);
    const item: Received = {
      messageId: parsed.messageId ?? '',
      to: message.to.join(','),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      listUnsubscribe: String(parsed.headers.get('list-unsubscribe') ? JSON.stringify(parsed.headers.get('list-unsubscribe')) : ''),
    };
    byAddress.set(item.to, [...(byAddress.get(item.to) ?? []), item]);
  }
  return byAddress;
}

/**
 * A digest run (150 opted-in members with a commit in the week, the real composer, SMTP to a catcher) whose
 * worker is killed with SIGKILL in the same tick as the server accepts the 40th message, then restarted.
 * Asserts, against the same run uninterrupted (second database, second SMTP server):
 * - each member received at most one message, and no Message-ID arrived twice;
 * - the ledger agrees with the server: a `sent` row's member received exactly one message, with the row's
 *   Message-ID; an `uncertain` row's member received at most one; nobody else received anything;
 * - the rows left `sending` by the killed worker, and only those, end `uncertain` ("maybe delivered, not sent
 *   again"); the 40th message's member is among them (accepted by the server, never recorded as sent) and got
 *   that one message only; every other member's row is `sent`, as in the reference;
 * - every message received equals the reference's message to that member (Message-ID, subject, text, HTML,
 *   List-Unsubscribe).
 */
describe('a worker process killed with SIGKILL mid digest run (e2e, compiled worker children, SMTP catchers)', () => {
  let reference: Side;
  let killed: Side;
  let first: AppProcess;

  beforeAll(async () => {
    killed = await createSide((message) => {
      if (killed.catcher.accepted.length === KILL_AT && message === killed.catcher.accepted[KILL_AT - 1]) first.child.kill('SIGKILL');
    });
    reference = await createSide();
  }, 180_000);

  afterAll(async () => {
    for (const side of [killed, reference]) {
      if (!side) continue;
      for (const worker of side.workers) await worker.kill();
      await side.sending.close();
      await side.catcher.stop();
      await side.db.end();
      await side.env.teardown();
    }
  });

  it('sends each member at most once, the ledger agrees with the SMTP server, and only the messages in flight at the kill are uncertain', async () => {
    first = startWorker(killed, { PGAPPNAME: FIRST_WORKER_SESSIONS });
    const exited = new Promise((resolve) => first.child.once('exit', (_code, signal) => resolve(signal)));
    const firstWorkerSessions = async () => (await killed.db.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [FIRST_WORKER_SESSIONS])).rowCount!;
    await until(async () => (await firstWorkerSessions()) > 0, "the first worker's sessions, named by PGAPPNAME", 1200);
    expect((await killed.sending.planner.planWeek(WEEK)).queued).toBe(MEMBERS);
    const statuses = async () => (await killed.db.query(`SELECT status, count(*)::int AS n FROM digest_send GROUP BY 1 ORDER BY 1`)).rows;
    await until(async () => first.child.signalCode !== null || first.child.exitCode !== null, 'the kill', 1200).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${killed.catcher.accepted.length} accepted, ledger ${JSON.stringify(await statuses())}, log ${JSON.stringify(first.lines.slice(-5))}`);
    });
    expect(await exited).toBe('SIGKILL');
    // a statement the worker sent just before it died (its claim of a row, say) still runs and commits: its
    // sessions end only once they have read everything the worker sent, so the ledger is read after that
    await until(
      async () => (await firstWorkerSessions()) === 0,
      "the killed worker's sessions to end",
      1200,
    );
    const lastAccepted = killed.catcher.accepted[KILL_AT - 1];
    const atKill = await ledger(killed);
    const inFlight = new Set([...atKill].filter(([, row]) => row.status === 'sending').map(([memberId]) => memberId));
    // mid-run: some sent, some not yet, and the 40th accepted message not recorded as sent
    expect([...atKill.values()].filter((row) => row.status === 'sent').length).toBeGreaterThan(0);
    expect(killed.catcher.accepted.length).toBeLessThan(MEMBERS);
    const killedMember = (await killed.db.query(`SELECT member_id FROM member_email_preference WHERE email = $1`, [lastAccepted.to[0]])).rows[0].member_id;
    expect(inFlight.has(killedMember)).toBe(true);

    // the restarted worker gets the dead one's jobs back from BullMQ's stalled-job check; meanwhile the reference
    startWorker(killed);
    startWorker(reference);
    expect((await reference.sending.planner.planWeek(WEEK)).queued).toBe(MEMBERS);
    await runFinished(reference, 'reference');
    await runFinished(killed, 'after the restart');

    const [expectedRows, rows] = [await ledger(reference), await ledger(killed)];
    expect([...expectedRows.values()].every((row) => row.status === 'sent')).toBe(true);
    expect(reference.catcher.accepted).toHaveLength(MEMBERS);
    const [expectedMail, mail] = [await received(reference), await received(killed)];
    const messageIds = killed.catcher.accepted.map((m) => m.raw.toString().match(/^Message-ID:\s*(\S+)/im)?.[1]);
    expect(new Set(messageIds).size).toBe(messageIds.length);

    const emails = new Map(
      (await killed.db.query(`SELECT member_id, email FROM member_email_preference`)).rows.map((row) => [row.member_id as string, row.email as string]),
    );
    expect([...rows.keys()].sort()).toEqual([...expectedRows.keys()].sort());
    const uncertain: string[] = [];
    for (const [memberId, row] of rows) {
      const got = mail.get(emails.get(memberId)!) ?? [];
      expect(got.length).toBeLessThanOrEqual(1);
      for (const message of got) {
        expect(message.messageId).toBe(row.message_id);
        expect(message).toEqual(expectedMail.get(emails.get(memberId)!)![0]);
      }
      if (inFlight.has(memberId)) {
        expect(row).toMatchObject({ status: 'uncertain', last_error: expect.stringMatching(/maybe delivered, not sent again/) });
        uncertain.push(memberId);
      } else {
        expect({ memberId, status: row.status, messages: got.length }).toEqual({ memberId, status: expectedRows.get(memberId)!.status, messages: 1 });
      }
    }
    // nobody without a row received anything, and the member whose message was accepted at the kill got it once
    expect([...mail.keys()].every((address) => [...emails.values()].includes(address))).toBe(true);
    expect(mail.get(lastAccepted.to[0])).toHaveLength(1);
    expect(uncertain.length).toBe(inFlight.size);
    expect(uncertain.length).toBeLessThan(MEMBERS / 2);
  }, 180_000);
});
