import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { SyncHealthCache } from './sync-health-cache.js';
import { SyncHealthService } from './sync-health.service.js';
import { SyncProgressService } from './sync-progress.service.js';

/**
 * Sync health and progress read models (`sync_state` merged with its Redis half), and the
 * {@link SyncHealthCache} writers share (`REDIS_URL`, keys under `<QUEUE_PREFIX>:sync-health`).
 * Needs ConfigModule (global) and DatabaseModule in the application.
 */
@Module({
  providers: [
    {
      provide: SyncHealthCache,
      inject: [CAMBRIAN_CONFIG],
      useFactory: (config: CambrianConfig) => SyncHealthCache.fromConfig(config),
    },
    SyncHealthService,
    SyncProgressService,
  ],
  exports: [SyncHealthCache, SyncHealthService, SyncProgressService],
})
export class SyncHealthModule implements OnModuleDestroy {
  constructor(@Inject(SyncHealthCache) private readonly cache: SyncHealthCache) {}

  /** Closes the cache's Redis connection. */
  async onModuleDestroy(): Promise<void> {
    await this.cache.close();
  }
}
