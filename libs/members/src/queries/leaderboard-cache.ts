import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { MemberView } from './read-model.types.js';
import { VersionedCache, versionCounterSql } from './versioned-cache.js';

/** Injection token of the process's {@link LeaderboardCache}, or null when `LEADERBOARD_CACHE_SECONDS` is 0. */
export const LEADERBOARD_CACHE = Symbol('LEADERBOARD_CACHE');

/**
 * The window of one leaderboard request, as the cache needs it: its resolved instants and which
 * of its ends follow "now" (a preset moves both; `since` without `until` moves `until` only).
 */
export interface CacheWindow {
  since: Date | null;
  until: Date;
  sinceMoves: boolean;
  untilMoves: boolean;
}

/**
 * A computed page and how long it stays exact as "now" moves on, with the version unchanged:
 * until the first activity at or after `until` enters the window, or the first at or after
 * `since` leaves it (UTC instants, ISO 8601; null when there is none).
 */
export interface CachedPage<Entry> {
  since: string | null;
  until: string;
  nextFromSince: string | null;
  nextFromUntil: string | null;
  entries: Entry[];
}

/** Where a page of entries with members is kept, and for how long. */
export interface LeaderboardCacheOptions {
  redis: Redis;
  /** Prefix of every key (`<QUEUE_PREFIX>:leaderboard`). */
  keyPrefix: string;
  /** Seconds a page stays in Redis (at least 1). */
  ttlSeconds: number;
}

const isoDay = (instant: Date) => instant.toISOString().slice(0, 10);

/**
 * The part of a cache key that names the request, without the version: its normalised arguments
 * and its window. A window ending now is named by its length (or fixed start) and the UTC day of
 * its end, so a page is never served past that day; a fixed window by its two instants.
 */
export function leaderboardCacheKey(args: { first: number; weights: number[]; repositoryIds: readonly number[] | null }, window: CacheWindow): string {
  const span = window.untilMoves
    ? {
        since: window.since === null ? null : window.sinceMoves ? window.until.getTime() - window.since.getTime() : window.since.toISOString(),
        day: isoDay(window.until),
      }
    : { since: window.since?.toISOString() ?? null, until: window.until.toISOString() };
  return createHash('sha256')
    .update(JSON.stringify({ format: 1, ...args, span }))
    .digest('base64url');
}

/**
 * Whether `page`, computed for its own window under the same version and key, is exactly the page
 * for `window`: the window may only have moved forward, and no activity may have entered (at or
 * after the page's `until`, before the new one) or left (at or after the page's `since`, before
 * the new one) in between. Fixed windows are named exactly by their key.
 */
export function pageServesWindow(page: CachedPage<unknown>, window: CacheWindow): boolean {
  if (!window.untilMoves) return true;
  const until = window.until.getTime();
  if (until < Date.parse(page.until)) return false;
  if (page.nextFromUntil !== null && until > Date.parse(page.nextFromUntil)) return false;
  if (window.sinceMoves && window.since !== null && page.nextFromSince !== null) {
    if (window.since.getTime() > Date.parse(page.nextFromSince)) return false;
  }
  return true;
}

/**
 * The current `leaderboard_version` (migrations 1764630000001, 1764900000200: {@link versionCounterSql}) as `<epoch>.<database>.<counter>`: it
 * changes in the transaction of every write that can change a leaderboard page, and the epoch and the
 * database's identity (`DATABASE_IDENTITY_SQL`) tell databases apart, clones included. Read before computing, so a page stored under a version is never older than that version.
 */
export async function readLeaderboardVersion(dataSource: DataSource): Promise<string> {
  const rows: Array<{ version: string }> = await dataSource.query(versionCounterSql('leaderboard_version'));
  if (!rows.length) throw new Error('leaderboard_version has no row: run the migrations');
  return rows[0].version;
}

/**
 * SQL columns `next_from_until, next_from_since` (timestamptz, null when there is none): the first
 * activity instants at or after the window's ends (any type, member or repository, so the bound is
 * conservative), for {@link pageServesWindow}; only moving ends are looked up, each one probe of
 * the `activity_time` index. Meant to ride along the ranking statement (no round trip of its own).
 */
export function nextActivityColumns(param: (value: unknown) => string, window: CacheWindow): string {
  const probe = (from: Date) => `(SELECT min(x.occurred_at) FROM activity x WHERE x.occurred_at >= ${param(from.toISOString())}::timestamptz)`;
  const untilProbe = window.untilMoves ? probe(window.until) : 'NULL::timestamptz';
  const sinceProbe = window.untilMoves && window.sinceMoves && window.since !== null ? probe(window.since) : 'NULL::timestamptz';
  return `${untilProbe} AS next_from_until, ${sinceProbe} AS next_from_since`;
}

/**
 * The bounds of {@link CachedPage} from the probe columns of the ranking's rows. With no row to
 * carry them, the page is only good for its own instant (an empty ranking is cheap to redo).
 * A Date keeps milliseconds and drops Postgres's microseconds: flooring keeps the bounds safe.
 */
export function pageBounds(
  rows: ReadonlyArray<{ next_from_until: Date | null; next_from_since: Date | null }>,
  window: CacheWindow,
): Pick<CachedPage<unknown>, 'since' | 'until' | 'nextFromSince' | 'nextFromUntil'> {
  const since = window.since?.toISOString() ?? null;
  const until = window.until.toISOString();
  if (!rows.length) return { since, until, nextFromSince: since, nextFromUntil: until };
  return {
    since,
    until,
    nextFromSince: rows[0].next_from_since?.toISOString() ?? null,
    nextFromUntil: rows[0].next_from_until?.toISOString() ?? null,
  };
}

/**
 * Computed leaderboard pages in Redis, keyed by (version, request key), with a TTL (a
 * {@link VersionedCache}); concurrent misses for one key in this process share one computation.
 * Redis being away costs only the cache: pages are then computed every time.
 */
export class LeaderboardCache<Entry extends { member: MemberView }> {
  private readonly cache: VersionedCache<CachedPage<Entry>>;

  constructor(options: LeaderboardCacheOptions) {
    this.cache = new VersionedCache<CachedPage<Entry>>({
      ...options,
      name: 'leaderboard',
      revive: (page) => {
        for (const entry of page.entries) entry.member.createdAt = new Date(entry.member.createdAt as unknown as string);
        return page;
      },
    });
  }

  /**
   * The page stored or being computed under `version` and `key` when it serves `window`;
   * otherwise `compute`'s page, stored for the next request. Every caller gets its own copy.
   */
  async page(version: string, key: string, window: CacheWindow, compute: () => Promise<CachedPage<Entry>>): Promise<Entry[]> {
    return (await this.cache.get(version, key, (page) => pageServesWindow(page, window), compute)).entries;
  }

  /** Closes the Redis connection (Nest calls it at shutdown). */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** Closes the Redis connection. */
  async close(): Promise<void> {
    await this.cache.close();
  }
}
