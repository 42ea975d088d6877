import { Field, ObjectType } from '@nestjs/graphql';
import { TeamType } from './team.type.js';

@ObjectType('LeaveTeamPayload', { description: 'Result of leaveTeam.' })
export class LeaveTeamPayloadType {
  @Field(() => TeamType, { nullable: true, description: 'The team after the member left; null when its last member left and it was deleted.' })
  team: TeamType | null;

  @Field({ description: 'True when the team was deleted (its last member left and it had no submission).' })
  teamDeleted: boolean;
}
