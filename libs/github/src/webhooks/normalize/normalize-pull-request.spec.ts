import { createRequire } from 'node:module';
import { normalizeDelivery } from './normalize-delivery.js';

const require = createRequire(import.meta.url);
const definitions: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const example = (event: string, action: string) =>
  structuredClone(definitions.find((d) => d.name === event)!.examples.find((x) => x.action === action));
const context = { receivedAt: new Date('2024-06-01T00:00:00Z') };
const REPO = 186853002;
const codertocat = { id: 21031067, login: 'Codertocat', type: 'User', avatar_url: 'https://avatars1.githubusercontent.com/u/21031067?v=4' };

/** The real `closed` example turned into a merge by another account. */
function mergedPullRequest() {
  const payload = example('pull_request', 'closed');
  Object.assign(payload.pull_request, {
    merged: true,
    merged_at: '2019-05-15T15:21:18Z',
    merged_by: { login: 'Octocat', id: 583231, type: 'User' },
  });
  payload.sender = payload.pull_request.merged_by;
  return payload;
}

describe('normalizePullRequest', () => {
  it('labeled / unlabeled → the row with the label set after the change, no activity', () => {
    const labeled = example('pull_request', 'labeled');
    labeled.pull_request.labels.push({ id: 1, name: 'Hacktoberfest-Spam' });
    const plan = normalizeDelivery('pull_request', labeled, context);
    expect(plan.pullRequests).toEqual([expect.objectContaining({ id: labeled.pull_request.id, labels: ['bug', 'Hacktoberfest-Spam'] })]);
    expect(plan.activities).toEqual([]);
    const unlabeled = example('pull_request', 'unlabeled');
    unlabeled.pull_request.labels = [];
    expect(normalizeDelivery('pull_request', unlabeled, context).pullRequests[0].labels).toEqual([]);
  });

  it('a payload without labels leaves them unknown (null); labels of an opened pull request ride in the facts', () => {
    const bare = example('pull_request', 'opened');
    delete bare.pull_request.labels;
    expect(normalizeDelivery('pull_request', bare, context).pullRequests[0].labels).toBeNull();
    const labelled = example('pull_request', 'opened');
    labelled.pull_request.labels = [{ name: 'hacktoberfest-accepted' }];
    expect(normalizeDelivery('pull_request', labelled, context).activities[0].facts).toMatchObject({ labels: ['hacktoberfest-accepted'] });
  });

  it('repository topics are read from the payload; absent topics stay unknown (null)', () => {
    const payload = example('pull_request', 'opened');
    payload.repository.topics = ['rwkv', 'hacktoberfest'];
    expect(normalizeDelivery('pull_request', payload, context).repository?.topics).toEqual(['rwkv', 'hacktoberfest']);
    delete payload.repository.topics;
    expect(normalizeDelivery('pull_request', payload, context).repository?.topics).toBeNull();
  });

  it('opened → pull_request_opened by the author at created_at, and the pull request row', () => {
    const plan = normalizeDelivery('pull_request', example('pull_request', 'opened'), context);
    expect(plan.pullRequests).toEqual([
      expect.objectContaining({ id: 279147437, repositoryId: REPO, number: 2, state: 'open', merged: false, author: codertocat }),
    ]);
    expect(plan.activities).toEqual([
      expect.objectContaining({
        type: 'pull_request_opened',
        sourceKey: `pull_request:${REPO}:2:opened`,
        occurredAt: new Date('2019-05-15T15:20:33Z'),
        actor: { kind: 'github', account: codertocat },
      }),
    ]);
  });

  it('closed and merged → pull_request_merged credited to the author at merged_at, merged_by in facts', () => {
    const plan = normalizeDelivery('pull_request', mergedPullRequest(), context);
    expect(plan.pullRequests[0]).toMatchObject({ merged: true, mergedAt: new Date('2019-05-15T15:21:18Z'), mergedBy: { id: 583231 } });
    expect(plan.activities).toEqual([
      expect.objectContaining({
        type: 'pull_request_merged',
        sourceKey: `pull_request:${REPO}:2:merged`,
        occurredAt: new Date('2019-05-15T15:21:18Z'),
        actor: { kind: 'github', account: codertocat },
        facts: expect.objectContaining({ number: 2, merged_by: { id: 583231, login: 'Octocat' } }),
      }),
    ]);
  });

  it('closed unmerged → pull_request_closed by the sender, keyed with closed_at', () => {
    const plan = normalizeDelivery('pull_request', example('pull_request', 'closed'), context);
    expect(plan.activities).toEqual([
      expect.objectContaining({
        type: 'pull_request_closed',
        sourceKey: `pull_request:${REPO}:2:closed:2019-05-15T15:21:18Z`,
        occurredAt: new Date('2019-05-15T15:21:18Z'),
      }),
    ]);
  });

  it('reopened → pull_request_reopened keyed with the event time', () => {
    const plan = normalizeDelivery('pull_request', example('pull_request', 'reopened'), context);
    expect(plan.activities.map((activity) => [activity.type, activity.sourceKey])).toEqual([
      ['pull_request_reopened', `pull_request:${REPO}:2:reopened:2019-05-15T15:20:33Z`],
    ]);
  });

  it('I1: a deleted author (user: null) becomes the deleted account, without crashing', () => {
    const payload = mergedPullRequest();
    payload.pull_request.user = null;
    const plan = normalizeDelivery('pull_request', payload, context);
    expect(plan.pullRequests[0].author).toBeNull();
    expect(plan.activities[0].actor).toEqual({ kind: 'github', account: null });
  });

  it('upserts the row but records no activity for other actions', () => {
    const plan = normalizeDelivery('pull_request', example('pull_request', 'labeled'), context);
    expect(plan).toMatchObject({ outcome: 'processed', activities: [] });
    expect(plan.pullRequests).toHaveLength(1);
  });
});

describe('normalizePullRequestReview and normalizePullRequestReviewComment', () => {
  it('a submitted review → review by the reviewer at submitted_at', () => {
    const plan = normalizeDelivery('pull_request_review', example('pull_request_review', 'submitted'), context);
    expect(plan.activities).toEqual([
      expect.objectContaining({
        type: 'review',
        sourceKey: 'review:237895671',
        occurredAt: new Date('2019-05-15T15:20:38Z'),
        facts: expect.objectContaining({ number: 2, state: 'commented' }),
      }),
    ]);
    expect(plan.pullRequests[0]).toMatchObject({ id: 279147437, merged: false });
  });

  it('I1: a review by a deleted account (user: null) counts for the deleted account', () => {
    const payload = example('pull_request_review', 'submitted');
    payload.review.user = null;
    payload.sender = { login: 'ghost', id: 10137, type: 'User' };
    expect(normalizeDelivery('pull_request_review', payload, context).activities[0].actor).toEqual({ kind: 'github', account: null });
  });

  it('ignores a dismissed review', () => {
    expect(normalizeDelivery('pull_request_review', example('pull_request_review', 'dismissed'), context).outcome).toBe('ignored');
  });

  it('a created review comment → review_comment at its created_at', () => {
    const plan = normalizeDelivery('pull_request_review_comment', example('pull_request_review_comment', 'created'), context);
    expect(plan.activities.map((activity) => [activity.type, activity.sourceKey, activity.occurredAt])).toEqual([
      ['review_comment', 'review_comment:284312630', new Date('2019-05-15T15:20:37Z')],
    ]);
  });

  it.each(['edited', 'deleted'])('ignores a review comment %s', (action) => {
    expect(normalizeDelivery('pull_request_review_comment', example('pull_request_review_comment', action), context).outcome).toBe('ignored');
  });
});
