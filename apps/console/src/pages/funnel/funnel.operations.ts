import { graphql } from '../../graphql/generated/index.js';

/** What the repository filter offers: the ecosystem's repositories (organisations: components/organization-select). */
export const FunnelFiltersQuery = graphql(`
  query FunnelFilters($ecosystem: String!) {
    repositories(ecosystem: $ecosystem) {
      id
      fullName
    }
  }
`);

/** The funnel of the filtered population (entry period [from, to), repository, organisation, non-paying only). */
export const FunnelQuery = graphql(`
  query Funnel($ecosystem: String!, $from: DateTime, $to: DateTime, $repository: String, $organization: ID, $nonPayingOnly: Boolean) {
    funnel(ecosystem: $ecosystem, from: $from, to: $to, repository: $repository, organization: $organization, nonPayingOnly: $nonPayingOnly) {
      entered
      lapsed
      from
      to
      steps {
        stage
        reached
        current
        conversionToNext
      }
    }
  }
`);

/**
 * The page of the cohort table shown: `first` rows (month × N) from `offset` of the cohorts of members first
 * seen in [from, to) at the chosen weeks (cohorts take no repository or organisation filter), and how many
 * rows there are in all.
 */
export const CohortPageQuery = graphql(`
  query CohortPage($ecosystem: String!, $from: DateTime, $to: DateTime, $weeks: [Int!]!, $first: Int!, $offset: Int!) {
    cohortPage(ecosystem: $ecosystem, from: $from, to: $to, weeks: $weeks, first: $first, offset: $offset) {
      totalCount
      offset
      rows {
        ...CohortFields
      }
    }
  }
`);

/** Every row of the cohort table (not one page), for the CSV export: asked for when the export is. */
export const CohortsExportQuery = graphql(`
  query CohortsExport($ecosystem: String!, $from: DateTime, $to: DateTime, $weeks: [Int!]!) {
    cohorts(ecosystem: $ecosystem, from: $from, to: $to, weeks: $weeks) {
      ...CohortFields
    }
  }
`);

/** What a cohort row shows (and exports). */
export const CohortFieldsFragment = graphql(`
  fragment CohortFields on Cohort {
    month
    weeks
    size
    pending
    stages {
      stage
      count
    }
  }
`);

/** One page of a "ready for the next step" list. */
export const ReadyForNextStepQuery = graphql(`
  query ReadyForNextStep($ecosystem: String!, $kind: ReadyKind!, $first: Int, $after: String) {
    readyForNextStep(ecosystem: $ecosystem, kind: $kind, first: $first, after: $after) {
      edges {
        cursor
        node {
          member {
            id
            login
            displayName
          }
          stage {
            stage
            since
            lastActivityAt
            contributionWeeksInWindow
            issuesOpened
            pullRequestsOpened
            reviewsOfOthers
          }
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);
