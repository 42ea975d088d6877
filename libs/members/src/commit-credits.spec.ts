import { commitKeysToSettle, commitShaOfKey } from './commit-credits.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('commitShaOfKey', () => {
  it.each([
    [`commit:${A}`, A],
    [`commit:${A}:co:pat@example.org`, A],
    ['pr:1:2:opened', null],
    ['commit:', null],
  ])('%s -> %s', (key, sha) => {
    expect(commitShaOfKey(key)).toBe(sha);
  });
});

describe('commitKeysToSettle', () => {
  it.each([
    ['no co-author: nothing to settle', [`commit:${A}`, `commit:${B}`], []],
    ['every key of a commit with a co-author', [`commit:${A}`, `commit:${A}:co:x@y.z`, `commit:${B}`], [`commit:${A}`, `commit:${A}:co:x@y.z`]],
    ['a co-author alone (its author stored earlier)', [`commit:${B}:co:x@y.z`], [`commit:${B}:co:x@y.z`, `commit:${B}`]],
    ['other activities are never settled', ['star:1:2', `commit:${A}:co:x@y.z`, `commit:${A}:co:x@y.z`], [`commit:${A}:co:x@y.z`, `commit:${A}`]],
  ])('%s', (_case, keys, expected) => {
    expect(commitKeysToSettle(keys)).toEqual(expected);
  });
});
