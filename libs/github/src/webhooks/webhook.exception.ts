/** Why a webhook delivery was refused, or could not be stored. */
export enum WebhookExceptionCode {
  /** `X-Hub-Signature-256` missing or not matching any configured secret (HTTP 401). */
  INVALID_SIGNATURE = 'INVALID_SIGNATURE',
  /** A required `X-GitHub-*` header is missing or malformed (HTTP 400). */
  INVALID_HEADER = 'INVALID_HEADER',
  /** A content type GitHub does not send: only JSON and form-encoded deliveries exist (HTTP 415). */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** The body is signed correctly but is not a JSON object (HTTP 400). */
  INVALID_PAYLOAD = 'INVALID_PAYLOAD',
  /**
   * Verified, but Postgres did not store it (unreachable, or no answer in time); nothing was written
   * (HTTP 503, so GitHub records the delivery as failed and it can be redelivered).
   */
  STORAGE_UNAVAILABLE = 'STORAGE_UNAVAILABLE',
}

/** A delivery refused before storage, or not stored; the message is safe to show to the caller. */
export class WebhookException extends Error {
  constructor(
    message: string,
    readonly code: WebhookExceptionCode,
  ) {
    super(message);
    this.name = 'WebhookException';
  }
}
