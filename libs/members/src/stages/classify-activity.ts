import type { ActivityType } from '../activity.entity.js';
import type { StageEvent, StageSignal } from './stage.types.js';

/** An activity row as the stage evaluation loads it (see StageService). */
export interface StageActivityRow {
  activityId: string;
  type: ActivityType;
  occurredAt: Date;
  sourceKey: string;
  /** `actor`: the member did the activity; `merger`: the member merged the pull request of this `pull_request_merged`. */
  role: 'actor' | 'merger';
  /** `facts.state` of a review (`APPROVED`, `approved`, `CHANGES_REQUESTED`...), else null. */
  reviewState: string | null;
  /** `facts.merge` of a commit: a merge commit. */
  mergeCommit: boolean;
  /**
   * For reviews and review comments: whether the pull request's author is another member (true),
   * the same member (false), or unknown (null). For `merger` rows: whether the author is another member.
   */
  ofOther: boolean | null;
}

/**
 * What an activity means for the stage rules (stage-rules.ts): the signal and the counters of
 * the "ready for the next step" lists. Pure; table-driven spec beside it.
 * @returns null for a `merger` row whose pull request is the member's own (a self-merge is no maintainer action).
 */
export function classifyActivity(row: StageActivityRow): StageEvent | null {
  const base = { activityId: row.activityId, sortKey: `${row.sourceKey}\u0000${row.role}`, occurredAt: row.occurredAt };
  if (row.role === 'merger') return row.ofOther === false ? null : { ...base, signal: 'merge_of_other' };
  const signal = signalOf(row);
  const event: StageEvent = { ...base, signal };
  if (row.type === 'issue_opened') event.issueOpened = true;
  if (row.type === 'pull_request_opened') event.pullRequestOpened = true;
  if ((row.type === 'review' || row.type === 'review_comment') && (row.ofOther === true || signal === 'approval_of_other')) {
    event.reviewOfOther = true;
  }
  return event;
}

function signalOf(row: StageActivityRow): StageSignal {
  switch (row.type) {
    case 'star':
    case 'fork':
      return 'observe';
    case 'commit':
      return row.mergeCommit ? 'participate' : 'contribute';
    case 'pull_request_merged':
      return 'contribute';
    case 'review':
      // GitHub refuses an author's approval of their own pull request; a known self-author is ignored
      return row.reviewState?.toUpperCase() === 'APPROVED' && row.ofOther !== false ? 'approval_of_other' : 'participate';
    default:
      return 'participate';
  }
}
