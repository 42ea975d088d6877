import {
  commitCoAuthorKey,
  commitKey,
  forkKey,
  issueCommentKey,
  issueKey,
  keyInstant,
  pullRequestKey,
  releaseKey,
  reviewCommentKey,
  reviewKey,
  starKey,
} from './activity-keys.js';

const SHA = '6113728F27AE82C7B1A177C8D03F9E96E0ADF246';
const AT = new Date('2024-01-31T09:15:00.000Z');

describe('activity source keys', () => {
  it.each([
    ['a commit, lower-cased', commitKey(SHA), 'commit:6113728f27ae82c7b1a177c8d03f9e96e0adf246'],
    [
      'a co-author credit, e-mail lower-cased (I5)',
      commitCoAuthorKey(SHA, ' Sam@Example.org '),
      'commit:6113728f27ae82c7b1a177c8d03f9e96e0adf246:co:sam@example.org',
    ],
    ['a pull request opened', pullRequestKey(186853002, 2, 'opened'), 'pull_request:186853002:2:opened'],
    ['a pull request merged', pullRequestKey(186853002, 2, 'merged'), 'pull_request:186853002:2:merged'],
    ['a pull request closed, with its instant', pullRequestKey(1, 2, 'closed', AT), 'pull_request:1:2:closed:2024-01-31T09:15:00Z'],
    ['a pull request reopened, with its instant', pullRequestKey(1, 2, 'reopened', AT), 'pull_request:1:2:reopened:2024-01-31T09:15:00Z'],
    ['an issue opened', issueKey(1, 7, 'opened'), 'issue:1:7:opened'],
    ['an issue closed', issueKey(1, 7, 'closed', AT), 'issue:1:7:closed:2024-01-31T09:15:00Z'],
    ['a review', reviewKey(237895671), 'review:237895671'],
    ['a review comment', reviewCommentKey(284312630), 'review_comment:284312630'],
    ['an issue comment', issueCommentKey(492700400), 'issue_comment:492700400'],
    ['a star', starKey(186853002, 21031067), 'star:186853002:21031067'],
    ['a fork', forkKey(186853261), 'fork:186853261'],
    ['a release', releaseKey(17372790), 'release:17372790'],
  ])('builds %s', (_label, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each([
    ['milliseconds are dropped', new Date('2024-01-31T09:15:00.999Z'), '2024-01-31T09:15:00Z'],
    ['an offset is normalised to UTC', new Date('2024-01-31T11:15:00+02:00'), '2024-01-31T09:15:00Z'],
  ])('formats instants: %s', (_label, at, expected) => {
    expect(keyInstant(at)).toBe(expected);
  });

  it.each([
    ['a closed key without its instant', () => (pullRequestKey as (...args: unknown[]) => string)(1, 2, 'closed')],
    ['an invalid date', () => issueKey(1, 2, 'closed', new Date('nope'))],
    ['a negative id', () => starKey(-1, 2)],
    ['a fractional id', () => reviewKey(1.5)],
    ['an empty co-author e-mail', () => commitCoAuthorKey(SHA, ' ')],
  ])('refuses %s', (_label, build) => {
    expect(build).toThrow(RangeError);
  });
});
