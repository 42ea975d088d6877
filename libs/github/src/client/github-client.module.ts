import { Logger, Module } from '@nestjs/common';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { createGithubClient, type GithubClient } from './github-client.js';

/** Injection token of the process's {@link GithubClient} (built from `GITHUB_API_URL`, `GITHUB_TOKEN`). */
export const GITHUB_CLIENT = Symbol('GITHUB_CLIENT');

/** Provides one GitHub client per process, configured from the validated environment. */
@Module({
  providers: [
    {
      provide: GITHUB_CLIENT,
      inject: [CAMBRIAN_CONFIG],
      useFactory: (config: CambrianConfig): GithubClient => {
        const logger = new Logger('GithubClient');
        return createGithubClient({
          baseUrl: config.GITHUB_API_URL,
          token: config.GITHUB_TOKEN,
          maxConcurrency: config.GITHUB_MAX_CONCURRENCY,
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
  exports: [GITHUB_CLIENT],
})
export class GithubClientModule {}
