import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { AuditStatusEnum } from './audit-event.type.js';

@InputType('AuditEventFilter', { description: 'Which audit events to list; all given conditions apply.' })
export class AuditEventFilterInput {
  @Field(() => String, { nullable: true, description: 'Only this actor: `api-token:<id>` or `member:<id>` (exact).' })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this mutation (root field name, exact), e.g. `updateHackathon`.' })
  operation?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes to this kind of target (exact), e.g. `hackathon`.' })
  targetType?: string | null;

  @Field(() => String, { nullable: true, description: 'Only changes to the target with this id (exact, as recorded).' })
  targetId?: string | null;

  @Field(() => AuditStatusEnum, { nullable: true, description: 'Only events in this state (PENDING finds changes whose end was never recorded).' })
  status?: AuditStatusEnum | null;

  @Field(() => Date, { nullable: true, description: 'Only changes started at or after this UTC instant.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only changes started before this UTC instant (exclusive); must be after `from` (BAD_USER_INPUT).' })
  to?: Date | null;
}

@ArgsType()
export class AuditEventsArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;

  @Field(() => AuditEventFilterInput, { nullable: true, description: 'Conditions; none lists every event.' })
  filter?: AuditEventFilterInput | null;
}
