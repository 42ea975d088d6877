import { createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_256 = /^sha256=([0-9a-f]{64})$/i;

/**
 * Verifies GitHub's `X-Hub-Signature-256` header: `sha256=` followed by the hex HMAC-SHA256 of
 * the request body under the webhook secret (GitHub Docs, "Validating webhook deliveries").
 *
 * The HMAC is computed over `rawBody`, the exact bytes that arrived — never over a re-serialised
 * object, which changes escapes such as `\u001B` or `\\u0041` (case W1). Each secret is tried,
 * so a secret can be rotated (old and new accepted for a while); every comparison is constant-time
 * (`crypto.timingSafeEqual` over two 32-byte digests).
 *
 * @param rawBody the request body as received (for form deliveries: the whole `payload=...` form).
 * @param signatureHeader the header value; `undefined`, an empty string, another algorithm
 *   (`sha1=`) or malformed hex all verify as false.
 * @param secrets the accepted secrets (empty list: nothing verifies).
 * @returns true when the signature matches under at least one secret.
 */
export function verifyWebhookSignature(
  rawBody: Buffer,
  signatureHeader: string | string[] | undefined,
  secrets: readonly string[],
): boolean {
  return matchWebhookSecret(rawBody, signatureHeader, secrets) >= 0;
}

/**
 * Which secret verifies GitHub's `X-Hub-Signature-256` header (same rules as
 * {@link verifyWebhookSignature}): every secret is tried, each comparison constant-time, with no
 * early exit, so the time taken does not tell which one matched.
 * @returns the index in `secrets` of the first secret that verifies, or -1 when none does.
 */
export function matchWebhookSecret(
  rawBody: Buffer,
  signatureHeader: string | string[] | undefined,
  secrets: readonly string[],
): number {
  if (typeof signatureHeader !== 'string') return -1;
  const match = SIGNATURE_256.exec(signatureHeader.trim());
  if (!match) return -1;
  const received = Buffer.from(match[1], 'hex');
  let matched = -1;
  secrets.forEach((secret, index) => {
    if (!secret) return;
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // no early exit: the time taken does not tell which secret matched
    if (timingSafeEqual(expected, received) && matched < 0) matched = index;
  });
  return matched;
}

/**
 * The `X-Hub-Signature-256` value GitHub would send for `body` under `secret`
 * (`sha256=<64 hex digits>`). For tests, benchmarks and the GitHub simulator.
 */
export function signWebhookBody(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
