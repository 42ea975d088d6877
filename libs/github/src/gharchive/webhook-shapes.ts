import type { ActivityInput } from '#libs/members';
import { normalizeDelivery } from '../webhooks/normalize/normalize-delivery.js';
import { instant, object, text, type Json } from '../webhooks/normalize/payload-fields.js';
import type { ActivityDraft, LoginActor } from './gharchive-event.js';

/**
 * GH Archive event types whose payload is (close to) the payload of a webhook event, and that
 * event's `X-GitHub-Event` name. `WatchEvent` is a star (GitHub Docs, "GitHub event types":
 * "WatchEvent ... related to starring a repository").
 */
export const WEBHOOK_EVENT_OF: Readonly<Record<string, string>> = {
  PushEvent: 'push',
  PullRequestEvent: 'pull_request',
  PullRequestReviewEvent: 'pull_request_review',
  PullRequestReviewCommentEvent: 'pull_request_review_comment',
  IssuesEvent: 'issues',
  IssueCommentEvent: 'issue_comment',
  WatchEvent: 'star',
  ForkEvent: 'fork',
  ReleaseEvent: 'release',
};

/**
 * Stands for a sender known only by login (timeline events) while a payload goes through the
 * webhook normalisers; activities credited to it become {@link LoginActor}s. Never a real id
 * (GitHub ids are far below 2^53).
 */
export const LOGIN_ONLY_SENDER_ID = Number.MAX_SAFE_INTEGER;

/** The repository object of a webhook payload for an event's repository. */
export function webhookRepository(repositoryId: number, fullName: string): Json {
  const [owner, name] = fullName.split('/');
  return { id: repositoryId, name, full_name: fullName, owner: { login: owner } };
}

/**
 * Runs a GH Archive payload through the webhook normaliser of `webhookEvent` (one mapping for
 * both sources, so the keys and the credited actor are the same) and turns its activities into
 * drafts with source `gharchive`. Push commits get the event's `created_at` as their time when
 * they carry none (Events API commits are not dated); the first source to store a commit wins,
 * so a later API sync keeps this row's time.
 * @param payload the payload with `repository` and `sender` filled in.
 * @param loginOnlySender the sender's login when the payload's sender is the
 *   {@link LOGIN_ONLY_SENDER_ID} stand-in, else null.
 */
export function draftsFromWebhookPayload(webhookEvent: string, payload: Json, createdAt: Date, loginOnlySender: string | null): ActivityDraft[] {
  const plan = normalizeDelivery(webhookEvent, payload, { receivedAt: createdAt });
  return plan.activities.map((activity) => toDraft(activity, loginOnlySender));
}

function toDraft(activity: ActivityInput, loginOnlySender: string | null): ActivityDraft {
  const { repositoryId: _repositoryId, ...rest } = activity;
  const byLoginOnly = activity.actor.kind === 'github' && activity.actor.account?.id === LOGIN_ONLY_SENDER_ID;
  const actor: ActivityDraft['actor'] =
    byLoginOnly && loginOnlySender ? ({ kind: 'login', login: loginOnlySender } satisfies LoginActor) : activity.actor;
  // a star of a login-only sender is keyed by the account id found at import time
  const sourceKey = loginOnlySender !== null && activity.type === 'star' ? null : activity.sourceKey;
  return { ...rest, actor, sourceKey, source: 'gharchive' };
}

/**
 * Push commits as the webhook normaliser reads them (`id`, `timestamp`) from the Events API's
 * `{ sha, author: { email, name }, message, distinct }`.
 */
export function webhookCommits(commits: unknown, createdAt: Date): Json[] {
  if (!Array.isArray(commits)) return [];
  return commits.map((value) => {
    const commit = object(value) ?? {};
    return { ...commit, id: text(commit.id) ?? text(commit.sha), timestamp: instant(commit.timestamp) ? commit.timestamp : createdAt.toISOString() };
  });
}
