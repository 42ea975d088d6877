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
  /** Topics: the export has none (rendered `[]`); set with `POST /_sim/repositories/topics`. */
  topics?: string[];
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
  /** Label names: the export has none (rendered `[]`); set with `POST /_sim/pulls/labels`. */
  labels?: string[];
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
  /** GENERATED: names of labels of the repository's (generated) label set. */
  labels: string[];
}

/** A GENERATED label (GitHub's default label set of a new repository; ids generated). */
export interface LabelRecord {
  id: number;
  name: string;
  /** Six hex digits, no `#`. */
  color: string;
  description: string;
  default: boolean;
}

/** A GENERATED pull request review. `user` null = a deleted account (GitHub's `user: null`, case I1). */
export interface ReviewRecord {
  id: number;
  pullNumber: number;
  user: Account | null;
  state: 'APPROVED' | 'COMMENTED' | 'CHANGES_REQUESTED';
  body: string;
  /** UTC. */
  submittedAt: string;
  commitId: string;
  authorAssociation: AuthorAssociation;
}

/** A GENERATED pull request review comment (a comment on a diff line). `user` null = a deleted account. */
export interface ReviewCommentRecord {
  id: number;
  pullNumber: number;
  reviewId: number;
  user: Account | null;
  body: string;
  path: string;
  commitId: string;
  createdAt: string;
  updatedAt: string;
  authorAssociation: AuthorAssociation;
}

/** A GENERATED star: a real account and an invented `starred_at` (UTC). */
export interface StargazerRecord {
  user: Account;
  starredAt: string;
}

/** A GENERATED fork: a repository `<owner>/<name>` owned by a real account, created at an invented instant. */
export interface ForkRecord {
  id: number;
  owner: Account;
  name: string;
  fullName: string;
  createdAt: string;
}

/** A release made from a REAL tag (tag name, commit and date real; id, name, body and author GENERATED). */
export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string;
  body: string;
  author: Account;
  createdAt: string;
  publishedAt: string;
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
  /** GENERATED community data (see generate-community.ts). */
  labels: LabelRecord[];
  /** Ascending by submitted_at then id, all pull requests. */
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  /** Ascending by starred_at (GitHub lists stargazers oldest first). Mutable through `/_sim/stargazers`. */
  stargazers: StargazerRecord[];
  forks: ForkRecord[];
  releases: ReleaseRecord[];
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
