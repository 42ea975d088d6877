/** Codes of {@link AuditException}; the API's error mapper reads them. */
export enum AuditExceptionCode {
  /** A filter or page argument is malformed or out of range. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** The audit log could not record a change; the change is refused. */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
}

/** An audit log request that cannot be served, with a stable code and a message for people. */
export class AuditException extends Error {
  constructor(
    message: string,
    readonly code: AuditExceptionCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuditException';
  }
}
