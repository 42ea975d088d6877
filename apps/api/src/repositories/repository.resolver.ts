import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RepositoryQueryService } from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';
import { RepositoriesArgs } from './repositories.args.js';
import { RepositoryObject } from './repository.type.js';
import { RepositorySyncHealthObject } from './sync-health.type.js';
import { Access } from '../graphql/access/access.decorator.js';

@Resolver(() => RepositoryObject)
export class RepositoryResolver {
  constructor(private readonly repositoryQueries: RepositoryQueryService) {}

  @Access.public()
  @Query(() => [RepositoryObject], {
    description: 'Tracked repositories by full name (case-insensitive). Errors: NOT_FOUND for an unknown ecosystem.',
  })
  repositories(@Args() { ecosystem }: RepositoriesArgs) {
    return this.repositoryQueries.list({ ecosystemSlug: ecosystem });
  }

  @ResolveField(() => RepositorySyncHealthObject, {
    description:
      "Health of this repository's GitHub sync per resource (last success, cursor age, requests, 304 share, errors) and totals; public.",
  })
  syncHealth(@Parent() repository: RepositoryObject, @Context() ctx: GqlContext) {
    return ctx.loaders.syncHealthByRepositoryId.load(repository.id);
  }
}
