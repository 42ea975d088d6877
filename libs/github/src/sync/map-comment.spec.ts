import { mapIssueComment, mapReview, mapReviewComment } from './map-comment.js';
import type { RestIssueComment, RestReview, RestReviewComment } from './rest-shapes.js';

const REPO = 555;
const ALICE = { id: 4242, login: 'river-oak', type: 'User' };

describe('mapIssueComment', () => {
  it.each<[string, RestIssueComment, [string, string, number | null, number | null]]>([
    [
      'a comment on issue 7',
      { id: 11, user: ALICE, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-02T00:00:00Z', issue_url: 'https://api.github.com/repos/o/r/issues/7' },
      ['issue_comment:11', '2024-01-01T00:00:00.000Z', 4242, 7],
    ],
    [
      'a comment by a deleted account (user: null, I1)',
      { id: 1, user: null, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', issue_url: 'https://api.github.com/repos/o/r/issues/8' },
      ['issue_comment:1', '2024-01-01T00:00:00.000Z', null, 8],
    ],
    [
      'an issue URL without a number',
      { id: 2, user: ALICE, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', issue_url: '' },
      ['issue_comment:2', '2024-01-01T00:00:00.000Z', 4242, null],
    ],
  ])('%s', (_name, comment, [key, at, actorId, number]) => {
    const activity = mapIssueComment(comment, REPO);
    expect(activity).toMatchObject({ type: 'issue_comment', sourceKey: key, repositoryId: REPO, source: 'api', facts: { number } });
    expect(activity.occurredAt.toISOString()).toBe(at);
    expect(activity.actor).toEqual({ kind: 'github', account: actorId === null ? null : expect.objectContaining({ id: actorId }) });
  });
});

describe('mapReviewComment', () => {
  it.each<[string, RestReviewComment, [string, number | null, number | null]]>([
    [
      'a review comment on pull request 96',
      { id: 21, user: ALICE, created_at: '2024-02-01T00:00:00Z', updated_at: '2024-02-01T00:00:00Z', pull_request_review_id: 5, pull_request_url: 'https://api.github.com/repos/o/r/pulls/96' },
      ['review_comment:21', 4242, 96],
    ],
    [
      'a review comment by a deleted account (I1)',
      { id: 22, user: null, created_at: '2024-02-01T00:00:00Z', updated_at: '2024-02-01T00:00:00Z', pull_request_url: 'https://api.github.com/repos/o/r/pulls/3' },
      ['review_comment:22', null, 3],
    ],
  ])('%s', (_name, comment, [key, actorId, number]) => {
    const activity = mapReviewComment(comment, REPO);
    expect(activity).toMatchObject({ type: 'review_comment', sourceKey: key, facts: { number } });
    expect(activity.actor).toEqual({ kind: 'github', account: actorId === null ? null : expect.objectContaining({ id: actorId }) });
  });
});

describe('mapReview', () => {
  it.each<[string, RestReview, [string, string, number | null] | null]>([
    ['an approval', { id: 31, user: ALICE, state: 'APPROVED', submitted_at: '2024-03-01T12:00:00Z' }, ['review:31', '2024-03-01T12:00:00.000Z', 4242]],
    ['changes requested', { id: 32, user: ALICE, state: 'CHANGES_REQUESTED', submitted_at: '2024-03-01T12:00:00Z' }, ['review:32', '2024-03-01T12:00:00.000Z', 4242]],
    ['a review by a deleted account (user: null, I1)', { id: 33, user: null, state: 'APPROVED', submitted_at: '2024-03-01T12:00:00Z' }, ['review:33', '2024-03-01T12:00:00.000Z', null]],
    ['a pending review (not submitted)', { id: 34, user: ALICE, state: 'PENDING' }, null],
    ['a review without submitted_at', { id: 35, user: ALICE, state: 'COMMENTED', submitted_at: null }, null],
  ])('%s', (_name, review, expected) => {
    const activity = mapReview(review, REPO, 96);
    if (expected === null) {
      expect(activity).toBeNull();
      return;
    }
    const [key, at, actorId] = expected;
    expect(activity).toMatchObject({ type: 'review', sourceKey: key, repositoryId: REPO, facts: { number: 96, state: review.state } });
    expect(activity!.occurredAt.toISOString()).toBe(at);
    expect(activity!.actor).toEqual({ kind: 'github', account: actorId === null ? null : expect.objectContaining({ id: actorId }) });
  });
});
