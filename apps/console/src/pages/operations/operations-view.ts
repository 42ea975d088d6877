import type { AuditStatus, WebhookDeliveryStatus } from '../../graphql/generated/graphql.js';

/**
 * Request policy of the page's lists: what changes behind them (the worker processing deliveries, jobs failing,
 * changes audited) is not in the results of the page's own mutations, so a list shown again is read again
 * (the cached answer shows meanwhile).
 */
export const LIVE = 'cache-and-network' as const;

/** Where the api serves the queue dashboard (bull-board), for admins only (apps/api/src/queues/queue-board.ts). */
export const QUEUE_DASHBOARD_PATH = '/admin/queues/';

/**
 * The link to the queue dashboard in the console's `language` (`en` or `zh-CN`): the api serves the
 * dashboard's page in the language `?lng=` names (apps/api/src/queues/queue-board-language.ts); a language
 * chosen in the dashboard's own settings still wins.
 */
export function queueDashboardHref(language: string): string {
  return `${QUEUE_DASHBOARD_PATH}?lng=${encodeURIComponent(language)}`;
}

/**
 * Seconds between readings of the delivery list while it shows a delivery still RECEIVED (waiting for a
 * worker: just redelivered, or Redis away), so its outcome appears without a reload.
 */
export const WAITING_REFRESH_SECONDS = 3;

/** The delivery statuses the filter offers, in processing order. */
export const DELIVERY_STATUSES: WebhookDeliveryStatus[] = ['RECEIVED', 'PROCESSED', 'IGNORED', 'FAILED'];

/** Ant Design tag colour of a delivery status: waiting blue, done green, ignored grey, failed red. */
export function deliveryStatusColor(status: WebhookDeliveryStatus): string {
  const colors: Record<WebhookDeliveryStatus, string> = { RECEIVED: 'blue', PROCESSED: 'green', IGNORED: 'default', FAILED: 'red' };
  return colors[status];
}

/**
 * Whether "redeliver" is offered for a delivery: only while processing it could still change something
 * (RECEIVED or FAILED); the api leaves a PROCESSED or IGNORED one alone anyway (ALREADY_DONE).
 */
export function canRedeliver(status: WebhookDeliveryStatus): boolean {
  return status === 'RECEIVED' || status === 'FAILED';
}

/** Ant Design tag colour of an audit event's status. */
export function auditStatusColor(status: AuditStatus): string {
  const colors: Record<AuditStatus, string> = { OK: 'green', ERROR: 'red', PENDING: 'gold' };
  return colors[status];
}

/** Failed jobs shown at first, and added by each "show more" (the api lists at most {@link MAX_FAILED_JOBS}). */
export const FAILED_JOBS_STEP = 20;
/** The most failed jobs one request may ask for (the api's page-size limit). */
export const MAX_FAILED_JOBS = 100;

/**
 * How many failed jobs to ask for after "show more": one step more, up to {@link MAX_FAILED_JOBS}; the same
 * number when the last answer held fewer than asked (there are no more to show).
 */
export function nextFailedJobsLimit(current: number, received: number): number {
  if (received < current) return current;
  return Math.min(current + FAILED_JOBS_STEP, MAX_FAILED_JOBS);
}
