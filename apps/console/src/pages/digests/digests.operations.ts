import { graphql } from '../../graphql/generated/index.js';

/** A member's weekly digest for one ISO week in one language, as it would be sent (or why there is none). */
export const DigestPreviewQuery = graphql(`
  query DigestPreview($member: ID!, $week: String!, $locale: String) {
    digestPreview(member: $member, week: $week, locale: $locale) {
      member
      week
      locale
      timeZone
      weekStart
      weekEnd
      hasDigest
      emptyReason
      subject
      html
      text
    }
  }
`);

/** One page of the send ledger, newest row first, filtered by week and status. */
export const DigestSendsQuery = graphql(`
  query DigestSends($first: Int!, $after: String, $week: String, $status: DigestSendStatus) {
    digestSends(first: $first, after: $after, week: $week, status: $status) {
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        cursor
        node {
          id
          memberId
          member {
            id
            login
            displayName
          }
          week
          status
          email
          attempts
          reason
          lastError
          smtpReply
          createdAt
          updatedAt
          sentAt
        }
      }
    }
  }
`);

/** One page of the members who unsubscribed, latest first. */
export const DigestUnsubscribesQuery = graphql(`
  query DigestUnsubscribes($first: Int!, $after: String) {
    digestUnsubscribes(first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        cursor
        node {
          memberId
          member {
            id
            login
            displayName
          }
          email
          locale
          timeZone
          unsubscribedAt
          bouncedAt
        }
      }
    }
  }
`);

/** Starts the digests of an ended ISO week (one job per opted-in member without a ledger row for it; audited). */
export const StartDigestRunMutation = graphql(`
  mutation StartDigestRun($week: String!) {
    startDigestRun(week: $week) {
      week
      members
    }
  }
`);
