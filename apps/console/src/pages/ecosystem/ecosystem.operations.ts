import { graphql } from '../../graphql/generated/index.js';

/** The ecosystems to choose from. */
export const EcosystemsQuery = graphql(`
  query Ecosystems {
    ecosystems {
      slug
      name
      repositoryCount
    }
  }
`);

/**
 * One ecosystem: its tracked sources, and one page of its repositories (`first` from `offset`, by full name;
 * `repositoryCount` is the total) with their sync health totals. The per-resource health of a repository is
 * asked for when its row is opened ({@link RepositorySyncResourcesQuery}).
 */
export const EcosystemQuery = graphql(`
  query Ecosystem($slug: String!, $first: Int!, $offset: Int!) {
    ecosystem(slug: $slug) {
      slug
      name
      repositoryCount
      trackedSources {
        id
        kind
        name
        paused
        createdAt
      }
    }
    repositories(ecosystem: $slug, first: $first, offset: $offset) {
      id
      fullName
      isArchived
      syncHealth {
        lastSuccessAt
        lastStartedAt
        cursorAgeSeconds
        requests
        notModified
        share304
        failingResources
        runningResources
      }
    }
  }
`);

/** The per-resource sync health of one repository (by GitHub id), for its opened row. */
export const RepositorySyncResourcesQuery = graphql(`
  query RepositorySyncResources($ref: String!) {
    repository(ref: $ref) {
      id
      syncHealth {
        resources {
          resource
          status
          lastStartedAt
          lastSuccessAt
          cursorAgeSeconds
          requests
          share304
          items
          lastError
        }
      }
    }
  }
`);

/** Tracks an organisation, user or repository (tracking it again changes nothing). */
export const AddTrackedSourceMutation = graphql(`
  mutation AddTrackedSource($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {
    addTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name) {
      created
      trackedSource {
        id
        kind
        name
        paused
      }
    }
  }
`);

/** Pauses (paused: true) or resumes a tracked source: a paused source is neither listed nor synced. */
export const SetTrackedSourcePausedMutation = graphql(`
  mutation SetTrackedSourcePaused($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!, $paused: Boolean!) {
    setTrackedSourcePaused(ecosystem: $ecosystem, kind: $kind, name: $name, paused: $paused) {
      id
      name
      paused
    }
  }
`);

/** Stops tracking a source (its repositories and history stay). */
export const RemoveTrackedSourceMutation = graphql(`
  mutation RemoveTrackedSource($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {
    removeTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name)
  }
`);

/** Re-sync: repository discovery for the ecosystem, then a sync of each repository (background jobs). */
export const StartSyncMutation = graphql(`
  mutation StartSync($ecosystem: String!) {
    startSync(ecosystem: $ecosystem) {
      jobId
      status
    }
  }
`);
