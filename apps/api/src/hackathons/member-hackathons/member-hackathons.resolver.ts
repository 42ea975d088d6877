import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { MemberHackathonView } from '#libs/hackathons';
import { Access } from '../../graphql/access/access.decorator.js';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { MemberObject } from '../../members/member.type.js';
import { HackathonLoadersFactory } from '../core/hackathon-loaders.js';
import { HackathonType } from '../core/hackathon.type.js';
import { SubmissionType } from '../core/submission.type.js';
import { visibleSubmissions } from '../core/submission-visibility.js';
import { TeamType } from '../core/team.type.js';
import { HackathonRules } from '../hackathon-access.rules.js';
import { MemberHackathonLoadersFactory } from './member-hackathon-loaders.js';
import {
  MemberHackathonAllocationObject,
  MemberHackathonObject,
  MemberHackathonRegistrationStatusEnum,
  MemberHackathonResultObject,
} from './member-hackathon.type.js';

function toObject(view: MemberHackathonView): MemberHackathonObject {
  return {
    ...view,
    status: view.withdrawnAt ? MemberHackathonRegistrationStatusEnum.WITHDRAWN : MemberHackathonRegistrationStatusEnum.REGISTERED,
  };
}

/** `Member.hackathons`, kept apart from the member resolver; its loaders live per request. */
@Resolver(() => MemberObject)
export class MemberHackathonsResolver {
  constructor(private readonly loaders: MemberHackathonLoadersFactory) {}

  @Access(HackathonRules.memberHackathons)
  @ResolveField(() => [MemberHackathonObject], {
    nullable: true,
    description:
      'The hackathons the member registered for, standing and withdrawn registrations alike, newest event start first ' +
      '(then newest registration): one per hackathon, registrations of members merged into this one included; a member ' +
      'merged into another has none (they are the survivor’s). Each with the team, its submission, the published result ' +
      '(once the hackathon is FINISHED) and the allocations of the published matching run. Who may read it: admins and ' +
      'the member themself see all; an organiser sees the hackathons they organise (or of the ecosystems they organise); ' +
      'anyone else is refused: UNAUTHENTICATED without credentials, FORBIDDEN otherwise (the field is then null).',
  })
  async hackathons(@Parent() member: MemberObject, @Context() ctx: GqlContext): Promise<MemberHackathonObject[]> {
    const all = (await this.loaders.for(ctx).byMemberId.load(member.id)).map(toObject);
    if (ctx.access.isAdmin || (await ctx.access.isSelf(member.id))) return all;
    const shown: MemberHackathonObject[] = [];
    for (const entry of all) {
      if (await ctx.access.organizes({ hackathonId: entry.hackathonId, ecosystemId: entry.ecosystemId })) shown.push(entry);
    }
    return shown;
  }
}

/** The fields of a `MemberHackathon` that load rows: hackathon, team, submission, result, allocations. */
@Resolver(() => MemberHackathonObject)
export class MemberHackathonResolver {
  constructor(
    private readonly hackathonLoaders: HackathonLoadersFactory,
    private readonly loaders: MemberHackathonLoadersFactory,
  ) {}

  @ResolveField(() => HackathonType, { description: 'The hackathon.' })
  hackathon(@Parent() entry: MemberHackathonObject, @Context() ctx: GqlContext) {
    return this.hackathonLoaders.for(ctx).hackathonById.load(entry.hackathonId);
  }

  @ResolveField(() => TeamType, { nullable: true, description: "The member's team in the hackathon; null without one." })
  team(@Parent() entry: MemberHackathonObject, @Context() ctx: GqlContext) {
    return entry.teamId ? this.hackathonLoaders.for(ctx).teamById.load(entry.teamId) : null;
  }

  @ResolveField(() => SubmissionType, {
    nullable: true,
    description: "The team's submission; null without one, and for viewers Team.submission would not show it to.",
  })
  async submission(@Parent() entry: MemberHackathonObject, @Context() ctx: GqlContext) {
    if (!entry.teamId) return null;
    const submission = await this.hackathonLoaders.for(ctx).submissionByTeamId.load(entry.teamId);
    return submission ? ((await visibleSubmissions(ctx, entry.hackathonStatus, [submission]))[0] ?? null) : null;
  }

  @ResolveField(() => MemberHackathonResultObject, {
    nullable: true,
    description: "The team's published judging result: null before the hackathon is FINISHED and without a submission.",
  })
  result(@Parent() entry: MemberHackathonObject, @Context() ctx: GqlContext) {
    return entry.submissionId ? this.loaders.for(ctx).resultBySubmission.load({ ...entry, submissionId: entry.submissionId }) : null;
  }

  @ResolveField(() => [MemberHackathonAllocationObject], {
    description: "What the hackathon's published matching run gives the member's team, by resource name; empty without a team or before publication.",
  })
  allocations(@Parent() entry: MemberHackathonObject, @Context() ctx: GqlContext) {
    return entry.teamId ? this.loaders.for(ctx).allocationsByTeamId.load(entry.teamId) : [];
  }
}
