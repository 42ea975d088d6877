import { ArgsType, Field, Int } from '@nestjs/graphql';
import { PeriodInput } from '../leaderboard/leaderboard.args.js';
import { PeriodPresetEnum } from '../leaderboard/leaderboard.type.js';
import { FlowItemKindEnum, FlowStepEnum } from './metrics.type.js';

const REPOSITORY_DESCRIPTION =
  'Only this repository: GitHub\'s numeric id or "owner/name" (case-insensitive). Unknown: NOT_FOUND. ' +
  'Give at most one of repository and ecosystem (both: BAD_USER_INPUT); neither means every repository.';
const ECOSYSTEM_DESCRIPTION = "Only the repositories this ecosystem's tracked sources discovered (slug). Unknown: NOT_FOUND.";

@ArgsType()
export class CommunityMetricsArgs {
  @Field(() => String, { nullable: true, description: REPOSITORY_DESCRIPTION })
  repository?: string | null;

  @Field(() => String, { nullable: true, description: ECOSYSTEM_DESCRIPTION })
  ecosystem?: string | null;

  @Field(() => PeriodInput, {
    nullable: true,
    defaultValue: { preset: PeriodPresetEnum.LAST_30_DAYS },
    description: 'The window of UTC instants (default: the last 30 days).',
  })
  period?: PeriodInput | null;
}

@ArgsType()
export class NewContributorsArgs {
  @Field(() => Int, { defaultValue: 20, description: 'How many of them to list, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;
}

@ArgsType()
export class ItemFlowArgs {
  @Field(() => String, { nullable: true, description: REPOSITORY_DESCRIPTION })
  repository?: string | null;

  @Field(() => String, { nullable: true, description: ECOSYSTEM_DESCRIPTION })
  ecosystem?: string | null;

  @Field(() => FlowItemKindEnum, { nullable: true, description: 'Only issues or only pull requests (in `items`; `steps` counts both).' })
  kind?: FlowItemKindEnum | null;

  @Field(() => FlowStepEnum, { nullable: true, description: 'Only items at this step (in `items`).' })
  step?: FlowStepEnum | null;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;
}
