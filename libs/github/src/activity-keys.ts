/**
 * Source keys of activities, shared by every path that reports GitHub facts (webhooks, the
 * REST sync, GH Archive). The same fact from any source yields the same key, so it is stored
 * once (`activity.source_key` is unique). Keys never depend on logins or names, which change.
 */

/** What happened to a pull request, as an activity suffix. */
export type PullRequestAction = 'opened' | 'merged' | 'closed' | 'reopened';

/**
 * Key of the commit activity: `commit:<sha>` (lower-case hex). A commit is one contribution
 * however many repositories contain it, so the key carries no repository.
 */
export function commitKey(sha: string): string {
  return `commit:${sha.toLowerCase()}`;
}

/**
 * Key of a co-author's credit on a commit: `commit:<sha>:co:<lower-cased e-mail>` (from a
 * `Co-authored-by` trailer; GitHub Docs, "Creating a commit with multiple authors").
 */
export function commitCoAuthorKey(sha: string, email: string): string {
  return `${commitKey(sha)}:co:${email.trim().toLowerCase()}`;
}

/**
 * Key of a pull request event: `pull_request:<repository id>:<number>:<action>`, with GitHub's
 * numeric repository id (stable across renames and transfers).
 */
export function pullRequestKey(repositoryId: number, number: number, action: PullRequestAction): string {
  return `pull_request:${repositoryId}:${number}:${action}`;
}
