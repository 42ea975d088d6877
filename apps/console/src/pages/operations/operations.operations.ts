import { graphql } from '../../graphql/generated/index.js';

/** One page of stored webhook deliveries, newest first, optionally of one status (no payloads). */
export const WebhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($first: Int!, $after: String, $status: WebhookDeliveryStatus) {
    webhookDeliveries(first: $first, after: $after, status: $status) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          deliveryId
          event
          action
          status
          attempts
          error
          receivedAt
        }
      }
    }
  }
`);

/** Queues the processing of one stored delivery again. */
export const RedeliverWebhookDeliveryMutation = graphql(`
  mutation RedeliverWebhookDelivery($id: ID!) {
    redeliverWebhookDelivery(id: $id) {
      outcome
      delivery {
        id
        status
        attempts
        error
      }
    }
  }
`);

/** The most recently failed background jobs of every queue (the api lists at most `first`). */
export const FailedJobsQuery = graphql(`
  query FailedJobs($first: Int!) {
    failedJobs(first: $first) {
      queue
      jobId
      name
      deliveryId
      error
      attempts
      maxAttempts
      failedAt
    }
  }
`);

/** Moves one failed job back to its queue with its attempts reset. */
export const RetryFailedJobMutation = graphql(`
  mutation RetryFailedJob($queue: Queue!, $jobId: ID!) {
    retryFailedJob(queue: $queue, jobId: $jobId) {
      queue
      jobId
    }
  }
`);

/** One page of the audit log, newest first. */
export const AuditEventsQuery = graphql(`
  query AuditEvents($first: Int!, $after: String) {
    auditEvents(first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      edges {
        node {
          id
          occurredAt
          actor
          actorRole
          operation
          targetType
          targetId
          status
          outcome
        }
      }
    }
  }
`);
