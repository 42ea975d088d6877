import { ArgsType, Field, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ActivityTypeEnum } from '../activities/activity.type.js';
import { StageEnum } from '../stages/stage.type.js';
import { MemberKindEnum } from './member.type.js';

/** Orders of the member listing. */
export enum MemberOrderEnum {
  ACTIVITY_COUNT = 'ACTIVITY_COUNT',
}

registerEnumType(MemberOrderEnum, {
  name: 'MemberOrder',
  description: 'How members are ordered.',
  valuesMap: {
    ACTIVITY_COUNT: { description: 'Most activities matching the filter first; equal counts by member id.' },
  },
});

@InputType('MemberFilter', { description: 'Which activities count; members with none are not listed.' })
export class MemberFilterInput {
  @Field(() => String, {
    nullable: true,
    description: 'Only activities in this repository: GitHub\'s numeric id or "owner/name" (case-insensitive). Unknown: NOT_FOUND.',
  })
  repository?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only activities at or after this UTC instant.' })
  since?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only activities before this UTC instant (exclusive); must be after `since` (BAD_USER_INPUT).',
  })
  until?: Date | null;

  @Field(() => ActivityTypeEnum, { nullable: true, description: 'Only this kind of activity.' })
  type?: ActivityTypeEnum | null;

  @Field(() => [MemberKindEnum], {
    nullable: true,
    description: 'Member kinds to list. Default [PERSON]: bots and the deleted-user sentinel are left out unless asked for.',
  })
  kinds?: MemberKindEnum[] | null;

  @Field(() => StageEnum, {
    nullable: true,
    description: 'Only members at this stage now, in `ecosystem` (required with it: BAD_USER_INPUT without).',
  })
  stage?: StageEnum | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only members of this ecosystem (a stage there), by slug (case-insensitive); `stage` is read in it. Unknown: NOT_FOUND.',
  })
  ecosystem?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Only activities credited to this organisation: the member's affiliation on each activity's date (id; malformed: BAD_USER_INPUT, unknown: NOT_FOUND).",
  })
  organization?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Only members credited to no customer (paying) organisation today: the non-paying users Cambrian turns into contributors.',
  })
  nonPayingOnly?: boolean | null;
}

@ArgsType()
export class MembersArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;

  @Field(() => MemberFilterInput, { nullable: true, description: 'Which activities count.' })
  filter?: MemberFilterInput | null;

  @Field(() => MemberOrderEnum, { defaultValue: MemberOrderEnum.ACTIVITY_COUNT, description: 'Sort order.' })
  orderBy: MemberOrderEnum;
}

@ArgsType()
export class MemberArgs {
  @Field(() => ID, { nullable: true, description: 'Member id (UUID). Give exactly one of id and login (else BAD_USER_INPUT).' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Current GitHub login, in any letter case.' })
  login?: string | null;
}

@ArgsType()
export class RecentActivitiesArgs {
  @Field(() => Int, { defaultValue: 10, description: 'How many, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;
}
