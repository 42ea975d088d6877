/**
 * Digest delivery benchmark: `npm run bench -- digest-delivery` (runs dist/bench/digest-delivery.js).
 *
 * In one run, against a local SMTP server (the `smtp-server` package, accepting everything, in a child
 * process of its own as a real server would be):
 *  1. baseline: BENCH_DIGEST_MESSAGES messages through nodemailer's pooled SMTP transport alone (same
 *     pool size, no limit, no ledger, no queue): what the machine and the server take (`baseline_unlimited_per_s`);
 *  2. nodemailer's own `rateLimit: N, rateDelta: 1000` on that pool (case M1: its limit is checked after
 *     sending, so the first burst exceeds it): `nodemailer_ratelimit_max_in_1s` (above N shows it);
 *  3. Cambrian's path: a digest run of BENCH_DIGEST_MESSAGES opted-in members (planner → `digests`
 *     queue → two BullMQ workers of DIGESTS_CONCURRENCY → ledger row → fixed ~20 KB digest → Redis
 *     sliding-window limit of N per second → pooled SMTP → ledger `sent`), with SMTP_RATE_LIMIT=N:
 *     - `delivered_per_s`: the steady rate, (messages − N) ÷ (last acceptance − first acceptance):
 *       the first window's burst of N is left out, as a sliding window allows N at once (when the limit
 *       never bound, i.e. no second held N, (messages − 1) ÷ that span);
 *     - `limit_per_s` N, `ratio` = delivered_per_s ÷ N (goal ≥ 0.9);
 *     - `max_in_1s`: most messages the server accepted inside any 1 s (must be ≤ N);
 *     - `sent_twice`: members who got more than one message (must be 0); `ledger_not_sent`: rows not `sent`;
 *     - `wall_per_s`: messages ÷ (planning → last ledger row), everything included.
 *
 * Composing is not measured here (a fixed digest is used; `npm run bench -- digests` measures it).
 * A fresh database `cambrian_bench_digests` (dropped, created, migrated) and the queue prefix
 * `cambrian-bench-digests` (obliterated before and after). Progress goes to stderr; the last line on stdout
 * is one JSON object.
 *
 * Environment: DATABASE_URL, REDIS_URL (defaults: local), BENCH_DIGEST_RATE (N, default 50),
 * BENCH_DIGEST_MESSAGES (default 400), BENCH_DIGEST_POOL (SMTP pool connections, default 10).
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { Worker, type Queue } from 'bullmq';
import nodemailer, { type TransportOptions } from 'nodemailer';
import pg from 'pg';
import { ConfigModule, loadConfig } from '#libs/config';
import { DatabaseModule, databaseUrlFor, erasureKeyOptions, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import {
  DIGEST_COMPOSER,
  DigestDeliveryModule,
  DigestPlannerService,
  DigestSenderService,
  buildDigestMessage,
  type ComposedDigest,
  type DigestComposer,
  type DigestLinks,
  type DigestRecipient,
} from '#libs/digests';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { DIGESTS_CONCURRENCY, DigestsProcessor } from '../apps/worker/src/processors/digests.processor.js';
import { fork, type ChildProcess } from 'node:child_process';
import { SmtpSink, type SinkReply, type SinkRequest } from './lib/smtp-sink.js';
import { round } from './lib/stats.js';

/** The SMTP sink in a child process: `ask` sends a request and resolves with the reply of that type. */
class RemoteSink {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<RemoteSink> {
    const child = fork(new URL('./lib/smtp-sink-child.js', import.meta.url));
    const started = await new Promise<SinkReply>((resolve) => child.once('message', (reply: SinkReply) => resolve(reply)));
    return new RemoteSink(child, `smtp://127.0.0.1:${(started as { port: number }).port}`);
  }

  private ask(request: SinkRequest): Promise<SinkReply> {
    return new Promise((resolve) => {
      this.child.once('message', (reply: SinkReply) => resolve(reply));
      this.child.send(request);
    });
  }

  async reset(): Promise<void> {
    await this.ask({ type: 'reset' });
  }

  /** What the sink accepted, as an {@link SmtpSink} to compute figures on. */
  async report(): Promise<SmtpSink> {
    const reply = (await this.ask({ type: 'report' })) as { accepted: SmtpSink['accepted'] };
    const copy = new SmtpSink();
    copy.accepted.push(...reply.accepted);
    return copy;
  }

  stop(): void {
    this.child.send({ type: 'stop' });
  }
}

const RATE = Number(process.env.BENCH_DIGEST_RATE ?? 50);
const MESSAGES = Number(process.env.BENCH_DIGEST_MESSAGES ?? 400);
const QUEUE_PREFIX = 'cambrian-bench-digests';
const DATABASE = 'cambrian_bench_digests';
const WEEK = '2026-W48';
const POOL = Number(process.env.BENCH_DIGEST_POOL ?? 10);

const log = (message: string) => console.error(`[bench digest-delivery] ${message}`);

/** A fixed digest of about 20 KB of HTML: delivery is measured, not composing. */
const HTML = `<html><body>${'<p>Your week in the community: merged pull requests, reviews, next steps.</p>'.repeat(260)}</body></html>`;

@Injectable()
class FixedDigestComposer implements DigestComposer {
  async compose(recipient: DigestRecipient, week: string, links: DigestLinks): Promise<ComposedDigest> {
    return { kind: 'digest', rendered: { subject: `Your week ${week}`, html: `${HTML}<a href="${links.unsubscribeUrl}">unsubscribe</a>`, text: `Your week ${week}` } };
  }
}

@Module({ providers: [{ provide: DIGEST_COMPOSER, useClass: FixedDigestComposer }], exports: [DIGEST_COMPOSER] })
class FixedDigestComposerModule {}

@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, DigestDeliveryModule.register(FixedDigestComposerModule)] })
class BenchDeliveryModule {}

/** Sends `count` messages straight through a nodemailer pool; returns the sink's figures. */
async function rawPool(sink: RemoteSink, count: number, extra: Record<string, unknown>): Promise<{ perSecond: number; maxIn1s: number }> {
  await sink.reset();
  const transport = nodemailer.createTransport({ url: sink.url, pool: true, maxConnections: POOL, ...extra } as TransportOptions);
  const raw = await buildDigestMessage({
    from: 'Cambrian <digest@bench.localhost>',
    to: 'x@example.org',
    rendered: { subject: 'baseline', html: HTML, text: 'baseline' },
    messageId: '<baseline@bench.localhost>',
    unsubscribeUrl: 'https://bench.localhost/unsubscribe?token=x',
    unsubscribeMailto: 'mailto:unsubscribe@bench.localhost',
  });
  const start = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => transport.sendMail({ envelope: { from: 'digest@bench.localhost', to: [`b${i}@example.org`] }, raw })));
  const seconds = (performance.now() - start) / 1000;
  transport.close();
  return { perSecond: count / seconds, maxIn1s: (await sink.report()).maxInWindow(1000) };
}

async function main(): Promise<void> {
  const base = loadConfig();
  const databaseUrl = databaseUrlFor(base.DATABASE_URL, DATABASE);
  const { erasureKey } = await recreateDatabase(databaseUrl, secretBoxFromConfig(base));
  const sink = await RemoteSink.start();
  log(`SMTP sink on ${sink.url}; ${MESSAGES} messages; limit ${RATE}/s; pool ${POOL}`);

  const baseline = await rawPool(sink, MESSAGES, {});
  log(`baseline (nodemailer pool, no limit): ${round(baseline.perSecond)} messages/s`);
  const nodemailerLimited = await rawPool(sink, Math.min(MESSAGES, RATE * 3), { rateLimit: RATE, rateDelta: 1000 });
  log(`nodemailer rateLimit ${RATE}/1000 ms: at most ${nodemailerLimited.maxIn1s} accepted inside one second`);

  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX,
    SMTP_URL: sink.url,
    SMTP_MAX_CONNECTIONS: String(POOL),
    SMTP_RATE_LIMIT: String(RATE),
    SMTP_RATE_WINDOW_MS: '1000',
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.createApplicationContext(BenchDeliveryModule, { logger: false });
  const queue = app.get<Queue>(getQueueToken(QueueName.Digests));
  await queue.obliterate({ force: true });
  const db = new pg.Pool({ connectionString: databaseUrl, max: 4, options: erasureKeyOptions(erasureKey) });
  const workers: Worker[] = [];
  try {
    await db.query(
      `WITH m AS (INSERT INTO member (login) SELECT 'bench-' || n FROM generate_series(1, $1) n RETURNING id, login)
       INSERT INTO member_email_preference (member_id, email, digest_opt_in, time_zone) SELECT id, login || '@example.org', true, 'UTC' FROM m`,
      [MESSAGES],
    );
    const processor = new DigestsProcessor(app.get(DigestPlannerService), app.get(DigestSenderService));
    await sink.reset();
    const start = performance.now();
    const plan = await app.get(DigestPlannerService).planWeek(WEEK);
    log(`planned ${plan.queued} digests`);
    for (let i = 0; i < 2; i += 1) {
      const worker = new Worker(QueueName.Digests, (job) => processor.process(job), {
        connection: redisConnectionOptions(base.REDIS_URL),
        prefix: QUEUE_PREFIX,
        concurrency: Number(process.env.BENCH_DIGEST_CONCURRENCY ?? DIGESTS_CONCURRENCY),
      });
      worker.on('error', (error) => log(`worker: ${error.message}`));
      workers.push(worker);
    }
    for (;;) {
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM digest_send WHERE iso_week = $1 AND status NOT IN ('pending', 'sending')`, [WEEK]);
      if (rows[0].n >= MESSAGES) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const wallSeconds = (performance.now() - start) / 1000;
    const caught = await sink.report();
    const times = caught.accepted.map((m) => m.at).sort((a, b) => a - b);
    const steadySeconds = (times[times.length - 1] - times[0]) / 1000;
    const maxIn1s = caught.maxInWindow(1000);
    // a sliding window lets N through at once: leave that first burst out, unless the limit never bound
    const delivered = (caught.accepted.length - (maxIn1s >= RATE ? RATE : 1)) / steadySeconds;
    const notSent = (await db.query(`SELECT count(*)::int AS n FROM digest_send WHERE iso_week = $1 AND status <> 'sent'`, [WEEK])).rows[0].n;
    const out = {
      messages: MESSAGES,
      accepted: caught.accepted.length,
      limit_per_s: RATE,
      delivered_per_s: round(delivered, 2),
      ratio: round(delivered / RATE, 3),
      max_in_1s: maxIn1s,
      sent_twice: caught.duplicates(),
      ledger_not_sent: notSent,
      wall_seconds: round(wallSeconds, 2),
      wall_per_s: round(MESSAGES / wallSeconds, 2),
      baseline_unlimited_per_s: round(baseline.perSecond, 1),
      nodemailer_ratelimit_max_in_1s: nodemailerLimited.maxIn1s,
      load_average_1m: round(loadavg()[0], 2),
    };
    log(`delivered ${out.delivered_per_s}/s against a limit of ${RATE}/s (ratio ${out.ratio}); at most ${out.max_in_1s} in any second; sent twice: ${out.sent_twice}`);
    console.log(JSON.stringify(out));
  } finally {
    for (const worker of workers) await worker.close();
    await queue.obliterate({ force: true });
    await app.close();
    await db.end();
    sink.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
