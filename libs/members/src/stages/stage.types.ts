/**
 * A member's place on the path from user to maintainer (DESIGN.md, "Stage"). The first five are
 * ranked; `LAPSED` is a contributor who stopped contributing (see stage-rules.ts).
 */
export type Stage = 'OBSERVER' | 'USER' | 'FIRST_TIME_CONTRIBUTOR' | 'REGULAR_CONTRIBUTOR' | 'MAINTAINER' | 'LAPSED';

/** The ranked stages, lowest first: the order of the funnel. */
export const RANKED_STAGES = ['OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER'] as const;

/** A ranked stage (every stage but LAPSED). */
export type RankedStage = (typeof RANKED_STAGES)[number];

/** Rank of a ranked stage: OBSERVER 1 … MAINTAINER 5 (0 is "no stage yet"). */
export function stageRank(stage: RankedStage): number {
  return RANKED_STAGES.indexOf(stage) + 1;
}

/** The ranked stage of rank 1–5. @throws RangeError for another number. */
export function rankedStage(rank: number): RankedStage {
  const stage = RANKED_STAGES[rank - 1];
  if (!stage) throw new RangeError(`no stage has rank ${rank}`);
  return stage;
}

/** What an activity means for the stage rules (see classify-activity.ts). */
export type StageSignal =
  /** starred or forked: OBSERVER */
  | 'observe'
  /** asked, reported, commented, opened or reviewed a pull request...: USER */
  | 'participate'
  /** an accepted contribution: FIRST_TIME_CONTRIBUTOR, REGULAR_CONTRIBUTOR by the window rule */
  | 'contribute'
  /** merged another member's pull request (counts towards MAINTAINER) */
  | 'merge_of_other'
  /** approved another member's pull request (counts towards MAINTAINER) */
  | 'approval_of_other';

/** One activity as the stage evaluation sees it. */
export interface StageEvent {
  /** `activity.id` of the activity (for a merge by this member: the author's `pull_request_merged`). */
  activityId: string;
  /** Tie-breaker between events at the same instant (the activity's source key): stable across sources. */
  sortKey: string;
  /** UTC instant of the activity. */
  occurredAt: Date;
  signal: StageSignal;
  /** Counted for the "ready for the next step" lists. */
  issueOpened?: boolean;
  pullRequestOpened?: boolean;
  /** A review or review comment on another member's pull request. */
  reviewOfOther?: boolean;
}

/** One stage change. */
export interface StageTransition {
  from: Stage | null;
  to: Stage;
  /** UTC instant: the causing activity's `occurred_at`; for LAPSED, last contribution + `lapsed.afterWeeks`. */
  at: Date;
  /** The causing activity (for LAPSED: the last contribution before the lapse). */
  activityId: string | null;
}

/** Everything the evaluation derives for one member in one ecosystem. */
export interface StageEvaluation {
  transitions: StageTransition[];
  /** Current stage (null when the member has no events). */
  stage: Stage | null;
  stageSince: Date | null;
  /** First instant each ranked stage (or a higher one) was reached, by stage. */
  reachedAt: Partial<Record<RankedStage, Date>>;
  /** Lapsed periods: from the lapse (exclusive) to the return (inclusive); `returnedAt` null while lapsed. */
  lapses: Array<{ lapsedAt: Date; returnedAt: Date | null }>;
  lastActivityAt: Date | null;
  /** Last accepted contribution or maintainer action. */
  lastContributionAt: Date | null;
  /** When the member lapses if nothing new arrives (contributors not lapsed), else null. */
  lapseDueAt: Date | null;
  /** ISO week starts (UTC Mondays, `YYYY-MM-DD`) of accepted contributions within the window ending at the last one. */
  contributionWeeks: string[];
  issuesOpened: number;
  pullRequestsOpened: number;
  reviewsOfOthers: number;
}
