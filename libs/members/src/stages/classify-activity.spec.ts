import { classifyActivity, type StageActivityRow } from './classify-activity.js';

const row = (over: Partial<StageActivityRow>): StageActivityRow => ({
  activityId: '1',
  type: 'issue_comment',
  occurredAt: new Date('2024-01-01T00:00:00Z'),
  sourceKey: 'k',
  role: 'actor',
  reviewState: null,
  mergeCommit: false,
  ofOther: null,
  ...over,
});

describe('classifyActivity', () => {
  it.each([
    ['a star', { type: 'star' }, 'observe'],
    ['a fork', { type: 'fork' }, 'observe'],
    ['an issue comment', { type: 'issue_comment' }, 'participate'],
    ['an opened issue', { type: 'issue_opened' }, 'participate'],
    ['an opened pull request', { type: 'pull_request_opened' }, 'participate'],
    ['a pull request closed unmerged', { type: 'pull_request_closed' }, 'participate'],
    ['a release', { type: 'release' }, 'participate'],
    ['a commit', { type: 'commit' }, 'contribute'],
    ['a merge commit', { type: 'commit', mergeCommit: true }, 'participate'],
    ['a merged pull request (its author)', { type: 'pull_request_merged' }, 'contribute'],
    ['an approval of another member', { type: 'review', reviewState: 'APPROVED', ofOther: true }, 'approval_of_other'],
    ['an approval, author unknown (GitHub forbids self-approval)', { type: 'review', reviewState: 'approved', ofOther: null }, 'approval_of_other'],
    ['an approval of the member’s own pull request', { type: 'review', reviewState: 'APPROVED', ofOther: false }, 'participate'],
    ['a review requesting changes', { type: 'review', reviewState: 'CHANGES_REQUESTED', ofOther: true }, 'participate'],
    ['a merge of another member’s pull request', { type: 'pull_request_merged', role: 'merger', ofOther: true }, 'merge_of_other'],
  ] as Array<[string, Partial<StageActivityRow>, string]>)('%s → %s', (_name, over, signal) => {
    expect(classifyActivity(row(over))?.signal).toBe(signal);
  });

  it('ignores a merge of the member’s own pull request', () => {
    expect(classifyActivity(row({ type: 'pull_request_merged', role: 'merger', ofOther: false }))).toBeNull();
  });

  it('counts issues, pull requests and reviews of others for the next-step lists', () => {
    expect(classifyActivity(row({ type: 'issue_opened' }))?.issueOpened).toBe(true);
    expect(classifyActivity(row({ type: 'pull_request_opened' }))?.pullRequestOpened).toBe(true);
    expect(classifyActivity(row({ type: 'review_comment', ofOther: true }))?.reviewOfOther).toBe(true);
    expect(classifyActivity(row({ type: 'review_comment', ofOther: null }))?.reviewOfOther).toBeUndefined();
    expect(classifyActivity(row({ type: 'review', reviewState: 'APPROVED' }))?.reviewOfOther).toBe(true);
  });
});
