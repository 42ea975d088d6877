import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { GithubCredentialService, type StoredGithubIdentity } from '../credentials/github-credential.service.js';
import { storedAppSource } from './github-app-auth.js';
import type { GithubClient } from './github-client.js';
import { budgetRedis, githubClientFor, GITHUB_CLIENT, GITHUB_TOKEN_BUDGET, tokenBudgetFor } from './github-client.providers.js';
import type { RedisTokenBudget } from './token-budget.js';

/** What a sync job works on: an ecosystem (discovery), a repository, or neither. */
export type SyncScope = { ecosystemId: number } | { repositoryId: number } | null;

/** The client and budget of one stored identity. */
interface StoredClient {
  credentialId: string;
  client: GithubClient;
  budget: RedisTokenBudget;
}

/**
 * The GitHub client each sync uses (issue 8): an ecosystem with a stored token or GitHub App
 * (`GithubCredentialService`) gets a client of that identity, with its own request budget in
 * Redis (GitHub's limits are per token or installation); any other gets the environment's
 * (`GITHUB_TOKEN` or `GITHUB_APP_*`). A repository syncs with the credentials of its ecosystem
 * (`repository.ecosystem_id`, the first ecosystem that discovered it). A stored identity that
 * cannot be decrypted fails the sync (SecretsException) rather than falling back to the
 * environment's. Clients are kept per ecosystem until its stored identity changes.
 */
@Injectable()
export class GithubClients implements OnModuleDestroy {
  private readonly stored = new Map<number, StoredClient>();
  private redis: Redis | null = null;

  constructor(
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
    @Inject(GITHUB_CLIENT) private readonly environmentClient: GithubClient,
    @Inject(GITHUB_TOKEN_BUDGET) private readonly environmentBudget: RedisTokenBudget,
    private readonly credentials: GithubCredentialService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * The client for the ecosystem (null: no ecosystem, the environment's). One indexed read of
   * `github_credential` per call; call it once per sync pass, not per request.
   * @throws SecretsException when the stored identity cannot be decrypted.
   */
  async forEcosystem(ecosystemId: number | null): Promise<GithubClient> {
    return (await this.entry(ecosystemId))?.client ?? this.environmentClient;
  }

  /** The request budget of the ecosystem's client (see {@link forEcosystem}). */
  async budgetForEcosystem(ecosystemId: number | null): Promise<RedisTokenBudget> {
    return (await this.entry(ecosystemId))?.budget ?? this.environmentBudget;
  }

  /**
   * The budget of the client a sync job of `scope` uses: its ecosystem's, or for a repository
   * (GitHub id) its ecosystem's; the environment's when there is none.
   */
  async budgetFor(scope: SyncScope): Promise<RedisTokenBudget> {
    return this.budgetForEcosystem(await this.ecosystemOf(scope));
  }

  /**
   * Names the identity a sync job of `scope` uses, for messages: `the GitHub token stored for
   * ecosystem 3`, or null for the environment's (GITHUB_TOKEN / GITHUB_APP_*). Never a value.
   */
  async describeIdentity(scope: SyncScope): Promise<string | null> {
    const ecosystemId = await this.ecosystemOf(scope);
    if (ecosystemId === null) return null;
    const identity = await this.credentials.identityFor(ecosystemId);
    if (!identity) return null;
    return identity.kind === 'token'
      ? `the GitHub token stored for ecosystem ${ecosystemId}`
      : `GitHub App ${identity.app.appId} (installation ${identity.app.installationId}) stored for ecosystem ${ecosystemId}`;
  }

  /** Closes the Redis connection of the stored identities' budgets. */
  async onModuleDestroy(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    this.stored.clear();
    await redis?.quit().catch(() => redis.disconnect());
  }

  private async ecosystemOf(scope: SyncScope): Promise<number | null> {
    if (scope === null) return null;
    if ('ecosystemId' in scope) return scope.ecosystemId;
    const [row]: Array<{ ecosystem_id: number | null }> = await this.dataSource.query(`SELECT ecosystem_id FROM repository WHERE id = $1`, [scope.repositoryId]);
    return row?.ecosystem_id ?? null;
  }

  private async entry(ecosystemId: number | null): Promise<StoredClient | null> {
    if (ecosystemId === null) return null;
    const identity = await this.credentials.identityFor(ecosystemId);
    if (!identity) {
      this.stored.delete(ecosystemId);
      return null;
    }
    const known = this.stored.get(ecosystemId);
    if (known?.credentialId === identity.credentialId) return known;
    const entry = this.build(ecosystemId, identity);
    this.stored.set(ecosystemId, entry);
    return entry;
  }

  private build(ecosystemId: number, identity: StoredGithubIdentity): StoredClient {
    this.redis ??= budgetRedis(this.config);
    const auth = identity.kind === 'token' ? { token: identity.token } : { app: identity.app, appSource: storedAppSource(ecosystemId) };
    const budget = tokenBudgetFor(this.config, this.redis, auth);
    return { credentialId: identity.credentialId, client: githubClientFor(this.config, auth, budget), budget };
  }
}
