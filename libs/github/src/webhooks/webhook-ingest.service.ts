import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { currentRequestContext, webhookAckStepDuration, type RequestIdJobData } from '#libs/observability';
import { JobName, QueueName, RedisReadiness, type ProcessDeliveryJobData } from '#libs/queue';
import { GithubCredentialService, type StoredWebhookSecret } from '../credentials/github-credential.service.js';
import { decodeDeliveryBody } from './decode-delivery-body.js';
import { payloadMeta, readDeliveryHeaders, type DeliveryMeta, type IncomingHeaders } from './delivery-meta.js';
import { processDeliveryJob, type DeliveryRetryPolicy, type StoredDeliveryRef } from './delivery-job.js';
import { MicroBatcher } from './micro-batcher.js';
import { matchWebhookSecret, verifyWebhookSignature } from './verify-signature.js';
import { WebhookException, WebhookExceptionCode } from './webhook.exception.js';

/** One HTTP request to the webhook endpoint, as received. */
export interface IncomingDelivery {
  /** The body bytes exactly as they arrived (the signature covers them). */
  rawBody: Buffer;
  headers: IncomingHeaders;
}

/** What happened to an incoming delivery that passed verification. */
export type IngestResult =
  /** Stored (committed); `enqueued` is false when Redis did not take the job in time. */
  | { status: 'queued'; deliveryId: string; deliveryRowId: string; enqueued: boolean }
  /** A delivery with this `X-GitHub-Delivery` id is already stored: nothing changed. */
  | { status: 'duplicate'; deliveryId: string };

/** How long the request path waits for Redis to take a job before answering anyway (ms). */
export const ENQUEUE_TIMEOUT_MS = 1000;

/**
 * How long the request path waits for Postgres to store a delivery before answering 503 (ms).
 * GitHub gives up on a delivery after 10 s; answering earlier records a clean failure.
 */
export const STORE_TIMEOUT_MS = 5000;

/** Deliveries inserted by one statement at most (8 parameters each). */
const MAX_INSERT_BATCH = 50;

/** A stored delivery whose job is to be enqueued, with the id of the request that stored it. */
interface DeliveryToEnqueue extends StoredDeliveryRef {
  requestId: string | undefined;
}

/** A delivery ready to be stored. */
interface DeliveryToStore {
  meta: DeliveryMeta;
  /** Stored as sent (`json` column: the text is kept, `\u0000` included). */
  payloadText: string;
  /** The ecosystem whose stored secret verified the delivery; null: GITHUB_WEBHOOK_SECRETS did. */
  verifiedByEcosystemId: number | null;
}

/** Which kind of secret verified a delivery's signature. */
export interface WebhookVerification {
  /**
   * The ecosystem whose stored webhook secret verified it (the delivery may then touch only that
   * ecosystem's repositories, see `DeliveryProcessingService`); null when GITHUB_WEBHOOK_SECRETS,
   * trusted for every repository, did.
   */
  ecosystemId: number | null;
}

/** `INSERT ... ON CONFLICT (delivery_id) DO NOTHING RETURNING id, delivery_id` of `rows` deliveries. */
function insertDeliveries(rows: number): string {
  const values = Array.from({ length: rows }, (_, row) => {
    const at = row * 8;
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}::bigint, $${at + 5}::bigint, $${at + 6}::bigint, $${at + 7}::json, $${at + 8}::integer)`;
  });
  return `INSERT INTO webhook_delivery (delivery_id, event, action, hook_id, installation_id, repository_id, payload, verified_by_ecosystem_id)
    VALUES ${values.join(', ')}
    ON CONFLICT (delivery_id) DO NOTHING
    RETURNING id, delivery_id`;
}

function insertParameters({ meta, payloadText, verifiedByEcosystemId }: DeliveryToStore): unknown[] {
  return [meta.deliveryId, meta.event, meta.action, meta.hookId, meta.installationId, meta.repositoryId, payloadText, verifiedByEcosystemId];
}

/**
 * The acknowledgement path of `POST /webhooks/github` (DESIGN.md, Flows: Webhook): verify the
 * signature over the raw bytes → read headers → decode the payload → insert the delivery row
 * (committed, unique by delivery id, so the claim is atomic across api processes) → enqueue
 * `process-delivery` with the row id. Normalisation happens in the worker.
 *
 * The row records which ecosystem's stored secret verified the delivery (`verified_by_ecosystem_id`,
 * null for GITHUB_WEBHOOK_SECRETS) in that same INSERT, no extra round trip; processing then
 * confines the delivery to that ecosystem's repositories.
 *
 * The row is the outbox: when Redis is away (its connection is not ready) the delivery is still
 * stored and acknowledged without waiting for Redis, and {@link DeliveryRelayService} enqueues it
 * once Redis is back. When Postgres does not store it (unreachable, or no answer within
 * {@link STORE_TIMEOUT_MS}) the request fails with STORAGE_UNAVAILABLE (HTTP 503) and nothing is
 * written: one INSERT is the only write, and a request that gave up is withdrawn before its
 * INSERT is sent.
 *
 * Concurrent requests share round trips: inserts arriving together go out as one multi-row
 * INSERT (one commit; each request is still answered only after the commit that stored its row),
 * and their jobs as one `addBulk`. Under light load each request is flushed on its own.
 */
@Injectable()
export class WebhookIngestService implements OnModuleDestroy {
  private readonly logger = new Logger(WebhookIngestService.name);
  private lastQueueErrorLog = 0;
  private lastStoreErrorLog = 0;
  private readonly redis: RedisReadiness;
  private readonly retry: DeliveryRetryPolicy;
  private readonly inserts = new MicroBatcher<DeliveryToStore, string | null | Error>((batch) => this.insertBatch(batch), {
    maxBatchSize: MAX_INSERT_BATCH,
    maxConcurrentBatches: 4,
  });
  // at most 10,000 enqueues wait (Redis slow); later rows are enqueued by the relay
  private readonly enqueues = new MicroBatcher<DeliveryToEnqueue, true>((stored) => this.enqueueBatch(stored), {
    maxBatchSize: 200,
    maxConcurrentBatches: 2,
    maxPending: 10_000,
  });

  constructor(
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue<ProcessDeliveryJobData>,
    private readonly credentials: GithubCredentialService,
  ) {
    this.redis = new RedisReadiness(queue);
    this.retry = { attempts: config.WEBHOOK_JOB_ATTEMPTS, backoffMs: config.WEBHOOK_JOB_BACKOFF_MS };
    // BullMQ reports connection problems as 'error' events; log them, at most once a minute.
    this.queue.on('error', (error: Error) => {
      if (Date.now() - this.lastQueueErrorLog < 60_000) return;
      this.lastQueueErrorLog = Date.now();
      this.logger.error(`webhooks queue: ${error.message}`);
    });
  }

  onModuleDestroy(): void {
    this.redis.dispose();
  }

  /**
   * Which secret verifies the signature: GITHUB_WEBHOOK_SECRETS first (ecosystem null), else a
   * webhook secret stored for an ecosystem (`GithubCredentialService.webhookSecrets`, cached; the
   * same value stored by two ecosystems counts for the one with the lower id, so deliveries of the
   * other are refused at processing, never widened). Null when none does. On a miss the stored
   * secrets are read again if the cached ones are over a second old, so a secret just added
   * through another api process is accepted; forged requests cost at most one read a second.
   */
  private async verified(rawBody: Buffer, signature: string | string[]): Promise<WebhookVerification | null> {
    if (verifyWebhookSignature(rawBody, signature, this.config.GITHUB_WEBHOOK_SECRETS)) return { ecosystemId: null };
    for (const afterMiss of [false, true]) {
      const stored = await this.storedSecrets(afterMiss);
      const index = matchWebhookSecret(rawBody, signature, stored.map((entry) => entry.secret));
      if (index >= 0) return { ecosystemId: stored[index].ecosystemId };
    }
    return null;
  }

  /**
   * The stored webhook secrets, within {@link STORE_TIMEOUT_MS}.
   * @throws WebhookException STORAGE_UNAVAILABLE when Postgres did not answer (never read before):
   *   the delivery may be signed with a stored secret, so it is answered 503 (redeliverable), not 401.
   */
  private async storedSecrets(afterMiss: boolean): Promise<StoredWebhookSecret[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.credentials.webhookSecrets({ afterMiss }), timeout]);
    } catch (error) {
      throw new WebhookException(
        `The stored webhook secrets could not be read (${(error as Error).message}); the delivery was not verified or stored`,
        WebhookExceptionCode.STORAGE_UNAVAILABLE,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Verifies, stores and enqueues one delivery. Nothing is stored unless the signature verifies
   * and the payload is a JSON object. A Redis outage does not fail the request: the row stays
   * `received` and the relay ({@link DeliveryRelayService}) enqueues it when Redis is back.
   * @throws WebhookException: INVALID_SIGNATURE, INVALID_HEADER, UNSUPPORTED_MEDIA_TYPE, INVALID_PAYLOAD;
   *   STORAGE_UNAVAILABLE when Postgres did not store the row (the caller answers 503, GitHub shows
   *   the delivery as failed and it can be redelivered; nothing was written).
   */
  async receive(delivery: IncomingDelivery): Promise<IngestResult> {
    const signature = delivery.headers['x-hub-signature-256'];
    if (!signature) {
      throw new WebhookException('Missing X-Hub-Signature-256 header', WebhookExceptionCode.INVALID_SIGNATURE);
    }
    const verifyTimer = webhookAckStepDuration.startTimer({ step: 'verify' });
    // timed on failure too: an unreadable secrets table (503) is the slowest verify there is
    const verification = await this.verified(delivery.rawBody, signature).finally(() => verifyTimer());
    if (!verification) {
      throw new WebhookException(
        'X-Hub-Signature-256 does not match the body under any configured webhook secret',
        WebhookExceptionCode.INVALID_SIGNATURE,
      );
    }
    const headers = readDeliveryHeaders(delivery.headers);
    const contentType = delivery.headers['content-type'];
    const { payloadText, payload } = decodeDeliveryBody(
      delivery.rawBody,
      Array.isArray(contentType) ? contentType[0] : contentType,
    );
    const meta: DeliveryMeta = { ...headers, ...payloadMeta(payload) };
    const storeTimer = webhookAckStepDuration.startTimer({ step: 'store' });
    const deliveryRowId = await this.store({ meta, payloadText, verifiedByEcosystemId: verification.ecosystemId }).finally(() => storeTimer());
    if (deliveryRowId === null) return { status: 'duplicate', deliveryId: meta.deliveryId };
    // the job names its own request: a batch is flushed in the context of whichever request started it
    const requestId = currentRequestContext()?.requestId;
    const enqueued = await this.enqueue({ rowId: deliveryRowId, deliveryId: meta.deliveryId, requestId });
    return { status: 'queued', deliveryId: meta.deliveryId, deliveryRowId, enqueued };
  }

  /** Inserts the row; returns its id, or null when the delivery id is already stored. */
  private async store(delivery: DeliveryToStore): Promise<string | null> {
    const { meta } = delivery;
    const giveUp = new AbortController();
    const timer = setTimeout(
      () => giveUp.abort(new Error(`Postgres did not store the delivery within ${STORE_TIMEOUT_MS} ms`)),
      STORE_TIMEOUT_MS,
    );
    const result = await Promise.race([
      this.inserts.submit(delivery, giveUp.signal),
      // an INSERT already sent cannot be withdrawn: stop waiting for it (should it commit later, the
      // row is whole, answered 503, and the relay enqueues it; a redelivery is then a duplicate)
      new Promise<never>((_resolve, reject) => giveUp.signal.addEventListener('abort', () => reject(giveUp.signal.reason), { once: true })),
    ])
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
      .finally(() => clearTimeout(timer));
    if (!(result instanceof Error)) return result;
    if (isPayloadRejection(result)) {
      // what the payload holds, not an outage: a 4xx, so GitHub shows the delivery as refused
      throw new WebhookException(
        `The payload cannot be stored (Postgres ${(result as { code?: string }).code}: nested too deeply or holding values JSON columns refuse)`,
        WebhookExceptionCode.INVALID_PAYLOAD,
      );
    }
    if (Date.now() - this.lastStoreErrorLog >= 10_000) {
      this.lastStoreErrorLog = Date.now();
      this.logger.error(`delivery ${meta.deliveryId} not stored, answered 503: ${result.message}`);
    }
    throw new WebhookException(
      'The delivery could not be stored (the database is unavailable); nothing was kept, redeliver it later',
      WebhookExceptionCode.STORAGE_UNAVAILABLE,
    );
  }

  /**
   * Inserts a batch of deliveries in one statement; one result per delivery: its row id, null for
   * a duplicate (a delivery id twice in one batch is inserted once), or the error that refused it.
   * When Postgres refuses the statement because of one payload (see {@link isPayloadRejection}),
   * each delivery is inserted on its own, so that payload fails alone.
   */
  private async insertBatch(batch: DeliveryToStore[]): Promise<Array<string | null | Error>> {
    const first = new Map<string, DeliveryToStore>();
    for (const delivery of batch) if (!first.has(delivery.meta.deliveryId)) first.set(delivery.meta.deliveryId, delivery);
    const unique = [...first.values()];
    const stored = new Map<string, string | null | Error>();
    try {
      for (const [deliveryId, id] of await this.insert(unique)) stored.set(deliveryId, id);
    } catch (error) {
      if (unique.length === 1 || !isPayloadRejection(error)) throw error;
      for (const delivery of unique) {
        try {
          stored.set(delivery.meta.deliveryId, (await this.insert([delivery])).get(delivery.meta.deliveryId) ?? null);
        } catch (failure) {
          stored.set(delivery.meta.deliveryId, failure instanceof Error ? failure : new Error(String(failure)));
        }
      }
    }
    return batch.map((delivery) =>
      first.get(delivery.meta.deliveryId) === delivery ? (stored.get(delivery.meta.deliveryId) ?? null) : null,
    );
  }

  /** One INSERT of `deliveries` (distinct ids); returns the row id of each delivery id inserted. */
  private async insert(deliveries: DeliveryToStore[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; delivery_id: string }> = await this.dataSource.query(
      insertDeliveries(deliveries.length),
      deliveries.flatMap(insertParameters),
    );
    return new Map(rows.map((row) => [row.delivery_id, String(row.id)]));
  }

  private async enqueue(stored: DeliveryToEnqueue): Promise<boolean> {
    // Redis known to be away: acknowledge at once; the relay enqueues the row, in order, when it is back
    if (this.redis.isReady() === false) return false;
    // timed only when Redis is asked (an answer without asking would read as a fast enqueue)
    const enqueueTimer = webhookAckStepDuration.startTimer({ step: 'enqueue' });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.enqueues.submit(stored),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
      return true;
    } catch (error) {
      this.logger.error(
        `delivery row ${stored.rowId} stored but not enqueued (${(error as Error).message}); the relay enqueues it when Redis answers`,
      );
      return false;
    } finally {
      clearTimeout(timer);
      enqueueTimer();
    }
  }

  private async enqueueBatch(stored: DeliveryToEnqueue[]): Promise<true[]> {
    await this.queue.addBulk(
      stored.map((ref) => {
        const job = processDeliveryJob(ref, this.retry);
        const data: ProcessDeliveryJobData & RequestIdJobData = ref.requestId ? { ...job.data, requestId: ref.requestId } : job.data;
        return { name: JobName.ProcessDelivery, data, opts: job.opts };
      }),
    );
    return stored.map(() => true);
  }
}

/**
 * Postgres refused the statement because of what a payload holds, not because it is unreachable:
 * class 22 (data exception) or 54 (program limit exceeded, e.g. JSON nested deeper than
 * `max_stack_depth` allows).
 */
function isPayloadRejection(error: unknown): boolean {
  const code = String((error as { code?: string }).code ?? '');
  return code.startsWith('22') || code.startsWith('54');
}
