import type { IdentityEvidence, IdentityPlatform } from '../identity.entity.js';
import type { MemberKind } from '../member.entity.js';

/** Who merged or decided: `admin:<api token id>` for an admin, {@link MERGE_SWEEP_ACTOR} for the sweep. */
export type MergeActor = string;

/** The actor recorded for merges and decisions made by the scheduled merge sweep. */
export const MERGE_SWEEP_ACTOR = 'merge-sweep';

/** The fields of a member a merge can change, as they were before or after it. */
export interface MemberSnapshot {
  id: string;
  kind: MemberKind;
  login: string | null;
  displayName: string | null;
  mergedIntoId: string | null;
}

/** One merge as audited in `member_merge` (and its undoing, when undone). UTC instants. */
export interface MergeView {
  id: string;
  intoMemberId: string;
  fromMemberId: string;
  /** Identities moved from `fromMemberId` into `intoMemberId`. */
  identityIds: string[];
  /** GitHub accounts (numeric ids) moved with them. */
  accountIds: number[];
  before: { into: MemberSnapshot; from: MemberSnapshot };
  after: { into: MemberSnapshot; from: MemberSnapshot };
  /** Activities whose member changed. */
  activitiesMoved: number;
  reason: string;
  mergedBy: MergeActor;
  mergedAt: Date;
  unmergedAt: Date | null;
  unmergedBy: MergeActor | null;
  unmergeReason: string | null;
}

/** Kinds of evidence behind a merge suggestion (see {@link MergeSuggestionService}). */
export type SuggestionEvidenceKind = 'api_link' | 'verified_email' | 'noreply_login' | 'author_name_is_login';

/** Status of a merge suggestion. */
export type SuggestionStatus = 'open' | 'accepted' | 'rejected';

/** A suggestion to merge `otherMemberId` into `memberId`, with the evidence behind it. */
export interface MergeSuggestionView {
  id: string;
  /** The member that would keep the identities (the one with the GitHub account). */
  memberId: string;
  /** The member that would be merged into `memberId`. */
  otherMemberId: string;
  evidenceKind: SuggestionEvidenceKind;
  /** What was found, for people: which identity, which account, which commits or names. */
  evidence: Record<string, unknown>;
  /** Conclusive evidence is merged by the sweep; the rest waits for an admin. */
  conclusive: boolean;
  status: SuggestionStatus;
  mergeId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: MergeActor | null;
}

/** Kinds of evidence that explain why an identity belongs to its member. */
export type IdentityProofKind =
  | IdentityEvidence
  | 'api_link'
  | 'verified_email'
  | 'noreply_id_mismatch'
  | 'merge';

/** One reason an identity is where it is (or a flag on it), with when it was observed (UTC). */
export interface IdentityProof {
  kind: IdentityProofKind;
  /** A sentence for people, e.g. "GitHub's API linked this address to account 4242 (oak-river)". */
  detail: string;
  observedAt: Date;
}

/** One identity of a member with the evidence that ties it to the member. */
export interface ExplainedIdentity {
  id: string;
  memberId: string;
  platform: IdentityPlatform;
  /** GitHub: the numeric account id; e-mail: the address (personal data); deleted: `ghost`. */
  key: string;
  displayName: string | null;
  proofs: IdentityProof[];
}

/** Result of one merge sweep run. */
export interface MergeSweepResult {
  /** Suggestions created by this run. */
  suggested: number;
  /** Conclusive suggestions merged by this run. */
  merged: number;
  /** Conclusive suggestions skipped (members merged meanwhile, kinds that never merge). */
  skipped: number;
}
