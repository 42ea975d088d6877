import { randomUUID } from 'node:crypto';
import { signPayload } from './sign-payload.js';

/** One webhook delivery to send: the event name (`X-GitHub-Event`) and its JSON payload. */
export interface WebhookDelivery {
  event: string;
  payload: Record<string, unknown>;
  /** `X-GitHub-Delivery`; a random UUID when absent (GitHub sends a GUID per delivery; redeliveries reuse it). */
  deliveryId?: string;
}

/** Where and how to deliver. */
export interface EmitWebhooksOptions {
  /** Receiver URL, e.g. `http://127.0.0.1:3000/webhooks/github`. */
  targetUrl: string;
  /** Webhook secret for `X-Hub-Signature-256`. */
  secret: string;
  deliveries: readonly WebhookDelivery[];
  /** `X-GitHub-Hook-ID`; default 1. */
  hookId?: number;
  /** Per-delivery timeout in milliseconds (GitHub gives up after 10 s); default 10000. */
  timeoutMs?: number;
}

/** What happened to one delivery. `status` is the receiver's HTTP status, or 0 when the request failed. */
export interface WebhookDeliveryResult {
  event: string;
  deliveryId: string;
  status: number;
  error?: string;
}

/**
 * POSTs deliveries one after another, in order, as GitHub's webhook sender does: JSON body, `X-GitHub-Event`,
 * `X-GitHub-Delivery`, `X-GitHub-Hook-ID`, `X-GitHub-Hook-Installation-Target-Type/-ID` (repository, when the
 * payload has one), `X-Hub-Signature-256` over the exact bytes sent, `User-Agent: GitHub-Hookshot/sim`.
 * Never throws for a receiver failure: the result carries status 0 and the error. No retries (GitHub does not
 * redeliver failed deliveries by itself).
 */
export async function emitWebhooks(options: EmitWebhooksOptions): Promise<WebhookDeliveryResult[]> {
  const results: WebhookDeliveryResult[] = [];
  for (const delivery of options.deliveries) {
    const deliveryId = delivery.deliveryId ?? randomUUID();
    const body = Buffer.from(JSON.stringify(delivery.payload), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/sim',
      'x-github-event': delivery.event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': String(options.hookId ?? 1),
      'x-hub-signature-256': signPayload(options.secret, body),
    };
    const repository = delivery.payload.repository as { id?: number } | undefined;
    if (repository?.id !== undefined) {
      headers['x-github-hook-installation-target-type'] = 'repository';
      headers['x-github-hook-installation-target-id'] = String(repository.id);
    }
    try {
      const response = await fetch(options.targetUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
      await response.arrayBuffer();
      results.push({ event: delivery.event, deliveryId, status: response.status });
    } catch (error) {
      results.push({ event: delivery.event, deliveryId, status: 0, error: (error as Error).message });
    }
  }
  return results;
}
