import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { IdentityProofKind, SuggestionEvidenceKind, SuggestionStatus } from '#libs/members';
import type { SameValues } from '../activities/activity.type.js';
import { PageInfoObject } from '../graphql/page-info.type.js';
import { MemberKindEnum } from './member.type.js';
import { Access } from '../graphql/access/access.decorator.js';

/** Kinds of evidence that tie an identity to its member. */
export enum IdentityProofKindEnum {
  SELF = 'self',
  API = 'api',
  NOREPLY = 'noreply',
  LOGIN = 'login',
  BOT_LIST = 'bot_list',
  API_LINK = 'api_link',
  VERIFIED_EMAIL = 'verified_email',
  NOREPLY_ID_MISMATCH = 'noreply_id_mismatch',
  MERGE = 'merge',
}
const _proofKindsMatch: SameValues<`${IdentityProofKindEnum}`, IdentityProofKind> = true;

registerEnumType(IdentityProofKindEnum, {
  name: 'IdentityProofKind',
  description: 'A kind of evidence that ties an identity to its member (or a flag raised on it).',
  valuesMap: {
    SELF: { description: 'The identity created the member (a GitHub account seen first-hand, or an unlinked commit address).' },
    API: { description: "GitHub's REST API named the account as a commit's author, or linked the address to it." },
    NOREPLY: { description: 'An `ID+login@users.noreply.github.com` address: the id names the account (GitHub Docs, commit e-mail addresses).' },
    LOGIN: { description: 'Inferred from a login-only noreply address through the login\'s current holder.' },
    BOT_LIST: { description: "On Cambrian's maintained list of bots." },
    API_LINK: { description: "GitHub's API linked this address to an account as a commit author (conclusive)." },
    VERIFIED_EMAIL: { description: "A verified address of the member's GitHub account (conclusive)." },
    NOREPLY_ID_MISMATCH: {
      description: "A flag: a commit's noreply address names another account than GitHub's API author. Never merged.",
    },
    MERGE: { description: 'An admin or the merge sweep moved the identity here from another member (see `merges`).' },
  },
});

/** Kinds of evidence behind a merge suggestion. */
export enum SuggestionEvidenceKindEnum {
  API_LINK = 'api_link',
  VERIFIED_EMAIL = 'verified_email',
  NOREPLY_LOGIN = 'noreply_login',
  AUTHOR_NAME_IS_LOGIN = 'author_name_is_login',
}
const _suggestionKindsMatch: SameValues<`${SuggestionEvidenceKindEnum}`, SuggestionEvidenceKind> = true;

registerEnumType(SuggestionEvidenceKindEnum, {
  name: 'MergeEvidenceKind',
  description: 'Why two members may be one person. Names alone are never evidence.',
  valuesMap: {
    API_LINK: { description: "GitHub's API linked one member's commit address to the other's account (conclusive)." },
    VERIFIED_EMAIL: { description: "One member's address is a verified address of the other's account (conclusive)." },
    NOREPLY_LOGIN: { description: "A login-only noreply address names the login the other's account holds now (weak: logins are reused)." },
    AUTHOR_NAME_IS_LOGIN: {
      description: "The git author name is the other's login, on commits in that account's repositories (weak: an admin decides).",
    },
  },
});

/** Status of a merge suggestion. */
export enum SuggestionStatusEnum {
  OPEN = 'open',
  ACCEPTED = 'accepted',
  REJECTED = 'rejected',
}
const _statusMatch: SameValues<`${SuggestionStatusEnum}`, SuggestionStatus> = true;

registerEnumType(SuggestionStatusEnum, {
  name: 'MergeSuggestionStatus',
  description: 'Where a merge suggestion stands.',
  valuesMap: {
    OPEN: { description: 'Waiting for an admin (or the merge sweep, when conclusive).' },
    ACCEPTED: { description: 'Merged (by an admin or the merge sweep).' },
    REJECTED: { description: 'Rejected by an admin, or its merge was undone: never suggested again on this evidence.' },
  },
});

@ObjectType('IdentityProof', { description: 'One reason an identity belongs to its member, or a flag raised on it.' })
export class IdentityProofObject {
  @Field(() => IdentityProofKindEnum, { description: 'Kind of evidence.' })
  kind: IdentityProofKindEnum;

  @Field({ description: 'What was found, in words (accounts by id and login; no e-mail addresses).' })
  detail: string;

  @Field({ description: 'When Cambrian observed it (UTC instant).' })
  observedAt: Date;
}

@ObjectType('MemberSnapshot', { description: 'A member as it was just before or just after a merge.' })
export class MemberSnapshotObject {
  @Field(() => ID, { description: 'Member id.' })
  id: string;

  @Field(() => MemberKindEnum, { description: 'Person or bot.' })
  kind: MemberKindEnum;

  @Field(() => String, { nullable: true, description: 'GitHub login then.' })
  login: string | null;

  @Field(() => String, { nullable: true, description: 'Display name then.' })
  displayName: string | null;

  @Field(() => ID, { nullable: true, description: 'The member it had been merged into, if any.' })
  mergedIntoId: string | null;
}

@ObjectType('MemberMergeSides', { description: 'Both members of a merge at one moment.' })
export class MemberMergeSidesObject {
  @Field(() => MemberSnapshotObject, { description: 'The member that kept the identities.' })
  into: MemberSnapshotObject;

  @Field(() => MemberSnapshotObject, { description: 'The member whose identities moved.' })
  from: MemberSnapshotObject;
}

@ObjectType('MemberMerge', {
  description: 'The audit record of one merge of two members (and of its undoing): what moved, who, when and why.',
})
export class MemberMergeObject {
  @Field(() => ID, { description: 'Merge id: pass it to `unmergeMember` to undo the merge.' })
  id: string;

  @Field(() => ID, { description: 'The member that kept the identities.' })
  intoMemberId: string;

  @Field(() => ID, { description: 'The member whose identities moved (kept as a row, marked merged).' })
  fromMemberId: string;

  @Field(() => [ID], { description: 'Identities moved.' })
  identityIds: string[];

  @Field(() => [ID], { description: "GitHub accounts (numeric ids) moved with them." })
  accountIds: number[];

  @Field(() => MemberMergeSidesObject, { description: 'Both members just before the merge (an unmerge restores this).' })
  before: MemberMergeSidesObject;

  @Field(() => MemberMergeSidesObject, { description: 'Both members just after the merge.' })
  after: MemberMergeSidesObject;

  @Field(() => Int, { description: 'Activities whose member changed.' })
  activitiesMoved: number;

  /** Resolved by MemberMergeMembersResolver (admin tokens only: an admin's words may hold personal data). */
  reason: string;

  @Field({ description: '`admin:<API token id>`, or `merge-sweep` for the scheduled sweep.' })
  mergedBy: string;

  @Field({ description: 'When (UTC instant).' })
  mergedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the merge was undone (UTC instant); null while it stands.' })
  unmergedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Who undid it.' })
  unmergedBy: string | null;

  /** Resolved by MemberMergeMembersResolver (admin tokens only). */
  unmergeReason: string | null;
}

@ObjectType('MergeSuggestion', {
  description: 'Two members that evidence says may be one person (admin tokens only: the evidence holds e-mail addresses).',
})
export class MergeSuggestionObject {
  @Field(() => ID, { description: 'Suggestion id.' })
  id: string;

  @Field(() => ID, { description: 'The member that would keep the identities (the one with the GitHub account).' })
  memberId: string;

  @Field(() => ID, { description: 'The member that would be merged into it.' })
  otherMemberId: string;

  @Field(() => SuggestionEvidenceKindEnum, { description: 'Kind of evidence.' })
  evidenceKind: SuggestionEvidenceKindEnum;

  @Access.asParent('Query.mergeSuggestions (admins)')
  @Field({
    description:
      'The evidence as JSON: the identity (`identityId`, `email`), the account (`accountId`, `login`), and per kind ' +
      '`gitName`, `commits`, `repositories`, `accountsNamed`, `observedAt`.',
  })
  evidenceJson: string;

  @Field({ description: 'Conclusive evidence is merged by the merge sweep; the rest waits for an admin.' })
  conclusive: boolean;

  @Field(() => SuggestionStatusEnum, { description: 'Where it stands.' })
  status: SuggestionStatusEnum;

  @Field(() => ID, { nullable: true, description: 'The merge that accepted it.' })
  mergeId: string | null;

  @Field({ description: 'When it was found (UTC instant).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was accepted or rejected (UTC instant).' })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Who decided: `admin:<API token id>` or `merge-sweep`.' })
  decidedBy: string | null;
}

@ObjectType('MergeSuggestionEdge', { description: 'A suggestion in a connection.' })
export class MergeSuggestionEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` to read the suggestions after this one.' })
  cursor: string;

  @Field(() => MergeSuggestionObject, { description: 'The suggestion.' })
  node: MergeSuggestionObject;
}

@ObjectType('MergeSuggestionConnection', { description: 'A page of merge suggestions, oldest first.' })
export class MergeSuggestionConnectionObject {
  @Field(() => [MergeSuggestionEdgeObject], { description: 'Suggestions of this page (by creation, then id).' })
  edges: MergeSuggestionEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Paging state.' })
  pageInfo: PageInfoObject;

  @Field(() => Int, { description: 'Suggestions with this status across all pages (open ones whose members merged since left out).' })
  totalCount: number;
}

@ArgsType()
export class MergeSuggestionsArgs {
  @Field(() => SuggestionStatusEnum, { defaultValue: SuggestionStatusEnum.OPEN, description: 'Which suggestions.' })
  status: SuggestionStatusEnum;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;
}

@ArgsType()
export class MergeMembersArgs {
  @Field(() => ID, { description: 'The member that keeps the identities.' })
  into: string;

  @Field(() => ID, { description: 'The member whose identities, accounts and activities move into `into`.' })
  from: string;

  @Field({ description: 'Why the two are one person (stored in the audit record; required, not blank).' })
  reason: string;
}

@ArgsType()
export class UnmergeMemberArgs {
  @Field(() => ID, { description: 'The merge to undo (`MemberMerge.id`).' })
  mergeId: string;

  @Field(() => String, { nullable: true, description: 'Why the merge was wrong (stored in the audit record).' })
  reason?: string | null;
}

@ArgsType()
export class DecideMergeSuggestionArgs {
  @Field(() => ID, { description: 'The suggestion (`MergeSuggestion.id`).' })
  id: string;

  @Field(() => String, { nullable: true, description: 'Reason stored with the merge (accept only); default: the evidence.' })
  reason?: string | null;
}

@ArgsType()
export class MemberForLoginArgs {
  @Field({ description: 'A GitHub login in any letter case, optionally with a leading `@`.' })
  login: string;
}
