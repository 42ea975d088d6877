import { ArgsType, Field, ID, Int } from '@nestjs/graphql';

@ArgsType()
export class OrganizationsArgs {
  @Field(() => String, {
    nullable: true,
    description: 'Only organisations whose name or one of whose domains contains this text (case-insensitive; 200 characters at most).',
  })
  query?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only customers (true) or only non-paying organisations (false).' })
  isCustomer?: boolean | null;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;
}

@ArgsType()
export class OrganizationArgs {
  @Field(() => ID, { description: 'Organisation id (UUID); malformed: BAD_USER_INPUT.' })
  id: string;
}

@ArgsType()
export class CreditPeriodArgs {
  @Field(() => Date, { nullable: true, description: 'Only activities at or after this UTC instant.' })
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only activities before this UTC instant (exclusive); must be after `since`.' })
  until?: Date | null;
}

@ArgsType()
export class OrganizationMembersArgs extends CreditPeriodArgs {
  @Field(() => Int, { defaultValue: 20, description: 'How many members, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;
}

@ArgsType()
export class CreateOrganizationArgs {
  @Field({ description: 'Name (trimmed, 1–200 characters), unique case-insensitively (else CONFLICT).' })
  name: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'E-mail domains it owns (e.g. "example.com"; lower-cased, a leading @ dropped). A malformed or public webmail ' +
      'domain: BAD_USER_INPUT; one another organisation owns: CONFLICT.',
  })
  domains?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Paying customer; default false.' })
  isCustomer?: boolean | null;
}

@ArgsType()
export class UpdateOrganizationArgs {
  @Field(() => ID, { description: 'Organisation id (UUID). Unknown: NOT_FOUND.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'New name (as in createOrganization); null or absent keeps it.' })
  name?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'The new list of domains (replaces the old one; as in createOrganization); null or absent keeps it.',
  })
  domains?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'New customer flag; null or absent keeps it.' })
  isCustomer?: boolean | null;
}

@ArgsType()
export class SetAffiliationArgs {
  @Field(() => ID, { description: 'The member: id (UUID) or GitHub login. Unknown: NOT_FOUND.' })
  member: string;

  @Field(() => ID, { description: 'Organisation id (UUID). Unknown: NOT_FOUND.' })
  organization: string;

  @Field(() => Date, { nullable: true, description: 'Inclusive start (UTC instant); null or absent: open start.' })
  startsAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Exclusive end (UTC instant), after startsAt (else BAD_USER_INPUT); null or absent: open end.',
  })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why (kept with the affiliation; 500 characters at most).' })
  note?: string | null;
}

@ArgsType()
export class EndAffiliationArgs {
  @Field(() => ID, { description: 'A manual affiliation (BAD_USER_INPUT for an automatic one; NOT_FOUND when unknown).' })
  id: string;

  @Field(() => Date, { description: 'Exclusive end (UTC instant), after its start.' })
  endsAt: Date;
}

@ArgsType()
export class RemoveAffiliationArgs {
  @Field(() => ID, { description: 'A manual affiliation (BAD_USER_INPUT for an automatic one; NOT_FOUND when unknown).' })
  id: string;
}
