import type { EntityManager } from 'typeorm';
import { refuseNul } from '../common/text-input.js';
import { ContributionException, ContributionExceptionCode } from './contribution.exception.js';
import type { HackathonRules } from './contribution.types.js';

interface HackathonRow {
  id: string;
  slug: string;
  ecosystem_id: number;
  status: string;
  starts_at: Date;
  ends_at: Date;
  opt_in_label: string | null;
  tracked_topic: string | null;
  eligibility_frozen_at: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The rules of the hackathon with this slug or id (the core's `hackathon` table, read with SQL).
 * @param lock take a row lock (`FOR UPDATE`) for the rest of the caller's transaction.
 * @throws ContributionException NOT_FOUND when there is none, INVALID for a NUL or overlong reference.
 */
export async function loadHackathonRules(manager: EntityManager, reference: string, lock = false): Promise<HackathonRules> {
  if (reference.length > 200) {
    throw new ContributionException('A hackathon is named by its slug or id (at most 200 characters)', ContributionExceptionCode.INVALID);
  }
  refuseNul({ hackathon: reference }, (message) => new ContributionException(message, ContributionExceptionCode.INVALID));
  const byId = UUID.test(reference);
  const rows: HackathonRow[] = await manager.query(
    `SELECT id, slug, ecosystem_id, status, starts_at, ends_at, opt_in_label, tracked_topic, eligibility_frozen_at
     FROM hackathon WHERE ${byId ? 'id = $1::uuid' : 'slug = $1'}${lock ? ' FOR UPDATE' : ''}`,
    [byId ? reference : reference.toLowerCase()],
  );
  const row = rows[0];
  if (!row) throw new ContributionException(`No hackathon "${reference}"`, ContributionExceptionCode.NOT_FOUND);
  return {
    id: row.id,
    slug: row.slug,
    ecosystemId: row.ecosystem_id,
    status: row.status,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    optInLabel: row.opt_in_label,
    trackedTopic: row.tracked_topic,
    frozenAt: row.eligibility_frozen_at,
  };
}

/**
 * Whether the event has closed, so that eligibility is due to be frozen: it is running and its
 * end instant has passed, or an organiser moved it on to judging or finished. A draft, or an event
 * still taking registrations, never closes by time: its window may still be corrected (a typo, or
 * an event set up after the fact over a past window), which a freeze would forbid.
 */
export function isClosed(rules: Pick<HackathonRules, 'endsAt' | 'status'>, now: Date): boolean {
  return (rules.status === 'running' && rules.endsAt.getTime() <= now.getTime()) || rules.status === 'judging' || rules.status === 'finished';
}
