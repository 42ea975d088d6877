import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { IdentityEvidence, IdentityPlatform, MemberKind } from '#libs/members';
import type { SameValues } from '../activities/activity.type.js';
import { PageInfoObject } from '../graphql/page-info.type.js';
import { Access } from '../graphql/access/access.decorator.js';

/** What a member is. */
export enum MemberKindEnum {
  PERSON = 'person',
  BOT = 'bot',
  DELETED = 'deleted',
}
const _kindsMatch: SameValues<`${MemberKindEnum}`, MemberKind> = true;

registerEnumType(MemberKindEnum, {
  name: 'MemberKind',
  description: 'What a member is. Bots and the deleted-user sentinel never rank.',
  valuesMap: {
    PERSON: { description: 'A person.' },
    BOT: { description: 'A bot: a GitHub App (`[bot]`), an account of type Bot, or a known machine account.' },
    DELETED: { description: 'The one sentinel member standing for every deleted GitHub account ("ghost").' },
  },
});

/** Where an identity lives. */
export enum IdentityPlatformEnum {
  GITHUB = 'github',
  EMAIL = 'email',
  DELETED = 'deleted',
}
const _platformsMatch: SameValues<`${IdentityPlatformEnum}`, IdentityPlatform> = true;

registerEnumType(IdentityPlatformEnum, {
  name: 'IdentityPlatform',
  description: 'Where an identity lives.',
  valuesMap: {
    GITHUB: { description: 'A GitHub account (keyed by its numeric id, never by login).' },
    EMAIL: { description: 'An e-mail address from git history (personal data: admin tokens only).' },
    DELETED: { description: 'The deleted-account sentinel.' },
  },
});

/** Why an identity belongs to its member. */
export enum IdentityEvidenceEnum {
  API = 'api',
  NOREPLY = 'noreply',
  LOGIN = 'login',
  BOT_LIST = 'bot_list',
  SELF = 'self',
}
const _evidenceMatch: SameValues<`${IdentityEvidenceEnum}`, IdentityEvidence> = true;

registerEnumType(IdentityEvidenceEnum, {
  name: 'IdentityEvidence',
  description: 'Why an identity belongs to its member.',
  valuesMap: {
    API: { description: 'GitHub linked it (the REST API named the account of a commit author).' },
    NOREPLY: { description: 'Parsed from an `ID+login@users.noreply.github.com` address (the id decides).' },
    LOGIN: { description: 'Inferred from a login-only noreply address by a case-insensitive login lookup.' },
    BOT_LIST: { description: "An address or login on Cambrian's maintained list of bots (one identity per bot across sources)." },
    SELF: { description: 'The identity created the member.' },
  },
});

@ObjectType('Identity', {
  description:
    'One way a member shows up in the data. E-mail identities are personal data: they are listed only for requests ' +
    'with an admin API token and left out entirely otherwise.',
})
export class IdentityObject {
  @Field(() => ID, { description: 'Stable id of the identity.' })
  id: string;

  @Field(() => IdentityPlatformEnum, { description: 'Where the identity lives.' })
  platform: IdentityPlatformEnum;

  @Field(() => ID, { nullable: true, description: "GitHub's numeric account id (GITHUB identities)." })
  githubAccountId: number | null;

  @Field(() => String, { nullable: true, description: 'Current login of the GitHub account (GITHUB identities).' })
  githubLogin: string | null;

  @Access.adminOrHidden()
  @Field(() => String, {
    nullable: true,
    description: 'The lower-cased e-mail address (EMAIL identities; admins only, null otherwise).',
  })
  email: string | null;

  @Field(() => String, { nullable: true, description: 'Name recorded with the identity (GitHub profile name or git author name).' })
  displayName: string | null;

  @Access.public()
  @Field(() => IdentityEvidenceEnum, { description: 'Why the identity belongs to this member.' })
  evidence: IdentityEvidenceEnum;

  @Field({ description: 'When the identity was first recorded (UTC instant).' })
  createdAt: Date;
}

@ObjectType('Member', { description: 'A person in the community (or a bot, or the deleted-user sentinel).' })
export class MemberObject {
  @Field(() => ID, { description: 'Stable member id (UUID).' })
  id: string;

  @Field(() => MemberKindEnum, { description: 'Person, bot or the deleted-user sentinel.' })
  kind: MemberKindEnum;

  @Field(() => String, { nullable: true, description: 'Current GitHub login; null for members known only from git history.' })
  login: string | null;

  @Field(() => String, { nullable: true, description: 'Name to show: GitHub profile name, git author name or login.' })
  displayName: string | null;

  @Field(() => ID, { nullable: true, description: "GitHub's numeric id of the member's account." })
  githubAccountId: number | null;

  @Field(() => String, { nullable: true, description: 'GitHub avatar URL.' })
  avatarUrl: string | null;

  @Field({ description: 'When the member was first recorded (UTC instant).' })
  createdAt: Date;
}

@ObjectType('MemberEdge', { description: 'A member in a connection, with its count within the filter.' })
export class MemberEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` to read the members after this one.' })
  cursor: string;

  @Field(() => MemberObject, { description: 'The member.' })
  node: MemberObject;

  @Field(() => Int, { description: "Number of the member's activities matching the filter (the sort key)." })
  activityCount: number;
}

@ObjectType('MemberConnection', { description: 'A page of members, most active first.' })
export class MemberConnectionObject {
  @Field(() => [MemberEdgeObject], { description: 'Members of this page, by activity count descending (ties by member id).' })
  edges: MemberEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Paging state.' })
  pageInfo: PageInfoObject;

  @Field(() => Int, { description: 'Number of members with at least one matching activity, across all pages.' })
  totalCount: number;
}
