/**
 * Whether a SQL statement seen by a TypeORM subscriber belongs to the api's background work rather than to
 * the request a test counts: the webhook delivery relay's pages (a transaction holding an advisory lock that
 * reads `webhook_delivery`) run on their own timer and at every Redis (re)connection.
 */
export function isBackgroundQuery(sql: string): boolean {
  return /webhook_delivery|pg_try_advisory_xact_lock|^\s*(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)\b/i.test(sql);
}
