import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/**
 * ioredis options of a cache's own connection: a command fails at once while Redis is away (no
 * offline queue, one retry) and after `commandTimeout` ms while it does not answer (a long script,
 * a paused or partitioned server), so a request then computes its answer instead of waiting on the
 * cache, and shutdown's QUIT does not hang.
 */
export const CACHE_REDIS_OPTIONS = { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1000 } as const;

/**
 * A SQL text expression naming the database a connection is on: the cluster's system identifier and
 * the database's oid. A version counter's epoch is drawn once, by its migration, so a database cloned
 * from another (`CREATE DATABASE … TEMPLATE`) or restored from a dump into a new database carries it,
 * and its counter goes through the same values again with other rows; this tells them apart in a
 * shared Redis. (A dump restored into the very database it came from keeps both: its counter repeats
 * values the cache may hold for up to the TTL.)
 */
export const DATABASE_IDENTITY_SQL = `((SELECT system_identifier FROM pg_control_system())::text || '.' || (SELECT oid FROM pg_database WHERE datname = current_database())::text)`;

/**
 * SQL of one row, column `version`, naming the current state of a version counter (`leaderboard_version` or
 * `stage_version`) as `<epoch>.<database>.<count>`: the counter is a view whose count is its base row's
 * plus its shards' bumps (migration 1764900000200: each committing writer adds 1 to one shard).
 */
export function versionCounterSql(counter: 'leaderboard_version' | 'stage_version'): string {
  return `SELECT epoch || '.' || ${DATABASE_IDENTITY_SQL} || '.' || version AS version FROM ${counter}`;
}

/** Where a {@link VersionedCache} keeps its answers, and for how long. */
export interface VersionedCacheOptions<Stored> {
  redis: Redis;
  /** Prefix of every key (`<QUEUE_PREFIX>:<name>`). */
  keyPrefix: string;
  /** Seconds an answer stays in Redis (at least 1). */
  ttlSeconds: number;
  /** Names the cache in its log lines (`leaderboard`, `funnel`). */
  name: string;
  /** Restores what JSON does not keep (dates) in an answer read back from Redis. */
  revive?: (stored: Stored) => Stored;
  /**
   * Whether a value read back from Redis has the shape of an answer (another release's entry, or an
   * operator's, can sit under a key): one that has not is a miss. Default: any JSON value.
   */
  accepts?: (stored: unknown) => boolean;
}

/**
 * Computed answers in Redis, keyed by (version, request key), with a TTL: the version is a counter
 * the database bumps in the transaction of every write that can change an answer, so an answer
 * stored under it is exact for as long as the caller's `serves` says time has not changed it.
 * Concurrent misses for one key in this process share one computation (a map of in-flight
 * promises). Redis being away costs only the cache: answers are then computed every time; so does an
 * entry that is not JSON or not an answer's shape ({@link VersionedCacheOptions.accepts}).
 */
export class VersionedCache<Stored> {
  private readonly logger: Logger;
  private readonly inFlight = new Map<string, Promise<Stored>>();

  constructor(private readonly options: VersionedCacheOptions<Stored>) {
    this.logger = new Logger(`${options.name[0].toUpperCase()}${options.name.slice(1)}Cache`);
  }

  /**
   * The answer stored or being computed under `version` and `key` when `serves` accepts it;
   * otherwise `compute`'s, stored for the next request. Every caller gets its own copy.
   */
  async get(version: string, key: string, serves: (stored: Stored) => boolean, compute: () => Promise<Stored>): Promise<Stored> {
    const fullKey = `${this.options.keyPrefix}:${version}:${key}`;
    const running = this.inFlight.get(fullKey);
    if (running) return this.fromFlight(running, serves, compute);
    const stored = await this.read(fullKey);
    if (stored !== null && serves(stored)) return stored;
    const started = this.inFlight.get(fullKey);
    if (started) return this.fromFlight(started, serves, compute);
    const flight = compute().then(async (answer) => {
      await this.write(fullKey, answer);
      return answer;
    });
    this.inFlight.set(fullKey, flight);
    try {
      return structuredClone(await flight);
    } finally {
      if (this.inFlight.get(fullKey) === flight) this.inFlight.delete(fullKey);
    }
  }

  /** Closes the Redis connection. */
  async close(): Promise<void> {
    // a lazy connection never opened: quitting would open it first
    if (this.options.redis.status === 'wait') return this.options.redis.disconnect();
    await this.options.redis.quit().catch(() => this.options.redis.disconnect());
  }

  private async fromFlight(flight: Promise<Stored>, serves: (stored: Stored) => boolean, compute: () => Promise<Stored>): Promise<Stored> {
    const answer = await flight;
    // started for a later "now" than this request's, or outlived by time: compute this one alone
    return serves(answer) ? structuredClone(answer) : compute();
  }

  private async read(key: string): Promise<Stored | null> {
    let text: string | null;
    try {
      text = await this.options.redis.get(key);
    } catch (error) {
      this.logger.warn(`${this.options.name} cache read failed, computing instead: ${(error as Error).message}`);
      return null;
    }
    if (text === null) return null;
    try {
      const stored: unknown = JSON.parse(text);
      if (this.options.accepts && !this.options.accepts(stored)) throw new Error('not an answer of this cache');
      return this.options.revive ? this.options.revive(stored as Stored) : (stored as Stored);
    } catch (error) {
      this.logger.warn(`${this.options.name} cache entry ${key} unreadable, computing instead: ${(error as Error).message}`);
      return null;
    }
  }

  private async write(key: string, answer: Stored): Promise<void> {
    try {
      await this.options.redis.set(key, JSON.stringify(answer), 'EX', this.options.ttlSeconds);
    } catch (error) {
      this.logger.warn(`${this.options.name} cache write failed: ${(error as Error).message}`);
    }
  }
}
