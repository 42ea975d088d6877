import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { SyncHealthCache } from '#libs/github';
import { metricsRegistry, withinMs } from '#libs/observability';

/** A scrape waits at most this long for Redis before leaving the profile sync figures out. */
const PROFILE_SCRAPE_TIMEOUT_MS = 1000;

const NAMES = [
  'cambrian_profile_sync_requests',
  'cambrian_profile_sync_profiles_written',
  'cambrian_profile_sync_failing',
  'cambrian_profile_sync_last_success_age_seconds',
] as const;

/**
 * Registers the profile sync's health (the `sync-profiles` job; `SyncHealthCache.forProfiles`),
 * read from Redis at every scrape:
 * - `cambrian_profile_sync_requests{answer="any"|"not_modified"}`: "Get a user" requests of every
 *   run, and of them the `304 Not Modified` answers (free of rate limit);
 * - `cambrian_profile_sync_profiles_written`: profiles answered `200` or a new `404` (rows written);
 * - `cambrian_profile_sync_failing`: 1 when the latest run failed, else 0;
 * - `cambrian_profile_sync_last_success_age_seconds`: seconds since the latest successful run
 *   (left out before the first).
 * When Redis does not answer within a second the scrape leaves them out rather than report zeros.
 */
@Injectable()
export class ProfileSyncObserver implements OnModuleInit {
  constructor(private readonly cache: SyncHealthCache) {}

  onModuleInit(): void {
    for (const name of NAMES) if (metricsRegistry.getSingleMetric(name)) metricsRegistry.removeSingleMetric(name);
    const cache = this.cache;
    let health: Promise<Awaited<ReturnType<SyncHealthCache['forProfiles']>> | null> | null = null;
    // the four gauges share one Redis read per scrape
    const read = () => {
      health ??= withinMs(cache.forProfiles(), PROFILE_SCRAPE_TIMEOUT_MS)
        .catch(() => null)
        .finally(() => setImmediate(() => (health = null)));
      return health;
    };
    new Gauge({
      name: 'cambrian_profile_sync_requests',
      help: 'GitHub "Get a user" requests of the profile sync, every run: any answer, and 304 Not Modified ones',
      labelNames: ['answer'] as const,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const figures = await read();
        if (!figures) return;
        this.set({ answer: 'any' }, figures.requests);
        this.set({ answer: 'not_modified' }, figures.notModified);
      },
    });
    new Gauge({
      name: 'cambrian_profile_sync_profiles_written',
      help: 'Profiles the profile sync wrote (answered 200, or 404 for the first time), every run',
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const figures = await read();
        if (figures) this.set(figures.items);
      },
    });
    new Gauge({
      name: 'cambrian_profile_sync_failing',
      help: 'Whether the latest profile sync run failed (1) or not (0)',
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const figures = await read();
        if (figures) this.set(figures.status === 'failed' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'cambrian_profile_sync_last_success_age_seconds',
      help: 'Seconds since the latest successful profile sync run (absent before the first)',
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const figures = await read();
        if (figures?.lastSuccessAt) this.set(Math.max(0, (Date.now() - figures.lastSuccessAt.getTime()) / 1000));
      },
    });
  }
}
