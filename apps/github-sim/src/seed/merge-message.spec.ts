import { parseMergeMessage } from './merge-message.js';

describe('parseMergeMessage', () => {
  it.each([
    ['Merge pull request #350 from OctoBored/fix/star-history-chart', { number: 350, login: 'OctoBored', branch: 'fix/star-history-chart' }],
    ['Merge pull request #184 from daquexian/fix_bf16', { number: 184, login: 'daquexian', branch: 'fix_bf16' }],
    ['Merge pull request #11 from RWKV/main-dev-infctx', { number: 11, login: 'RWKV', branch: 'main-dev-infctx' }],
    ['Merge pull request #1 from a-b/c.d-e ', { number: 1, login: 'a-b', branch: 'c.d-e' }],
  ])('reads %s', (line, expected) => {
    expect(parseMergeMessage(line)).toEqual(expected);
  });

  it.each([
    ['Merge branch main into feature'],
    ['Update README.md (#350)'],
    ['Merge pull request #350'],
    ['Merge pull request from OctoBored/x'],
    ['Revert "Merge pull request #350 from OctoBored/fix"'],
  ])('returns null for %s, which names no pull request merge', (line) => {
    expect(parseMergeMessage(line)).toBeNull();
  });
});
