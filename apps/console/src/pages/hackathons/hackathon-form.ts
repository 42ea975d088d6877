import dayjs, { type Dayjs } from 'dayjs';
import type { HackathonStatus } from '../../graphql/generated/graphql.js';

/** What the create and edit forms hold: instants as Day.js values (UTC instants on the wire). */
export interface HackathonFormValues {
  name: string;
  slug: string;
  description?: string;
  /** The event window [startsAt, endsAt). */
  window: [Dayjs, Dayjs];
  /** The registration window [opens, closes); either end may be empty (null: while the status allows). */
  registrationWindow?: [Dayjs | null, Dayjs | null] | null;
  minTeamSize?: number | null;
  maxTeamSize?: number | null;
  trackedTopic?: string;
  optInLabel?: string;
}

/** A hackathon as the overview query answers it (the fields the edit form starts from). */
export interface HackathonFormSource {
  id: string;
  name: string;
  slug: string;
  description: string;
  startsAt: string;
  endsAt: string;
  registrationOpensAt?: string | null;
  registrationClosesAt?: string | null;
  minTeamSize: number;
  maxTeamSize: number;
  trackedTopic?: string | null;
  optInLabel?: string | null;
}

/** The order statuses follow (HackathonStatus in apps/api/schema.gql): one step forward at a time, never back. */
export const STATUS_ORDER: HackathonStatus[] = ['DRAFT', 'REGISTRATION_OPEN', 'RUNNING', 'JUDGING', 'FINISHED'];

/** The status a hackathon may move to next, or null once FINISHED. */
export function nextStatus(status: HackathonStatus): HackathonStatus | null {
  return STATUS_ORDER[STATUS_ORDER.indexOf(status) + 1] ?? null;
}

function blank(text: string | null | undefined): boolean {
  return text === undefined || text === null || text.trim() === '';
}

function trimmed(text: string | null | undefined): string | undefined {
  return blank(text) ? undefined : text!.trim();
}

/** The variables of createHackathon from the form (blank optional fields are left out, so the api's defaults apply). */
export function toCreateVariables(ecosystem: string, values: HackathonFormValues) {
  return {
    ecosystem,
    name: values.name.trim(),
    slug: values.slug.trim(),
    description: trimmed(values.description),
    startsAt: values.window[0].toISOString(),
    endsAt: values.window[1].toISOString(),
    registrationOpensAt: values.registrationWindow?.[0]?.toISOString(),
    registrationClosesAt: values.registrationWindow?.[1]?.toISOString(),
    minTeamSize: values.minTeamSize ?? undefined,
    maxTeamSize: values.maxTeamSize ?? undefined,
    trackedTopic: trimmed(values.trackedTopic),
    optInLabel: trimmed(values.optInLabel),
  };
}

/**
 * The variables of updateHackathon: every field the form shows is sent; a registration window, topic or
 * label emptied in the form is cleared with the api's clear flags (absent would keep the old value).
 */
export function toUpdateVariables(source: HackathonFormSource, values: HackathonFormValues) {
  const hadWindow = Boolean(source.registrationOpensAt || source.registrationClosesAt);
  const windowChanged = !values.window[0].isSame(source.startsAt) || !values.window[1].isSame(source.endsAt);
  const window = values.registrationWindow?.[0] || values.registrationWindow?.[1] ? values.registrationWindow : null;
  return {
    id: source.id,
    name: values.name.trim(),
    slug: values.slug.trim(),
    description: values.description?.trim() ?? '',
    // the window is sent only when changed: a hackathon set by calendar dates (anywhereOnEarth) keeps them
    ...(windowChanged ? { startsAt: values.window[0].toISOString(), endsAt: values.window[1].toISOString() } : {}),
    registrationOpensAt: window?.[0]?.toISOString(),
    registrationClosesAt: window?.[1]?.toISOString(),
    // clearing wins over values in the same call (the api clears both ends): a removed end is cleared here and
    // the remaining one set again by a second call (registrationWindowAfterClear)
    clearRegistrationWindow: hadWindow && (!window || (source.registrationOpensAt && !window[0]) || (source.registrationClosesAt && !window[1])) ? true : undefined,
    minTeamSize: values.minTeamSize ?? undefined,
    maxTeamSize: values.maxTeamSize ?? undefined,
    trackedTopic: trimmed(values.trackedTopic),
    clearTrackedTopic: !blank(source.trackedTopic) && blank(values.trackedTopic) ? true : undefined,
    optInLabel: trimmed(values.optInLabel),
    clearOptInLabel: !blank(source.optInLabel) && blank(values.optInLabel) ? true : undefined,
  };
}

/** The edit form's starting values from a hackathon. */
export function toFormValues(source: HackathonFormSource): HackathonFormValues {
  return {
    name: source.name,
    slug: source.slug,
    description: source.description,
    window: [dayjs(source.startsAt), dayjs(source.endsAt)],
    registrationWindow:
      source.registrationOpensAt || source.registrationClosesAt
        ? [source.registrationOpensAt ? dayjs(source.registrationOpensAt) : null, source.registrationClosesAt ? dayjs(source.registrationClosesAt) : null]
        : null,
    minTeamSize: source.minTeamSize,
    maxTeamSize: source.maxTeamSize,
    trackedTopic: source.trackedTopic ?? '',
    optInLabel: source.optInLabel ?? '',
  };
}

/**
 * When {@link toUpdateVariables} clears the registration window but the form keeps one end of it, the
 * variables of the second updateHackathon call that sets that end again; otherwise null.
 */
export function registrationWindowAfterClear(source: HackathonFormSource, values: HackathonFormValues) {
  const update = toUpdateVariables(source, values);
  if (!update.clearRegistrationWindow || (!update.registrationOpensAt && !update.registrationClosesAt)) return null;
  return { id: source.id, registrationOpensAt: update.registrationOpensAt, registrationClosesAt: update.registrationClosesAt };
}
