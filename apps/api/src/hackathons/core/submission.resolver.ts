import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { SubmissionEntity } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { MemberObject } from '../../members/member.type.js';
import { RepositoryObject } from '../../repositories/repository.type.js';
import { HackathonLoadersFactory } from './hackathon-loaders.js';
import { HackathonRegistrationType } from './registration.type.js';
import { SubmissionPullRequestType, SubmissionType } from './submission.type.js';
import { TeamType } from './team.type.js';

@Resolver(() => SubmissionType)
export class SubmissionResolver {
  constructor(private readonly loaders: HackathonLoadersFactory) {}

  @ResolveField(() => TeamType, { description: 'The team that submitted.' })
  team(@Parent() submission: SubmissionEntity, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).teamById.load(submission.teamId);
  }

  @ResolveField(() => RepositoryObject, { nullable: true, description: 'The project repository when Cambrian knows it; null otherwise.' })
  repository(@Parent() submission: SubmissionEntity, @Context() ctx: GqlContext) {
    return submission.repositoryId != null ? ctx.loaders.repositoryById.load(submission.repositoryId) : null;
  }

  @ResolveField(() => [SubmissionPullRequestType], { description: 'Linked pull requests, by repository and number.' })
  pullRequests(@Parent() submission: SubmissionEntity, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).pullRequestsBySubmissionId.load(submission.id);
  }
}

@Resolver(() => HackathonRegistrationType)
export class HackathonRegistrationResolver {
  @ResolveField(() => MemberObject, { description: 'The registered member (the surviving member when this one was merged).' })
  member(@Parent() registration: { memberId: string }, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(registration.memberId);
  }
}
