import { graphql } from '../../graphql/generated/index.js';

/** The ecosystem's repositories, to narrow the scope to one (also names the repository of each waiting item). */
export const HealthRepositoriesQuery = graphql(`
  query HealthRepositories($ecosystem: String!) {
    repositories(ecosystem: $ecosystem) {
      id
      fullName
    }
  }
`);

/** The CHAOSS metrics of an ecosystem or one of its repositories over a window. */
export const CommunityMetricsQuery = graphql(`
  query CommunityMetrics($ecosystem: String, $repository: String, $period: PeriodInput) {
    communityMetrics(ecosystem: $ecosystem, repository: $repository, period: $period) {
      since
      until
      timeToFirstResponse {
        issues {
          items
          responded
          unresponded
          medianSeconds
          p90Seconds
        }
        pullRequests {
          items
          responded
          unresponded
          medianSeconds
          p90Seconds
        }
      }
      changeRequestClosureRatio {
        opened
        openDuringPeriod
        closed
        merged
        closedUnmerged
        ratio
      }
      contributorAbsenceFactor {
        factor
        contributorCount
        contributions
        contributors {
          contributions
          share
          member {
            id
            login
            displayName
          }
        }
      }
      newContributors(first: 10) {
        count
        contributors {
          firstContributionAt
          member {
            id
            login
            displayName
          }
        }
      }
      organizationalDiversity {
        contributions
        organizationCount
        unaffiliatedContributions
        unaffiliatedContributors
        organizations {
          organizationId
          name
          isCustomer
          contributions
          contributors
          share
        }
      }
    }
  }
`);

/** Where open issues and pull requests wait now: counts per step, and one page of the items of a step. */
export const ItemFlowQuery = graphql(`
  query ItemFlow($ecosystem: String, $repository: String, $kind: FlowItemKind, $step: FlowStep, $first: Int!, $after: String) {
    itemFlow(ecosystem: $ecosystem, repository: $repository, kind: $kind, step: $step, first: $first, after: $after) {
      asOf
      steps {
        kind
        step
        count
        medianWaitSeconds
        maxWaitSeconds
      }
      items {
        totalCount
        edges {
          node {
            id
            kind
            number
            title
            repositoryId
            step
            waitingSince
            waitedSeconds
            author {
              id
              login
            }
          }
        }
        pageInfo {
          endCursor
          hasNextPage
        }
      }
    }
  }
`);
