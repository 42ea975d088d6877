import { Redis, type RedisOptions } from 'ioredis';
import type { CambrianConfig } from '#libs/config';
import { redisConnectionOptions } from '#libs/queue';
import type { SyncResource } from '../entities/sync-state.entity.js';

/** A resource's run status, as `sync_state.status` stores it. */
export type SyncRunStatus = 'idle' | 'running' | 'failed';

/** Request counters of one sync step (added, never set). */
export interface SyncCounters {
  requests: number;
  notModified?: number;
  items?: number;
}

/**
 * What Redis holds for one (repository, resource) beside `sync_state`: the status and instants of
 * the latest run, and the counters of runs that wrote nothing to Postgres since its row was last
 * written (they are folded into the row at its next write).
 */
export interface VolatileResourceHealth {
  status: SyncRunStatus | null;
  /** UTC instant the latest run started; null when Redis has not seen one. */
  lastStartedAt: Date | null;
  /** UTC instant the latest run Redis saw succeeded; null when none. */
  lastSuccessAt: Date | null;
  requests: number;
  notModified: number;
  items: number;
}

/** What Redis holds for one tracked source's discovery beside `tracked_source.discovery`. */
export interface VolatileSourceHealth {
  requests: number;
  notModified: number;
  /** UTC instant of the latest discovery that changed nothing; null when none. */
  discoveredAt: Date | null;
}

const COUNTERS = ['requests', 'notModified', 'items'] as const;

/** Reads and deletes the counter fields ARGV[1..n] of hash KEYS[1]; returns their values. */
const TAKE = `
local values = redis.call('HMGET', KEYS[1], unpack(ARGV))
redis.call('HDEL', KEYS[1], unpack(ARGV))
return values`;

const emptyResource = (): VolatileResourceHealth => ({
  status: null,
  lastStartedAt: null,
  lastSuccessAt: null,
  requests: 0,
  notModified: 0,
  items: 0,
});

const instant = (value: string | undefined): Date | null => (value && /^\d+$/.test(value) ? new Date(Number(value)) : null);

/**
 * The volatile half of sync health, in Redis and shared by every process: run status, start and
 * success instants, and request / 304 / item counters of runs that changed nothing. A re-sync
 * that only meets `304 Not Modified` then writes no Postgres row (issue 3: "a second run over
 * unchanged data ... writes nothing"), while `sync_state` keeps what must survive — cursor, ETag,
 * errors — and the counters up to its last write. Readers merge both (see `mergeSyncHealth`).
 *
 * Keys: `<QUEUE_PREFIX>:sync-health:repository:<id>` (hash, fields `<resource>.<field>`),
 * `<QUEUE_PREFIX>:sync-health:source:<id>` (hash), `<QUEUE_PREFIX>:sync-health:profiles` (hash:
 * the profile sync's status, instants, counters and last error) and
 * `<QUEUE_PREFIX>:sync-health:profiles:checked` (sorted set: accounts whose profile answered 304).
 * Instants are epoch milliseconds of the writing process's clock. Losing Redis loses only counters
 * since the last Postgres write and the instants of unchanged runs (profiles answered 304 are
 * then asked again, at the cost of another 304).
 */
export class SyncHealthCache {
  constructor(
    private readonly redis: Redis,
    /** e.g. `<QUEUE_PREFIX>:sync-health`. */
    private readonly keyPrefix: string,
  ) {}

  /** A cache on `REDIS_URL` under `<QUEUE_PREFIX>:sync-health`, with its own connection. */
  static fromConfig(config: Pick<CambrianConfig, 'REDIS_URL' | 'QUEUE_PREFIX'>): SyncHealthCache {
    const redis = new Redis({ ...(redisConnectionOptions(config.REDIS_URL) as RedisOptions), maxRetriesPerRequest: 2 });
    return new SyncHealthCache(redis, `${config.QUEUE_PREFIX}:sync-health`);
  }

  private repositoryKey(repositoryId: number): string {
    return `${this.keyPrefix}:repository:${repositoryId}`;
  }

  private sourceKey(sourceId: number): string {
    return `${this.keyPrefix}:source:${sourceId}`;
  }

  /** Marks a run of `resource` started at `at`. */
  async started(repositoryId: number, resource: SyncResource, at: Date = new Date()): Promise<void> {
    await this.redis.hset(this.repositoryKey(repositoryId), `${resource}.status`, 'running', `${resource}.startedAt`, String(at.getTime()));
  }

  /**
   * Ends a run in Redis: sets its status (and, for `idle`, the success instant) and adds
   * `counters` — pass counters only for a run whose counters are not written to Postgres.
   */
  async finished(
    repositoryId: number,
    resource: SyncResource,
    status: Exclude<SyncRunStatus, 'running'>,
    counters: SyncCounters | null,
    at: Date = new Date(),
  ): Promise<void> {
    const key = this.repositoryKey(repositoryId);
    const pipeline = this.redis.multi().hset(key, `${resource}.status`, status);
    if (status === 'idle') pipeline.hset(key, `${resource}.successAt`, String(at.getTime()));
    if (counters) {
      if (counters.requests) pipeline.hincrby(key, `${resource}.requests`, counters.requests);
      if (counters.notModified) pipeline.hincrby(key, `${resource}.notModified`, counters.notModified);
      if (counters.items) pipeline.hincrby(key, `${resource}.items`, counters.items);
    }
    await execOrThrow(pipeline);
  }

  /**
   * Removes and returns the counters Redis holds for the resource, to be added to its
   * `sync_state` row by the write about to happen. Give them back with {@link addCounters} when
   * that write fails.
   */
  async takeCounters(repositoryId: number, resource: SyncResource): Promise<Required<SyncCounters>> {
    const values = (await this.redis.eval(TAKE, 1, this.repositoryKey(repositoryId), ...COUNTERS.map((name) => `${resource}.${name}`))) as Array<
      string | null
    >;
    return { requests: Number(values[0] ?? 0), notModified: Number(values[1] ?? 0), items: Number(values[2] ?? 0) };
  }

  /** Adds counters to the resource's hash (a write that took them failed). */
  async addCounters(repositoryId: number, resource: SyncResource, counters: SyncCounters): Promise<void> {
    const key = this.repositoryKey(repositoryId);
    const pipeline = this.redis.multi();
    for (const name of COUNTERS) if (counters[name]) pipeline.hincrby(key, `${resource}.${name}`, counters[name]!);
    await execOrThrow(pipeline);
  }

  /** The volatile health of each repository in `ids`, by resource (one round trip). */
  async forRepositories(ids: readonly number[]): Promise<Map<number, Map<SyncResource, VolatileResourceHealth>>> {
    const result = new Map<number, Map<SyncResource, VolatileResourceHealth>>();
    if (ids.length === 0) return result;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.repositoryKey(id));
    const answers = (await pipeline.exec()) ?? [];
    ids.forEach((id, index) => {
      const [error, hash] = answers[index] ?? [null, {}];
      if (error) throw error;
      result.set(id, parseRepositoryHash((hash ?? {}) as Record<string, string>));
    });
    return result;
  }

  /** Adds a discovery's counters to the source's hash and, when given, the instant it ended unchanged. */
  async sourceDiscovered(sourceId: number, counters: SyncCounters, unchangedAt: Date | null): Promise<void> {
    const key = this.sourceKey(sourceId);
    const pipeline = this.redis.multi();
    if (counters.requests) pipeline.hincrby(key, 'requests', counters.requests);
    if (counters.notModified) pipeline.hincrby(key, 'notModified', counters.notModified);
    if (unchangedAt) pipeline.hset(key, 'discoveredAt', String(unchangedAt.getTime()));
    await execOrThrow(pipeline);
  }

  /** Removes and returns a source's counters, to be folded into `tracked_source.discovery`. */
  async takeSourceCounters(sourceId: number): Promise<{ requests: number; notModified: number }> {
    const values = (await this.redis.eval(TAKE, 1, this.sourceKey(sourceId), 'requests', 'notModified', 'discoveredAt')) as Array<string | null>;
    return { requests: Number(values[0] ?? 0), notModified: Number(values[1] ?? 0) };
  }

  /** The volatile discovery health of each source in `ids`. */
  async forSources(ids: readonly number[]): Promise<Map<number, VolatileSourceHealth>> {
    const result = new Map<number, VolatileSourceHealth>();
    if (ids.length === 0) return result;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.sourceKey(id));
    const answers = (await pipeline.exec()) ?? [];
    ids.forEach((id, index) => {
      const [error, raw] = answers[index] ?? [null, {}];
      if (error) throw error;
      const hash = (raw ?? {}) as Record<string, string>;
      result.set(id, { requests: Number(hash.requests ?? 0), notModified: Number(hash.notModified ?? 0), discoveredAt: instant(hash.discoveredAt) });
    });
    return result;
  }

  private profilesKey(): string {
    return `${this.keyPrefix}:profiles`;
  }

  private profileChecksKey(): string {
    return `${this.keyPrefix}:profiles:checked`;
  }

  /** Marks a profile sync run started at `at`. */
  async profilesStarted(at: Date = new Date()): Promise<void> {
    await this.redis.hset(this.profilesKey(), 'status', 'running', 'startedAt', String(at.getTime()));
  }

  /**
   * Ends a profile sync run: status, success instant (for `idle`) or error (for `failed`; a
   * success clears it), and adds the run's counters.
   */
  async profilesFinished(status: Exclude<SyncRunStatus, 'running'>, counters: SyncCounters, error: string | null = null, at: Date = new Date()): Promise<void> {
    const key = this.profilesKey();
    const pipeline = this.redis.multi().hset(key, 'status', status);
    if (status === 'idle') pipeline.hset(key, 'successAt', String(at.getTime())).hdel(key, 'lastError');
    else pipeline.hset(key, 'lastError', (error ?? 'failed').slice(0, 2000));
    for (const name of COUNTERS) if (counters[name]) pipeline.hincrby(key, name, counters[name]!);
    await execOrThrow(pipeline);
  }

  /** Health of the profile sync: the latest run's status and instants, counters of every run, the last error. */
  async forProfiles(): Promise<VolatileResourceHealth & { lastError: string | null }> {
    const hash = await this.redis.hgetall(this.profilesKey());
    const status = hash.status === 'idle' || hash.status === 'running' || hash.status === 'failed' ? hash.status : null;
    return {
      status,
      lastStartedAt: instant(hash.startedAt),
      lastSuccessAt: instant(hash.successAt),
      requests: Number(hash.requests ?? 0),
      notModified: Number(hash.notModified ?? 0),
      items: Number(hash.items ?? 0),
      lastError: hash.lastError ?? null,
    };
  }

  /**
   * Remembers that GitHub answered `304 Not Modified` for these accounts' profiles at `at`, so the
   * next runs skip them for the refresh interval without a Postgres write (sorted set, score
   * epoch ms).
   */
  async profilesChecked(accountIds: readonly number[], at: Date = new Date()): Promise<void> {
    if (accountIds.length === 0) return;
    const score = String(at.getTime());
    await this.redis.zadd(this.profileChecksKey(), ...accountIds.flatMap((id) => [score, String(id)]));
  }

  /** When each account's profile last answered `304` (epoch ms), by account id; absent when never or forgotten. */
  async profileChecks(accountIds: readonly number[]): Promise<Map<number, number>> {
    const checks = new Map<number, number>();
    if (accountIds.length === 0) return checks;
    const scores = await this.redis.zmscore(this.profileChecksKey(), ...accountIds.map(String));
    accountIds.forEach((id, index) => {
      const score = scores[index];
      if (score !== null && score !== undefined) checks.set(id, Number(score));
    });
    return checks;
  }

  /** Forgets `304` checks made before `before` (they no longer postpone a fetch). */
  async forgetProfileChecks(before: Date): Promise<void> {
    await this.redis.zremrangebyscore(this.profileChecksKey(), '-inf', `(${before.getTime()}`);
  }

  /**
   * Deletes every key of this cache (benchmarks and tests that recreate their database: counters
   * of repositories that no longer exist would be merged into new rows). Returns the keys deleted.
   */
  async clear(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.keyPrefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await this.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  /** Closes the Redis connection (the cache owns it). */
  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Runs a transaction; throws the first command error (ioredis reports them per command). */
async function execOrThrow(pipeline: ReturnType<Redis['multi']>): Promise<void> {
  const results = await pipeline.exec();
  if (!results) throw new Error('Redis transaction aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
}

/** Parses a repository hash (`<resource>.<field>`) into one entry per resource. */
export function parseRepositoryHash(hash: Record<string, string>): Map<SyncResource, VolatileResourceHealth> {
  const byResource = new Map<SyncResource, VolatileResourceHealth>();
  for (const [field, value] of Object.entries(hash)) {
    const dot = field.lastIndexOf('.');
    if (dot <= 0) continue;
    const resource = field.slice(0, dot) as SyncResource;
    const name = field.slice(dot + 1);
    let entry = byResource.get(resource);
    if (!entry) byResource.set(resource, (entry = emptyResource()));
    if (name === 'status' && (value === 'idle' || value === 'running' || value === 'failed')) entry.status = value;
    else if (name === 'startedAt') entry.lastStartedAt = instant(value);
    else if (name === 'successAt') entry.lastSuccessAt = instant(value);
    else if (name === 'requests' || name === 'notModified' || name === 'items') entry[name] = Number(value) || 0;
  }
  return byResource;
}
