import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { VersionedCache, versionCounterSql } from '../queries/versioned-cache.js';

/** Injection token of the process's {@link FunnelCache}, or null when `FUNNEL_CACHE_SECONDS` is 0. */
export const FUNNEL_CACHE = Symbol('FUNNEL_CACHE');

/**
 * A computed funnel and how long it stays exact as "now" moves on, with the version unchanged:
 * `to` is the instant it was computed for; `validThrough` the last instant of "now" it is the
 * answer for (the first stored instant at or after `to` that can change it), null when none is
 * known (UTC instants, ISO 8601). A funnel with a fixed `to` has no bound: only writes change it.
 */
export interface CachedFunnel<Counts> {
  to: string;
  validThrough: string | null;
  counts: Counts;
}

/** Where funnels are kept, and for how long. */
export interface FunnelCacheOptions {
  redis: Redis;
  /** Prefix of every key (`<QUEUE_PREFIX>:funnel`). */
  keyPrefix: string;
  /** Seconds a funnel stays in Redis (at least 1). */
  ttlSeconds: number;
}

/**
 * The part of a cache key that names the request, without the version: the ecosystem, the
 * resolved filters and the period. A funnel of "now" is named by the UTC day of its computation
 * (so it is never served past that day) and `null` for `to`; a fixed period by its two instants.
 */
export function funnelCacheKey(
  request: { ecosystemId: number; repositoryId: number | null; organizationId: string | null; nonPayingOnly: boolean; from: Date | null; to: Date | null },
  now: Date,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        format: 1,
        ecosystemId: request.ecosystemId,
        repositoryId: request.repositoryId,
        organizationId: request.organizationId?.toLowerCase() ?? null,
        nonPayingOnly: request.nonPayingOnly,
        from: request.from?.toISOString() ?? null,
        to: request.to?.toISOString() ?? null,
        day: request.to ? null : now.toISOString().slice(0, 10),
      }),
    )
    .digest('base64url');
}

/** Whether a value read back from Redis has the shape of a {@link CachedFunnel} of funnel counts. */
export function isCachedFunnel(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { to, validThrough, counts } = value as Record<string, unknown>;
  if (typeof to !== 'string' || Number.isNaN(Date.parse(to))) return false;
  if (validThrough !== null && (typeof validThrough !== 'string' || Number.isNaN(Date.parse(validThrough)))) return false;
  if (typeof counts !== 'object' || counts === null) return false;
  const { entered, lapsed, steps } = counts as Record<string, unknown>;
  return (
    Number.isInteger(entered) &&
    Number.isInteger(lapsed) &&
    Array.isArray(steps) &&
    steps.every((step) => typeof step === 'object' && step !== null && typeof step.stage === 'string' && Number.isInteger(step.reached) && Number.isInteger(step.current))
  );
}

/**
 * Whether `cached`, computed under the same version and key, is the answer at `to`: a funnel of
 * "now" only while `to` has not gone back before its computation nor past `validThrough`.
 */
export function funnelServes(cached: CachedFunnel<unknown>, to: Date, toMoves: boolean): boolean {
  if (!toMoves) return true;
  if (to.getTime() < Date.parse(cached.to)) return false;
  return cached.validThrough === null || to.getTime() <= Date.parse(cached.validThrough);
}

/**
 * The current `stage_version` (migrations 1764900000190, 1764900000200: {@link versionCounterSql}) as `<epoch>.<database>.<counter>`: it changes
 * in the transaction of every write that can change a funnel; the epoch and the database's identity
 * (`DATABASE_IDENTITY_SQL`) tell databases apart, clones included. Read before computing, so a
 * funnel stored under a version is never older than that version.
 */
export async function readStageVersion(dataSource: DataSource): Promise<string> {
  const rows: Array<{ version: string }> = await dataSource.query(versionCounterSql('stage_version'));
  if (!rows.length) throw new Error('stage_version has no row: run the migrations');
  return rows[0].version;
}

/**
 * The first instant at or after `to` at which the funnel of "now" of ecosystem `ecosystemId` can
 * change without a write (UTC; null when there is none). The members' stored instants are the
 * instants of their transitions (first seen, each stage reached, a lapse's start and the return
 * that ends it): one probe of `member_stage_transition (ecosystem_id, at)`. A lapse's start is no
 * activity instant (last contribution + `lapsed.afterWeeks`), and it lies ahead of the evaluation
 * when a later activity is dated in the future (a commit's author date), so activities alone do not
 * bound them. The first activity per repository is an activity instant (one probe of
 * `activity_time`, any ecosystem: conservative); the organisations credited change at
 * affiliations' bounds (probes of `affiliation_starts_at` and `_ends_at`).
 */
export async function nextFunnelChange(dataSource: DataSource, ecosystemId: number, to: Date): Promise<Date | null> {
  const rows: Array<{ next: Date | null }> = await dataSource.query(
    `SELECT least(
       (SELECT min(t.at) FROM member_stage_transition t WHERE t.ecosystem_id = $2 AND t.at >= $1::timestamptz),
       (SELECT min(a.occurred_at) FROM activity a WHERE a.occurred_at >= $1::timestamptz),
       (SELECT min(af.starts_at) FROM affiliation af WHERE af.starts_at >= $1::timestamptz),
       (SELECT min(af.ends_at) FROM affiliation af WHERE af.ends_at >= $1::timestamptz)) AS next`,
    [to.toISOString(), ecosystemId],
  );
  return rows[0]?.next ?? null;
}

/**
 * Computed funnels in Redis, keyed by (`stage_version`, request key), with a TTL (a
 * {@link VersionedCache}); concurrent misses for one key in this process share one computation.
 * Redis being away costs only the cache: funnels are then computed every time, as they are for an
 * entry that is not a funnel's JSON ({@link isCachedFunnel}).
 */
export class FunnelCache<Counts> {
  private readonly cache: VersionedCache<CachedFunnel<Counts>>;

  constructor(options: FunnelCacheOptions) {
    this.cache = new VersionedCache<CachedFunnel<Counts>>({ ...options, name: 'funnel', accepts: isCachedFunnel });
  }

  /**
   * The counts stored or being computed under `version` and `key` when they serve `to`
   * ({@link funnelServes}); otherwise `compute`'s, stored for the next request. Every caller gets its own copy.
   */
  async counts(version: string, key: string, to: Date, toMoves: boolean, compute: () => Promise<CachedFunnel<Counts>>): Promise<Counts> {
    return (await this.cache.get(version, key, (cached) => funnelServes(cached, to, toMoves), compute)).counts;
  }

  /** Closes the Redis connection (Nest calls it at shutdown). */
  async onModuleDestroy(): Promise<void> {
    await this.cache.close();
  }
}
