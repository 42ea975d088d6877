import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { JudgingAutoAssignService, JudgingScoringService, JudgingSetupService } from '#libs/hackathons';
import { MemberQueryService } from '#libs/members';
import {
  AutoAssignJudgesArgs,
  CreateJudgingCriterionArgs,
  JudgeArgs,
  JudgeAssignmentArgs,
  JudgingCriterionIdArgs,
  ScoreSubmissionArgs,
  UpdateJudgingCriterionArgs,
} from './judging.args.js';
import {
  AutoAssignJudgesResultObject,
  JudgeAssignmentObject,
  JudgeObject,
  JudgeScoreObject,
  JudgingCriterionObject,
} from './judging.type.js';
import { HackathonRules } from '../hackathon-access.rules.js';
import { Access } from '../../graphql/access/access.decorator.js';

/** How admin-only operations fail without the right token. */
export const ADMIN = 'Needs an admin or an organiser of the hackathon: UNAUTHENTICATED without credentials, FORBIDDEN otherwise.';
const FINISHED = 'CONFLICT (reason JUDGING_STATUS_CONFLICT) once the hackathon is finished.';

/**
 * Judging mutations (admin-only), naming the hackathon by slug: criteria, judges, assignments,
 * scores. The reads are fields of `Hackathon` (hackathon-judging.resolver.ts).
 */
@Resolver()
export class JudgingResolver {
  constructor(
    private readonly setup: JudgingSetupService,
    private readonly scoring: JudgingScoringService,
    private readonly autoAssignment: JudgingAutoAssignService,
    private readonly members: MemberQueryService,
  ) {}

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => JudgingCriterionObject, {
    description: `Adds a judging criterion. Errors: NOT_FOUND, BAD_USER_INPUT (name, weight ≤ 0, scale), CONFLICT (name taken; ${FINISHED}) ${ADMIN}`,
  })
  createJudgingCriterion(@Args() { hackathon, ...input }: CreateJudgingCriterionArgs) {
    return this.setup.createCriterion(hackathon, input);
  }

  @Access(HackathonRules.manageByCriterionId)
  @Mutation(() => JudgingCriterionObject, {
    description:
      'Changes a criterion (absent fields kept). Errors: NOT_FOUND, BAD_USER_INPUT, CONFLICT (name taken; a new scale that ' +
      `excludes given scores; ${FINISHED}) ${ADMIN}`,
  })
  updateJudgingCriterion(@Args() { id, ...patch }: UpdateJudgingCriterionArgs) {
    return this.setup.updateCriterion(id, patch);
  }

  @Access(HackathonRules.manageByCriterionId)
  @Mutation(() => JudgingCriterionObject, {
    description: `Deletes a criterion nobody scored and returns it. Errors: NOT_FOUND, CONFLICT (it has scores; ${FINISHED}) ${ADMIN}`,
  })
  deleteJudgingCriterion(@Args() { id }: JudgingCriterionIdArgs) {
    return this.setup.deleteCriterion(id);
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => JudgeObject, {
    description: `Makes a member a judge of the hackathon. Errors: NOT_FOUND, CONFLICT (already a judge; ${FINISHED}) ${ADMIN}`,
  })
  async addJudge(@Args() { hackathon, member }: JudgeArgs) {
    return this.setup.addJudge(hackathon, await this.members.resolveRef(member));
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => JudgeObject, {
    description: `Removes a judge with their assignments and scores; returns the judge. Errors: NOT_FOUND, CONFLICT (${FINISHED}) ${ADMIN}`,
  })
  async removeJudge(@Args() { hackathon, member }: JudgeArgs) {
    return this.setup.removeJudge(hackathon, await this.members.resolveRef(member));
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => JudgeAssignmentObject, {
    description:
      'Assigns a judge to a submission (again: no change). Conflicts of interest are refused with CONFLICT: reason ' +
      'JUDGE_ON_TEAM_CONFLICT (the judge is on the submission’s team) or JUDGE_SAME_ORGANIZATION_CONFLICT (the judge and a ' +
      'team member are credited to the same organisation now, by their dated affiliations); the message names it. Errors: ' +
      `NOT_FOUND (hackathon, member, judge, submission), BAD_USER_INPUT, CONFLICT (${FINISHED}) ${ADMIN}`,
  })
  async assignJudge(@Args() { hackathon, judge, submission }: JudgeAssignmentArgs) {
    return this.scoring.assign(hackathon, await this.members.resolveRef(judge), submission);
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => JudgeAssignmentObject, {
    description: `Withdraws an assignment, with the judge’s scores for that submission. Errors: NOT_FOUND, CONFLICT (${FINISHED}) ${ADMIN}`,
  })
  async unassignJudge(@Args() { hackathon, judge, submission }: JudgeAssignmentArgs) {
    return this.scoring.unassign(hackathon, await this.members.resolveRef(judge), submission);
  }

  @Access(HackathonRules.judgeScoring)
  @Mutation(() => JudgeScoreObject, {
    description:
      'Records (or replaces) a judge’s value for one criterion of one submission. Only while the hackathon is `judging` ' +
      '(CONFLICT, reason JUDGING_STATUS_CONFLICT: not while `running`, when submissions can still change); only by a judge ' +
      'assigned to it (CONFLICT, JUDGE_NOT_ASSIGNED_CONFLICT); conflicts of interest are checked again now (as in ' +
      'assignJudge); a value outside the criterion’s scale: BAD_USER_INPUT (SCORE_OUT_OF_SCALE_INVALID). Errors also: ' +
      `NOT_FOUND. ${ADMIN}`,
  })
  async scoreSubmission(@Args() { hackathon, judge, submission, criterion, value, comment }: ScoreSubmissionArgs) {
    const judgeMemberId = await this.members.resolveRef(judge);
    return this.scoring.score(hackathon, { judgeMemberId, submissionId: submission, criterionId: criterion, value, comment });
  }

  @Access(HackathonRules.manageBySlug)
  @Mutation(() => AutoAssignJudgesResultObject, {
    description:
      'Gives every submission up to judgesPerSubmission judges, keeping existing assignments, never a judge with a conflict of ' +
      'interest now (same team or same organisation), with the largest number of assignments per judge as small as possible ' +
      `(exact, as a maximum flow). Running it again adds nothing. Errors: NOT_FOUND, BAD_USER_INPUT, CONFLICT (${FINISHED}) ${ADMIN}`,
  })
  autoAssignJudges(@Args() { hackathon, judgesPerSubmission }: AutoAssignJudgesArgs) {
    return this.autoAssignment.autoAssign(hackathon, judgesPerSubmission);
  }
}
