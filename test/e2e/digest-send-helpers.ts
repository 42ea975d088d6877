import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Worker, type Job, type Queue } from 'bullmq';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import {
  DIGEST_COMPOSER,
  DigestDeliveryModule,
  DigestLedgerService,
  DigestPlannerService,
  DigestSenderService,
  EmailPreferenceService,
  type ComposedDigest,
  type DigestComposer,
  type DigestLinks,
  type DigestRecipient,
} from '#libs/digests';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { DigestsProcessor } from '../../apps/worker/src/processors/digests.processor.js';
import type { TestEnv } from '../helpers/test-env.js';

/** Members the test composer has nothing to say to (their digest is `empty`). */
export const QUIET_MEMBERS = new Set<string>();

/**
 * A small composer for the sending tests: a one-line digest naming the member, the week and the links
 * (the real one is libs/digests compose; the sending side only needs the contract).
 */
@Injectable()
export class TestDigestComposer implements DigestComposer {
  async compose(recipient: DigestRecipient, week: string, links: DigestLinks): Promise<ComposedDigest> {
    if (QUIET_MEMBERS.has(recipient.memberId)) return { kind: 'empty', reason: 'no activity and nothing to offer' };
    return {
      kind: 'digest',
      rendered: {
        subject: `Your week ${week} (${recipient.locale}, ${recipient.timeZone})`,
        html: `<p>Member ${recipient.memberId}, week ${week}.</p><p><a href="${links.preferencesUrl}">Preferences</a> · <a href="${links.unsubscribeUrl}">Unsubscribe</a></p>`,
        text: `Member ${recipient.memberId}, week ${week}.\nPreferences: ${links.preferencesUrl}\nUnsubscribe: ${links.unsubscribeUrl}\n`,
      },
    };
  }
}

@Module({ providers: [{ provide: DIGEST_COMPOSER, useClass: TestDigestComposer }], exports: [DIGEST_COMPOSER] })
export class TestDigestComposerModule {}

/** A sending side as apps/worker runs it, with the test composer, and BullMQ workers started on demand. */
export interface SendingSide {
  app: INestApplicationContext;
  queue: Queue;
  planner: DigestPlannerService;
  ledger: DigestLedgerService;
  preferences: EmailPreferenceService;
  sender: DigestSenderService;
  processor: DigestsProcessor;
  /** Starts a BullMQ worker on the `digests` queue running the processor (closed by `close`). */
  startWorker(options?: { concurrency?: number; process?: (job: Job) => Promise<unknown>; stalledInterval?: number }): Worker;
  close(): Promise<void>;
}

/**
 * Builds the sending side with `env` applied plus `extra` variables (SMTP_URL, rate limit, retry delays...),
 * composing with the test composer, or with `composer` (e.g. the compose module and its ecosystem defaults).
 */
export async function createSendingSide(
  env: TestEnv,
  extra: Record<string, string>,
  composer: Parameters<typeof DigestDeliveryModule.register> = [TestDigestComposerModule],
): Promise<SendingSide> {
  env.apply(extra);
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule, DatabaseModule, QueueModule, DigestDeliveryModule.register(...composer)],
  }).compile();
  const app = await moduleRef.init();
  const queue = app.get<Queue>(getQueueToken(QueueName.Digests));
  const planner = app.get(DigestPlannerService);
  const sender = app.get(DigestSenderService);
  const processor = new DigestsProcessor(planner, sender);
  const workers: Worker[] = [];
  return {
    app,
    queue,
    planner,
    ledger: app.get(DigestLedgerService),
    preferences: app.get(EmailPreferenceService),
    sender,
    processor,
    startWorker(options = {}) {
      const worker = new Worker(QueueName.Digests, options.process ?? ((job) => processor.process(job)), {
        connection: redisConnectionOptions(process.env.REDIS_URL!),
        prefix: env.queuePrefix,
        concurrency: options.concurrency ?? 5,
        ...(options.stalledInterval ? { stalledInterval: options.stalledInterval, lockDuration: 2 * options.stalledInterval } : {}),
      });
      worker.on('error', () => {});
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const worker of workers) await worker.close(true);
      await queue.obliterate({ force: true });
      await app.close();
    },
  };
}

/** Polls `check` every 50 ms until it is true, failing after `timeoutMs` with `what`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
