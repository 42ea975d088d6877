import { id, object, text } from '../webhooks/normalize/payload-fields.js';
import { detectFormat, type ActivityDraft, type EventRepository, type GharchiveEvent } from './gharchive-event.js';
import { mapEventsApiEvent } from './map-events-api-event.js';
import { mapTimelineEvent, timelineFullName } from './map-timeline-event.js';

/**
 * The repository of a GH Archive event: `repo { id, name }` (Events API) or
 * `repository { id?, owner, name }` (timeline; some have no id). Pure.
 */
export function eventRepository(event: GharchiveEvent): EventRepository {
  if (detectFormat(event) === 'timeline') return { id: id(object(event.repository)?.id), fullName: timelineFullName(event) };
  const repo = object(event.repo);
  return { id: id(repo?.id), fullName: text(repo?.name) };
}

/**
 * The activities of one GH Archive event of either format, with the source keys of the API and
 * webhooks; see {@link mapEventsApiEvent} and {@link mapTimelineEvent}. Pure.
 * @param repositoryId the event's repository id (from the event, or matched by name).
 */
export function mapGharchiveEvent(event: GharchiveEvent, repositoryId: number): ActivityDraft[] {
  return detectFormat(event) === 'timeline' ? mapTimelineEvent(event, repositoryId) : mapEventsApiEvent(event, repositoryId);
}
