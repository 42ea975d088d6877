/** `direction` as GitHub reads it: `asc` or `desc`, anything else → the endpoint's default. */
export function parseDirection(value: string | undefined, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  return value === 'asc' || value === 'desc' ? value : fallback;
}

/** `state` for pulls and issues: `open` (default), `closed` or `all`; anything else → `open`. */
export function parseState(value: string | undefined): 'open' | 'closed' | 'all' {
  return value === 'closed' || value === 'all' ? value : 'open';
}

/**
 * An ISO 8601 timestamp parameter (`since`, `until`: GitHub expects `YYYY-MM-DDTHH:MM:SSZ`) as epoch ms; undefined
 * when absent, null when present but unparseable (the caller answers 422).
 */
export function parseTimestamp(value: string | undefined): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** A stable comparator on a numeric key then a tie-breaker, in the requested direction. */
export function compareBy<T>(key: (item: T) => number, tieBreak: (item: T) => number, direction: 'asc' | 'desc'): (a: T, b: T) => number {
  const sign = direction === 'asc' ? 1 : -1;
  return (a, b) => sign * (key(a) - key(b) || tieBreak(a) - tieBreak(b));
}
