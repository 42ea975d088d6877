import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/** A role a grant gives (only ORGANIZER is granted; ADMIN, JUDGE and MEMBER come from elsewhere). */
export enum GrantRoleEnum {
  ORGANIZER = 'organizer',
}

registerEnumType(GrantRoleEnum, {
  name: 'GrantRole',
  description: 'A role given by a grant.',
  valuesMap: { ORGANIZER: { description: 'Manages the hackathons of an ecosystem, or one hackathon.' } },
});

@ObjectType('AccessGrant', { description: 'An organiser grant: a member manages one ecosystem\'s hackathons, or one hackathon.' })
export class AccessGrantObject {
  @Field(() => ID, { description: 'Grant id (UUID).' })
  id: string;

  @Field(() => ID, { description: 'The member it was given to (it follows member merges).' })
  memberId: string;

  @Field(() => GrantRoleEnum, { description: 'The role given.' })
  role: GrantRoleEnum;

  @Field(() => Int, { nullable: true, description: 'Id of the ecosystem (an ecosystem grant: every hackathon in it); null for a hackathon grant.' })
  ecosystemId: number | null;

  @Field(() => String, { nullable: true, description: 'Slug of the ecosystem; null for a hackathon grant.' })
  ecosystemSlug: string | null;

  @Field(() => ID, { nullable: true, description: 'Id of the hackathon (a hackathon grant); null for an ecosystem grant.' })
  hackathonId: string | null;

  @Field(() => String, { nullable: true, description: 'Slug of the hackathon; null for an ecosystem grant.' })
  hackathonSlug: string | null;

  @Field(() => String, { nullable: true, description: 'Who granted it (`api-token:<id>` or `member:<id>`).' })
  grantedBy: string | null;

  @Field({ description: 'When it was granted (UTC instant).' })
  grantedAt: Date;

  @Field(() => String, { nullable: true, description: 'Who revoked it; null while in force.' })
  revokedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked (UTC instant); null while in force.' })
  revokedAt: Date | null;
}

@ArgsType()
export class GrantOrganizerArgs {
  @Field({ description: 'The member: a member id (UUID) or a GitHub login.' })
  member: string;

  @Field(() => String, { nullable: true, description: 'Slug of the ecosystem to organise (give this or hackathon).' })
  ecosystem?: string | null;

  @Field(() => String, { nullable: true, description: 'Slug or id of the hackathon to organise (give this or ecosystem).' })
  hackathon?: string | null;
}

@ArgsType()
export class AccessGrantsArgs {
  @Field(() => String, { nullable: true, description: "Only this member's grants (id or GitHub login; through merges)." })
  member?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Include revoked grants (default false).' })
  includeRevoked?: boolean | null;
}

@ArgsType()
export class RevokeAccessGrantArgs {
  @Field(() => ID, { description: 'The grant id.' })
  id: string;
}
