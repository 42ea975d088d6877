import { issueCommentKey, issueKey } from '../activity-keys.js';
import { id, instant, object, text, type Json } from '../webhooks/normalize/payload-fields.js';
import type { ActivityDraft, GharchiveEvent, LoginActor } from './gharchive-event.js';
import { draftsFromWebhookPayload, LOGIN_ONLY_SENDER_ID, WEBHOOK_EVENT_OF, webhookCommits, webhookRepository } from './webhook-shapes.js';

/**
 * The activities of one timeline-format (pre-2015) GH Archive event. The actor is a login with
 * no numeric id; when the payload holds the actor's account (the pull request's author or
 * merger, the comment's or release's author), its id is used, otherwise the activity gets a
 * {@link LoginActor}, resolved at import time. Full payloads go through the webhook
 * normalisers as Events API ones do; reduced payloads are mapped here with the same keys:
 * - `IssuesEvent` `{ action, issue: <id>, number }` → `issue_opened` / `issue_closed` /
 *   `issue_reopened` by the actor, closed and reopened keyed by the event's `created_at`;
 * - `IssueCommentEvent` `{ comment_id, issue_id }` → `issue_comment` keyed by the comment id;
 * - `PushEvent` `shas: [[sha, email, message, name, distinct]]` → commits (e-mail authors);
 * - `WatchEvent` `started` → a star (keyed once the actor's account id is known);
 * - `ForkEvent` with an empty payload names no fork repository id → nothing (no shared key).
 * Pure.
 * @param repositoryId the repository's GitHub id (`repository.id`, or found by `owner/name`).
 */
export function mapTimelineEvent(event: GharchiveEvent, repositoryId: number): ActivityDraft[] {
  const type = text(event.type);
  const webhookEvent = type ? WEBHOOK_EVENT_OF[type] : undefined;
  const createdAt = instant(event.created_at);
  const fullName = timelineFullName(event);
  const login = text(event.actor) ?? text(object(event.actor_attributes)?.login);
  if (!webhookEvent || !createdAt || !fullName || !login) return [];
  const payload: Json = { ...(object(event.payload) ?? {}) };
  const actor: LoginActor = { kind: 'login', login };
  switch (type) {
    case 'IssuesEvent':
      if (typeof payload.issue === 'number') return reducedIssueEvent(payload, repositoryId, actor, createdAt);
      break;
    case 'IssueCommentEvent': {
      const commentId = id(payload.comment_id);
      if (!object(payload.comment) && commentId !== null) {
        return [draft('issue_comment', issueCommentKey(commentId), actor, createdAt, { issue_id: id(payload.issue_id) })];
      }
      break;
    }
    case 'PushEvent':
      payload.commits = Array.isArray(payload.commits) ? webhookCommits(payload.commits, createdAt) : shaCommits(payload.shas, createdAt);
      break;
    case 'WatchEvent':
      if (payload.action === 'started') payload.action = 'created';
      payload.starred_at = createdAt.toISOString();
      break;
  }
  const account = accountInPayload(payload, login);
  payload.repository = webhookRepository(repositoryId, fullName);
  payload.sender = account ?? { id: LOGIN_ONLY_SENDER_ID, login, type: text(object(event.actor_attributes)?.type) };
  return draftsFromWebhookPayload(webhookEvent, payload, createdAt, account ? null : login);
}

/** `owner/name` of a timeline event's `repository` (owner is a login string there). */
export function timelineFullName(event: GharchiveEvent): string | null {
  const repository = object(event.repository);
  const owner = text(repository?.owner) ?? text(object(repository?.owner)?.login);
  const name = text(repository?.name);
  return owner && name ? `${owner}/${name}` : null;
}

function reducedIssueEvent(payload: Json, repositoryId: number, actor: LoginActor, createdAt: Date): ActivityDraft[] {
  const number = id(payload.number);
  if (number === null) return [];
  const facts = { number, issue_id: id(payload.issue) };
  switch (payload.action) {
    case 'opened':
      return [draft('issue_opened', issueKey(repositoryId, number, 'opened'), actor, createdAt, facts)];
    case 'closed':
      return [draft('issue_closed', issueKey(repositoryId, number, 'closed', createdAt), actor, createdAt, facts)];
    case 'reopened':
      return [draft('issue_reopened', issueKey(repositoryId, number, 'reopened', createdAt), actor, createdAt, facts)];
    default:
      return [];
  }
}

function draft(type: ActivityDraft['type'], sourceKey: string, actor: LoginActor, occurredAt: Date, facts: Record<string, unknown>): ActivityDraft {
  return { type, occurredAt, actor, source: 'gharchive', sourceKey, facts };
}

/** Timeline push commits `[sha, email, message, name, distinct]` as webhook push commits. */
function shaCommits(shas: unknown, createdAt: Date): Json[] {
  if (!Array.isArray(shas)) return [];
  return shas.flatMap((entry) => {
    if (!Array.isArray(entry)) return [];
    const [sha, email, message, name, distinct] = entry as unknown[];
    return [{ id: text(sha), author: { email: text(email), name: text(name) }, message: text(message) ?? '', distinct: distinct !== false, timestamp: createdAt.toISOString() }];
  });
}

/** The actor's own account object in the payload (same login, with a numeric id), if any. */
function accountInPayload(payload: Json, login: string): Json | null {
  const pr = object(payload.pull_request);
  const candidates = [pr?.user, pr?.merged_by, object(payload.comment)?.user, object(payload.release)?.author, object(payload.issue)?.user, object(payload.review)?.user];
  const wanted = login.toLowerCase();
  for (const candidate of candidates) {
    const account = object(candidate);
    if (account && id(account.id) !== null && text(account.login)?.toLowerCase() === wanted) return account;
  }
  return null;
}
