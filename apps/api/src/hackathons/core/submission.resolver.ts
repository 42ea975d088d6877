import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { SubmissionEntity } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { MemberObject } from '../../members/member.type.js';
import { RepositoryObject } from '../../repositories/repository.type.js';
import { HackathonLoadersFactory } from './hackathon-loaders.js';
import { HackathonRegistrationType } from './registration.type.js';
import { SubmissionPullRequestType, SubmissionType } from './submission.type.js';
import { TeamType } from './team.type.js';
import { HackathonRules } from '../hackathon-access.rules.js';
import { Access } from '../../graphql/access/access.decorator.js';

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
const ADMIN_FIELD = 'the registered member themself, an organiser of the hackathon or an admin (UNAUTHENTICATED without credentials, FORBIDDEN otherwise).';

@Resolver(() => HackathonRegistrationType)
export class HackathonRegistrationResolver {
  @ResolveField(() => MemberObject, { description: 'The registered member (the surviving member when this one was merged).' })
  member(@Parent() registration: { memberId: string }, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(registration.memberId);
  }

  @Access(HackathonRules.registrationPersonal)
  @ResolveField(() => [String], { description: `Skills (free tags: trimmed, lower-case, unique). Personal: ${ADMIN_FIELD}` })
  skills(@Parent() registration: HackathonRegistrationType) {
    return registration.skills;
  }

  @Access(HackathonRules.registrationPersonal)
  @ResolveField(() => [String], { description: `Interests (free tags: trimmed, lower-case, unique). Personal: ${ADMIN_FIELD}` })
  interests(@Parent() registration: HackathonRegistrationType) {
    return registration.interests;
  }

  @Access(HackathonRules.registrationPersonal)
  @ResolveField(() => [String], { description: `What the member needs (free tags, e.g. "gpu", "mentor"). Personal: ${ADMIN_FIELD}` })
  needs(@Parent() registration: HackathonRegistrationType) {
    return registration.needs;
  }

  @Access(HackathonRules.registrationPersonal)
  @ResolveField(() => Boolean, { description: `True when the member agreed to receive e-mails about the event. Personal: ${ADMIN_FIELD}` })
  emailConsent(@Parent() registration: HackathonRegistrationType) {
    return registration.emailConsent;
  }
}
