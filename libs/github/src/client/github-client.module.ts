import { Inject, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { CAMBRIAN_CONFIG, githubAppCredentials, type CambrianConfig } from '#libs/config';
import { recordGithubResponse } from '#libs/observability';
import { redisConnectionOptions } from '#libs/queue';
import { budgetKey, createGithubClient, type GithubClient } from './github-client.js';
import { RedisTokenBudget } from './token-budget.js';

/**
 * Injection token of the process's {@link GithubClient} (built from `GITHUB_API_URL` and either
 * `GITHUB_TOKEN` or the GitHub App installation `GITHUB_APP_*`).
 */
export const GITHUB_CLIENT = Symbol('GITHUB_CLIENT');

/** Injection token of the token's {@link RedisTokenBudget}, shared by every process through Redis. */
export const GITHUB_TOKEN_BUDGET = Symbol('GITHUB_TOKEN_BUDGET');

/**
 * Provides one GitHub client per process, configured from the validated environment, and the
 * token's Redis budget it runs every request through (keys `<QUEUE_PREFIX>:github-budget:*` on
 * `REDIS_URL`; `GITHUB_MAX_CONCURRENCY`, `GITHUB_WAIT_MS_PER_SECOND`,
 * `GITHUB_MAX_IN_PROCESS_WAIT_SECONDS`, `GITHUB_PACE_BELOW_FRACTION`, `GITHUB_RESERVE_FRACTION`).
 */
@Module({
  providers: [
    {
      provide: GITHUB_TOKEN_BUDGET,
      inject: [CAMBRIAN_CONFIG],
      useFactory: (config: CambrianConfig): RedisTokenBudget => {
        const logger = new Logger('GithubTokenBudget');
        return new RedisTokenBudget({
          redis: new Redis({ ...(redisConnectionOptions(config.REDIS_URL) as RedisOptions), maxRetriesPerRequest: 3 }),
          keyPrefix: `${config.QUEUE_PREFIX}:github-budget`,
          // an App installation's budget follows the installation, not its hourly tokens
          tokenKey: budgetKey(config.GITHUB_API_URL, { token: config.GITHUB_TOKEN, app: githubAppCredentials(config) }),
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
      },
    },
    {
      provide: GITHUB_CLIENT,
      inject: [CAMBRIAN_CONFIG, GITHUB_TOKEN_BUDGET],
      useFactory: (config: CambrianConfig, budget: RedisTokenBudget): GithubClient => {
        const logger = new Logger('GithubClient');
        const app = githubAppCredentials(config);
        return createGithubClient({
          baseUrl: config.GITHUB_API_URL,
          ...(app ? { app } : { token: config.GITHUB_TOKEN }),
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
      },
    },
  ],
  exports: [GITHUB_CLIENT, GITHUB_TOKEN_BUDGET],
})
export class GithubClientModule implements OnModuleDestroy {
  constructor(@Inject(GITHUB_TOKEN_BUDGET) private readonly budget: RedisTokenBudget) {}

  /** Closes the budget's Redis connection. */
  async onModuleDestroy(): Promise<void> {
    await this.budget.close();
  }
}
