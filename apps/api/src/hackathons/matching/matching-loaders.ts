import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { MatchingReviewService, ResourceRequestService, type ResourceRequest, type StoredAllocation } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';

/** The matching DataLoaders of one request (fields of `Team` in a list of teams: one query per field). */
export interface MatchingLoaders {
  requestsByTeamId: DataLoader<string, ResourceRequest[]>;
  publishedAllocationsByTeamId: DataLoader<string, StoredAllocation[]>;
}

/** Creates a request's matching loaders on first use and keeps them with that request's context. */
@Injectable()
export class MatchingLoadersFactory {
  private readonly byContext = new WeakMap<GqlContext, MatchingLoaders>();

  constructor(
    private readonly requests: ResourceRequestService,
    private readonly review: MatchingReviewService,
  ) {}

  /** The loaders of the request `ctx` belongs to. */
  for(ctx: GqlContext): MatchingLoaders {
    let loaders = this.byContext.get(ctx);
    if (!loaders) {
      loaders = {
        requestsByTeamId: new DataLoader((ids) => this.requests.byTeamIds(ids)),
        publishedAllocationsByTeamId: new DataLoader((ids) => this.review.publishedAllocationsByTeamIds(ids)),
      };
      this.byContext.set(ctx, loaders);
    }
    return loaders;
  }
}
