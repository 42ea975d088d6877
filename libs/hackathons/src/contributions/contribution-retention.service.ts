import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { loadParticipants } from './contribution-evaluator.js';
import { loadHackathonRules } from './hackathon-rules.js';

/** Length of the look-back window of "still contributing", in days. */
export const STILL_CONTRIBUTING_WINDOW_DAYS = 30;

/**
 * The window of "still contributing" `days` after the end: `(at − 30 days, at]` with
 * `at = endsAt + days` (UTC, exact days of 86,400 s), and whether `at` has passed at `now`.
 */
export function stillContributingWindow(endsAt: Date, days: number, now: Date): { from: Date; at: Date; known: boolean } {
  const at = new Date(endsAt.getTime() + days * 86_400_000);
  return { from: new Date(at.getTime() - STILL_CONTRIBUTING_WINDOW_DAYS * 86_400_000), at, known: at.getTime() <= now.getTime() };
}

/** "Still contributing" N days after the end. */
export interface RetentionPoint {
  /** Days after the event's end. */
  days: number;
  /** The instant checked: `ends_at` + `days` days (UTC). */
  at: Date;
  /** Participants still contributing at `at`; null while `at` is in the future (not known yet). */
  count: number | null;
}

/** After-event retention of a hackathon's participants. */
export interface HackathonRetention {
  /** Registered participants (not withdrawn), counted once per member (merges followed). */
  participants: number;
  /** Participants whose first accepted contribution fell inside the event window. */
  firstTimeContributors: number;
  /** Still contributing 30 and 90 days after the end. */
  stillContributing: RetentionPoint[];
}

/**
 * After-event retention (issue 5), from the member stages (libs/members/src/stages) and activities:
 * - first-time contributor: the participant's transition to `FIRST_TIME_CONTRIBUTOR` in the
 *   hackathon's ecosystem (`member_stage_transition`) happened inside `[starts_at, ends_at)` —
 *   the stage rules put it at the member's first accepted contribution;
 * - still contributing N days after the end: the participant has an accepted contribution — what
 *   the stage rules count as `contribute` (classify-activity.ts): a merged pull request credited
 *   to them, or a non-merge commit — in a repository of the ecosystem during the 30 days ending at
 *   `ends_at + N days`, i.e. in `(ends_at + N − 30 days, ends_at + N days]`. Reported for 30 and
 *   90 days, as null until that instant has passed.
 */
@Injectable()
export class ContributionRetentionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** @param hackathon slug or id. @throws ContributionException NOT_FOUND. */
  async retention(hackathon: string, now = new Date()): Promise<HackathonRetention> {
    const manager = this.dataSource.manager;
    const rules = await loadHackathonRules(manager, hackathon);
    const members = [...(await loadParticipants(manager, rules.id)).values()]
      .filter((participant) => participant.registration === 'registered')
      .map((participant) => participant.memberId);
    const [{ count: firstTime }]: Array<{ count: number }> = await manager.query(
      `SELECT count(DISTINCT member_id)::int AS count FROM member_stage_transition
       WHERE ecosystem_id = $1 AND member_id = ANY($2::uuid[]) AND to_stage = 'FIRST_TIME_CONTRIBUTOR' AND at >= $3 AND at < $4`,
      [rules.ecosystemId, members, rules.startsAt.toISOString(), rules.endsAt.toISOString()],
    );
    const stillContributing: RetentionPoint[] = [];
    for (const days of [30, 90]) {
      const { from, at, known } = stillContributingWindow(rules.endsAt, days, now);
      if (!known) {
        stillContributing.push({ days, at, count: null });
        continue;
      }
      const [{ count }]: Array<{ count: number }> = await manager.query(
        `SELECT count(DISTINCT a.member_id)::int AS count FROM activity a JOIN repository r ON r.id = a.repository_id
         WHERE a.member_id = ANY($1::uuid[]) AND r.ecosystem_id = $2 AND a.removed_at IS NULL
           AND a.occurred_at > $3 AND a.occurred_at <= $4
           AND (a.type = 'pull_request_merged' OR (a.type = 'commit' AND coalesce(a.facts->>'merge' = 'true', false) = false))`,
        [members, rules.ecosystemId, from.toISOString(), at.toISOString()],
      );
      stillContributing.push({ days, at, count });
    }
    return { participants: members.length, firstTimeContributors: firstTime, stillContributing };
  }
}
