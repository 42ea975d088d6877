/**
 * Source keys of activities (`activity.source_key`): one key per fact, the same whichever
 * source reports it (a webhook delivery, the REST/GraphQL sync, GH Archive), so the fact is
 * stored once (`ON CONFLICT (source_key) DO NOTHING`). Every ingestion path builds its keys
 * here and nowhere else; changing a format orphans the rows already stored under the old one.
 *
 * Ids are GitHub's numeric ids (repository, review, comment, release, fork repository, account),
 * never logins or names, which change. Facts that can happen once per object (a pull request is
 * opened and merged once) have no time in the key; facts that can repeat (closed, reopened) carry
 * the fact's own instant, in GitHub's UTC format with second precision (`2024-01-31T09:15:00Z`).
 */

/** Pull request facts with an activity of their own (`pull_request_<action>`). */
export type PullRequestAction = 'opened' | 'merged' | 'closed' | 'reopened';

/** Issue facts with an activity of their own (`issue_<action>`). */
export type IssueAction = 'opened' | 'closed' | 'reopened';

/**
 * `commit:<sha>` (lower-case hex) — a commit is one contribution however many repositories
 * contain it, so the key carries no repository.
 * @throws RangeError for an empty SHA.
 */
export function commitKey(sha: string): string {
  return `commit:${normalizeSha(sha)}`;
}

/**
 * `commit:<sha>:co:<lower-cased e-mail>` — the credit of one `Co-authored-by` trailer
 * (GitHub Docs, "Creating a commit with multiple authors"): each co-author's own fact.
 * @throws RangeError for an empty SHA or e-mail address.
 */
export function commitCoAuthorKey(sha: string, email: string): string {
  const address = email.trim().toLowerCase();
  if (!address) throw new RangeError('a co-author key needs an e-mail address');
  return `${commitKey(sha)}:co:${address}`;
}

/**
 * `pull_request:<repository id>:<number>:<action>[:<instant>]`.
 * `opened` and `merged` happen once per pull request; `closed` and `reopened` can happen
 * several times, so they need `at` (`closed_at`, or the time of the reopen event).
 * @throws RangeError when `at` is missing for closed/reopened, or is an invalid date.
 */
export function pullRequestKey(repositoryId: number, number: number, action: 'opened' | 'merged'): string;
export function pullRequestKey(repositoryId: number, number: number, action: 'closed' | 'reopened', at: Date): string;
export function pullRequestKey(repositoryId: number, number: number, action: PullRequestAction, at?: Date): string {
  return numberedKey('pull_request', repositoryId, number, action, action === 'closed' || action === 'reopened', at);
}

/**
 * `issue:<repository id>:<number>:<action>[:<instant>]`, with the same rule as
 * {@link pullRequestKey}: `closed` and `reopened` carry the event's instant.
 */
export function issueKey(repositoryId: number, number: number, action: 'opened'): string;
export function issueKey(repositoryId: number, number: number, action: 'closed' | 'reopened', at: Date): string;
export function issueKey(repositoryId: number, number: number, action: IssueAction, at?: Date): string {
  return numberedKey('issue', repositoryId, number, action, action !== 'opened', at);
}

/** `review:<review id>` — one submitted pull request review. */
export function reviewKey(reviewId: number): string {
  return `review:${id(reviewId)}`;
}

/** `review_comment:<comment id>` — one pull request review comment (a comment on a diff line). */
export function reviewCommentKey(commentId: number): string {
  return `review_comment:${id(commentId)}`;
}

/** `issue_comment:<comment id>` — one comment on an issue or on a pull request's conversation. */
export function issueCommentKey(commentId: number): string {
  return `issue_comment:${id(commentId)}`;
}

/**
 * `star:<repository id>:<account id>` — an account starring a repository. GitHub keeps one star
 * per (repository, account): a removed and re-added star is the same key (see
 * `ActivityService.markRemoved` / `unmarkRemoved`).
 */
export function starKey(repositoryId: number, accountId: number): string {
  return `star:${id(repositoryId)}:${id(accountId)}`;
}

/** `fork:<fork repository id>` — a fork is identified by the repository it created. */
export function forkKey(forkRepositoryId: number): string {
  return `fork:${id(forkRepositoryId)}`;
}

/** `release:<release id>` — one published release. */
export function releaseKey(releaseId: number): string {
  return `release:${id(releaseId)}`;
}

/**
 * An instant in GitHub's UTC format with second precision (`2024-01-31T09:15:00Z`), so sources
 * that report milliseconds and sources that do not build the same key.
 * @throws RangeError for an invalid date.
 */
export function keyInstant(at: Date): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError(`invalid instant in a source key: ${String(at)}`);
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function numberedKey(
  kind: string,
  repositoryId: number,
  number: number,
  action: string,
  timed: boolean,
  at: Date | undefined,
): string {
  const base = `${kind}:${id(repositoryId)}:${id(number)}:${action}`;
  if (!timed) return base;
  if (!at) throw new RangeError(`${kind} ${action} keys need the event's instant`);
  return `${base}:${keyInstant(at)}`;
}

function id(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`invalid GitHub id in a source key: ${value}`);
  return value;
}

function normalizeSha(sha: string): string {
  const lower = sha.trim().toLowerCase();
  if (!lower) throw new RangeError('a commit key needs a SHA');
  return lower;
}
