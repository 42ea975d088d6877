import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { GithubCredentialsModule } from '../credentials/github-credentials.module.js';
import type { GithubClient } from './github-client.js';
import { budgetRedis, environmentIdentity, githubClientFor, GITHUB_CLIENT, GITHUB_TOKEN_BUDGET, tokenBudgetFor } from './github-client.providers.js';
import { GithubClients } from './github-clients.service.js';
import type { RedisTokenBudget } from './token-budget.js';

export * from './github-client.providers.js';

/**
 * Provides the environment's GitHub client and its Redis budget (one per process), and
 * {@link GithubClients}, which gives each ecosystem the client of its stored credentials.
 */
@Module({
  imports: [GithubCredentialsModule],
  providers: [
    {
      provide: GITHUB_TOKEN_BUDGET,
      inject: [CAMBRIAN_CONFIG],
      useFactory: (config: CambrianConfig): RedisTokenBudget => tokenBudgetFor(config, budgetRedis(config), environmentIdentity(config)),
    },
    {
      provide: GITHUB_CLIENT,
      inject: [CAMBRIAN_CONFIG, GITHUB_TOKEN_BUDGET],
      useFactory: (config: CambrianConfig, budget: RedisTokenBudget): GithubClient => githubClientFor(config, environmentIdentity(config), budget),
    },
    GithubClients,
  ],
  exports: [GITHUB_CLIENT, GITHUB_TOKEN_BUDGET, GithubClients, GithubCredentialsModule],
})
export class GithubClientModule implements OnModuleDestroy {
  constructor(@Inject(GITHUB_TOKEN_BUDGET) private readonly budget: RedisTokenBudget) {}

  /** Closes the budget's Redis connection. */
  async onModuleDestroy(): Promise<void> {
    await this.budget.close();
  }
}
