import { activityDetails } from './activity-details.js';

const sha = 'a'.repeat(40);

describe('activityDetails', () => {
  it.each([
    ['a commit key without facts', `commit:${sha}`, {}, { title: null, number: null, sha, url: null }],
    [
      'a co-author credit (the e-mail in the key stays hidden)',
      `commit:${sha}:co:eve@example.com`,
      { headline: 'Fix parser' },
      { title: 'Fix parser', number: null, sha, url: null },
    ],
    [
      'a pull request',
      'pull_request:1:7:opened',
      { number: 7, title: 'Add RWKV-7', url: 'https://github.com/o/r/pull/7', email: 'x@y.z' },
      { title: 'Add RWKV-7', number: 7, sha: null, url: 'https://github.com/o/r/pull/7' },
    ],
    [
      'malformed facts',
      'issue:1:2:opened',
      { number: '7', title: 3, url: 'javascript:alert(1)', sha: 'nope' },
      { title: null, number: null, sha: null, url: null },
    ],
  ])('reads %s', (_label, key, facts, expected) => {
    expect(activityDetails(key, facts)).toEqual(expected);
  });
});
