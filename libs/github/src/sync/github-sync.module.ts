import { Module } from '@nestjs/common';
import { MembersModule, OrganizationsModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { GithubClientModule } from '../client/github-client.module.js';
import { EcosystemModule } from '../ecosystem/ecosystem.module.js';
import { ProfileSyncService } from '../profiles/profile-sync.service.js';
import { EcosystemSyncService } from './ecosystem-sync.service.js';
import { RepositoryDiscoveryService } from './repository-discovery.service.js';
import { CommitWriter } from './commit-writer.service.js';
import { ListingPlans } from './listing-plans.js';
import { ListingSync } from './listing-sync.service.js';
import { PullDetailsSync } from './pull-details-sync.service.js';
import { PullRequestWriter } from './pull-request-writer.service.js';
import { RepositorySyncService } from './repository-sync.service.js';
import { ResourceWriter } from './resource-writer.service.js';
import { ReviewSync } from './review-sync.service.js';
import { StargazerSync } from './stargazer-sync.service.js';
import { SyncHealthModule } from './sync-health.module.js';
import { SyncSchedulerService } from './sync-scheduler.service.js';
import { SyncStateStore } from './sync-state.store.js';

/**
 * The GitHub REST sync: discovery, per-repository sync, members' profiles (for `profile`
 * affiliations), progress and health, and the producer of `github-sync` jobs. Needs ConfigModule
 * (global) and DatabaseModule in the application.
 */
@Module({
  imports: [EcosystemModule, MembersModule, OrganizationsModule, GithubClientModule, QueueModule, SyncHealthModule],
  providers: [
    RepositoryDiscoveryService,
    RepositorySyncService,
    ResourceWriter,
    CommitWriter,
    PullRequestWriter,
    PullDetailsSync,
    ListingSync,
    ListingPlans,
    ReviewSync,
    StargazerSync,
    SyncStateStore,
    SyncSchedulerService,
    EcosystemSyncService,
    ProfileSyncService,
  ],
  exports: [
    EcosystemModule,
    RepositoryDiscoveryService,
    RepositorySyncService,
    SyncHealthModule,
    SyncSchedulerService,
    EcosystemSyncService,
    ProfileSyncService,
  ],
})
export class GithubSyncModule {}
