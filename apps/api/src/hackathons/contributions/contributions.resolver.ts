import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { viewerActor } from '#libs/auth';
import {
  ContributionFreezeService,
  ContributionRetentionService,
  ContributionTrackingService,
  type ContributionOverride,
  type ContributionView,
} from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { HackathonType } from '../core/hackathon.type.js';
import { TeamType } from '../core/team.type.js';
import { HackathonRefArgs, OverrideContributionArgs, RevokeContributionOverrideArgs } from './contributions.args.js';
import {
  ContributionChangeType,
  ContributionCountType,
  ContributionFreezeType,
  ContributionOverrideType,
  ContributionType,
  HackathonRetentionType,
} from './contribution.type.js';
import { ACCESS_ERRORS, HackathonRules } from '../hackathon-access.rules.js';
import { Access } from '../../graphql/access/access.decorator.js';

/** Contributions of one hackathon computed once per request (team fields share them). */
const perRequest = new WeakMap<object, Map<string, Promise<ContributionView[]>>>();

const toOverride = (override: ContributionOverride): ContributionOverrideType => ({ ...override, key: override.subjectKey });

function toContribution(view: ContributionView): ContributionType {
  return {
    key: view.subjectKey,
    kind: view.kind,
    repositoryId: String(view.repositoryId),
    repository: view.repositoryFullName,
    number: view.pullRequestNumber,
    memberId: view.memberId,
    login: view.memberLogin,
    teamId: view.teamId,
    team: view.teamName,
    occurredAt: view.occurredAt,
    eligible: view.eligible,
    ruleEligible: view.ruleEligible,
    reason: view.reason,
    detail: view.detail,
    frozen: view.frozen,
    overridden: view.override !== null,
    override: view.override ? toOverride(view.override) : null,
    facts: { ...view.facts, occurredAt: new Date(view.facts.occurredAt) },
  };
}

const ADMIN = 'Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role.';


/** Contribution fields of Hackathon, and the override mutations. */
@Resolver(() => HackathonType)
export class HackathonContributionsResolver {
  constructor(
    private readonly tracking: ContributionTrackingService,
    private readonly freezes: ContributionFreezeService,
    private readonly retentions: ContributionRetentionService,
  ) {}

  @ResolveField(() => [ContributionType], {
    description:
      'Pull requests and reviews of participants inside the window, eligible or not, oldest first: evaluated from the live data ' +
      '(webhooks, sync, GH Archive; one per pull request whichever source saw it) until the event closes, then the decisions ' +
      'frozen at close. Overrides apply in both cases.',
  })
  async contributions(@Parent() hackathon: HackathonType, @Context() ctx: GqlContext) {
    return (await contributionsOf(this.tracking, hackathon.id, ctx)).map(toContribution);
  }

  @ResolveField(() => [ContributionCountType], { description: 'Eligible contributions per team (every team listed), most first.' })
  contributionCountsByTeam(@Parent() hackathon: HackathonType) {
    return this.tracking.countsByTeam(hackathon.id);
  }

  @ResolveField(() => [ContributionCountType], { description: 'Eligible contributions per participant with at least one, most first.' })
  contributionCountsByParticipant(@Parent() hackathon: HackathonType) {
    return this.tracking.countsByParticipant(hackathon.id);
  }

  @ResolveField(() => [ContributionChangeType], {
    description: 'Changes found after the freeze, oldest first. They change results only through an organiser\'s override.',
  })
  async contributionChanges(@Parent() hackathon: HackathonType) {
    return (await this.tracking.changes(hackathon.id)).map((change) => ({
      ...change,
      key: change.subjectKey,
      oldFacts: change.oldFacts ? { ...change.oldFacts, occurredAt: new Date(change.oldFacts.occurredAt) } : null,
      newFacts: change.newFacts ? { ...change.newFacts, occurredAt: new Date(change.newFacts.occurredAt) } : null,
    }));
  }

  @Access(HackathonRules.organizerOfParent)
  @ResolveField(() => [ContributionOverrideType], { description: `Every override, active and revoked, newest first. ${ACCESS_ERRORS.organizer}` })
  async contributionOverrides(@Parent() hackathon: HackathonType) {
    return (await this.tracking.overrides(hackathon.id)).map(toOverride);
  }

  @ResolveField(() => HackathonRetentionType, { description: 'After-event retention of the participants (see HackathonRetention).' })
  retention(@Parent() hackathon: HackathonType) {
    return this.retentions.retention(hackathon.id);
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => ContributionOverrideType, {
    description:
      'Overrides the eligibility of one contribution (replacing an active override); results use it until revoked. Admins and organisers of the hackathon. ' +
      'Errors: BAD_USER_INPUT (empty or overlong reason, malformed key), NOT_FOUND (hackathon, or key not among its contributions).',
  })
  async overrideContribution(@Args() args: OverrideContributionArgs, @Context() ctx: GqlContext) {
    return toOverride(await this.tracking.override(args.hackathon, args.key, args.eligible, args.reason, actorOf(ctx)));
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => ContributionOverrideType, {
    description:
      'Revokes the active override of a contribution: the rules\' decision counts again. Admins and organisers of the hackathon. Errors: BAD_USER_INPUT (reason), ' +
      'NOT_FOUND (hackathon), CONFLICT (no active override).',
  })
  async revokeContributionOverride(@Args() args: RevokeContributionOverrideArgs, @Context() ctx: GqlContext) {
    return toOverride(await this.tracking.revokeOverride(args.hackathon, args.key, args.reason, actorOf(ctx)));
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => ContributionFreezeType, {
    description:
      'Freezes eligibility now if the event has closed (running past its end, or judging/finished; a draft or an event still ' +
      'taking registrations never closes by time) — the scheduled job does the same — or, ' +
      'when already frozen, records changes since. Running it again changes nothing. Admins and organisers of the hackathon. Errors: NOT_FOUND.',
  })
  async freezeContributions(@Args() { hackathon }: HackathonRefArgs) {
    const freeze = await this.freezes.freeze(hackathon);
    const changes = freeze.outcome === 'already-frozen' ? (await this.freezes.reevaluate(hackathon)).changes : 0;
    return { ...freeze, changes };
  }
}

/** `Contribution.override`: the organiser's decision, reason and author (admins only). */
@Resolver(() => ContributionType)
export class ContributionOverrideResolver {
  // admins only: a contribution does not name its hackathon here, so an organiser reads overrides through Hackathon.contributionOverrides
  @Access.admin()
  @ResolveField(() => ContributionOverrideType, { nullable: true, description: `The active override, if any (see overridden). ${ADMIN}` })
  override(@Parent() contribution: ContributionType): ContributionOverrideType | null {
    return contribution.override;
  }
}

/** Contribution counts of a Team. */
@Resolver(() => TeamType)
export class TeamContributionsResolver {
  constructor(private readonly tracking: ContributionTrackingService) {}

  @ResolveField(() => ContributionCountType, { description: 'Eligible contributions of the team\'s members in its hackathon.' })
  async contributionCount(@Parent() team: TeamType, @Context() ctx: GqlContext) {
    const items = (await contributionsOf(this.tracking, team.hackathonId, ctx)).filter((item) => item.teamId === team.id && item.eligible);
    const pullRequests = items.filter((item) => item.kind === 'pull_request').length;
    return { id: team.id, name: team.name, pullRequests, reviews: items.length - pullRequests, total: items.length };
  }
}

function contributionsOf(tracking: ContributionTrackingService, hackathonId: string, ctx: GqlContext): Promise<ContributionView[]> {
  const cache = perRequest.get(ctx) ?? new Map<string, Promise<ContributionView[]>>();
  perRequest.set(ctx, cache);
  let pending = cache.get(hackathonId);
  if (!pending) {
    pending = tracking.contributions(hackathonId);
    cache.set(hackathonId, pending);
  }
  return pending;
}

function actorOf(ctx: GqlContext): string {
  return viewerActor(ctx.viewer) ?? 'unknown';
}
