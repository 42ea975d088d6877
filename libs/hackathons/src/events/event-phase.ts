import { conflict } from '../common/hackathon.exception.js';
import type { HackathonStatus } from './hackathon.entity.js';

/** What {@link assertRegistrationOpen} reads of a hackathon. */
export interface RegistrationWindow {
  slug: string;
  status: HackathonStatus;
  /** Inclusive UTC instant, or null for no lower bound. */
  registrationOpensAt: Date | null;
  /** Exclusive UTC instant, or null for no upper bound. */
  registrationClosesAt: Date | null;
}

/**
 * Why a member cannot register (or change a registration) at `now`, or null when they can:
 * registration is open while the status is registration_open or running and `now` is inside the
 * registration window `[registrationOpensAt, registrationClosesAt)` (each bound optional).
 */
export function registrationClosedReason(hackathon: RegistrationWindow, now: Date): string | null {
  if (hackathon.status !== 'registration_open' && hackathon.status !== 'running') {
    return `registration for ${hackathon.slug} is not open (status ${hackathon.status})`;
  }
  if (hackathon.registrationOpensAt && now < hackathon.registrationOpensAt) {
    return `registration for ${hackathon.slug} opens at ${hackathon.registrationOpensAt.toISOString()}`;
  }
  if (hackathon.registrationClosesAt && now >= hackathon.registrationClosesAt) {
    return `registration for ${hackathon.slug} closed at ${hackathon.registrationClosesAt.toISOString()}`;
  }
  return null;
}

/** @throws HackathonException CONFLICT with {@link registrationClosedReason}'s words when registration is closed. */
export function assertRegistrationOpen(hackathon: RegistrationWindow, now: Date): void {
  const reason = registrationClosedReason(hackathon, now);
  if (reason) throw conflict(reason[0].toUpperCase() + reason.slice(1));
}

/**
 * Teams form, change and dissolve while the status is registration_open or running; from
 * judging on they are fixed (judges score them; results name them).
 * @throws HackathonException CONFLICT otherwise.
 */
export function assertTeamsOpen(hackathon: Pick<RegistrationWindow, 'slug' | 'status'>): void {
  if (hackathon.status !== 'registration_open' && hackathon.status !== 'running') {
    throw conflict(`Teams of ${hackathon.slug} can change only while registration is open or the event runs (status ${hackathon.status})`);
  }
}

/**
 * Submissions are made and edited only while the event runs; late edits (judging, finished) are
 * refused, so judges score what was there when judging started.
 * @throws HackathonException CONFLICT otherwise.
 */
export function assertSubmissionsOpen(hackathon: Pick<RegistrationWindow, 'slug' | 'status'>): void {
  if (hackathon.status !== 'running') {
    throw conflict(`Submissions to ${hackathon.slug} are accepted only while it runs (status ${hackathon.status})`);
  }
}
