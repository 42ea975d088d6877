import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { JudgingResultsService, JudgingScoringService, JudgingSetupService, type HackathonEntity } from '#libs/hackathons';
import { AuthException, AuthExceptionCode } from '#libs/auth';
import { MemberQueryService } from '#libs/members';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { HackathonLoadersFactory } from '../core/hackathon-loaders.js';
import { HackathonType } from '../core/hackathon.type.js';
import { TeamType } from '../core/team.type.js';
import { JudgingFilterArgs, JudgingResultsFieldArgs } from './judging.args.js';
import { ADMIN } from './judging.resolver.js';
import {
  JudgeAssignmentObject,
  JudgeObject,
  JudgeScoreObject,
  JudgingCriterionObject,
  JudgingProgressObject,
  JudgingResultsObject,
  SubmissionResultObject,
  type NormalizationDegenerateEnum,
} from './judging.type.js';
import { HackathonRules } from '../hackathon-access.rules.js';
import { Access } from '../../graphql/access/access.decorator.js';


/**
 * Judging fields of `Hackathon`: criteria, judges, assignments, scores, results, progress.
 * Assignments and scores: admins and organisers see all; a judge of the hackathon only their own
 * (through the services' `JudgingScope`), without submissions they now have a conflict with.
 * Results: admins and organisers.
 */
@Resolver(() => HackathonType)
export class HackathonJudgingResolver {
  constructor(
    private readonly setup: JudgingSetupService,
    private readonly scoring: JudgingScoringService,
    private readonly outcome: JudgingResultsService,
    private readonly members: MemberQueryService,
  ) {}

  @Access.public()
  @ResolveField(() => [JudgingCriterionObject], { description: 'Judging criteria, oldest first.' })
  judgingCriteria(@Parent() hackathon: HackathonEntity) {
    return this.setup.criteria(hackathon.slug);
  }

  @Access.public()
  @ResolveField(() => [JudgeObject], { description: 'Judges, first added first.' })
  judges(@Parent() hackathon: HackathonEntity) {
    return this.setup.judges(hackathon.slug);
  }

  @Access(HackathonRules.judgingRead)
  @ResolveField(() => [JudgeAssignmentObject], {
    description:
      'Judge ↔ submission assignments, optionally of one judge or submission. Admins and organisers of the hackathon see all; ' +
      "a judge of it only their own, leaving out submissions they now have a conflict of interest with (asking for another judge's: " +
      'FORBIDDEN); anyone else: UNAUTHENTICATED or FORBIDDEN. Errors also: NOT_FOUND, BAD_USER_INPUT.',
  })
  async judgeAssignments(@Parent() hackathon: HackathonEntity, @Args() args: JudgingFilterArgs, @Context() ctx: GqlContext) {
    const own = await this.ownJudgingOnly(hackathon, args, ctx);
    const judgeMemberId = own ?? (args.judge ? await this.members.resolveRef(args.judge) : undefined);
    const assignments = await this.scoring.assignments(hackathon.slug, { judgeMemberId }, args.submission);
    if (!own) return assignments;
    // a judge does not see a submission they have a conflict of interest with now (it arose after the assignment)
    const conflicted = await ctx.access.conflictedSubmissions(hackathon.id);
    return assignments.filter((assignment) => !conflicted.has(assignment.submissionId));
  }

  @Access(HackathonRules.judgingRead)
  @ResolveField(() => [JudgeScoreObject], {
    description:
      'Scores given, optionally of one judge or submission. Admins and organisers of the hackathon see all; a judge of it only ' +
      'their own, leaving out submissions they now have a conflict of interest with, as judgeAssignments does ' +
      "(asking for another judge's: FORBIDDEN); anyone else: UNAUTHENTICATED or FORBIDDEN. Errors also: NOT_FOUND, BAD_USER_INPUT.",
  })
  async judgeScores(@Parent() hackathon: HackathonEntity, @Args() args: JudgingFilterArgs, @Context() ctx: GqlContext) {
    const own = await this.ownJudgingOnly(hackathon, args, ctx);
    const judgeMemberId = own ?? (args.judge ? await this.members.resolveRef(args.judge) : undefined);
    const scores = await this.scoring.scores(hackathon.slug, { judgeMemberId }, args.submission);
    if (!own) return scores;
    const conflicted = await ctx.access.conflictedSubmissions(hackathon.id);
    return scores.filter((score) => !conflicted.has(score.submissionId));
  }

  /**
   * For a judge (not an admin or organiser): their own member id, to scope the listing to it; asking
   * for another judge's rows is refused with FORBIDDEN. Null for an admin or organiser (everything).
   */
  private async ownJudgingOnly(hackathon: HackathonEntity, args: JudgingFilterArgs, ctx: GqlContext): Promise<string | undefined> {
    const scope = await ctx.access.judgingReadScope({ hackathonId: hackathon.id, ecosystemId: hackathon.ecosystemId });
    if (!scope) return undefined;
    if (args.judge && !(await ctx.access.isSelfRef(args.judge))) {
      throw new AuthException("A judge sees only their own assignments and scores; another judge's are for organisers", AuthExceptionCode.FORBIDDEN);
    }
    return scope.judgeMemberId;
  }

  @Access(HackathonRules.organizerOfParent)
  @ResolveField(() => JudgingResultsObject, {
    description:
      'Results from the current scores: per submission the judges’ weighted totals (0–100), raw and normalised (z-score per ' +
      'judge) means, rank with ties explained. Only judges who scored every criterion of a submission count for it. A judge ' +
      'with one completed submission or no spread gets z = 0 everywhere. Ties: final scores within 1e-9; broken by more ' +
      `judges, then (normalised) the higher raw mean; otherwise they share a rank. ${ADMIN}`,
  })
  async judgingResults(
    @Parent() hackathon: HackathonEntity,
    @Args() { normalized }: JudgingResultsFieldArgs,
  ): Promise<JudgingResultsObject> {
    const results = await this.outcome.results(hackathon.slug, normalized);
    const memberOf = (judgeId: string) => results.memberIdByJudgeId.get(judgeId)!;
    return {
      normalized: results.normalized,
      tieTolerance: results.tieTolerance,
      judges: results.judges.map((j) => ({
        ...j,
        memberId: memberOf(j.judgeId),
        degenerate: j.degenerate as NormalizationDegenerateEnum | null,
      })),
      submissions: results.submissions.map((s) => ({
        ...s,
        ...results.teams.get(s.submissionId)!,
        judges: s.judges.map((j) => ({ ...j, memberId: memberOf(j.judgeId) })),
      })),
    };
  }

  @Access.public()
  @ResolveField(() => JudgingProgressObject, {
    description: 'Per judge: submissions assigned, fully scored (every criterion), partially scored, not started; overall completion.',
  })
  async judgingProgress(@Parent() hackathon: HackathonEntity): Promise<JudgingProgressObject> {
    const progress = await this.outcome.progress(hackathon.slug);
    return { ...progress, judges: progress.judges.map((j) => ({ ...j, memberId: progress.memberIdByJudgeId.get(j.judgeId)! })) };
  }
}

/** `SubmissionResult.team`, through the core's team loader. */
@Resolver(() => SubmissionResultObject)
export class SubmissionResultTeamResolver {
  constructor(private readonly loaders: HackathonLoadersFactory) {}

  @ResolveField(() => TeamType, { nullable: true, description: 'The team that made the submission.' })
  team(@Parent() result: SubmissionResultObject, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).teamById.load(result.teamId);
  }
}
