import type { ActivityType } from '../activity.entity.js';

/** The columns of a leaderboard entry and the activity types each one counts. */
export const LEADERBOARD_COUNTS = {
  /** Commits authored or co-authored (`Co-authored-by`); a commit in several repositories counts once. */
  commits: ['commit'],
  pullRequestsOpened: ['pull_request_opened'],
  pullRequestsMerged: ['pull_request_merged'],
  reviews: ['review'],
  issuesOpened: ['issue_opened'],
  /** Issue and pull request comments, and review comments. */
  comments: ['issue_comment', 'review_comment'],
} as const satisfies Record<string, readonly ActivityType[]>;

export type LeaderboardCountName = keyof typeof LEADERBOARD_COUNTS;

/**
 * Points per counted activity. Merged work weighs most, then the review and pull-request work
 * that gets it merged; stars, forks, closes and releases do not score.
 */
export const LEADERBOARD_WEIGHTS: Record<LeaderboardCountName, number> = {
  commits: 2,
  pullRequestsOpened: 3,
  pullRequestsMerged: 5,
  reviews: 3,
  issuesOpened: 2,
  comments: 1,
};

/** The activity types that score (a leaderboard ignores the rest). */
export const SCORED_ACTIVITY_TYPES: ActivityType[] = Object.values(LEADERBOARD_COUNTS).flat();

/** Largest weight a caller may give one count (keeps scores within a 32-bit integer). */
export const MAX_LEADERBOARD_WEIGHT = 100;

/** Weights as asked: any count left out keeps its default weight from {@link LEADERBOARD_WEIGHTS}. */
export type LeaderboardWeightsInput = Partial<Record<LeaderboardCountName, number | null>>;

/**
 * The weights to score with: the defaults overridden by `input`'s given values.
 * Validation (integers 0–{@link MAX_LEADERBOARD_WEIGHT}) is the caller's schema's job.
 */
export function resolveLeaderboardWeights(input?: LeaderboardWeightsInput | null): Record<LeaderboardCountName, number> {
  const weights = { ...LEADERBOARD_WEIGHTS };
  for (const name of Object.keys(weights) as LeaderboardCountName[]) {
    const value = input?.[name];
    if (value != null) weights[name] = value;
  }
  return weights;
}

/** Score of a set of counts: the sum of count × weight (the default weights unless given). */
export function leaderboardScore(
  counts: Record<LeaderboardCountName, number>,
  weights: Record<LeaderboardCountName, number> = LEADERBOARD_WEIGHTS,
): number {
  return (Object.keys(weights) as LeaderboardCountName[]).reduce((sum, name) => sum + counts[name] * weights[name], 0);
}

/** Human-readable weights, e.g. for a GraphQL description: `commits ×2, pull requests opened ×3, ...`. */
export function describeLeaderboardWeights(): string {
  const label: Record<LeaderboardCountName, string> = {
    commits: 'commits',
    pullRequestsOpened: 'pull requests opened',
    pullRequestsMerged: 'pull requests merged',
    reviews: 'reviews',
    issuesOpened: 'issues opened',
    comments: 'comments (issue, pull request and review comments)',
  };
  return (Object.keys(LEADERBOARD_WEIGHTS) as LeaderboardCountName[])
    .map((name) => `${label[name]} ×${LEADERBOARD_WEIGHTS[name]}`)
    .join(', ');
}
