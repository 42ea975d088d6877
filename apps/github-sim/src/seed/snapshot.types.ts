import type { Account, AccountRegistry } from './accounts.js';

/** A git identity with its date converted to GitHub's UTC form. */
export interface GitSignature {
  name: string;
  email: string;
  /** UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
  date: string;
}

/** One repository as the sim serves it. Ids and dates marked GENERATED/approximate in the README. */
export interface RepositoryRecord {
  /** GENERATED: stableId('repository', full name). */
  id: number;
  owner: Account;
  name: string;
  fullName: string;
  defaultBranch: string;
  /** Default-branch head the export was taken at. */
  headSha: string;
  /** Approximation: the oldest default-branch committer date. */
  createdAt: string;
  /** Newest committer date among commits reachable from a branch or tag. */
  pushedAt: string;
  updatedAt: string;
}

/** One commit in one repository (a commit held by two repositories has a record in each). */
export interface CommitRecord {
  sha: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  /** Reconstructed: first line, then a blank line and Co-authored-by trailers when the data lists co-authors. */
  message: string;
  firstLine: string;
  /** Account GitHub would link (noreply addresses only), else null. */
  authorAccount: Account | null;
  committerAccount: Account | null;
  onDefaultBranch: boolean;
  reachableFrom: 'default_branch' | 'other_branch_or_tag' | 'pull_head_only';
  pullHeads: number[];
  /** Committer date, epoch milliseconds (for since/until). */
  committedAtMs: number;
  /** Position in the export (0 = newest); list order. */
  index: number;
}

/** How a pull request's merged state was decided. */
export type MergeEvidence = 'merge-commit' | 'head-in-default-branch' | 'none';

/** One pull request, derived from a pull ref (see derivePullRequests for the rules). */
export interface PullRequestRecord {
  /** GENERATED: pull request id. */
  id: number;
  /** GENERATED: id of the issue that backs the pull request (what /issues returns). */
  issueId: number;
  number: number;
  title: string;
  user: Account;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt: string | null;
  mergedBy: Account | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** `owner` is the head repository's owner (the merge message's LOGIN, else the pull request's user). */
  head: { sha: string; ref: string; owner: Account; sameRepository: boolean };
  base: { ref: string; sha: string };
  evidence: MergeEvidence;
  /** Commits of the head not in the default branch (from the export). */
  commitsNotInDefaultBranch: number;
  authorAssociation: AuthorAssociation;
}

/** GitHub's author_association values the sim can derive. */
export type AuthorAssociation = 'OWNER' | 'CONTRIBUTOR' | 'NONE';

/** A GENERATED issue comment. */
export interface IssueCommentRecord {
  /** GENERATED. */
  id: number;
  issueNumber: number;
  user: Account;
  body: string;
  createdAt: string;
  updatedAt: string;
  authorAssociation: AuthorAssociation;
}

/** A GENERATED issue (the export holds no issues). */
export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string;
  user: Account;
  state: 'open' | 'closed';
  stateReason: 'completed' | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  comments: IssueCommentRecord[];
  authorAssociation: AuthorAssociation;
}

/** A tag of the export. */
export interface TagRecord {
  name: string;
  commitSha: string;
  /** UTC tag (or tagged commit) date. */
  date: string;
}

/** Everything the sim holds for one repository, indexed for the routes. */
export interface RepositoryData {
  repository: RepositoryRecord;
  /** Export order, newest first. */
  commits: CommitRecord[];
  commitBySha: Map<string, CommitRecord>;
  defaultBranchCommits: CommitRecord[];
  tags: TagRecord[];
  /** Ascending by number. */
  pulls: PullRequestRecord[];
  pullByNumber: Map<number, PullRequestRecord>;
  /** Ascending by number. */
  issues: IssueRecord[];
  issueByNumber: Map<number, IssueRecord>;
}

/** The whole in-memory data set. */
export interface Snapshot {
  repositories: RepositoryData[];
  /** Key: lower-cased `owner/name`. */
  byFullName: Map<string, RepositoryData>;
  /** Repository owner accounts, by lower-cased login. */
  owners: Map<string, Account>;
  accounts: AccountRegistry;
}

/** Counts for logs and the CLI summary line. */
export interface SnapshotSummary {
  repositories: number;
  commits: number;
  pullRequests: number;
  generatedIssues: number;
  accounts: number;
  generatedAccounts: number;
}
