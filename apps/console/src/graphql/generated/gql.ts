/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Ecosystems {\n    ecosystems {\n      slug\n      name\n      repositoryCount\n    }\n  }\n": typeof types.EcosystemsDocument,
    "\n  query Ecosystem($slug: String!) {\n    ecosystem(slug: $slug) {\n      slug\n      name\n      repositoryCount\n      trackedSources {\n        id\n        kind\n        name\n        paused\n        createdAt\n      }\n    }\n    repositories(ecosystem: $slug) {\n      id\n      fullName\n      isArchived\n      syncHealth {\n        lastSuccessAt\n        cursorAgeSeconds\n        requests\n        notModified\n        share304\n        failingResources\n        runningResources\n        resources {\n          resource\n          status\n          lastStartedAt\n          lastSuccessAt\n          cursorAgeSeconds\n          requests\n          share304\n          items\n          lastError\n        }\n      }\n    }\n  }\n": typeof types.EcosystemDocument,
    "\n  mutation AddTrackedSource($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {\n    addTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name) {\n      created\n      trackedSource {\n        id\n        kind\n        name\n        paused\n      }\n    }\n  }\n": typeof types.AddTrackedSourceDocument,
    "\n  mutation StartSync($ecosystem: String!) {\n    startSync(ecosystem: $ecosystem) {\n      jobId\n      status\n    }\n  }\n": typeof types.StartSyncDocument,
    "\n  query FunnelFilters($ecosystem: String!, $search: String) {\n    repositories(ecosystem: $ecosystem) {\n      id\n      fullName\n    }\n    organizations(first: 20, query: $search) {\n      edges {\n        node {\n          id\n          name\n          isCustomer\n        }\n      }\n    }\n  }\n": typeof types.FunnelFiltersDocument,
    "\n  query Funnel(\n    $ecosystem: String!\n    $from: DateTime\n    $to: DateTime\n    $repository: String\n    $organization: ID\n    $nonPayingOnly: Boolean\n    $weeks: [Int!]!\n  ) {\n    funnel(ecosystem: $ecosystem, from: $from, to: $to, repository: $repository, organization: $organization, nonPayingOnly: $nonPayingOnly) {\n      entered\n      lapsed\n      from\n      to\n      steps {\n        stage\n        reached\n        current\n        conversionToNext\n      }\n    }\n    cohorts(ecosystem: $ecosystem, from: $from, to: $to, weeks: $weeks) {\n      month\n      weeks\n      size\n      pending\n      stages {\n        stage\n        count\n      }\n    }\n  }\n": typeof types.FunnelDocument,
    "\n  query ReadyForNextStep($ecosystem: String!, $kind: ReadyKind!, $first: Int, $after: String) {\n    readyForNextStep(ecosystem: $ecosystem, kind: $kind, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          member {\n            id\n            login\n            displayName\n          }\n          stage {\n            stage\n            since\n            lastActivityAt\n            contributionWeeksInWindow\n            issuesOpened\n            pullRequestsOpened\n            reviewsOfOthers\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": typeof types.ReadyForNextStepDocument,
    "\n  query LeaderboardRepositories {\n    repositories {\n      id\n      fullName\n    }\n  }\n": typeof types.LeaderboardRepositoriesDocument,
    "\n  query Leaderboard($first: Int!, $period: PeriodInput, $repository: String, $weights: LeaderboardWeightsInput) {\n    leaderboard(first: $first, period: $period, repository: $repository, weights: $weights) {\n      since\n      until\n      weights {\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n      }\n      entries {\n        rank\n        score\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n        member {\n          id\n          login\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.LeaderboardDocument,
    "\n  query Viewer {\n    viewer {\n      kind\n      githubLogin\n      roles\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query Ecosystems {\n    ecosystems {\n      slug\n      name\n      repositoryCount\n    }\n  }\n": types.EcosystemsDocument,
    "\n  query Ecosystem($slug: String!) {\n    ecosystem(slug: $slug) {\n      slug\n      name\n      repositoryCount\n      trackedSources {\n        id\n        kind\n        name\n        paused\n        createdAt\n      }\n    }\n    repositories(ecosystem: $slug) {\n      id\n      fullName\n      isArchived\n      syncHealth {\n        lastSuccessAt\n        cursorAgeSeconds\n        requests\n        notModified\n        share304\n        failingResources\n        runningResources\n        resources {\n          resource\n          status\n          lastStartedAt\n          lastSuccessAt\n          cursorAgeSeconds\n          requests\n          share304\n          items\n          lastError\n        }\n      }\n    }\n  }\n": types.EcosystemDocument,
    "\n  mutation AddTrackedSource($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {\n    addTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name) {\n      created\n      trackedSource {\n        id\n        kind\n        name\n        paused\n      }\n    }\n  }\n": types.AddTrackedSourceDocument,
    "\n  mutation StartSync($ecosystem: String!) {\n    startSync(ecosystem: $ecosystem) {\n      jobId\n      status\n    }\n  }\n": types.StartSyncDocument,
    "\n  query FunnelFilters($ecosystem: String!, $search: String) {\n    repositories(ecosystem: $ecosystem) {\n      id\n      fullName\n    }\n    organizations(first: 20, query: $search) {\n      edges {\n        node {\n          id\n          name\n          isCustomer\n        }\n      }\n    }\n  }\n": types.FunnelFiltersDocument,
    "\n  query Funnel(\n    $ecosystem: String!\n    $from: DateTime\n    $to: DateTime\n    $repository: String\n    $organization: ID\n    $nonPayingOnly: Boolean\n    $weeks: [Int!]!\n  ) {\n    funnel(ecosystem: $ecosystem, from: $from, to: $to, repository: $repository, organization: $organization, nonPayingOnly: $nonPayingOnly) {\n      entered\n      lapsed\n      from\n      to\n      steps {\n        stage\n        reached\n        current\n        conversionToNext\n      }\n    }\n    cohorts(ecosystem: $ecosystem, from: $from, to: $to, weeks: $weeks) {\n      month\n      weeks\n      size\n      pending\n      stages {\n        stage\n        count\n      }\n    }\n  }\n": types.FunnelDocument,
    "\n  query ReadyForNextStep($ecosystem: String!, $kind: ReadyKind!, $first: Int, $after: String) {\n    readyForNextStep(ecosystem: $ecosystem, kind: $kind, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          member {\n            id\n            login\n            displayName\n          }\n          stage {\n            stage\n            since\n            lastActivityAt\n            contributionWeeksInWindow\n            issuesOpened\n            pullRequestsOpened\n            reviewsOfOthers\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n": types.ReadyForNextStepDocument,
    "\n  query LeaderboardRepositories {\n    repositories {\n      id\n      fullName\n    }\n  }\n": types.LeaderboardRepositoriesDocument,
    "\n  query Leaderboard($first: Int!, $period: PeriodInput, $repository: String, $weights: LeaderboardWeightsInput) {\n    leaderboard(first: $first, period: $period, repository: $repository, weights: $weights) {\n      since\n      until\n      weights {\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n      }\n      entries {\n        rank\n        score\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n        member {\n          id\n          login\n          displayName\n        }\n      }\n    }\n  }\n": types.LeaderboardDocument,
    "\n  query Viewer {\n    viewer {\n      kind\n      githubLogin\n      roles\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ecosystems {\n    ecosystems {\n      slug\n      name\n      repositoryCount\n    }\n  }\n"): (typeof documents)["\n  query Ecosystems {\n    ecosystems {\n      slug\n      name\n      repositoryCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ecosystem($slug: String!) {\n    ecosystem(slug: $slug) {\n      slug\n      name\n      repositoryCount\n      trackedSources {\n        id\n        kind\n        name\n        paused\n        createdAt\n      }\n    }\n    repositories(ecosystem: $slug) {\n      id\n      fullName\n      isArchived\n      syncHealth {\n        lastSuccessAt\n        cursorAgeSeconds\n        requests\n        notModified\n        share304\n        failingResources\n        runningResources\n        resources {\n          resource\n          status\n          lastStartedAt\n          lastSuccessAt\n          cursorAgeSeconds\n          requests\n          share304\n          items\n          lastError\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Ecosystem($slug: String!) {\n    ecosystem(slug: $slug) {\n      slug\n      name\n      repositoryCount\n      trackedSources {\n        id\n        kind\n        name\n        paused\n        createdAt\n      }\n    }\n    repositories(ecosystem: $slug) {\n      id\n      fullName\n      isArchived\n      syncHealth {\n        lastSuccessAt\n        cursorAgeSeconds\n        requests\n        notModified\n        share304\n        failingResources\n        runningResources\n        resources {\n          resource\n          status\n          lastStartedAt\n          lastSuccessAt\n          cursorAgeSeconds\n          requests\n          share304\n          items\n          lastError\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddTrackedSource($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {\n    addTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name) {\n      created\n      trackedSource {\n        id\n        kind\n        name\n        paused\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddTrackedSource($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {\n    addTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name) {\n      created\n      trackedSource {\n        id\n        kind\n        name\n        paused\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartSync($ecosystem: String!) {\n    startSync(ecosystem: $ecosystem) {\n      jobId\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation StartSync($ecosystem: String!) {\n    startSync(ecosystem: $ecosystem) {\n      jobId\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FunnelFilters($ecosystem: String!, $search: String) {\n    repositories(ecosystem: $ecosystem) {\n      id\n      fullName\n    }\n    organizations(first: 20, query: $search) {\n      edges {\n        node {\n          id\n          name\n          isCustomer\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FunnelFilters($ecosystem: String!, $search: String) {\n    repositories(ecosystem: $ecosystem) {\n      id\n      fullName\n    }\n    organizations(first: 20, query: $search) {\n      edges {\n        node {\n          id\n          name\n          isCustomer\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Funnel(\n    $ecosystem: String!\n    $from: DateTime\n    $to: DateTime\n    $repository: String\n    $organization: ID\n    $nonPayingOnly: Boolean\n    $weeks: [Int!]!\n  ) {\n    funnel(ecosystem: $ecosystem, from: $from, to: $to, repository: $repository, organization: $organization, nonPayingOnly: $nonPayingOnly) {\n      entered\n      lapsed\n      from\n      to\n      steps {\n        stage\n        reached\n        current\n        conversionToNext\n      }\n    }\n    cohorts(ecosystem: $ecosystem, from: $from, to: $to, weeks: $weeks) {\n      month\n      weeks\n      size\n      pending\n      stages {\n        stage\n        count\n      }\n    }\n  }\n"): (typeof documents)["\n  query Funnel(\n    $ecosystem: String!\n    $from: DateTime\n    $to: DateTime\n    $repository: String\n    $organization: ID\n    $nonPayingOnly: Boolean\n    $weeks: [Int!]!\n  ) {\n    funnel(ecosystem: $ecosystem, from: $from, to: $to, repository: $repository, organization: $organization, nonPayingOnly: $nonPayingOnly) {\n      entered\n      lapsed\n      from\n      to\n      steps {\n        stage\n        reached\n        current\n        conversionToNext\n      }\n    }\n    cohorts(ecosystem: $ecosystem, from: $from, to: $to, weeks: $weeks) {\n      month\n      weeks\n      size\n      pending\n      stages {\n        stage\n        count\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReadyForNextStep($ecosystem: String!, $kind: ReadyKind!, $first: Int, $after: String) {\n    readyForNextStep(ecosystem: $ecosystem, kind: $kind, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          member {\n            id\n            login\n            displayName\n          }\n          stage {\n            stage\n            since\n            lastActivityAt\n            contributionWeeksInWindow\n            issuesOpened\n            pullRequestsOpened\n            reviewsOfOthers\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReadyForNextStep($ecosystem: String!, $kind: ReadyKind!, $first: Int, $after: String) {\n    readyForNextStep(ecosystem: $ecosystem, kind: $kind, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          member {\n            id\n            login\n            displayName\n          }\n          stage {\n            stage\n            since\n            lastActivityAt\n            contributionWeeksInWindow\n            issuesOpened\n            pullRequestsOpened\n            reviewsOfOthers\n          }\n        }\n      }\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LeaderboardRepositories {\n    repositories {\n      id\n      fullName\n    }\n  }\n"): (typeof documents)["\n  query LeaderboardRepositories {\n    repositories {\n      id\n      fullName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Leaderboard($first: Int!, $period: PeriodInput, $repository: String, $weights: LeaderboardWeightsInput) {\n    leaderboard(first: $first, period: $period, repository: $repository, weights: $weights) {\n      since\n      until\n      weights {\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n      }\n      entries {\n        rank\n        score\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n        member {\n          id\n          login\n          displayName\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Leaderboard($first: Int!, $period: PeriodInput, $repository: String, $weights: LeaderboardWeightsInput) {\n    leaderboard(first: $first, period: $period, repository: $repository, weights: $weights) {\n      since\n      until\n      weights {\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n      }\n      entries {\n        rank\n        score\n        commits\n        pullRequestsOpened\n        pullRequestsMerged\n        reviews\n        issuesOpened\n        comments\n        member {\n          id\n          login\n          displayName\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      kind\n      githubLogin\n      roles\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      kind\n      githubLogin\n      roles\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;