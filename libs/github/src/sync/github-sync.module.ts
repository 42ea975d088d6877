import { Module } from '@nestjs/common';
import { MembersModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { GithubClientModule } from '../client/github-client.module.js';
import { EcosystemModule } from '../ecosystem/ecosystem.module.js';
import { EcosystemSyncService } from './ecosystem-sync.service.js';
import { RepositoryDiscoveryService } from './repository-discovery.service.js';
import { RepositorySyncService } from './repository-sync.service.js';
import { ResourceWriter } from './resource-writer.service.js';
import { SyncHealthService } from './sync-health.service.js';
import { SyncProgressService } from './sync-progress.service.js';
import { SyncSchedulerService } from './sync-scheduler.service.js';
import { SyncStateStore } from './sync-state.store.js';

/**
 * The GitHub REST sync: discovery, per-repository sync, progress and health, and the producer of
 * `github-sync` jobs. Needs ConfigModule (global) and DatabaseModule in the application.
 */
@Module({
  imports: [EcosystemModule, MembersModule, GithubClientModule, QueueModule],
  providers: [
    RepositoryDiscoveryService,
    RepositorySyncService,
    ResourceWriter,
    SyncStateStore,
    SyncProgressService,
    SyncHealthService,
    SyncSchedulerService,
    EcosystemSyncService,
  ],
  exports: [
    EcosystemModule,
    RepositoryDiscoveryService,
    RepositorySyncService,
    SyncProgressService,
    SyncHealthService,
    SyncSchedulerService,
    EcosystemSyncService,
  ],
})
export class GithubSyncModule {}
