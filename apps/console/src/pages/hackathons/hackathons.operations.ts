import { graphql } from '../../graphql/generated/index.js';

/**
 * What the edit form changes on a hackathon, with its status and last change: the overview reads it,
 * and an update answers with it, so that the overview shows the update.
 */
export const HackathonSettingsFragment = graphql(`
  fragment HackathonSettings on Hackathon {
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
`);

/** A member as the hackathon pages name one (teams, judges, the judge to add): id and GitHub login. */
export const MemberLoginFragment = graphql(`
  fragment MemberLogin on Member {
    id
    login
  }
`);

/** What pinning and unpinning answer: whether a new run was created, and the run that re-solves. */
export const MatchingRunChangeFragment = graphql(`
  fragment MatchingRunChange on StartMatchingRunPayload {
    created
    run {
      id
      status
    }
  }
`);

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
      ...HackathonSettings
      ecosystemSlug
      anywhereOnEarth
      eligibilityFrozenAt
      createdAt
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
          ...MemberLogin
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
            ...MemberLogin
          }
        }
      }
    }
  }
`);

/** Resources sponsors offer, the units the published matching run allocated of them, and each team's requests. */
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
      publishedMatchingRun {
        id
        allocations {
          resourceId
          units
        }
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
      ...HackathonSettings
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

/** Changes a resource (only the fields given; null sponsor or minimum team size clears it). */
export const UpdateResourceMutation = graphql(`
  mutation UpdateResource($id: ID!, $input: UpdateResourceInput!) {
    updateResource(id: $id, input: $input) {
      id
      name
    }
  }
`);

/** Removes a resource with its requests, pins and allocations. */
export const DeleteResourceMutation = graphql(`
  mutation DeleteResource($id: ID!) {
    deleteResource(id: $id) {
      id
      name
    }
  }
`);

/** Changes a team's resource request on its behalf (rank, amount, tags). */
export const UpdateResourceRequestMutation = graphql(`
  mutation UpdateResourceRequest($id: ID!, $input: UpdateResourceRequestInput!) {
    updateResourceRequest(id: $id, input: $input) {
      id
    }
  }
`);

/** Withdraws a team's resource request on its behalf. */
export const DeleteResourceRequestMutation = graphql(`
  mutation DeleteResourceRequest($id: ID!) {
    deleteResourceRequest(id: $id) {
      id
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

/** Fixes units of a resource for a team and re-solves around the pins in a new run. */
export const PinAllocationMutation = graphql(`
  mutation PinAllocation($teamId: ID!, $resourceId: ID!, $units: Int!) {
    pinAllocation(teamId: $teamId, resourceId: $resourceId, units: $units) {
      ...MatchingRunChange
    }
  }
`);

/** Removes a pin and re-solves in a new run. */
export const UnpinAllocationMutation = graphql(`
  mutation UnpinAllocation($teamId: ID!, $resourceId: ID!) {
    unpinAllocation(teamId: $teamId, resourceId: $resourceId) {
      ...MatchingRunChange
    }
  }
`);

/** Submissions (one per team) with their pull requests. */
export const HackathonSubmissionsQuery = graphql(`
  query HackathonSubmissions($slug: String!) {
    hackathon(slug: $slug) {
      id
      submissions {
        id
        title
        description
        repositoryUrl
        links
        submittedAt
        updatedAt
        team {
          id
          name
        }
        pullRequests {
          id
          number
          title
          url
          merged
          state
          repositoryFullName
        }
      }
    }
  }
`);

/** Judges, criteria, submissions with their judges (to assign by hand) and how far judging is, per judge. */
export const HackathonJudgingQuery = graphql(`
  query HackathonJudging($slug: String!) {
    hackathon(slug: $slug) {
      id
      slug
      submissions {
        id
        title
        team {
          id
          name
        }
      }
      judgeAssignments {
        judgeId
        submissionId
        member {
          ...MemberLogin
        }
      }
      judgingCriteria {
        id
        name
        description
        weight
        scaleMin
        scaleMax
      }
      judgingProgress {
        assignments
        completion
        criteria
        fullyScored
        partiallyScored
        notStarted
        judges {
          judgeId
          assigned
          fullyScored
          partiallyScored
          notStarted
          completion
          member {
            ...MemberLogin
          }
        }
      }
    }
  }
`);

/** The member holding a GitHub login (to add them as a judge). */
export const MemberForLoginQuery = graphql(`
  query MemberForLogin($login: String!) {
    memberForLogin(login: $login) {
      ...MemberLogin
    }
  }
`);

/** Makes a member a judge of the hackathon. */
export const AddJudgeMutation = graphql(`
  mutation AddJudge($hackathon: String!, $member: ID!) {
    addJudge(hackathon: $hackathon, member: $member) {
      id
    }
  }
`);

/** Adds a judging criterion. */
export const CreateJudgingCriterionMutation = graphql(`
  mutation CreateJudgingCriterion($hackathon: String!, $name: String!, $weight: Float!, $scaleMin: Float, $scaleMax: Float, $description: String) {
    createJudgingCriterion(hackathon: $hackathon, name: $name, weight: $weight, scaleMin: $scaleMin, scaleMax: $scaleMax, description: $description) {
      id
      name
    }
  }
`);

/** Changes a judging criterion (only the fields given). */
export const UpdateJudgingCriterionMutation = graphql(`
  mutation UpdateJudgingCriterion($id: ID!, $name: String, $description: String, $weight: Float, $scaleMin: Float, $scaleMax: Float) {
    updateJudgingCriterion(id: $id, name: $name, description: $description, weight: $weight, scaleMin: $scaleMin, scaleMax: $scaleMax) {
      id
      name
    }
  }
`);

/** Deletes a judging criterion nobody scored. */
export const DeleteJudgingCriterionMutation = graphql(`
  mutation DeleteJudgingCriterion($id: ID!) {
    deleteJudgingCriterion(id: $id) {
      id
      name
    }
  }
`);

/** Removes a judge with their assignments and scores. */
export const RemoveJudgeMutation = graphql(`
  mutation RemoveJudge($hackathon: String!, $member: ID!) {
    removeJudge(hackathon: $hackathon, member: $member) {
      id
    }
  }
`);

/** Assigns a judge to a submission by hand (conflicts of interest are refused). */
export const AssignJudgeMutation = graphql(`
  mutation AssignJudge($hackathon: String!, $judge: ID!, $submission: ID!) {
    assignJudge(hackathon: $hackathon, judge: $judge, submission: $submission) {
      judgeId
      submissionId
    }
  }
`);

/** Withdraws a judge's assignment to a submission, with their scores for it. */
export const UnassignJudgeMutation = graphql(`
  mutation UnassignJudge($hackathon: String!, $judge: ID!, $submission: ID!) {
    unassignJudge(hackathon: $hackathon, judge: $judge, submission: $submission) {
      judgeId
      submissionId
    }
  }
`);

/** Gives every submission up to judgesPerSubmission judges without conflicts of interest. */
export const AutoAssignJudgesMutation = graphql(`
  mutation AutoAssignJudges($hackathon: String!, $judgesPerSubmission: Int!) {
    autoAssignJudges(hackathon: $hackathon, judgesPerSubmission: $judgesPerSubmission) {
      created {
        judgeId
        submissionId
      }
      short {
        submissionId
        judges
      }
    }
  }
`);

/** Results from the current scores, raw or normalised per judge. */
export const HackathonResultsQuery = graphql(`
  query HackathonResults($slug: String!, $normalized: Boolean!) {
    hackathon(slug: $slug) {
      id
      judgingResults(normalized: $normalized) {
        normalized
        submissions {
          submissionId
          rank
          title
          teamName
          finalScore
          rawMean
          normalizedMean
          judgesCompleted
          tie {
            broken
            explanation
          }
        }
      }
    }
  }
`);

/** After-event retention of the participants. */
export const HackathonRetentionQuery = graphql(`
  query HackathonRetention($slug: String!) {
    hackathon(slug: $slug) {
      id
      endsAt
      retention {
        participants
        firstTimeContributors
        stillContributing {
          days
          at
          count
        }
      }
    }
  }
`);
