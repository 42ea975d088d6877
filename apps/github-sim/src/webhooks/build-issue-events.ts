import { renderIssue, renderIssueComment } from '../render/render-issue.js';
import { stableId } from '../seed/ids.js';
import { GENERATED_MARKER } from '../seed/generate-issues.js';
import type { IssueCommentRecord, IssueRecord, Snapshot } from '../seed/snapshot.types.js';
import type { WebhookDelivery } from './emit-webhooks.js';
import { envelope, webhookScope, type WebhookBuildOptions, type WebhookScope } from './webhook-context.js';

function findIssue(scope: WebhookScope, number: number | undefined): IssueRecord {
  const issues = scope.data.issues;
  const issue = number !== undefined ? scope.data.issueByNumber.get(number) : issues[issues.length - 1];
  if (!issue) throw new RangeError(`no generated issue ${number ?? ''} in ${scope.data.repository.fullName}`);
  return issue;
}

/**
 * An `issues` delivery with action `opened` for a GENERATED issue (default: the newest), shown as it was when
 * opened (open, no comments yet, updated_at = created_at). Sender: the issue's author.
 */
export function buildIssueOpenedDelivery(snapshot: Snapshot, fullName: string, options: WebhookBuildOptions & { number?: number } = {}): WebhookDelivery {
  const scope = webhookScope(snapshot, fullName, options);
  const issue = findIssue(scope, options.number);
  const asOpened: IssueRecord = { ...issue, state: 'open', stateReason: null, closedAt: null, updatedAt: issue.createdAt, comments: [] };
  return {
    event: 'issues',
    payload: { action: 'opened', issue: renderIssue(asOpened, scope.data.repository, scope.urls), ...envelope(scope, issue.user) },
  };
}

/**
 * An `issue_comment` delivery with action `created`: the first generated comment of the issue (default: the newest
 * generated issue that has one), or, when the issue has none, a GENERATED comment by the issue's author an hour
 * after creation. The `issue` object shows the issue with that comment counted.
 */
export function buildIssueCommentDelivery(snapshot: Snapshot, fullName: string, options: WebhookBuildOptions & { issueNumber?: number } = {}): WebhookDelivery {
  const scope = webhookScope(snapshot, fullName, options);
  const issue =
    options.issueNumber !== undefined ? findIssue(scope, options.issueNumber) : ([...scope.data.issues].reverse().find((i) => i.comments.length > 0) ?? findIssue(scope, undefined));
  const at = new Date(Date.parse(issue.createdAt) + 3_600_000).toISOString().replace('.000Z', 'Z');
  const comment: IssueCommentRecord = issue.comments[0] ?? {
    id: stableId('issueComment', `${scope.data.repository.fullName}#${issue.number}/webhook`),
    issueNumber: issue.number,
    user: issue.user,
    body: `${GENERATED_MARKER} A generated comment for a webhook delivery; not real discussion.`,
    createdAt: at,
    updatedAt: at,
    authorAssociation: issue.authorAssociation,
  };
  const issueAtComment: IssueRecord = { ...issue, comments: issue.comments.length > 0 ? issue.comments.slice(0, 1) : [comment], updatedAt: comment.createdAt };
  return {
    event: 'issue_comment',
    payload: {
      action: 'created',
      issue: renderIssue(issueAtComment, scope.data.repository, scope.urls),
      comment: renderIssueComment(comment, scope.data.repository, scope.urls),
      ...envelope(scope, comment.user),
    },
  };
}
