import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { TeamEntity, TeamMemberView } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { MemberObject } from '../../members/member.type.js';
import { HackathonLoadersFactory } from './hackathon-loaders.js';
import { HackathonType } from './hackathon.type.js';
import { SubmissionType } from './submission.type.js';
import { TeamMemberType, TeamType } from './team.type.js';
import { HackathonRules } from '../hackathon-access.rules.js';
import { Access } from '../../graphql/access/access.decorator.js';
import { visibleSubmissions } from './submission-visibility.js';

@Resolver(() => TeamType)
export class TeamResolver {
  constructor(private readonly loaders: HackathonLoadersFactory) {}

  @ResolveField(() => HackathonType, { description: 'The hackathon of the team.' })
  hackathon(@Parent() team: TeamEntity, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).hackathonById.load(team.hackathonId);
  }

  @Access(HackathonRules.teamInviteCode)
  @ResolveField(() => String, {
    nullable: true,
    description: "Invite code: whoever holds it can join the team. Shown to the team's members, the hackathon's organisers and admins (null otherwise).",
  })
  inviteCode(@Parent() team: TeamEntity) {
    return team.inviteCode;
  }

  @ResolveField(() => MemberObject, { nullable: true, description: 'The captain (null only for a team being dissolved).' })
  captain(@Parent() team: TeamEntity, @Context() ctx: GqlContext) {
    return team.captainMemberId ? ctx.loaders.memberById.load(team.captainMemberId) : null;
  }

  @ResolveField(() => [TeamMemberType], { description: 'Members, captain first, then by joining time.' })
  members(@Parent() team: TeamEntity, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).membersByTeamId.load(team.id);
  }

  @Access.public()
  @ResolveField(() => SubmissionType, {
    nullable: true,
    description:
      "The team's submission; null before it submits, and null until the hackathon is FINISHED for everyone but the team's " +
      "members, the hackathon's organisers, admins and the judges assigned to it without a conflict of interest (as Hackathon.submissions).",
  })
  async submission(@Parent() team: TeamEntity, @Context() ctx: GqlContext) {
    const loaders = this.loaders.for(ctx);
    const [submission, hackathon] = await Promise.all([loaders.submissionByTeamId.load(team.id), loaders.hackathonById.load(team.hackathonId)]);
    if (!submission || !hackathon) return null;
    return (await visibleSubmissions(ctx, hackathon.status, [submission]))[0] ?? null;
  }
}

@Resolver(() => TeamMemberType)
export class TeamMemberResolver {
  @ResolveField(() => MemberObject, { description: 'The member (the surviving member when this one was merged).' })
  member(@Parent() member: TeamMemberView, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(member.memberId);
  }
}
