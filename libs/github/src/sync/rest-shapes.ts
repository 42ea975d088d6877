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
}
