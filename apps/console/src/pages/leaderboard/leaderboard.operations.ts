import { graphql } from '../../graphql/generated/index.js';

/** The tracked repositories to pick from. */
export const LeaderboardRepositoriesQuery = graphql(`
  query LeaderboardRepositories {
    repositories {
      id
      fullName
    }
  }
`);

/** The top members of a window, in one repository or all, scored with the weights given (the defaults for those left out). */
export const LeaderboardQuery = graphql(`
  query Leaderboard($first: Int!, $period: PeriodInput, $repository: String, $weights: LeaderboardWeightsInput) {
    leaderboard(first: $first, period: $period, repository: $repository, weights: $weights) {
      since
      until
      weights {
        commits
        pullRequestsOpened
        pullRequestsMerged
        reviews
        issuesOpened
        comments
      }
      entries {
        rank
        score
        commits
        pullRequestsOpened
        pullRequestsMerged
        reviews
        issuesOpened
        comments
        member {
          id
          login
          displayName
        }
      }
    }
  }
`);
