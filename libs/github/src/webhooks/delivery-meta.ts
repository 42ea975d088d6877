import { WebhookException, WebhookExceptionCode } from './webhook.exception.js';

/** Request headers as Node.js gives them (lower-case names). */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

/** The columns of a `webhook_delivery` row besides the payload. */
export interface DeliveryMeta {
  /** `X-GitHub-Delivery`: a GUID, the same on a redelivery. */
  deliveryId: string;
  /** `X-GitHub-Event`, e.g. `push`, `pull_request`. */
  event: string;
  /** `payload.action` when the event has one (`opened`, `created`...). */
  action: string | null;
  /** `X-GitHub-Hook-ID`: the webhook configuration that sent it. */
  hookId: number | null;
  /** `payload.installation.id` for deliveries of a GitHub App. */
  installationId: number | null;
  /** `payload.repository.id` (numeric; stable across renames). */
  repositoryId: number | null;
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;
const EVENT_NAME = /^[a-z_]{1,100}$/;

/**
 * Reads the delivery headers GitHub sends with every webhook (GitHub Docs, "Webhook events and
 * payloads", Delivery headers): `X-GitHub-Delivery`, `X-GitHub-Event` and the optional
 * `X-GitHub-Hook-ID`.
 * @throws WebhookException(INVALID_HEADER) naming a missing or malformed header.
 */
export function readDeliveryHeaders(headers: IncomingHeaders): Pick<DeliveryMeta, 'deliveryId' | 'event' | 'hookId'> {
  const deliveryId = single(headers, 'X-GitHub-Delivery');
  if (!DELIVERY_ID.test(deliveryId)) {
    throw new WebhookException('Malformed X-GitHub-Delivery header: expected a GUID', WebhookExceptionCode.INVALID_HEADER);
  }
  const event = single(headers, 'X-GitHub-Event');
  if (!EVENT_NAME.test(event)) {
    throw new WebhookException('Malformed X-GitHub-Event header: expected an event name', WebhookExceptionCode.INVALID_HEADER);
  }
  return { deliveryId, event, hookId: headerId(headers['x-github-hook-id']) };
}

/**
 * The action, installation id and repository id of a parsed payload; each is null when absent
 * or of an unexpected type (a delivery is stored whatever its shape).
 */
export function payloadMeta(payload: Record<string, unknown>): Pick<DeliveryMeta, 'action' | 'installationId' | 'repositoryId'> {
  return {
    action: typeof payload.action === 'string' ? payload.action : null,
    installationId: positiveId(objectField(payload.installation, 'id')),
    repositoryId: positiveId(objectField(payload.repository, 'id')),
  };
}

function single(headers: IncomingHeaders, name: string): string {
  const value = headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value[0] : value;
  if (!text?.trim()) {
    throw new WebhookException(`Missing ${name} header`, WebhookExceptionCode.INVALID_HEADER);
  }
  return text.trim();
}

function objectField(value: unknown, field: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
}

function headerId(value: string | string[] | undefined): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text && /^\d{1,16}$/.test(text) ? positiveId(Number(text)) : null;
}

function positiveId(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}
