/** GraphQL operations the demo sends, exactly as a frontend or script would. */

export const ECOSYSTEM_QUERY = /* GraphQL */ `
  query DemoEcosystem($slug: String!) {
    ecosystem(slug: $slug) { slug name repositoryCount trackedSources { kind name } }
  }
`;

export const CREATE_ECOSYSTEM = /* GraphQL */ `
  mutation DemoCreateEcosystem($slug: String!, $name: String!) {
    createEcosystem(slug: $slug, name: $name) { slug }
  }
`;

export const ADD_TRACKED_SOURCE = /* GraphQL */ `
  mutation DemoTrack($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {
    addTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name) { __typename }
  }
`;

export const START_SYNC = /* GraphQL */ `
  mutation DemoStartSync($ecosystem: String!) {
    startSync(ecosystem: $ecosystem) { jobId status }
  }
`;

export const TOP_CONTRIBUTORS = /* GraphQL */ `
  query DemoTopContributors($first: Int!) {
    leaderboard(first: $first, period: { preset: LAST_365_DAYS }) {
      entries {
        rank score commits pullRequestsOpened pullRequestsMerged reviews issuesOpened comments
        member { login displayName }
      }
    }
  }
`;

/** Shape of {@link TOP_CONTRIBUTORS}'s answer. */
export interface TopContributors {
  leaderboard: {
    entries: Array<{
      rank: number;
      score: number;
      commits: number;
      pullRequestsOpened: number;
      pullRequestsMerged: number;
      reviews: number;
      issuesOpened: number;
      comments: number;
      member: { login: string | null; displayName: string | null };
    }>;
  };
}
