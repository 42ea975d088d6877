/** A rate-limit budget: at most `points` requests per `windowSeconds`, or none when off. */
export interface RateLimitBudget {
  points: number;
  windowSeconds: number;
}

const BUDGET_PATTERN = /^(\d{1,9})\/(\d{1,7})s$/;

/**
 * Reads a budget written `<requests>/<seconds>s` (e.g. `300/60s`: 300 requests per 60 seconds) or
 * `off` (no limit). Requests ≥ 1 and seconds 1–86,400.
 * @returns null for `off`.
 * @throws Error naming the expected form for anything else.
 */
export function parseRateLimitBudget(value: string): RateLimitBudget | null {
  const text = value.trim();
  if (text === 'off') return null;
  const match = BUDGET_PATTERN.exec(text);
  const points = match ? Number(match[1]) : NaN;
  const windowSeconds = match ? Number(match[2]) : NaN;
  if (!match || points < 1 || windowSeconds < 1 || windowSeconds > 86_400) {
    throw new Error(`must be "<requests>/<seconds>s" (requests ≥ 1, seconds 1–86400, e.g. "300/60s") or "off", not "${value}"`);
  }
  return { points, windowSeconds };
}

/**
 * Reads a list of browser origins (`scheme://host[:port]`, comma-separated): each must be an
 * http(s) URL with nothing after the port (no path, not even `/`), as browsers send in `Origin`
 * (RFC 6454 §6.1).
 * @throws Error naming the first malformed entry.
 */
export function parseOrigins(value: string): string[] {
  const origins = value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
      throw new Error(`"${origin}" is not an origin: write scheme://host[:port] (e.g. https://console.example.org), without a path`);
    }
  }
  return origins;
}

/** Which proxies may set `X-Forwarded-For`, as Fastify's `trustProxy` takes it. */
export type TrustProxy = boolean | string | ((address: string, hop: number) => boolean);

/**
 * Reads which proxies may set `X-Forwarded-For` (Fastify's `trustProxy`): `true` (every hop: only
 * behind a proxy that overwrites the header), `false` (none: the socket's address is the client), a
 * hop count (the nearest N hops), or comma-separated addresses and CIDR ranges (`loopback`,
 * `linklocal` and `uniquelocal` name the usual ranges, as in proxy-addr).
 */
export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return (_address: string, hop: number) => hop < hops;
  }
  return text;
}
