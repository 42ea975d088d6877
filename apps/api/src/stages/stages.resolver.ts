import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { viewerActor } from '#libs/auth';
import { RANKED_STAGES, StageQueryService, StageRulesService, StageTrigger, type EffectiveStageRules } from '#libs/members';
import { AdminOnly } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { CohortObject, CohortPageObject, FunnelObject, ReadyMemberConnectionObject, StageEnum, StageRulesObject } from './stage.type.js';
import { CohortPageArgs, CohortsArgs, FunnelArgs, ReadyForNextStepArgs, StageRulesArgs, UpdateStageRulesArgs } from './stages.args.js';
import { Access } from '../graphql/access/access.decorator.js';
import { offsetPage } from '../graphql/offset-page.js';

const STAGES = [...RANKED_STAGES, 'LAPSED'] as const;
/** Rows of a `cohortPage` when `first` is absent. */
const COHORT_PAGE_SIZE = 20;

@Resolver()
export class StagesResolver {
  constructor(
    private readonly queries: StageQueryService,
    private readonly rules: StageRulesService,
    private readonly trigger: StageTrigger,
  ) {}

  @Access.public()
  @Query(() => FunnelObject, {
    description:
      'The funnel of an ecosystem. Population: persons (never bots or the deleted-user sentinel) whose first activity in the ' +
      'ecosystem is in [from, to) — optionally only those active in `repository` before `to`, credited to `organization` at `to`, ' +
      'or not credited to a paying organisation at `to` (`nonPayingOnly`). Per stage OBSERVER → MAINTAINER: `reached` (first ' +
      'transition to that stage or higher before `to`), `current` (stage just before `to`) and `conversionToNext` = ' +
      'reached(next) ÷ reached(this). Reads stored stages, not raw activities; without `to` and filters, daily rollups and the ' +
      'stored current stages (lapses are stored by an hourly check). Errors: BAD_USER_INPUT (from not before to, ' +
      'malformed repository or organization), NOT_FOUND (unknown ecosystem or repository).',
  })
  funnel(@Args() args: FunnelArgs) {
    return this.queries.funnel({ ...args, organizationId: args.organization });
  }

  @Access.public()
  @Query(() => [CohortObject], {
    description:
      'Cohorts: persons grouped by the UTC month of their first activity in the ecosystem (first activity in [from, to)), and for ' +
      'each N of `weeks` the count per stage at first activity + N × 7 days (transitions at or before that instant), `pending` ' +
      'when that instant is in the future. Ordered by month, then N. Errors: BAD_USER_INPUT (weeks empty, over 12 values or outside ' +
      '0–520; from not before to), NOT_FOUND (unknown ecosystem).',
  })
  async cohorts(@Args() args: CohortsArgs) {
    const rows = await this.queries.cohorts(args);
    return rows.map((row) => ({ ...row, stages: STAGES.map((stage) => ({ stage: stage as StageEnum, count: row.stages[stage] })) }));
  }

  @Access.public()
  @Query(() => CohortPageObject, {
    description:
      'One page of `cohorts` (same arguments and rows: one per month and N, by month then N), for a table that shows a page at a ' +
      'time; `cohorts` gives them all (an export). The cohorts are computed whole and the page cut from them. Errors: as ' +
      '`cohorts`, and BAD_USER_INPUT for first outside 1–100 or a negative offset.',
  })
  async cohortPage(@Args() { first, offset, ...args }: CohortPageArgs) {
    return offsetPage(await this.cohorts(args), { first: first ?? COHORT_PAGE_SIZE, offset });
  }

  @Access.public()
  @Query(() => ReadyMemberConnectionObject, {
    description:
      'Members of an ecosystem ready for the next step (see ReadyKind), most recently active first, as a cursor connection. ' +
      'Errors: BAD_USER_INPUT (first outside 1–100, a foreign cursor), NOT_FOUND (unknown ecosystem).',
  })
  readyForNextStep(@Args() args: ReadyForNextStepArgs) {
    return this.queries.readyForNextStep(args);
  }

  @Access.public()
  @Query(() => StageRulesObject, { description: 'The stage rules in force for an ecosystem, or the global rules. Errors: NOT_FOUND (unknown ecosystem).' })
  async stageRules(@Args() { ecosystem }: StageRulesArgs) {
    return toObject(ecosystem ?? null, await this.rules.effective(ecosystem ?? null));
  }

  @AdminOnly()
  @Mutation(() => StageRulesObject, {
    description:
      'Changes the stage rules of an ecosystem (or the global rules): fields given replace those in force, the result is validated ' +
      'and stored under a new version, and the stages of the members concerned are recomputed (a background job when the queue ' +
      'is there). Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role. Errors: BAD_USER_INPUT naming ' +
      'each invalid rule, NOT_FOUND (unknown ecosystem).',
  })
  async updateStageRules(@Args() { ecosystem, rules }: UpdateStageRulesArgs, @Context() ctx: GqlContext) {
    const updated = await this.rules.update(
      ecosystem ?? null,
      {
        regular: { minWeeks: rules.regularMinWeeks ?? undefined, windowWeeks: rules.regularWindowWeeks ?? undefined },
        maintainer: { minMergesOfOthers: rules.maintainerMinMergesOfOthers ?? undefined, minApprovalsOfOthers: rules.maintainerMinApprovalsOfOthers ?? undefined },
        lapsed: { afterWeeks: rules.lapsedAfterWeeks ?? undefined },
      },
      ctx.viewer.tokenId ?? viewerActor(ctx.viewer),
    );
    const recomputeQueued = await this.trigger.recomputeRequested(updated.ecosystemId);
    return { ...toObject(ecosystem ?? null, updated), recomputeQueued };
  }
}

function toObject(ecosystem: string | null, rules: EffectiveStageRules): StageRulesObject {
  return { ecosystem, source: rules.source, version: rules.version, ...rules.rules };
}
