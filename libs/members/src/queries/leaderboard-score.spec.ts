import {
  describeLeaderboardWeights,
  LEADERBOARD_WEIGHTS,
  leaderboardScore,
  resolveLeaderboardWeights,
  SCORED_ACTIVITY_TYPES,
} from './leaderboard-score.js';

const zero = { commits: 0, pullRequestsOpened: 0, pullRequestsMerged: 0, reviews: 0, issuesOpened: 0, comments: 0 };

describe('leaderboardScore', () => {
  it.each([
    [{ ...zero }, 0],
    [{ ...zero, commits: 10 }, 20],
    [{ ...zero, pullRequestsOpened: 1, pullRequestsMerged: 1 }, 8],
    [{ commits: 1, pullRequestsOpened: 1, pullRequestsMerged: 1, reviews: 1, issuesOpened: 1, comments: 1 }, 16],
  ])('%j scores %d', (counts, score) => {
    expect(leaderboardScore(counts)).toBe(score);
  });

  it('does not score stars, forks or releases', () => {
    expect(SCORED_ACTIVITY_TYPES).not.toEqual(expect.arrayContaining(['star']));
    expect(SCORED_ACTIVITY_TYPES).not.toContain('fork');
    expect(SCORED_ACTIVITY_TYPES).not.toContain('release');
  });

  it('describes every weight', () => {
    expect(describeLeaderboardWeights()).toBe(
      'commits ×2, pull requests opened ×3, pull requests merged ×5, reviews ×3, issues opened ×2, comments (issue, pull request and review comments) ×1',
    );
  });
});

describe('resolveLeaderboardWeights', () => {
  it('keeps the defaults for counts left out or null', () => {
    expect(resolveLeaderboardWeights(null)).toEqual(LEADERBOARD_WEIGHTS);
    expect(resolveLeaderboardWeights({ commits: null })).toEqual(LEADERBOARD_WEIGHTS);
  });

  it('overrides the counts given, zero included', () => {
    const weights = resolveLeaderboardWeights({ reviews: 10, comments: 0 });
    expect(weights).toEqual({ ...LEADERBOARD_WEIGHTS, reviews: 10, comments: 0 });
    expect(leaderboardScore({ ...zero, reviews: 2, comments: 5 }, weights)).toBe(20);
  });
});
