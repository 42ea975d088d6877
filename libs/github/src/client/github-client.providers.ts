import { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { githubAppCredentials, type CambrianConfig, type GithubAppCredentials } from '#libs/config';
import { recordGithubResponse } from '#libs/observability';
import { redisConnectionOptions } from '#libs/queue';
import type { AppCredentialSource } from './github-app-auth.js';
import { budgetKey, createGithubClient, type GithubClient } from './github-client.js';
import { RedisTokenBudget } from './token-budget.js';

/**
 * Injection token of the process's {@link GithubClient} (built from `GITHUB_API_URL` and either
 * `GITHUB_TOKEN` or the GitHub App installation `GITHUB_APP_*`). Syncs ask {@link GithubClients}
 * instead, which prefers an ecosystem's stored credentials.
 */
export const GITHUB_CLIENT = Symbol('GITHUB_CLIENT');

/** Injection token of the token's {@link RedisTokenBudget}, shared by every process through Redis. */
export const GITHUB_TOKEN_BUDGET = Symbol('GITHUB_TOKEN_BUDGET');

/** A GitHub identity: a token (empty: anonymous) or an App installation. */
export interface GithubIdentity {
  token?: string;
  app?: GithubAppCredentials | null;
  /** Where `app` comes from, for refusal messages (default: the environment's GITHUB_APP_* variables). */
  appSource?: AppCredentialSource;
}

/** A new Redis connection for token budgets (`REDIS_URL`). */
export function budgetRedis(config: CambrianConfig): Redis {
  return new Redis({ ...(redisConnectionOptions(config.REDIS_URL) as RedisOptions), maxRetriesPerRequest: 3 });
}

/**
 * The Redis budget of one identity (keys `<QUEUE_PREFIX>:github-budget:*` on `redis`;
 * `GITHUB_MAX_CONCURRENCY`, `GITHUB_WAIT_MS_PER_SECOND`, `GITHUB_MAX_IN_PROCESS_WAIT_SECONDS`,
 * `GITHUB_PACE_BELOW_FRACTION`, `GITHUB_RESERVE_FRACTION`). An App installation's budget follows
 * the installation, not its hourly tokens.
 */
export function tokenBudgetFor(config: CambrianConfig, redis: Redis, identity: GithubIdentity): RedisTokenBudget {
  const logger = new Logger('GithubTokenBudget');
  return new RedisTokenBudget({
    redis,
    keyPrefix: `${config.QUEUE_PREFIX}:github-budget`,
    tokenKey: budgetKey(config.GITHUB_API_URL, identity),
    maxConcurrency: config.GITHUB_MAX_CONCURRENCY,
    msPerSecond: config.GITHUB_WAIT_MS_PER_SECOND,
    maxWaitSeconds: config.GITHUB_MAX_IN_PROCESS_WAIT_SECONDS,
    paceBelowFraction: config.GITHUB_PACE_BELOW_FRACTION,
    reserveFraction: config.GITHUB_RESERVE_FRACTION,
    onPause: (pause) =>
      logger.warn(
        `${pause.kind} rate limit: every request of the token paused for ${pause.seconds} s` +
          (pause.kind === 'secondary' ? ` (strike ${pause.strike})` : ''),
      ),
  });
}

/** A client of `GITHUB_API_URL` for `identity`, every request through `budget`, logging through Nest. */
export function githubClientFor(config: CambrianConfig, identity: GithubIdentity, budget: RedisTokenBudget): GithubClient {
  const logger = new Logger('GithubClient');
  return createGithubClient({
    baseUrl: config.GITHUB_API_URL,
    ...(identity.app ? { app: identity.app, appSource: identity.appSource } : { token: identity.token ?? '' }),
    maxConcurrency: config.GITHUB_MAX_CONCURRENCY,
    limiter: budget,
    retryAfterBaseValue: config.GITHUB_WAIT_MS_PER_SECOND,
    onResponse: recordGithubResponse,
    log: {
      debug: (message) => logger.debug(message),
      info: (message) => logger.log(message),
      warn: (message) => logger.warn(message),
      error: (message) => logger.error(message),
    },
  });
}

/** The environment's identity: GITHUB_TOKEN, or the App of GITHUB_APP_*. */
export const environmentIdentity = (config: CambrianConfig): GithubIdentity => ({ token: config.GITHUB_TOKEN, app: githubAppCredentials(config) });

