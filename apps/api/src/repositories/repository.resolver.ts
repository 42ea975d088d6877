import { Args, Query, Resolver } from '@nestjs/graphql';
import { RepositoryQueryService } from '#libs/members';
import { RepositoriesArgs } from './repositories.args.js';
import { RepositoryObject } from './repository.type.js';

@Resolver(() => RepositoryObject)
export class RepositoryResolver {
  constructor(private readonly repositoryQueries: RepositoryQueryService) {}

  @Query(() => [RepositoryObject], {
    description: 'Tracked repositories by full name (case-insensitive). Errors: NOT_FOUND for an unknown ecosystem.',
  })
  repositories(@Args() { ecosystem }: RepositoriesArgs) {
    return this.repositoryQueries.list({ ecosystemSlug: ecosystem });
  }
}
