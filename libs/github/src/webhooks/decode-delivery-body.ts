import { WebhookException, WebhookExceptionCode } from './webhook.exception.js';

/** A delivery body after its signature was verified. */
export interface DecodedDelivery {
  /** The payload's JSON text as GitHub sent it (stored without re-serialising). */
  payloadText: string;
  payload: Record<string, unknown>;
}

/**
 * Decodes a verified delivery body. GitHub sends one of two content types (GitHub Docs,
 * "Creating webhooks", Content type): `application/json` (the body is the payload) or
 * `application/x-www-form-urlencoded` (the payload is the url-encoded `payload` form field).
 * Call it after {@link verifyWebhookSignature}, which covers the bytes as received.
 *
 * @param rawBody the body bytes (UTF-8).
 * @param contentType the `Content-Type` header; parameters such as `charset` are ignored.
 * @throws WebhookException(UNSUPPORTED_MEDIA_TYPE) for any other content type;
 *   WebhookException(INVALID_PAYLOAD) when there is no `payload` field or the JSON is not an object.
 */
export function decodeDeliveryBody(rawBody: Buffer, contentType: string | undefined): DecodedDelivery {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  let payloadText: string;
  if (mediaType === 'application/json') {
    payloadText = rawBody.toString('utf8');
  } else if (mediaType === 'application/x-www-form-urlencoded') {
    const field = new URLSearchParams(rawBody.toString('utf8')).get('payload');
    if (field === null) {
      throw new WebhookException('Form-encoded delivery has no payload field', WebhookExceptionCode.INVALID_PAYLOAD);
    }
    payloadText = field;
  } else {
    throw new WebhookException(
      `Unsupported content type ${JSON.stringify(mediaType || '(none)')}: GitHub sends application/json or application/x-www-form-urlencoded`,
      WebhookExceptionCode.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch (error) {
    throw new WebhookException(
      `Payload is not valid JSON: ${(error as Error).message}`,
      WebhookExceptionCode.INVALID_PAYLOAD,
    );
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new WebhookException('Payload is not a JSON object', WebhookExceptionCode.INVALID_PAYLOAD);
  }
  return { payloadText, payload: payload as Record<string, unknown> };
}
