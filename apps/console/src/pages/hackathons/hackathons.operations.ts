import { graphql } from '../../graphql/generated/index.js';

/** One page of an ecosystem's hackathons, newest start first (drafts included for admins and organisers). */
export const HackathonsQuery = graphql(`
  query Hackathons($ecosystem: String, $first: Int!, $after: String) {
    hackathons(ecosystem: $ecosystem, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          slug
          name
          status
          startsAt
          endsAt
          ecosystemSlug
        }
      }
    }
  }
`);

/** The fields the create and edit forms show, and the overview of one hackathon. */
export const HackathonOverviewQuery = graphql(`
  query HackathonOverview($slug: String!) {
    hackathon(slug: $slug) {
      id
      slug
      name
      description
      status
      ecosystemSlug
      startsAt
      endsAt
      anywhereOnEarth
      registrationOpensAt
      registrationClosesAt
      minTeamSize
      maxTeamSize
      trackedTopic
      optInLabel
      eligibilityFrozenAt
      createdAt
      updatedAt
    }
  }
`);

/** Active registrations with their tags (personal fields: admins and organisers of the hackathon). */
export const HackathonRegistrationsQuery = graphql(`
  query HackathonRegistrations($slug: String!) {
    hackathon(slug: $slug) {
      id
      registrations {
        id
        registeredAt
        skills
        interests
        needs
        emailConsent
        member {
          id
          login
          displayName
        }
      }
    }
  }
`);

/** Teams with their members and captain. */
export const HackathonTeamsQuery = graphql(`
  query HackathonTeams($slug: String!) {
    hackathon(slug: $slug) {
      id
      minTeamSize
      maxTeamSize
      teams {
        id
        name
        createdAt
        members {
          isCaptain
          joinedAt
          member {
            id
            login
          }
        }
      }
    }
  }
`);

/** Resources sponsors offer, and each team's requests for them. */
export const HackathonResourcesQuery = graphql(`
  query HackathonResources($slug: String!) {
    hackathon(slug: $slug) {
      id
      resources {
        id
        name
        kind
        sponsor
        capacity
        perTeamMax
        eligibilityMinTeamSize
        eligibilitySkills
        tags
      }
      teams {
        id
        name
        resourceRequests {
          id
          rank
          amount
          kind
          resourceId
          tags
        }
      }
    }
  }
`);

/** The matching runs (last 20, newest first) with their progress, and the names to show allocations with. */
export const HackathonMatchingQuery = graphql(`
  query HackathonMatching($slug: String!) {
    hackathon(slug: $slug) {
      id
      resources {
        id
        name
      }
      matchingRuns {
        id
        status
        progress
        attempts
        error
        createdAt
        finishedAt
        publishedAt
        parentRunId
        objective
        stats {
          teams
          resources
          candidates
          allocations
          unitsAllocated
          pins
          solveMs
        }
      }
    }
  }
`);

/** One run's allocations and the per-team explanation of its draft. */
export const MatchingRunDetailQuery = graphql(`
  query MatchingRunDetail($id: ID!) {
    matchingRun(id: $id) {
      id
      status
      allocations {
        teamId
        resourceId
        units
        pinned
      }
      explanations {
        teamId
        teamName
        text
        received {
          resourceId
          rank
          units
          pinned
        }
        shortfalls {
          resourceId
          rank
          wanted
          got
          reason
        }
      }
    }
  }
`);

/** Creates a hackathon in DRAFT. */
export const CreateHackathonMutation = graphql(`
  mutation CreateHackathon(
    $ecosystem: String!
    $slug: String!
    $name: String!
    $description: String
    $startsAt: DateTime
    $endsAt: DateTime
    $registrationOpensAt: DateTime
    $registrationClosesAt: DateTime
    $minTeamSize: Int
    $maxTeamSize: Int
    $trackedTopic: String
    $optInLabel: String
  ) {
    createHackathon(
      ecosystem: $ecosystem
      slug: $slug
      name: $name
      description: $description
      startsAt: $startsAt
      endsAt: $endsAt
      registrationOpensAt: $registrationOpensAt
      registrationClosesAt: $registrationClosesAt
      minTeamSize: $minTeamSize
      maxTeamSize: $maxTeamSize
      trackedTopic: $trackedTopic
      optInLabel: $optInLabel
    ) {
      id
      slug
      status
    }
  }
`);

/** Changes a hackathon (absent arguments keep their value; the clear flags remove a window, topic or label). */
export const UpdateHackathonMutation = graphql(`
  mutation UpdateHackathon(
    $id: ID!
    $slug: String
    $name: String
    $description: String
    $startsAt: DateTime
    $endsAt: DateTime
    $registrationOpensAt: DateTime
    $registrationClosesAt: DateTime
    $clearRegistrationWindow: Boolean
    $minTeamSize: Int
    $maxTeamSize: Int
    $trackedTopic: String
    $clearTrackedTopic: Boolean
    $optInLabel: String
    $clearOptInLabel: Boolean
  ) {
    updateHackathon(
      id: $id
      slug: $slug
      name: $name
      description: $description
      startsAt: $startsAt
      endsAt: $endsAt
      registrationOpensAt: $registrationOpensAt
      registrationClosesAt: $registrationClosesAt
      clearRegistrationWindow: $clearRegistrationWindow
      minTeamSize: $minTeamSize
      maxTeamSize: $maxTeamSize
      trackedTopic: $trackedTopic
      clearTrackedTopic: $clearTrackedTopic
      optInLabel: $optInLabel
      clearOptInLabel: $clearOptInLabel
    ) {
      id
      slug
      name
      description
      status
      startsAt
      endsAt
      registrationOpensAt
      registrationClosesAt
      minTeamSize
      maxTeamSize
      trackedTopic
      optInLabel
      updatedAt
    }
  }
`);

/** Moves a hackathon one status forward. */
export const ChangeHackathonStatusMutation = graphql(`
  mutation ChangeHackathonStatus($id: ID!, $status: HackathonStatus!) {
    changeHackathonStatus(id: $id, status: $status) {
      id
      status
      updatedAt
    }
  }
`);

/** Adds a resource to a hackathon. */
export const CreateResourceMutation = graphql(`
  mutation CreateResource($hackathonId: ID!, $input: CreateResourceInput!) {
    createResource(hackathonId: $hackathonId, input: $input) {
      id
      name
    }
  }
`);

/** Starts a matching run (or returns the one queued or running). */
export const StartMatchingRunMutation = graphql(`
  mutation StartMatchingRun($hackathonId: ID!) {
    startMatchingRun(hackathonId: $hackathonId) {
      created
      run {
        id
        status
        progress
      }
    }
  }
`);

/** Publishes a draft run: each team of it is notified once. */
export const PublishMatchingRunMutation = graphql(`
  mutation PublishMatchingRun($id: ID!) {
    publishMatchingRun(id: $id) {
      notified
      run {
        id
        status
        publishedAt
      }
    }
  }
`);
