import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { SubmissionEntity } from '#libs/hackathons';
import { assertAdminViewer } from '../../graphql/admin-only.decorator.js';
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

/** How the personal fields of a registration fail for the public. */
const ADMIN_FIELD = 'admin token needed (UNAUTHENTICATED without one, FORBIDDEN with another role).';

@Resolver(() => HackathonRegistrationType)
export class HackathonRegistrationResolver {
  @ResolveField(() => MemberObject, { description: 'The registered member (the surviving member when this one was merged).' })
  member(@Parent() registration: { memberId: string }, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(registration.memberId);
  }

  @ResolveField(() => [String], { description: `Skills (free tags: trimmed, lower-case, unique). Personal: ${ADMIN_FIELD}` })
  skills(@Parent() registration: HackathonRegistrationType, @Context() ctx: GqlContext) {
    assertAdminViewer(ctx.viewer, 'HackathonRegistration.skills');
    return registration.skills;
  }

  @ResolveField(() => [String], { description: `Interests (free tags: trimmed, lower-case, unique). Personal: ${ADMIN_FIELD}` })
  interests(@Parent() registration: HackathonRegistrationType, @Context() ctx: GqlContext) {
    assertAdminViewer(ctx.viewer, 'HackathonRegistration.interests');
    return registration.interests;
  }

  @ResolveField(() => [String], { description: `What the member needs (free tags, e.g. "gpu", "mentor"). Personal: ${ADMIN_FIELD}` })
  needs(@Parent() registration: HackathonRegistrationType, @Context() ctx: GqlContext) {
    assertAdminViewer(ctx.viewer, 'HackathonRegistration.needs');
    return registration.needs;
  }

  @ResolveField(() => Boolean, { description: `True when the member agreed to receive e-mails about the event. Personal: ${ADMIN_FIELD}` })
  emailConsent(@Parent() registration: HackathonRegistrationType, @Context() ctx: GqlContext) {
    assertAdminViewer(ctx.viewer, 'HackathonRegistration.emailConsent');
    return registration.emailConsent;
  }
}
