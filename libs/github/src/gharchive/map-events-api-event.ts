import { instant, object, text, type Json } from '../webhooks/normalize/payload-fields.js';
import type { ActivityDraft, GharchiveEvent } from './gharchive-event.js';
import { draftsFromWebhookPayload, WEBHOOK_EVENT_OF, webhookCommits, webhookRepository } from './webhook-shapes.js';

/**
 * The activities of one Events API (2015+) GH Archive event, via the webhook normalisers: the
 * payload gets the `repository` (from `repo`) and `sender` (from `actor`) that webhook payloads
 * carry, and the few differences of the Events API are bridged —
 * - `PushEvent` commits have `sha` instead of `id` and no `timestamp` (the event time is used);
 * - `PullRequestReviewEvent` says `created` where the webhook says `submitted`;
 * - `WatchEvent` (`started`) is a `star` `created` at the event's `created_at`.
 * Other types (Create, Delete, Gollum, Member, Public, CommitComment...) record nothing.
 * Pure.
 * @param repositoryId the event's repository (GitHub's numeric id, `repo.id`).
 */
export function mapEventsApiEvent(event: GharchiveEvent, repositoryId: number): ActivityDraft[] {
  const type = text(event.type);
  const webhookEvent = type ? WEBHOOK_EVENT_OF[type] : undefined;
  const createdAt = instant(event.created_at);
  const fullName = text(object(event.repo)?.name);
  if (!webhookEvent || !createdAt || !fullName) return [];
  const payload: Json = { ...(object(event.payload) ?? {}), repository: webhookRepository(repositoryId, fullName), sender: event.actor };
  switch (webhookEvent) {
    case 'push':
      payload.commits = webhookCommits(payload.commits, createdAt);
      break;
    case 'pull_request_review':
      if (payload.action === 'created') payload.action = 'submitted';
      break;
    case 'star':
      if (payload.action === 'started') payload.action = 'created';
      payload.starred_at = createdAt.toISOString();
      break;
  }
  return draftsFromWebhookPayload(webhookEvent, payload, createdAt, null);
}
