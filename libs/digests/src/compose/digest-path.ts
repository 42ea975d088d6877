import type { StageRules } from '#libs/members';
import type { DigestNextStep, DigestStage } from './digest-content.types.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** A member's stored stage in one ecosystem (`member_stage`), as the next step needs it. */
export interface StoredStage {
  stage: DigestStage;
  /** UTC Mondays (`YYYY-MM-DD`) of ISO weeks with accepted contributions, from `member_stage.contribution_weeks`. */
  contributionWeeks: string[];
  /** First instants the member reached each contributor rank (for a lapsed member's return). */
  regularAt: Date | null;
  maintainerAt: Date | null;
}

/**
 * What the member's next stage takes, from the rules in force (libs/members stage-rules.ts):
 * - OBSERVER, USER → one accepted contribution makes a FIRST_TIME_CONTRIBUTOR;
 * - FIRST_TIME_CONTRIBUTOR → REGULAR_CONTRIBUTOR needs accepted contributions in `regular.minWeeks`
 *   distinct ISO weeks (UTC) among the `regular.windowWeeks` weeks ending with the contribution's week.
 *   Counting from the weeks already in the window at `asOf`, the answer is the fewest further
 *   contributions (each in a different week, from the week holding `asOf` on) that reach the rule
 *   before the oldest counted week leaves the window, and within how many weeks they must land;
 * - REGULAR_CONTRIBUTOR → MAINTAINER: `maintainer.minMergesOfOthers` merges or
 *   `maintainer.minApprovalsOfOthers` approvals of other members' pull requests;
 * - LAPSED → one accepted contribution returns the member to the rank they held;
 * - MAINTAINER has no next stage (null).
 * @param asOf UTC instant the digest is written for (the week's end): new contributions fall from its UTC ISO week on
 */
export function nextStep(stored: StoredStage, rules: StageRules, asOf: Date): DigestNextStep | null {
  switch (stored.stage) {
    case 'OBSERVER':
    case 'USER':
      return { kind: 'first_contribution', to: 'FIRST_TIME_CONTRIBUTOR' };
    case 'FIRST_TIME_CONTRIBUTOR':
      return regularStep(stored.contributionWeeks, rules, asOf);
    case 'REGULAR_CONTRIBUTOR':
      return { kind: 'maintainer', to: 'MAINTAINER', merges: rules.maintainer.minMergesOfOthers, approvals: rules.maintainer.minApprovalsOfOthers };
    case 'LAPSED':
      return { kind: 'return', to: stored.maintainerAt ? 'MAINTAINER' : stored.regularAt ? 'REGULAR_CONTRIBUTOR' : 'FIRST_TIME_CONTRIBUTOR' };
    case 'MAINTAINER':
      return null;
  }
}

function regularStep(contributionWeeks: string[], rules: StageRules, asOf: Date): DigestNextStep {
  const { minWeeks, windowWeeks } = rules.regular;
  // the first week a new contribution can fall in: the one holding `asOf` (the next one when `asOf` is a Monday 00:00 UTC)
  const first = utcMonday(asOf);
  const counted = [...new Set(contributionWeeks)]
    .map((day) => Date.parse(`${day}T00:00:00Z`))
    .filter((monday) => monday >= first - (windowWeeks - 1) * WEEK_MS && monday < asOf.getTime())
    .sort((a, b) => a - b);
  // keep the newest counted weeks that still leave room for the missing ones; dropping the oldest
  // week gives more time but needs one contribution more
  for (let dropped = 0; dropped <= counted.length; dropped += 1) {
    const kept = counted.slice(dropped);
    const needed = minWeeks - kept.length;
    // the last week whose window still holds the oldest kept week
    const last = (kept[0] ?? first) + (windowWeeks - 1) * WEEK_MS;
    // weeks from `first` to `last` in which a contribution adds a week (not one already counted)
    const withinWeeks = Math.round((last - first) / WEEK_MS) + 1 - kept.filter((monday) => monday >= first).length;
    if (needed >= 1 && needed <= withinWeeks) return { kind: 'regular', to: 'REGULAR_CONTRIBUTOR', needed, withinWeeks, minWeeks, windowWeeks };
  }
  return { kind: 'regular', to: 'REGULAR_CONTRIBUTOR', needed: minWeeks, withinWeeks: windowWeeks, minWeeks, windowWeeks };
}

/** UTC instant (ms) of the Monday 00:00 UTC that starts the ISO week holding `instant`. */
export function utcMonday(instant: Date): number {
  const day = Math.floor(instant.getTime() / DAY_MS) * DAY_MS;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
}
