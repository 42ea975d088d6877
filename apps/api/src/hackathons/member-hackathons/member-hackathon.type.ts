import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { HackathonStatus } from '#libs/hackathons';
import { ResourceKindEnum } from '../matching/matching.types.js';

/** Whether a member's registration stands. */
export enum MemberHackathonRegistrationStatusEnum {
  REGISTERED = 'registered',
  WITHDRAWN = 'withdrawn',
}

registerEnumType(MemberHackathonRegistrationStatusEnum, {
  name: 'MemberHackathonRegistrationStatus',
  description: "Whether a member's registration for a hackathon stands.",
  valuesMap: {
    REGISTERED: { description: 'Registered (not withdrawn).' },
    WITHDRAWN: { description: 'The member withdrew (see `withdrawnAt`).' },
  },
});

@ObjectType('MemberHackathonResult', { description: "A team's published judging result (once the hackathon is FINISHED)." })
export class MemberHackathonResultObject {
  @Field(() => Int, { nullable: true, description: 'Standard competition rank (1, 1, 3); null when no judge completed the submission.' })
  rank: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "Final score: the mean of the judges' weighted totals, 0–100 (as judgingResults(normalized: false)); null when no judge completed the submission.",
  })
  score: number | null;

  @Field(() => Int, { description: 'How many submissions the hackathon has (the rank is out of these).' })
  submissions: number;
}

@ObjectType('MemberHackathonAllocation', { description: "What the hackathon's published matching run gives the member's team of one resource." })
export class MemberHackathonAllocationObject {
  @Field(() => ID, { description: 'The resource (UUID).' })
  resourceId: string;

  @Field({ description: "The resource's current name." })
  resourceName: string;

  @Field(() => ResourceKindEnum, { description: 'Kind of resource.' })
  resourceKind: ResourceKindEnum;

  @Field(() => Int, { description: 'Units allocated (≥ 1; GPU hours, credits, mentor hours… as the resource counts them).' })
  units: number;
}

/**
 * One hackathon a member registered for (`Member.hackathons`). The `hackathon`, `team`,
 * `submission`, `result` and `allocations` fields are resolved by MemberHackathonResolver.
 */
@ObjectType('MemberHackathon', {
  description: 'A hackathon a member registered for: the registration (standing or withdrawn), the team, its submission, published results and allocations.',
})
export class MemberHackathonObject {
  /** The member (the survivor of its merges). */
  memberId: string;
  /** Loaded by the `hackathon` field. */
  hackathonId: string;
  hackathonSlug: string;
  ecosystemId: number;
  hackathonStatus: HackathonStatus;
  /** Loaded by the `team` field. */
  teamId: string | null;
  submissionId: string | null;

  @Field(() => ID, { description: 'Id of the registration (UUID).' })
  registrationId: string;

  @Field(() => MemberHackathonRegistrationStatusEnum, { description: 'REGISTERED, or WITHDRAWN once the member withdrew.' })
  status: MemberHackathonRegistrationStatusEnum;

  @Field({ description: 'When the member registered (UTC instant).' })
  registeredAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the member withdrew (UTC instant); null while registered.' })
  withdrawnAt: Date | null;

  @Field({ description: "True when the member captains the team; false without a team or as one of the team's members." })
  isCaptain: boolean;
}
