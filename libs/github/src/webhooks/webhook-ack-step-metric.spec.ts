import { createHmac } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { CambrianConfig } from '#libs/config';
import { webhookAckStepDuration } from '#libs/observability';
import type { GithubCredentialService } from '../credentials/github-credential.service.js';
import { WebhookIngestService } from './webhook-ingest.service.js';
import { WebhookExceptionCode } from './webhook.exception.js';

/**
 * `cambrian_webhook_ack_step_duration_seconds{step="verify"}` is the time of the signature check, with the
 * stored secrets when read. When Postgres is down and the delivery is not signed by GITHUB_WEBHOOK_SECRETS,
 * reading the stored secrets fails (up to STORE_TIMEOUT_MS) and the request is answered 503
 * STORAGE_UNAVAILABLE: that verify step, the slowest there is and the one an operator looks for in an
 * outage, is recorded too (it once was not).
 */
describe('webhook ack step metric: verify on the 503 path', () => {
  const verifyCount = async () =>
    (await webhookAckStepDuration.get()).values.find((value) => value.metricName?.endsWith('_count') && value.labels.step === 'verify')?.value ?? 0;

  it('records the verify step when the stored secrets cannot be read (Postgres down → 503)', async () => {
    const queue = { on: () => undefined, backend: { client: new Promise(() => undefined) } } as unknown as Queue;
    const credentials = { webhookSecrets: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')) } as unknown as GithubCredentialService;
    const config = { GITHUB_WEBHOOK_SECRETS: ['env-secret'], WEBHOOK_JOB_ATTEMPTS: 6, WEBHOOK_JOB_BACKOFF_MS: 2000 } as unknown as CambrianConfig;
    const service = new WebhookIngestService(config, {} as DataSource, queue, credentials);
    const rawBody = Buffer.from(JSON.stringify({ action: 'created', repository: { id: 1 } }));
    const signature = `sha256=${createHmac('sha256', 'a-stored-secret').update(rawBody).digest('hex')}`;
    const before = await verifyCount();
    await expect(
      service.receive({ rawBody, headers: { 'x-hub-signature-256': signature, 'x-github-event': 'issue_comment', 'x-github-delivery': 'd-1', 'content-type': 'application/json' } }),
    ).rejects.toMatchObject({ code: WebhookExceptionCode.STORAGE_UNAVAILABLE });
    expect((await verifyCount()) - before).toBe(1);
    service.onModuleDestroy();
  });
});
