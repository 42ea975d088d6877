export { emitWebhooks, type EmitWebhooksOptions, type WebhookDelivery, type WebhookDeliveryResult } from './emit-webhooks.js';
export { signPayload } from './sign-payload.js';
export { buildPushDelivery } from './build-push.js';
export { buildPullRequestDelivery } from './build-pull-request.js';
export { buildIssueOpenedDelivery, buildIssueCommentDelivery } from './build-issue-events.js';
export { buildStarDelivery, buildForkDelivery, buildReleasePublishedDelivery } from './build-repository-events.js';
export { buildActivityDeliveries } from './build-activity.js';
export type { WebhookBuildOptions } from './webhook-context.js';
