import { createRequire } from 'node:module';
import { normalizeDelivery } from './normalize-delivery.js';

const require = createRequire(import.meta.url);
const definitions: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const example = (event: string, action: string) =>
  structuredClone(definitions.find((d) => d.name === event)!.examples.find((x) => x.action === action && !x.issue?.pull_request));
const context = { receivedAt: new Date('2024-06-01T00:00:00Z') };
const REPO = 186853002;

describe('normalizeIssues', () => {
  it('opened → issue_opened by the author at created_at, and the issue row with its labels', () => {
    const plan = normalizeDelivery('issues', example('issues', 'opened'), context);
    expect(plan.issues).toEqual([
      expect.objectContaining({ id: 444500041, repositoryId: REPO, number: 1, state: 'open', labels: ['bug'], author: expect.objectContaining({ id: 21031067 }) }),
    ]);
    expect(plan.activities).toEqual([
      expect.objectContaining({ type: 'issue_opened', sourceKey: `issue:${REPO}:1:opened`, occurredAt: new Date('2019-05-15T15:20:18Z') }),
    ]);
  });

  it('closed → issue_closed by the sender, keyed with closed_at', () => {
    const payload = example('issues', 'opened');
    Object.assign(payload, { action: 'closed' });
    Object.assign(payload.issue, { state: 'closed', closed_at: '2019-05-16T10:00:00Z', updated_at: '2019-05-16T10:00:00Z' });
    const plan = normalizeDelivery('issues', payload, context);
    expect(plan.issues[0]).toMatchObject({ state: 'closed', closedAt: new Date('2019-05-16T10:00:00Z') });
    expect(plan.activities.map((activity) => [activity.type, activity.sourceKey])).toEqual([
      ['issue_closed', `issue:${REPO}:1:closed:2019-05-16T10:00:00Z`],
    ]);
  });

  it('reopened → issue_reopened keyed with the event time (updated_at)', () => {
    const plan = normalizeDelivery('issues', example('issues', 'reopened'), context);
    expect(plan.activities.map((activity) => [activity.type, activity.sourceKey, activity.occurredAt])).toEqual([
      ['issue_reopened', `issue:${REPO}:1:reopened:2021-10-11T16:40:56Z`, new Date('2021-10-11T16:40:56Z')],
    ]);
  });

  it('drops NUL characters, which Postgres text cannot hold, from the fields it keeps', () => {
    const payload = example('issues', 'opened');
    payload.issue.title = 'Spelling\u0000 error';
    const plan = normalizeDelivery('issues', payload, context);
    expect([plan.issues[0].title, plan.activities[0].facts?.title]).toEqual(['Spelling error', 'Spelling error']);
  });

  it('labeled → the row is updated, no activity', () => {
    const plan = normalizeDelivery('issues', example('issues', 'labeled'), context);
    expect(plan).toMatchObject({ outcome: 'processed', activities: [] });
    expect(plan.issues).toHaveLength(1);
  });

  it.each(['deleted', 'transferred'])('ignores issues %s', (action) => {
    expect(normalizeDelivery('issues', example('issues', action), context).outcome).toBe('ignored');
  });

  it('leaves an issue that is a pull request to the pull request events', () => {
    const payload = definitions.find((d) => d.name === 'issues')!.examples.find((x) => x.issue.pull_request);
    expect(normalizeDelivery('issues', structuredClone(payload), context)).toMatchObject({ outcome: 'ignored', issues: [] });
  });

  it('I1: an issue by a deleted account (user: null) does not crash and credits the deleted account', () => {
    const payload = example('issues', 'opened');
    payload.issue.user = null;
    const plan = normalizeDelivery('issues', payload, context);
    expect(plan.issues[0].author).toBeNull();
    expect(plan.activities[0].actor).toEqual({ kind: 'github', account: null });
  });
});

describe('normalizeIssueComment', () => {
  it('created → issue_comment by the commenter at created_at', () => {
    const plan = normalizeDelivery('issue_comment', example('issue_comment', 'created'), context);
    expect(plan.activities).toEqual([
      expect.objectContaining({
        type: 'issue_comment',
        sourceKey: 'issue_comment:492700400',
        occurredAt: new Date('2019-05-15T15:20:21Z'),
        facts: expect.objectContaining({ number: 1, on_pull_request: false }),
      }),
    ]);
    expect(plan.issues).toHaveLength(1);
  });

  it('I1: {"id":1,"user":null,"body":"+1"} with the ghost sender → the deleted account', () => {
    const payload = example('issue_comment', 'created');
    payload.comment = { id: 1, user: null, body: '+1' };
    payload.sender = { login: 'ghost', id: 10137, type: 'User' };
    const plan = normalizeDelivery('issue_comment', payload, context);
    expect(plan.activities).toEqual([
      expect.objectContaining({ sourceKey: 'issue_comment:1', actor: { kind: 'github', account: null }, occurredAt: context.receivedAt }),
    ]);
  });

  it('counts a comment on a pull request without writing an issue row', () => {
    const payload = example('issue_comment', 'created');
    payload.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1' };
    const plan = normalizeDelivery('issue_comment', payload, context);
    expect(plan.issues).toEqual([]);
    expect(plan.activities[0].facts).toMatchObject({ on_pull_request: true });
  });

  it('W1: a comment delivery without repository is ignored, not an error', () => {
    const payload = JSON.parse(String.raw`{"action":"created","comment":{"body":"done \u001B[32mOK\u001b[0m \u2665 and a literal \\u0041"}}`);
    expect(normalizeDelivery('issue_comment', payload, context).outcome).toBe('ignored');
  });
});
