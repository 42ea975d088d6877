import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { JudgingResultsService, JudgingScoringService, JudgingSetupService, type HackathonEntity } from '#libs/hackathons';
import { MemberQueryService } from '#libs/members';
import { assertAdminViewer } from '../../graphql/admin-only.decorator.js';
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


/**
 * Judging fields of `Hackathon`: criteria, judges, assignments, scores, results, progress.
 * Individual scores and results are admin-only until the judge role exists (a judge will then
 * read their own through the services' `JudgingScope`).
 */
@Resolver(() => HackathonType)
export class HackathonJudgingResolver {
  constructor(
    private readonly setup: JudgingSetupService,
    private readonly scoring: JudgingScoringService,
    private readonly outcome: JudgingResultsService,
    private readonly members: MemberQueryService,
  ) {}

  @ResolveField(() => [JudgingCriterionObject], { description: 'Judging criteria, oldest first.' })
  judgingCriteria(@Parent() hackathon: HackathonEntity) {
    return this.setup.criteria(hackathon.slug);
  }

  @ResolveField(() => [JudgeObject], { description: 'Judges, first added first.' })
  judges(@Parent() hackathon: HackathonEntity) {
    return this.setup.judges(hackathon.slug);
  }

  @ResolveField(() => [JudgeAssignmentObject], {
    description: 'Judge ↔ submission assignments, optionally of one judge or submission. Errors: NOT_FOUND, BAD_USER_INPUT.',
  })
  async judgeAssignments(@Parent() hackathon: HackathonEntity, @Args() args: JudgingFilterArgs) {
    const judgeMemberId = args.judge ? await this.members.resolveRef(args.judge) : undefined;
    return this.scoring.assignments(hackathon.slug, { judgeMemberId }, args.submission);
  }

  @ResolveField(() => [JudgeScoreObject], {
    description: `Scores given, optionally of one judge or submission. Errors: NOT_FOUND, BAD_USER_INPUT. ${ADMIN}`,
  })
  async judgeScores(@Parent() hackathon: HackathonEntity, @Args() args: JudgingFilterArgs, @Context() ctx: GqlContext) {
    assertAdminViewer(ctx.viewer, 'Hackathon.judgeScores');
    const judgeMemberId = args.judge ? await this.members.resolveRef(args.judge) : undefined;
    return this.scoring.scores(hackathon.slug, { judgeMemberId }, args.submission);
  }

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
    @Context() ctx: GqlContext,
  ): Promise<JudgingResultsObject> {
    assertAdminViewer(ctx.viewer, 'Hackathon.judgingResults');
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
