import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { isAdminViewer, type Viewer } from '#libs/auth';
import { SyncHealthService, type RepositorySyncHealth } from '#libs/github';
import {
  EcosystemQueryService,
  MemberQueryService,
  RepositoryQueryService,
  type ActivityView,
  type IdentityView,
  type MemberView,
  type RepositoryView,
  type TrackedSourceView,
} from '#libs/members';

/**
 * Batching loaders of one request: every field resolved through them costs one query per
 * field per request, whatever the page size (no N+1). Created per request, so nothing is
 * cached across requests or viewers.
 */
export interface Loaders {
  memberById: DataLoader<string, MemberView | null>;
  repositoryById: DataLoader<number, RepositoryView | null>;
  /** E-mail identities are included only for an admin viewer (the read model decides). */
  identitiesByMemberId: DataLoader<string, IdentityView[]>;
  /** The `first` newest activities per member; one loader per distinct `first` in the request. */
  recentActivitiesByMemberId(first: number): DataLoader<string, ActivityView[]>;
  trackedSourcesByEcosystemId: DataLoader<number, TrackedSourceView[]>;
  repositoryCountByEcosystemId: DataLoader<number, number>;
  /** Sync health of repositories (one `sync_state` query per request). */
  syncHealthByRepositoryId: DataLoader<number, RepositorySyncHealth>;
}

/** Builds a request's {@link Loaders} over the read-model services. */
@Injectable()
export class LoadersFactory {
  constructor(
    private readonly members: MemberQueryService,
    private readonly repositories: RepositoryQueryService,
    private readonly ecosystems: EcosystemQueryService,
    private readonly syncHealth: SyncHealthService,
  ) {}

  create(viewer: Viewer): Loaders {
    const includeEmails = isAdminViewer(viewer);
    const recent = new Map<number, DataLoader<string, ActivityView[]>>();
    return {
      memberById: new DataLoader((ids) => this.members.byIds(ids)),
      repositoryById: new DataLoader((ids) => this.repositories.byIds(ids)),
      identitiesByMemberId: new DataLoader((ids) => this.members.identitiesByMemberIds(ids, { includeEmails })),
      recentActivitiesByMemberId: (first) => {
        let loader = recent.get(first);
        if (!loader) {
          loader = new DataLoader((ids) => this.members.recentActivitiesByMemberIds(ids, first));
          recent.set(first, loader);
        }
        return loader;
      },
      trackedSourcesByEcosystemId: new DataLoader((ids) => this.ecosystems.trackedSourcesByEcosystemIds(ids)),
      repositoryCountByEcosystemId: new DataLoader((ids) => this.ecosystems.repositoryCountsByEcosystemIds(ids)),
      syncHealthByRepositoryId: new DataLoader((ids) => this.syncHealth.byRepositoryIds(ids)),
    };
  }
}
