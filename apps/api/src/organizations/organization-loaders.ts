import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import {
  AffiliationService,
  ContributionCreditService,
  OrganizationService,
  type AffiliationView,
  type OrganizationView,
} from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';

/** The organisation DataLoaders of one request. */
export interface OrganizationLoaders {
  organizationById: DataLoader<string, OrganizationView | null>;
  affiliationsByMemberId: DataLoader<string, AffiliationView[]>;
  /** The organisation an activity (by id) is credited to, or null. */
  organizationIdByActivityId: DataLoader<string, string | null>;
  /** Credited contributions per organisation for one period (key: `since|until` ISO strings). */
  contributionCount(since: Date | null, until: Date | null): DataLoader<string, number>;
}

/**
 * Creates the organisation loaders of a request on first use and keeps them with that request's
 * context (so every resolver of the request shares one batch per loader).
 */
@Injectable()
export class OrganizationLoadersFactory {
  private readonly byContext = new WeakMap<GqlContext, OrganizationLoaders>();

  constructor(
    private readonly organizations: OrganizationService,
    private readonly affiliations: AffiliationService,
    private readonly credit: ContributionCreditService,
  ) {}

  /** The loaders of the request `ctx` belongs to. */
  for(ctx: GqlContext): OrganizationLoaders {
    let loaders = this.byContext.get(ctx);
    if (!loaders) {
      const counts = new Map<string, DataLoader<string, number>>();
      loaders = {
        organizationById: new DataLoader((ids) => this.organizations.byIds(ids)),
        affiliationsByMemberId: new DataLoader((ids) => this.affiliations.byMemberIds(ids)),
        organizationIdByActivityId: new DataLoader(async (ids) => {
          const credited = await this.credit.organizationsForActivities(ids);
          return ids.map((id) => credited.get(id) ?? null);
        }),
        contributionCount: (since, until) => {
          const key = `${since?.toISOString() ?? ''}|${until?.toISOString() ?? ''}`;
          let loader = counts.get(key);
          if (!loader) {
            loader = new DataLoader((ids) => this.credit.contributionCounts(ids, { since, until }));
            counts.set(key, loader);
          }
          return loader;
        },
      };
      this.byContext.set(ctx, loaders);
    }
    return loaders;
  }
}
