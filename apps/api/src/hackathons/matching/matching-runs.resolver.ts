import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { viewerActor } from '#libs/auth';
import { MatchingReviewService, MatchingRunService } from '#libs/hackathons';
import { AdminOnly } from '../../graphql/admin-only.decorator.js';
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

/**
 * Matching runs: start, read (progress, objective, allocations, per-team explanations), pin and
 * unpin (each re-solves in a new run), publish, and teams' notifications. Admin-only for now:
 * drafts are for organisers (member roles are a later issue).
 */
@Resolver(() => MatchingRunObject)
export class MatchingRunsResolver {
  constructor(
    private readonly runs: MatchingRunService,
    private readonly review: MatchingReviewService,
  ) {}

  @AdminOnly()
  @Query(() => MatchingRunObject, { description: 'A matching run. Admin token needed. Errors: NOT_FOUND.' })
  matchingRun(@Args() { id }: IdArgs) {
    return this.runs.get(id);
  }

  @AdminOnly()
  @Query(() => [MatchingRunObject], { description: "A hackathon's last 20 matching runs, newest first. Admin token needed." })
  matchingRuns(@Args() { hackathonId }: HackathonIdArgs) {
    return this.runs.list(hackathonId);
  }

  @AdminOnly()
  @Query(() => [AllocationPinObject], { description: "A hackathon's pins. Admin token needed." })
  allocationPins(@Args() { hackathonId }: HackathonIdArgs) {
    return this.review.pins(hackathonId);
  }

  @AdminOnly()
  @Query(() => [TeamNotificationObject], { description: "A team's notifications, newest first (one per published run). Admin token needed. Errors: NOT_FOUND." })
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

  @AdminOnly()
  @Mutation(() => StartMatchingRunPayload, {
    description:
      'Starts a matching run of a hackathon (a background job: build the min-cost-flow problem from resources, requests and pins, ' +
      'solve it exactly, store a draft). While a run is queued or running, returns that one with created: false. Admin token needed. ' +
      'Errors: NOT_FOUND (unknown hackathon).',
  })
  startMatchingRun(@Args() { hackathonId }: HackathonIdArgs, @Context() ctx: GqlContext) {
    return this.runs.start(hackathonId, { startedBy: ctx.viewer.tokenId ?? viewerActor(ctx.viewer) });
  }

  @AdminOnly()
  @Mutation(() => StartMatchingRunPayload, {
    description:
      'Fixes units of a resource for a team (0: nothing from it) and re-solves the rest around the pins in a new run whose draft ' +
      'supersedes the current one. Admin token needed. Errors: BAD_USER_INPUT (above the per-team maximum or the capacity), NOT_FOUND.',
  })
  pinAllocation(@Args() args: PinArgs, @Context() ctx: GqlContext) {
    return this.review.pin(args, ctx.viewer.tokenId ?? viewerActor(ctx.viewer));
  }

  @AdminOnly()
  @Mutation(() => StartMatchingRunPayload, { description: 'Removes a pin and re-solves in a new run. Admin token needed. Errors: NOT_FOUND (team, resource or pin).' })
  unpinAllocation(@Args() args: UnpinArgs, @Context() ctx: GqlContext) {
    return this.review.unpin(args, ctx.viewer.tokenId ?? viewerActor(ctx.viewer));
  }

  @AdminOnly()
  @Mutation(() => PublishMatchingRunPayload, {
    description:
      "Publishes a draft run: it becomes the hackathon's one PUBLISHED run (an earlier publication is SUPERSEDED) and each team of the " +
      'run gets one notification. Publishing it again notifies nobody. Admin token needed. Errors: NOT_FOUND, CONFLICT (not a draft).',
  })
  publishMatchingRun(@Args() { id }: IdArgs, @Context() ctx: GqlContext) {
    return this.review.publish(id, ctx.viewer.tokenId ?? viewerActor(ctx.viewer));
  }
}
