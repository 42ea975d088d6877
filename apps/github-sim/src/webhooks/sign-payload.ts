import { createHmac } from 'node:crypto';

/**
 * The `X-Hub-Signature-256` value GitHub sends: `sha256=` + hex HMAC-SHA256 of the exact body bytes with the
 * webhook secret as key (GitHub Docs, "Validating webhook deliveries").
 */
export function signPayload(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
