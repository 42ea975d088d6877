import type { ActivitySource, ActivityType } from '../activity.entity.js';
import type { IdentityEvidence, IdentityPlatform } from '../identity.entity.js';
import type { MemberKind } from '../member.entity.js';

/** A member as the read models return it. */
export interface MemberView {
  id: string;
  kind: MemberKind;
  /** Current GitHub login (null for members known only from git e-mail addresses). */
  login: string | null;
  displayName: string | null;
  /** GitHub's numeric id of the member's (most recently updated) account. */
  githubAccountId: number | null;
  avatarUrl: string | null;
  /** UTC instant the member was first recorded. */
  createdAt: Date;
}

/**
 * One identity of a member. `email` is filled only for callers allowed to see personal data;
 * for others the read model leaves e-mail identities out entirely.
 */
export interface IdentityView {
  id: string;
  memberId: string;
  platform: IdentityPlatform;
  githubAccountId: number | null;
  githubLogin: string | null;
  email: string | null;
  displayName: string | null;
  evidence: IdentityEvidence;
  createdAt: Date;
}

/** One activity with the few public facts worth showing. */
export interface ActivityView {
  id: string;
  type: ActivityType;
  /** UTC instant of the fact. */
  occurredAt: Date;
  repositoryId: number;
  memberId: string;
  source: ActivitySource;
  /** Title of the pull request, issue or release, or the commit's headline, when recorded. */
  title: string | null;
  /** Pull request or issue number. */
  number: number | null;
  /** Commit SHA (commits only). */
  sha: string | null;
  /** Link to the fact on GitHub, when recorded (null when `repositoryOwnerErased`: it names the owner). */
  url: string | null;
  /**
   * True when the activity is an erased member's in a repository owned by one of their erased
   * logins: answers about it withhold the repository's name (`withRepositoryNameWithheld`).
   */
  repositoryOwnerErased: boolean;
}

/** A repository as the read models return it (GitHub's numeric id is the key). */
export interface RepositoryView {
  id: number;
  ecosystemId: number | null;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string | null;
  isFork: boolean;
  isArchived: boolean;
  stargazersCount: number | null;
  forksCount: number | null;
  createdAt: Date | null;
  pushedAt: Date | null;
}

/** An ecosystem. */
export interface EcosystemView {
  id: number;
  slug: string;
  name: string;
  createdAt: Date;
}

/** One tracked organisation, user or repository of an ecosystem. */
export interface TrackedSourceView {
  id: number;
  ecosystemId: number;
  kind: 'organization' | 'user' | 'repository';
  name: string;
  paused: boolean;
  createdAt: Date;
}
