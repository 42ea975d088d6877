import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { ReadyKindEnum } from './stage.type.js';

@ArgsType()
export class FunnelArgs {
  @Field(() => String, { description: 'Ecosystem slug (NOT_FOUND when unknown).' })
  ecosystem: string;

  @Field(() => String, { nullable: true, description: 'Only members active in this repository: GitHub numeric id or "owner/name".' })
  repository?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only members credited to this organisation (organization.id) at `to`.' })
  organization?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only members not credited to a paying (customer) organisation at `to`; members with no organisation count.' })
  nonPayingOnly?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Entry period start (UTC, inclusive); open when absent.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Entry period end and instant of the counts (UTC, exclusive); now when absent.' })
  to?: Date | null;
}

@ArgsType()
export class CohortsArgs {
  @Field(() => String, { description: 'Ecosystem slug.' })
  ecosystem: string;

  @Field(() => Date, { nullable: true, description: 'First month considered: members first seen at or after this UTC instant.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Members first seen before this UTC instant; now when absent.' })
  to?: Date | null;

  @Field(() => [Int], { description: 'N values: weeks after each member’s first activity (1–12 values, each 0–520).' })
  weeks: number[];
}

@ArgsType()
export class CohortPageArgs extends CohortsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size: rows (month × N) of the page, 1–100 (else BAD_USER_INPUT); 20 when absent.' })
  first?: number | null;

  @Field(() => Int, { nullable: true, description: 'Rows to skip, in the order of `cohorts`, before the page (0 or more, else BAD_USER_INPUT); 0 when absent.' })
  offset?: number | null;
}

@ArgsType()
export class ReadyForNextStepArgs {
  @Field(() => ReadyKindEnum, { description: 'Which list.' })
  kind: ReadyKindEnum;

  @Field(() => String, { description: 'Ecosystem slug.' })
  ecosystem: string;

  @Field(() => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' })
  after?: string | null;
}

@ArgsType()
export class StageRulesArgs {
  @Field(() => String, { nullable: true, description: 'Ecosystem slug; absent for the global rules.' })
  ecosystem?: string | null;
}

@InputType('StageRulesInput', { description: 'A change of the stage rules: fields left out keep their value in force.' })
export class StageRulesInput {
  @Field(() => Int, { nullable: true, description: 'regular.minWeeks, 1–52, at most regular.windowWeeks.' })
  regularMinWeeks?: number | null;

  @Field(() => Int, { nullable: true, description: 'regular.windowWeeks, 1–104.' })
  regularWindowWeeks?: number | null;

  @Field(() => Int, { nullable: true, description: 'maintainer.minMergesOfOthers, 1–1000.' })
  maintainerMinMergesOfOthers?: number | null;

  @Field(() => Int, { nullable: true, description: 'maintainer.minApprovalsOfOthers, 1–1000.' })
  maintainerMinApprovalsOfOthers?: number | null;

  @Field(() => Int, { nullable: true, description: 'lapsed.afterWeeks, 1–520.' })
  lapsedAfterWeeks?: number | null;
}

@ArgsType()
export class UpdateStageRulesArgs extends StageRulesArgs {
  @Field(() => StageRulesInput, { description: 'The rules to change.' })
  rules: StageRulesInput;
}

@ArgsType()
export class MemberStageArgs {
  @Field(() => String, { nullable: true, description: 'Ecosystem slug; absent: the most advanced stage across ecosystems (LAPSED last).' })
  ecosystem?: string | null;
}
