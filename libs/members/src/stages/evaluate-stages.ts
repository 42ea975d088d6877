import type { StageRules } from './stage-rules.js';
import { rankedStage, RANKED_STAGES, type RankedStage, type Stage, type StageEvaluation, type StageEvent, type StageTransition } from './stage.types.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const FIRST_TIME = 3;
const REGULAR = 4;
const MAINTAINER = 5;

/** Start (Monday 00:00 UTC) of the ISO 8601 week containing `at`, in epoch milliseconds. */
export function isoWeekStart(at: Date): number {
  const day = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return day - weekday * DAY_MS;
}

/** Orders events as the evaluation does: by instant, then sort key (stable whatever the arrival order). */
export function compareStageEvents(a: StageEvent, b: StageEvent): number {
  const byTime = a.occurredAt.getTime() - b.occurredAt.getTime();
  if (byTime !== 0) return byTime;
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
}

/**
 * Evaluates one member's path in one ecosystem from all their events, by the rules in
 * stage-rules.ts. Pure and deterministic: the same events (in any order), rules and `now` give
 * the same transitions, which is what makes recomputation equal to the incremental path.
 *
 * @param events the member's events (any order; sorted here by {@link compareStageEvents}).
 * @param now UTC instant up to which lapses are applied (a lapse due later is `lapseDueAt`).
 */
export function evaluateStages(events: StageEvent[], rules: StageRules, now: Date): StageEvaluation {
  const sorted = [...events].sort(compareStageEvents);
  const transitions: StageTransition[] = [];
  const reachedAt: Partial<Record<RankedStage, Date>> = {};
  const lapses: StageEvaluation['lapses'] = [];
  const weeks = new Set<number>();
  const lapseAfterMs = rules.lapsed.afterWeeks * WEEK_MS;
  let rank = 0;
  let lapsed = false;
  let lastContribution: { at: Date; activityId: string } | null = null;
  let merges = 0;
  let approvals = 0;
  let issuesOpened = 0;
  let pullRequestsOpened = 0;
  let reviewsOfOthers = 0;

  const current = (): Stage | null => (lapsed ? 'LAPSED' : rank > 0 ? rankedStage(rank) : null);
  const promote = (to: number, event: StageEvent) => {
    for (let r = Math.max(rank, 0) + 1; r <= to; r += 1) reachedAt[rankedStage(r)] ??= event.occurredAt;
    transitions.push({ from: current(), to: rankedStage(to), at: event.occurredAt, activityId: event.activityId });
    rank = to;
    lapsed = false;
  };
  // the lapse comes first when an event falls at or after its instant
  const lapseIfDue = (upTo: Date) => {
    if (lapsed || rank < FIRST_TIME || !lastContribution) return;
    const due = new Date(lastContribution.at.getTime() + lapseAfterMs);
    if (due.getTime() > upTo.getTime()) return;
    transitions.push({ from: current(), to: 'LAPSED', at: due, activityId: lastContribution.activityId });
    lapses.push({ lapsedAt: due, returnedAt: null });
    lapsed = true;
  };

  for (const event of sorted) {
    lapseIfDue(event.occurredAt);
    if (event.issueOpened) issuesOpened += 1;
    if (event.pullRequestOpened) pullRequestsOpened += 1;
    if (event.reviewOfOther) reviewsOfOthers += 1;
    let earned = 0;
    switch (event.signal) {
      case 'observe':
        earned = 1;
        break;
      case 'participate':
        earned = 2;
        break;
      case 'contribute': {
        const week = isoWeekStart(event.occurredAt);
        weeks.add(week);
        const windowStart = week - (rules.regular.windowWeeks - 1) * WEEK_MS;
        let inWindow = 0;
        for (const w of weeks) if (w >= windowStart && w <= week) inWindow += 1;
        earned = inWindow >= rules.regular.minWeeks ? REGULAR : FIRST_TIME;
        break;
      }
      case 'merge_of_other':
        merges += 1;
        earned = merges >= rules.maintainer.minMergesOfOthers ? MAINTAINER : 2;
        break;
      case 'approval_of_other':
        approvals += 1;
        earned = approvals >= rules.maintainer.minApprovalsOfOthers ? MAINTAINER : 2;
        break;
    }
    const active = event.signal === 'contribute' || event.signal === 'merge_of_other' || event.signal === 'approval_of_other';
    if (active) lastContribution = { at: event.occurredAt, activityId: event.activityId };
    if (lapsed) {
      if (!active) continue;
      lapses[lapses.length - 1].returnedAt = event.occurredAt;
      promote(Math.max(rank, earned), event);
    } else if (earned > rank) {
      promote(earned, event);
    }
  }
  lapseIfDue(now);

  const last = sorted.at(-1) ?? null;
  const lastTransition = transitions.at(-1) ?? null;
  const lastWeek = lastContribution ? isoWeekStart(lastContribution.at) : null;
  const contributionWeeks =
    lastWeek === null
      ? []
      : [...weeks]
          .filter((w) => w <= lastWeek && w > lastWeek - rules.regular.windowWeeks * WEEK_MS)
          .sort((a, b) => b - a)
          .map((w) => new Date(w).toISOString().slice(0, 10));
  return {
    transitions,
    stage: current(),
    stageSince: lastTransition?.at ?? null,
    reachedAt,
    lapses,
    lastActivityAt: last?.occurredAt ?? null,
    lastContributionAt: lastContribution?.at ?? null,
    lapseDueAt: !lapsed && rank >= FIRST_TIME && lastContribution ? new Date(lastContribution.at.getTime() + lapseAfterMs) : null,
    contributionWeeks,
    issuesOpened,
    pullRequestsOpened,
    reviewsOfOthers,
  };
}

/** The ranked stages in funnel order (re-exported for callers that build per-stage rows). */
export const FUNNEL_STAGES: readonly RankedStage[] = RANKED_STAGES;
