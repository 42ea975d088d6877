import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { AffiliationSource } from '#libs/members';
import type { SameValues } from '../activities/activity.type.js';
import { MemberObject } from '../members/member.type.js';
import { PageInfoObject } from '../graphql/page-info.type.js';

@ObjectType('Organization', {
  description:
    'A company, university or other body members are affiliated with. Contributions are credited to the organisation ' +
    'the member was with on their date.',
})
export class OrganizationObject {
  @Field(() => ID, { description: 'Stable organisation id (UUID).' })
  id: string;

  @Field({ description: 'Name, unique case-insensitively.' })
  name: string;

  @Field(() => [String], {
    description: 'Lower-case e-mail domains it owns (never public webmail); commit addresses there affiliate their member.',
  })
  domains: string[];

  @Field({ description: 'True for a paying customer; funnels and metrics can keep to non-paying organisations.' })
  isCustomer: boolean;

  @Field({ description: 'When it was created (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'When it last changed (UTC instant).' })
  updatedAt: Date;
}

@ObjectType('OrganizationEdge', { description: 'An organisation in a connection.' })
export class OrganizationEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` to read the organisations after this one.' })
  cursor: string;

  @Field(() => OrganizationObject, { description: 'The organisation.' })
  node: OrganizationObject;
}

@ObjectType('OrganizationConnection', { description: 'A page of organisations, by name (case-insensitive).' })
export class OrganizationConnectionObject {
  @Field(() => [OrganizationEdgeObject], { description: 'Organisations of this page.' })
  edges: OrganizationEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Paging state.' })
  pageInfo: PageInfoObject;

  @Field(() => Int, { description: 'Organisations matching the filter, across all pages.' })
  totalCount: number;
}

@ObjectType('OrganizationMember', { description: 'A member affiliated with an organisation, with the contributions credited to it.' })
export class OrganizationMemberObject {
  @Field(() => MemberObject, { description: 'The member.' })
  member: MemberObject;

  @Field(() => Int, {
    description: "The member's contributions (activities other than stars and forks, not undone) credited to this organisation within the period: made while with it.",
  })
  contributionCount: number;

  @Field(() => Date, { nullable: true, description: 'First credited activity in the period (UTC instant); null with none.' })
  firstContributionAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last credited activity in the period (UTC instant); null with none.' })
  lastContributionAt: Date | null;
}

@ObjectType('OrganizationMembers', { description: 'Members affiliated with an organisation, most credited first.' })
export class OrganizationMembersObject {
  @Field(() => [OrganizationMemberObject], { description: 'Most credited contributions first, then by member id.' })
  nodes: OrganizationMemberObject[];

  @Field(() => Int, { description: 'Members with any affiliation to the organisation (any source, any dates).' })
  totalCount: number;
}

/** Where an affiliation came from. */
export enum AffiliationSourceEnum {
  PROFILE = 'profile',
  EMAIL_DOMAIN = 'email_domain',
  MANUAL = 'manual',
}
const _sourcesMatch: SameValues<`${AffiliationSourceEnum}`, AffiliationSource> = true;

registerEnumType(AffiliationSourceEnum, {
  name: 'AffiliationSource',
  description:
    'Where an affiliation came from. When several cover one date, MANUAL wins, then EMAIL_DOMAIN, then PROFILE.',
  valuesMap: {
    PROFILE: {
      description:
        "The company field of the member's GitHub profile (`@org`, Inc/Ltd and case ignored), matched by name or domain. " +
        'From the day the profile was first read showing it (the profile sync, job sync-profiles) until it showed another ' +
        'or none. Recomputed by a job.',
    },
    EMAIL_DOMAIN: {
      description:
        "The domain of the member's commit e-mail addresses (never public webmail), from the first such commit until " +
        'the next organisation\'s. Recomputed by a job.',
    },
    MANUAL: { description: 'Set by an admin; overrides the automatic ones for the dates it covers.' },
  },
});

@ObjectType('Affiliation', {
  description: 'A member was with an organisation over [startsAt, endsAt) (UTC instants; null bounds are open).',
})
export class AffiliationObject {
  @Field(() => ID, { description: 'Stable affiliation id (UUID); automatic ones keep theirs while their evidence holds.' })
  id: string;

  /** Resolved to {@link OrganizationObject} by a field resolver. */
  organizationId: string;

  memberId: string;

  evidence: Record<string, unknown>;

  @Field(() => Date, { nullable: true, description: 'Inclusive start (UTC instant); null: open start.' })
  startsAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive end (UTC instant); null: open end.' })
  endsAt: Date | null;

  @Field(() => AffiliationSourceEnum, { description: 'Where it came from.' })
  source: AffiliationSourceEnum;

  @Field({ description: 'When it was recorded (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'When it last changed (UTC instant).' })
  updatedAt: Date;
}

@ObjectType('AffiliationEvidence', {
  description: 'What an affiliation rests on. Personal data: admin API tokens only (null otherwise).',
})
export class AffiliationEvidenceObject {
  @Field(() => [String], { nullable: true, description: 'EMAIL_DOMAIN: the commit e-mail domains seen.' })
  domains: string[] | null;

  @Field(() => Date, { nullable: true, description: 'EMAIL_DOMAIN: first activity under such an address (UTC instant).' })
  firstSeenAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'EMAIL_DOMAIN: last activity under such an address (UTC instant).' })
  lastSeenAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'EMAIL_DOMAIN: activities under such addresses.' })
  activities: number | null;

  @Field(() => String, { nullable: true, description: "PROFILE: the profile's company field as written." })
  company: string | null;

  @Field(() => String, { nullable: true, description: 'MANUAL: the note the admin gave.' })
  note: string | null;

  @Field(() => String, { nullable: true, description: 'MANUAL: id of the admin API token that set it.' })
  setBy: string | null;
}
