import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { viewerActor } from '#libs/auth';
import { MatchingReviewService, MatchingRunService } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { HackathonIdArgs, IdArgs, PinArgs, TeamIdArgs, UnpinArgs } from './matching.args.js';
import {
  AllocationObject,
  AllocationPinObject,
  MatchingRunObject,
  PublishMatchingRunPayload,
  StartMatchingRunPayload,
  TeamExplanationObject,
  TeamNotificationObject,
} from './matching.types.js';
import { HackathonRules } from '../hackathon-access.rules.js';
import { Access } from '../../graphql/access/access.decorator.js';

/**
 * Matching runs: start, read (progress, objective, allocations, per-team explanations), pin and
 * unpin (each re-solves in a new run), publish, and teams' notifications. Admins and organisers of the hackathon;
 * a team sees its own notifications.
 */
@Resolver(() => MatchingRunObject)
export class MatchingRunsResolver {
  constructor(
    private readonly runs: MatchingRunService,
    private readonly review: MatchingReviewService,
  ) {}

  @Access(HackathonRules.manageByMatchingRunId)
  @Query(() => MatchingRunObject, { description: 'A matching run. Admins and organisers of the hackathon. Errors: NOT_FOUND.' })
  matchingRun(@Args() { id }: IdArgs) {
    return this.runs.get(id);
  }

  @Access(HackathonRules.manageByHackathonId)
  @Query(() => [MatchingRunObject], { description: "A hackathon's last 20 matching runs, newest first. Admins and organisers of the hackathon." })
  matchingRuns(@Args() { hackathonId }: HackathonIdArgs) {
    return this.runs.list(hackathonId);
  }

  @Access(HackathonRules.manageByHackathonId)
  @Query(() => [AllocationPinObject], { description: "A hackathon's pins. Admins and organisers of the hackathon." })
  allocationPins(@Args() { hackathonId }: HackathonIdArgs) {
    return this.review.pins(hackathonId);
  }

  @Access(HackathonRules.teamOrOrganizer)
  @Query(() => [TeamNotificationObject], { description: "A team's notifications, newest first (one per published run). Its members, and admins and organisers of the hackathon. Errors: NOT_FOUND." })
  teamNotifications(@Args() { teamId }: TeamIdArgs) {
    return this.review.notifications(teamId);
  }

  @ResolveField(() => [AllocationObject], { description: 'Allocations by team, then resource (empty until the run is a draft).' })
  allocations(@Parent() run: MatchingRunObject) {
    return this.review.allocations(run.id);
  }

  @ResolveField(() => [TeamExplanationObject], { description: 'Per-team explanations by team name (empty until the run is a draft).' })
  async explanations(@Parent() run: MatchingRunObject) {
    return (await this.review.explanations(run.id)).map((view) => ({
      teamId: view.teamId,
      teamName: view.teamName,
      text: view.text,
      received: view.explanation.received,
      shortfalls: [
        ...view.explanation.shortfalls,
        ...(view.explanation.ineligible ?? []).map((i) => ({ resourceId: i.resourceId, rank: i.rank, wanted: 0, got: 0, reason: i.reason })),
      ].sort((a, b) => a.rank - b.rank),
    }));
  }

  @Access(HackathonRules.manageByHackathonId)
  @Mutation(() => StartMatchingRunPayload, {
    description:
      'Starts a matching run of a hackathon (a background job: build the min-cost-flow problem from resources, requests and pins, ' +
      'solve it exactly, store a draft). While a run is queued or running, returns that one with created: false. Admins and organisers of the hackathon. ' +
      'Errors: NOT_FOUND (unknown hackathon).',
  })
  startMatchingRun(@Args() { hackathonId }: HackathonIdArgs, @Context() ctx: GqlContext) {
    return this.runs.start(hackathonId, { startedBy: ctx.viewer.tokenId ?? viewerActor(ctx.viewer) });
  }

  @Access(HackathonRules.manageByTeamId)
  @Mutation(() => StartMatchingRunPayload, {
    description:
      'Fixes units of a resource for a team (0: nothing from it) and re-solves the rest around the pins in a new run whose draft ' +
      'supersedes the current one. Admins and organisers of the hackathon. Errors: BAD_USER_INPUT (above the per-team maximum or the capacity), NOT_FOUND.',
  })
  pinAllocation(@Args() args: PinArgs, @Context() ctx: GqlContext) {
    return this.review.pin(args, ctx.viewer.tokenId ?? viewerActor(ctx.viewer));
  }

  @Access(HackathonRules.manageByTeamId)
  @Mutation(() => StartMatchingRunPayload, { description: 'Removes a pin and re-solves in a new run. Admins and organisers of the hackathon. Errors: NOT_FOUND (team, resource or pin).' })
  unpinAllocation(@Args() args: UnpinArgs, @Context() ctx: GqlContext) {
    return this.review.unpin(args, ctx.viewer.tokenId ?? viewerActor(ctx.viewer));
  }

  @Access(HackathonRules.manageByMatchingRunId)
  @Mutation(() => PublishMatchingRunPayload, {
    description:
      "Publishes a draft run: it becomes the hackathon's one PUBLISHED run (an earlier publication is SUPERSEDED) and each team of the " +
      'run gets one notification. Publishing it again notifies nobody. Admins and organisers of the hackathon. Errors: NOT_FOUND, CONFLICT (not a draft).',
  })
  publishMatchingRun(@Args() { id }: IdArgs, @Context() ctx: GqlContext) {
    return this.review.publish(id, ctx.viewer.tokenId ?? viewerActor(ctx.viewer));
  }
}
