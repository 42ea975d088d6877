import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { ActivityTypeEnum } from './activity.type.js';

@InputType('ActivityFilter', { description: 'Which activities to list; all given conditions apply.' })
export class ActivityFilterInput {
  @Field(() => String, {
    nullable: true,
    description: 'A member id or GitHub login (case-insensitive). Unknown: NOT_FOUND; malformed: BAD_USER_INPUT.',
  })
  member?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'A repository: GitHub\'s numeric id or "owner/name" (case-insensitive). Unknown: NOT_FOUND.',
  })
  repository?: string | null;

  @Field(() => ActivityTypeEnum, { nullable: true, description: 'Only this kind of activity.' })
  type?: ActivityTypeEnum | null;

  @Field(() => Date, { nullable: true, description: 'Only activities at or after this UTC instant.' })
  since?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only activities before this UTC instant (exclusive); must be after `since` (BAD_USER_INPUT).',
  })
  until?: Date | null;
}

@ArgsType()
export class ActivitiesArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;

  @Field(() => ActivityFilterInput, { nullable: true, description: 'Conditions; none lists every activity.' })
  filter?: ActivityFilterInput | null;
}
