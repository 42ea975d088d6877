import { badInput, conflict } from '../common/hackathon.exception.js';
import { HACKATHON_STATUSES, type HackathonStatus } from './hackathon.entity.js';

/** Reads a status name. @throws HackathonException BAD_USER_INPUT for anything else. */
export function parseHackathonStatus(value: string): HackathonStatus {
  const status = value.trim().toLowerCase() as HackathonStatus;
  if (!HACKATHON_STATUSES.includes(status)) {
    throw badInput(`"${value}" is not a hackathon status (one of ${HACKATHON_STATUSES.join(', ')})`);
  }
  return status;
}

/** The status after `status`, or null for `finished`. */
export function nextHackathonStatus(status: HackathonStatus): HackathonStatus | null {
  return HACKATHON_STATUSES[HACKATHON_STATUSES.indexOf(status) + 1] ?? null;
}

/**
 * Checks a status change: an event moves draft → registration_open → running → judging →
 * finished, one step at a time, never back and never skipping a step (issue 5).
 * @throws HackathonException CONFLICT for a step back, a skip, or no change, naming the allowed next status.
 */
export function assertStatusTransition(from: HackathonStatus, to: HackathonStatus): void {
  const next = nextHackathonStatus(from);
  if (to === next) return;
  const allowed = next ? `the only next status is ${next}` : 'a finished hackathon does not change status';
  if (to === from) throw conflict(`The hackathon is already ${from}: ${allowed}`);
  const direction = HACKATHON_STATUSES.indexOf(to) < HACKATHON_STATUSES.indexOf(from) ? 'back' : 'forward past a step';
  throw conflict(`A hackathon cannot move ${direction} from ${from} to ${to}: ${allowed}`);
}
