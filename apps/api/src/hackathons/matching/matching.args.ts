import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { ResourceKindEnum } from './matching.types.js';

@InputType('CreateResourceInput', { description: 'A new hackathon resource. Invalid fields: BAD_USER_INPUT naming them.' })
export class CreateResourceInput {
  @Field(() => ResourceKindEnum, { description: 'Kind; MENTOR_HOURS needs mentorMemberId.' }) kind: ResourceKindEnum;
  @Field({ description: 'Name, 1–200 characters, unique case-insensitively in the hackathon (else CONFLICT).' }) name: string;
  @Field(() => String, { nullable: true, description: 'Sponsor, 1–200 characters.' }) sponsor?: string | null;
  @Field(() => Int, { description: 'Units in all, ≥ 0.' }) capacity: number;
  @Field(() => Int, { description: 'Most units per team, ≥ 0.' }) perTeamMax: number;
  @Field(() => [String], { nullable: true, description: 'Tags (at most 30, each 1–50 characters; stored lower-case).' }) tags?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'For MENTOR_HOURS only: the mentor (member id).' }) mentorMemberId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Eligibility: minimum team size (1–100).' }) eligibilityMinTeamSize?: number | null;
  @Field(() => [String], { nullable: true, description: 'Eligibility: skills one team member must have registered (any of them).' })
  eligibilitySkills?: string[] | null;
}

@InputType('UpdateResourceInput', { description: 'Fields to change (omitted ones stay).' })
export class UpdateResourceInput {
  @Field(() => String, { nullable: true, description: 'Name.' }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'Sponsor.' }) sponsor?: string | null;
  @Field(() => Int, { nullable: true, description: 'Units in all, ≥ 0.' }) capacity?: number | null;
  @Field(() => Int, { nullable: true, description: 'Most units per team, ≥ 0.' }) perTeamMax?: number | null;
  @Field(() => [String], { nullable: true, description: 'Tags (replace the old ones).' }) tags?: string[] | null;
  @Field(() => Int, { nullable: true, description: 'Eligibility: minimum team size.' }) eligibilityMinTeamSize?: number | null;
  @Field(() => [String], { nullable: true, description: 'Eligibility: skills (replace the old ones).' }) eligibilitySkills?: string[] | null;
}

@InputType('CreateResourceRequestInput', { description: "A team's request: name either a resource or a kind (else BAD_USER_INPUT)." })
export class CreateResourceRequestInput {
  @Field(() => ID, { description: 'The team (UUID).' }) teamId: string;
  @Field(() => ID, { nullable: true, description: 'The resource asked for.' }) resourceId?: string | null;
  @Field(() => ResourceKindEnum, { nullable: true, description: 'Or the kind asked for (each eligible resource of it, up to amount each).' })
  kind?: ResourceKindEnum | null;
  @Field(() => Int, { description: 'Units wanted, ≥ 1.' }) amount: number;
  @Field(() => Int, { description: 'Preference rank 1–100, unique per team (a taken rank: CONFLICT).' }) rank: number;
  @Field(() => [String], { nullable: true, description: 'Tags.' }) tags?: string[] | null;
}

@InputType('UpdateResourceRequestInput', { description: 'Fields to change (omitted ones stay).' })
export class UpdateResourceRequestInput {
  @Field(() => Int, { nullable: true, description: 'Units wanted, ≥ 1.' }) amount?: number | null;
  @Field(() => Int, { nullable: true, description: 'Preference rank, unique per team.' }) rank?: number | null;
  @Field(() => [String], { nullable: true, description: 'Tags (replace the old ones).' }) tags?: string[] | null;
}

@ArgsType()
export class HackathonIdArgs {
  @Field(() => ID, { description: 'The hackathon (UUID); unknown: NOT_FOUND.' }) hackathonId: string;
}

@ArgsType()
export class IdArgs {
  @Field(() => ID, { description: 'Id (UUID); unknown: NOT_FOUND.' }) id: string;
}

@ArgsType()
export class ResourceRequestsArgs extends HackathonIdArgs {
  @Field(() => ID, { nullable: true, description: 'Only this team (UUID).' }) teamId?: string | null;
}

@ArgsType()
export class PinArgs {
  @Field(() => ID, { description: 'The team (UUID).' }) teamId: string;
  @Field(() => ID, { description: 'The resource (UUID), of the team\'s hackathon.' }) resourceId: string;
  @Field(() => Int, { description: 'Units to fix, 0 to the per-team maximum; the pins on a resource stay within its capacity (else BAD_USER_INPUT).' })
  units: number;
}

@ArgsType()
export class UnpinArgs {
  @Field(() => ID, { description: 'The team (UUID).' }) teamId: string;
  @Field(() => ID, { description: 'The resource (UUID).' }) resourceId: string;
}

@ArgsType()
export class TeamIdArgs {
  @Field(() => ID, { description: 'The team (UUID); unknown: NOT_FOUND.' }) teamId: string;
}
