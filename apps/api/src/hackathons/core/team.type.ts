import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { MemberObject } from '../../members/member.type.js';

@ObjectType('Team', { description: 'A team of a hackathon: a captain and members (each member in at most one team per hackathon).' })
export class TeamType {
  @Field(() => ID, { description: 'Stable id (UUID).' })
  id: string;

  @Field(() => ID, { description: 'Id of the hackathon.' })
  hackathonId: string;

  @Field({ description: 'Name, unique in the hackathon case-insensitively.' })
  name: string;

  /** Read through the `inviteCode` field (admin tokens only). */
  inviteCode: string;

  /** Member id of the captain (resolved through merges); the `captain` field loads the member. */
  captainMemberId: string | null;

  @Field({ description: 'When the team was created (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'When the team last changed (UTC instant).' })
  updatedAt: Date;
}

@ObjectType('TeamMember', { description: 'A member of a team.' })
export class TeamMemberType {
  /** Member id (resolved through merges). */
  memberId: string;

  @Field(() => MemberObject, { description: 'The member (the surviving member when this one was merged).' })
  member: MemberObject;

  @Field({ description: 'True for the captain.' })
  isCaptain: boolean;

  @Field({ description: 'When the member joined the team (UTC instant).' })
  joinedAt: Date;
}

@ObjectType('TeamPage', { description: 'Teams of a hackathon, by name.' })
export class TeamPageType {
  @Field(() => [TeamType], { description: 'The teams.' })
  nodes: TeamType[];

  @Field(() => Int, { description: 'How many teams the hackathon has.' })
  totalCount: number;
}
