import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { QueryException, QueryExceptionCode, RepositoryQueryService } from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';
import { RepositoriesArgs, RepositoryArgs } from './repositories.args.js';
import { RepositoryObject } from './repository.type.js';
import { RepositorySyncHealthObject } from './sync-health.type.js';
import { Access } from '../graphql/access/access.decorator.js';

@Resolver(() => RepositoryObject)
export class RepositoryResolver {
  constructor(private readonly repositoryQueries: RepositoryQueryService) {}

  @Access.public()
  @Query(() => [RepositoryObject], {
    description:
      'Tracked repositories by full name (case-insensitive), all of them or one page (first, offset; the ecosystem\'s ' +
      'repositoryCount is the total). Errors: NOT_FOUND for an unknown ecosystem; BAD_USER_INPUT for first outside 1–100 or a negative offset.',
  })
  repositories(@Args() { ecosystem, first, offset }: RepositoriesArgs) {
    return this.repositoryQueries.list({ ecosystemSlug: ecosystem }, { first, offset });
  }

  @Access.public()
  @Query(() => RepositoryObject, {
    description: 'One tracked repository, by GitHub id or "owner/name". Errors: BAD_USER_INPUT (malformed ref), NOT_FOUND (unknown).',
  })
  async repository(@Args() { ref }: RepositoryArgs) {
    const [repository] = await this.repositoryQueries.byIds([await this.repositoryQueries.resolveRef(ref)]);
    if (!repository) throw new QueryException(`No tracked repository "${ref}"`, QueryExceptionCode.NOT_FOUND);
    return repository;
  }

  @ResolveField(() => RepositorySyncHealthObject, {
    description:
      "Health of this repository's GitHub sync per resource (last success, cursor age, requests, 304 share, errors) and totals; public.",
  })
  syncHealth(@Parent() repository: RepositoryObject, @Context() ctx: GqlContext) {
    return ctx.loaders.syncHealthByRepositoryId.load(repository.id);
  }
}
