import { graphql } from '../../graphql/generated/index.js';

/** One page of members ranked by matching activities (filter: repository, activity type, period, kinds). */
export const MembersQuery = graphql(`
  query Members($first: Int!, $after: String, $filter: MemberFilter) {
    members(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        cursor
        activityCount
        node {
          id
          login
          displayName
          kind
          stage {
            stage
            ecosystemSlug
          }
        }
      }
    }
  }
`);

/**
 * A member's page: identities with their proofs, stages and dated path, recent activities, affiliations, merges,
 * and hackathons (null when the viewer may not read them: the rest of the page still answers).
 */
export const MemberDetailQuery = graphql(`
  query MemberDetail($id: ID, $login: String, $activities: Int!) {
    member(id: $id, login: $login) {
      id
      login
      displayName
      avatarUrl
      kind
      createdAt
      mergedInto {
        id
        login
        displayName
      }
      stages {
        ecosystemSlug
        stage
        since
        firstSeenAt
        lastActivityAt
      }
      identities {
        id
        platform
        key
        githubLogin
        displayName
        email
        evidence
        createdAt
        proofs {
          kind
          detail
          observedAt
        }
      }
      path {
        id
        ecosystemSlug
        from
        to
        at
        activity {
          id
          type
          title
          url
          repository {
            fullName
          }
        }
      }
      recentActivities(first: $activities) {
        id
        type
        occurredAt
        title
        url
        repository {
          fullName
        }
        organization {
          name
        }
      }
      affiliations {
        id
        source
        startsAt
        endsAt
        organization {
          id
          name
        }
        evidence {
          domains
          company
          note
          setBy
        }
      }
      hackathons {
        registrationId
        status
        registeredAt
        withdrawnAt
        isCaptain
        hackathon {
          id
          slug
          name
          status
          ecosystemSlug
          startsAt
          endsAt
        }
        team {
          id
          name
        }
        submission {
          id
          title
          repositoryUrl
          links
        }
        result {
          rank
          score
          submissions
        }
        allocations {
          resourceId
          resourceName
          resourceKind
          units
        }
      }
      merges {
        id
        fromMemberId
        intoMemberId
        mergedAt
        mergedBy
        reason
        unmergedAt
        unmergedBy
        unmergeReason
        before {
          from {
            id
            login
            displayName
          }
          into {
            id
            login
            displayName
          }
        }
      }
    }
  }
`);

/** Looks a member up by GitHub login or id (the merge form names the other member by login). */
export const MemberLookupQuery = graphql(`
  query MemberLookup($id: ID, $login: String) {
    member(id: $id, login: $login) {
      id
      login
      displayName
      mergedInto {
        id
      }
    }
  }
`);

/** Organisations whose name or domain contains the text (the affiliation form's picker). */
export const OrganizationSearchQuery = graphql(`
  query OrganizationSearch($query: String) {
    organizations(first: 20, query: $query) {
      edges {
        node {
          id
          name
          isCustomer
        }
      }
    }
  }
`);

/** One page of merge suggestions with a status, oldest first. */
export const MergeSuggestionsQuery = graphql(`
  query MergeSuggestions($status: MergeSuggestionStatus!, $first: Int!, $after: String) {
    mergeSuggestions(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        cursor
        node {
          id
          evidenceKind
          conclusive
          evidenceJson
          createdAt
          decidedAt
          decidedBy
          status
          member {
            id
            login
            displayName
          }
          otherMember {
            id
            login
            displayName
          }
        }
      }
    }
  }
`);

/** Merges member `from` into member `into` (audited; undone with UnmergeMember). */
export const MergeMembersMutation = graphql(`
  mutation MergeMembers($into: ID!, $from: ID!, $reason: String!) {
    mergeMembers(into: $into, from: $from, reason: $reason) {
      id
      intoMemberId
      fromMemberId
    }
  }
`);

/** Undoes a merge exactly (audited). */
export const UnmergeMemberMutation = graphql(`
  mutation UnmergeMember($mergeId: ID!, $reason: String) {
    unmergeMember(mergeId: $mergeId, reason: $reason) {
      id
      unmergedAt
    }
  }
`);

/** Accepts an open merge suggestion: its other member merges into its member. */
export const AcceptMergeSuggestionMutation = graphql(`
  mutation AcceptMergeSuggestion($id: ID!) {
    acceptMergeSuggestion(id: $id) {
      id
      intoMemberId
    }
  }
`);

/** Rejects an open merge suggestion (never suggested again on this evidence). */
export const RejectMergeSuggestionMutation = graphql(`
  mutation RejectMergeSuggestion($id: ID!) {
    rejectMergeSuggestion(id: $id) {
      id
      status
    }
  }
`);

/** Records a manual affiliation over [startsAt, endsAt). */
export const SetAffiliationMutation = graphql(`
  mutation SetAffiliation($member: ID!, $organization: ID!, $startsAt: DateTime, $endsAt: DateTime, $note: String) {
    setAffiliation(member: $member, organization: $organization, startsAt: $startsAt, endsAt: $endsAt, note: $note) {
      id
    }
  }
`);

/** Deletes a manual affiliation. */
export const RemoveAffiliationMutation = graphql(`
  mutation RemoveAffiliation($id: ID!) {
    removeAffiliation(id: $id) {
      id
    }
  }
`);
