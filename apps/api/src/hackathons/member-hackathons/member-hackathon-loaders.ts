import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { MemberHackathonQueryService, type MemberHackathonView, type PublishedAllocationView, type PublishedResult } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';

/** The DataLoaders of `Member.hackathons` of one request (a page of members costs one query per field). */
export interface MemberHackathonLoaders {
  byMemberId: DataLoader<string, MemberHackathonView[]>;
  /** Keyed by submission id. */
  resultBySubmission: DataLoader<MemberHackathonView & { submissionId: string }, PublishedResult | null, string>;
  allocationsByTeamId: DataLoader<string, PublishedAllocationView[]>;
}

/** Creates a request's member-hackathon loaders on first use and keeps them with that request's context. */
@Injectable()
export class MemberHackathonLoadersFactory {
  private readonly byContext = new WeakMap<GqlContext, MemberHackathonLoaders>();

  constructor(private readonly queries: MemberHackathonQueryService) {}

  /** The loaders of the request `ctx` belongs to. */
  for(ctx: GqlContext): MemberHackathonLoaders {
    let loaders = this.byContext.get(ctx);
    if (!loaders) {
      loaders = {
        byMemberId: new DataLoader((ids) => this.queries.byMemberIds(ids)),
        resultBySubmission: new DataLoader((entries) => this.queries.publishedResults(entries), { cacheKeyFn: (entry) => entry.submissionId }),
        allocationsByTeamId: new DataLoader((ids) => this.queries.publishedAllocationsByTeamIds(ids)),
      };
      this.byContext.set(ctx, loaders);
    }
    return loaders;
  }
}
