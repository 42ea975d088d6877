import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { parseBearerHeader } from '#libs/auth';
import type { CambrianConfig, RateLimitBudget } from '#libs/config';

/** The rate-limited kinds of route; a route opts in with {@link rateLimited}. */
export type RateLimitName = 'graphql' | 'webhook' | 'signIn';

/** What a route's `@RouteConfig` carries to be rate limited (see {@link rateLimited}). */
export interface RateLimitRouteConfig {
  rateLimit?: RateLimitName;
}

/**
 * Route config that puts a route under the budgets of `name`, for `@RouteConfig(...)` of
 * `@nestjs/platform-fastify` (merge it with other route options): e.g. a sign-in route takes
 * `@RouteConfig(rateLimited('signIn'))` and is then limited per IP by `RATE_LIMIT_SIGN_IN_PER_IP`.
 */
export function rateLimited(name: RateLimitName): RateLimitRouteConfig {
  return { rateLimit: name };
}

/** The budgets of one kind of route: per client IP address and per bearer token presented. */
export interface RateLimitPolicy {
  perIp: RateLimitBudget | null;
  perToken: RateLimitBudget | null;
}

/** The policies configured for each kind of route (`RATE_LIMIT_*`). */
export function rateLimitPolicies(config: CambrianConfig): Record<RateLimitName, RateLimitPolicy> {
  return {
    graphql: { perIp: config.RATE_LIMIT_GRAPHQL_PER_IP, perToken: config.RATE_LIMIT_GRAPHQL_PER_TOKEN },
    webhook: { perIp: config.RATE_LIMIT_WEBHOOK_PER_IP, perToken: null },
    signIn: { perIp: config.RATE_LIMIT_SIGN_IN_PER_IP, perToken: null },
  };
}

/**
 * The key of a client address for per-IP budgets: an IPv4 address as is (also when written
 * IPv4-mapped, `::ffff:a.b.c.d`), an IPv6 address by its /64 prefix, since one subscriber gets a
 * whole /64 and could otherwise take a fresh budget with every address of it (RFC 6177).
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.toLowerCase().split('::');
  const hextets = (part: string | undefined) => (part ? part.split(':') : []);
  const left = hextets(head);
  const right = tail === undefined ? [] : hextets(tail);
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Why a request was refused: which budget was spent, and when to come back (whole seconds, ≥ 1). */
export interface RateLimitRefusal {
  scope: 'ip' | 'token';
  limit: number;
  windowSeconds: number;
  retryAfterSeconds: number;
}

/** Options of {@link RequestRateLimiter}. */
export interface RequestRateLimiterOptions {
  /** A connection that fails commands at once while Redis is away (`enableOfflineQueue: false`). */
  redis: Redis;
  /** Prefix of every counter key (`<QUEUE_PREFIX>:rate-limit`). */
  keyPrefix: string;
  policies: Record<RateLimitName, RateLimitPolicy>;
  logger: Logger;
  /** Least milliseconds between two warnings about Redis (default 60,000). */
  warnEveryMs?: number;
}

/**
 * Fixed-window request counters in Redis (rate-limiter-flexible), so every api process spends the
 * same budgets. A request counts against its client IP address (`request.ip`, i.e. after
 * `TRUST_PROXY`) and, when it carries `Authorization: Bearer <token>`, against that token too
 * (keyed by a SHA-256 of it, whether the token turns out valid or not: a client spraying made-up
 * tokens still spends its address's budget). It is refused when either budget is spent.
 *
 * Fails open: when Redis does not answer (down, or not connected yet) the request is let through
 * and a warning is logged (at most once a minute), so a Redis outage degrades protection instead
 * of taking the api down, as the leaderboard cache does.
 */
export class RequestRateLimiter {
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private lastWarning = 0;

  constructor(private readonly options: RequestRateLimiterOptions) {}

  /**
   * Spends one request of `name`'s budgets for `request`.
   * @returns null when allowed (or when Redis did not answer), else the budget that was spent.
   */
  async consume(name: RateLimitName, request: FastifyRequest): Promise<RateLimitRefusal | null> {
    const policy = this.options.policies[name];
    if (policy.perIp) {
      const refusal = await this.spend(name, 'ip', policy.perIp, clientKey(request.ip));
      if (refusal) return refusal;
    }
    const credentials = parseBearerHeader(request.headers.authorization);
    if (policy.perToken && credentials.kind === 'bearer') {
      const tokenKey = createHash('sha256').update(`rate-limit:${credentials.token}`).digest('hex').slice(0, 32);
      return this.spend(name, 'token', policy.perToken, tokenKey);
    }
    return null;
  }

  private async spend(name: RateLimitName, scope: 'ip' | 'token', budget: RateLimitBudget, key: string): Promise<RateLimitRefusal | null> {
    try {
      await this.limiter(name, scope, budget).consume(key, 1);
      return null;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        return {
          scope,
          limit: budget.points,
          windowSeconds: budget.windowSeconds,
          retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)),
        };
      }
      this.warn(outcome);
      return null;
    }
  }

  private limiter(name: RateLimitName, scope: 'ip' | 'token', budget: RateLimitBudget): RateLimiterRedis {
    const id = `${name}:${scope}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.options.redis,
        keyPrefix: `${this.options.keyPrefix}:${id}`,
        points: budget.points,
        duration: budget.windowSeconds,
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < (this.options.warnEveryMs ?? 60_000)) return;
    this.lastWarning = now;
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger.warn({ err: message }, 'rate limits not enforced: Redis did not answer (requests are let through)');
  }
}

/**
 * The answer to a refused request: `429` with `Retry-After` (seconds, RFC 9110 §10.2.3); for
 * `/graphql` a GraphQL response whose error has `extensions.code: RATE_LIMITED`, else
 * `{ statusCode, error, message }` as Nest answers errors.
 */
export function sendRateLimited(reply: FastifyReply, name: RateLimitName, refusal: RateLimitRefusal): FastifyReply {
  const who = refusal.scope === 'ip' ? 'this address' : 'this token';
  const message =
    `Too many requests from ${who}: at most ${refusal.limit} per ${refusal.windowSeconds} s; ` +
    `retry in ${refusal.retryAfterSeconds} s`;
  void reply.code(429).header('retry-after', String(refusal.retryAfterSeconds));
  if (name === 'graphql') {
    return reply.send({
      errors: [
        {
          message,
          extensions: {
            code: 'RATE_LIMITED',
            scope: refusal.scope,
            limit: refusal.limit,
            windowSeconds: refusal.windowSeconds,
            retryAfterSeconds: refusal.retryAfterSeconds,
          },
        },
      ],
    });
  }
  return reply.send({ statusCode: 429, error: 'Too Many Requests', message });
}

/**
 * Limits every route whose config names a {@link RateLimitName} (`@RouteConfig(rateLimited(...))`,
 * or set in an `onRoute` hook), in an `onRequest` hook: before the body is read or anything is
 * looked up. CORS preflights (`OPTIONS`) are not counted. Register after CORS and security headers
 * so a refusal carries them too.
 */
export function installRateLimits(fastify: FastifyInstance, limiter: RequestRateLimiter): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const name = (request.routeOptions.config as RateLimitRouteConfig | undefined)?.rateLimit;
    if (!name || request.method === 'OPTIONS') return;
    const refusal = await limiter.consume(name, request);
    if (refusal) return sendRateLimited(reply, name, refusal);
  });
}
