/**
 * Converts an ISO 8601 date with any offset (`2026-08-21T21:43:06+08:00`) to the form GitHub's REST API returns:
 * UTC with a `Z` suffix and no fractional seconds (`2026-08-21T13:43:06Z`). Throws on an unparseable date.
 */
export function toGithubTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 date: ${iso}`);
  return fromEpochMs(ms);
}

/** Epoch milliseconds → GitHub's `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds). */
export function fromEpochMs(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
