import type { ActivityInput, ActorRef } from '#libs/members';

/**
 * One line of an hourly GH Archive file (https://www.gharchive.org/), as parsed JSON. Two formats:
 * - **Events API** (2015-01-01 on): `{ id, type, actor: { id, login, ... }, repo: { id, name },
 *   payload, public, created_at, org? }` — the payloads are those of GitHub's Events API
 *   ("GitHub event types" in GitHub Docs), close to webhook payloads but without `repository`
 *   and `sender`;
 * - **timeline** (2011–2014): `{ type, actor: "<login>", actor_attributes: { login, email, ... },
 *   repository: { id?, name, owner: "<login>", ... }, payload, created_at, url }` — the actor is
 *   a login with no numeric id, and several payloads are reduced (`IssuesEvent` names the issue
 *   id and number only, `IssueCommentEvent` the comment and issue ids, `PushEvent` lists
 *   `shas: [[sha, email, message, name, distinct]]`, `ForkEvent` is empty).
 * GH Archive replaces the local part of every e-mail address with its SHA-1 (hex).
 */
export type GharchiveEvent = Record<string, unknown>;

/** The two GH Archive formats; see {@link GharchiveEvent}. */
export type GharchiveFormat = 'events-api' | 'timeline';

/**
 * An actor known only by login (timeline events): resolved to a stored GitHub account by a
 * case-insensitive login lookup at import time, or left unattributed when no account has it.
 */
export interface LoginActor {
  kind: 'login';
  login: string;
}

/** An activity of a GH Archive event before its repository and (login-only) actor are settled. */
export interface ActivityDraft extends Omit<ActivityInput, 'actor' | 'repositoryId' | 'sourceKey'> {
  actor: ActorRef | LoginActor;
  /**
   * The shared source key (`activity-keys.ts`); null only for a star by a login-only actor,
   * whose key (`star:<repository id>:<account id>`) needs the account id found at import time.
   */
  sourceKey: string | null;
}

/** The repository an event is about: GitHub's numeric id when the event has it, and `owner/name`. */
export interface EventRepository {
  id: number | null;
  fullName: string | null;
}

/** What one GH Archive event means, computed by a pure mapper. */
export interface MappedEvent {
  format: GharchiveFormat;
  /** The event's `type` (`PushEvent`...), or null for a line that is no event. */
  type: string | null;
  repository: EventRepository;
  activities: ActivityDraft[];
}

/**
 * The format of a parsed line: `timeline` when `actor` is a login string or the event has a
 * top-level `repository` object, `events-api` otherwise.
 */
export function detectFormat(event: GharchiveEvent): GharchiveFormat {
  return typeof event.actor === 'string' || (event.repository !== null && typeof event.repository === 'object') ? 'timeline' : 'events-api';
}
