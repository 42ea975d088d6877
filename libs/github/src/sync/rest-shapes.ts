/**
 * The fields of GitHub REST objects the sync reads (GitHub Docs, REST API: "List commits",
 * "List pull requests", "List organization repositories"). Structural subsets of
 * `@octokit/openapi-types`, so real answers, recorded fixtures and small test shapes all fit.
 */

/** A `simple-user` (`author`, `user`, `merged_by`, `owner`). */
export interface RestAccount {
  id: number;
  login: string;
  type?: string | null;
  name?: string | null;
  avatar_url?: string | null;
}

/** A git signature inside a commit; dates are ISO 8601 (GitHub answers in UTC, `Z`). */
export interface RestGitSignature {
  name?: string | null;
  email?: string | null;
  date?: string | null;
}

/** An item of `GET /repos/{owner}/{repo}/commits`. */
export interface RestCommit {
  sha: string;
  commit: {
    author: RestGitSignature | null;
    committer: RestGitSignature | null;
    message: string;
  };
  /** The account GitHub linked to the author e-mail; `null` (or `{}`) when none. */
  author: RestAccount | Record<string, never> | null;
  committer?: RestAccount | Record<string, never> | null;
  parents: Array<{ sha: string }>;
}

/** An item of `GET /repos/{owner}/{repo}/pulls` (`pull-request-simple`). */
export interface RestPullRequest {
  id: number;
  number: number;
  title: string;
  state: string;
  /** `null` for a deleted account. */
  user: RestAccount | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  merged_at: string | null;
  merge_commit_sha?: string | null;
  /** Only in "Get a pull request" and webhooks, not in the list. */
  merged_by?: RestAccount | null;
  head: { sha: string; ref: string };
  base: { ref: string };
  /** The pull request's labels (in the list, the details and webhooks). */
  labels?: RestLabel[] | null;
}

/** A `repository` / `minimal-repository` object. */
export interface RestRepository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
  default_branch?: string | null;
  fork: boolean;
  archived?: boolean | null;
  stargazers_count?: number | null;
  forks_count?: number | null;
  created_at?: string | null;
  pushed_at?: string | null;
  /** The repository's topics (lower-case names; in listings and "Get a repository"). */
  topics?: string[] | null;
}

/** A label (`GET /repos/{owner}/{repo}/labels`; also inside issues). */
export interface RestLabel {
  id?: number;
  name: string;
  color?: string | null;
  description?: string | null;
  default?: boolean;
}

/**
 * An item of `GET /repos/{owner}/{repo}/issues`: an issue, or a pull request seen as an issue
 * (then it has a `pull_request` key; GitHub Docs, "List repository issues").
 */
export interface RestIssue {
  id: number;
  number: number;
  title: string;
  state: string;
  /** `null` for a deleted account. */
  user: RestAccount | null;
  /** Label objects (the API also accepts bare names in some places: both are read). */
  labels?: Array<RestLabel | string>;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Only in "Get an issue" and webhooks. */
  closed_by?: RestAccount | null;
  pull_request?: { url?: string; merged_at?: string | null } | null;
  html_url?: string;
}

/** An item of `GET /repos/{owner}/{repo}/issues/comments`. */
export interface RestIssueComment {
  id: number;
  user: RestAccount | null;
  created_at: string;
  updated_at: string;
  /** `…/repos/{owner}/{repo}/issues/{number}`: the issue or pull request commented on. */
  issue_url: string;
  html_url?: string;
}

/** An item of `GET /repos/{owner}/{repo}/pulls/comments` (a review comment on a diff line). */
export interface RestReviewComment {
  id: number;
  user: RestAccount | null;
  created_at: string;
  updated_at: string;
  pull_request_review_id?: number | null;
  /** `…/repos/{owner}/{repo}/pulls/{number}`. */
  pull_request_url: string;
  html_url?: string;
}

/** An item of `GET /repos/{owner}/{repo}/pulls/{number}/reviews`. */
export interface RestReview {
  id: number;
  user: RestAccount | null;
  state: string;
  /** Absent or null for a pending (unsubmitted) review. */
  submitted_at?: string | null;
  html_url?: string;
}

/** An item of `GET /repos/{owner}/{repo}/releases`. */
export interface RestRelease {
  id: number;
  tag_name: string;
  name?: string | null;
  draft: boolean;
  prerelease?: boolean;
  created_at: string;
  /** null for a draft. */
  published_at: string | null;
  author: RestAccount | null;
  html_url?: string;
}

/** An item of `GET /repos/{owner}/{repo}/stargazers` with `Accept: application/vnd.github.star+json`. */
export interface RestStargazer {
  starred_at: string;
  /** `null` for a deleted account. */
  user: RestAccount | null;
}

/** An item of `GET /repos/{owner}/{repo}/forks`: the fork repository. */
export interface RestFork {
  id: number;
  full_name: string;
  owner: RestAccount | null;
  created_at: string;
}
