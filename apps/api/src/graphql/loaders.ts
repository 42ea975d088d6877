import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { isAdminViewer, type Viewer } from '#libs/auth';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
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

/**
 * Builds a request's {@link Loaders} over the read-model services. With `GRAPHQL_DATALOADERS=off`
 * (see the config schema) each loader fetches every key with a query of its own and caches
 * nothing: the same answers at the cost resolvers would have without DataLoader.
 */
@Injectable()
export class LoadersFactory {
  private readonly batching: boolean;

  constructor(
    private readonly members: MemberQueryService,
    private readonly repositories: RepositoryQueryService,
    private readonly ecosystems: EcosystemQueryService,
    private readonly syncHealth: SyncHealthService,
    @Inject(CAMBRIAN_CONFIG) config: Pick<CambrianConfig, 'GRAPHQL_DATALOADERS'>,
  ) {
    this.batching = config.GRAPHQL_DATALOADERS !== 'off';
  }

  create(viewer: Viewer): Loaders {
    const includeEmails = isAdminViewer(viewer);
    const recent = new Map<number, DataLoader<string, ActivityView[]>>();
    const loader = <K, V>(batch: DataLoader.BatchLoadFn<K, V>) =>
      this.batching ? new DataLoader(batch) : new DataLoader(batch, { batch: false, cache: false });
    return {
      memberById: loader((ids: readonly string[]) => this.members.byIds(ids)),
      repositoryById: loader((ids: readonly number[]) => this.repositories.byIds(ids)),
      identitiesByMemberId: loader((ids: readonly string[]) => this.members.identitiesByMemberIds(ids, { includeEmails })),
      recentActivitiesByMemberId: (first) => {
        let found = recent.get(first);
        if (!found) {
          found = loader((ids: readonly string[]) => this.members.recentActivitiesByMemberIds(ids, first));
          recent.set(first, found);
        }
        return found;
      },
      trackedSourcesByEcosystemId: loader((ids: readonly number[]) => this.ecosystems.trackedSourcesByEcosystemIds(ids)),
      repositoryCountByEcosystemId: loader((ids: readonly number[]) => this.ecosystems.repositoryCountsByEcosystemIds(ids)),
      syncHealthByRepositoryId: loader((ids: readonly number[]) => this.syncHealth.byRepositoryIds(ids)),
    };
  }
}
