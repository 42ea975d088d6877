import { parseMemberRef, parseRepositoryRef } from './refs.js';

describe('parseRepositoryRef', () => {
  it.each([
    ['123456', { kind: 'id', id: 123456 }],
    [' 42 ', { kind: 'id', id: 42 }],
    ['BlinkDL/RWKV-LM', { kind: 'fullName', fullName: 'BlinkDL/RWKV-LM' }],
    ['josStorer/RWKV-Runner', { kind: 'fullName', fullName: 'josStorer/RWKV-Runner' }],
    ['0', null],
    ['RWKV-LM', null],
    ['a/b/c', null],
    ['', null],
    ["x/y'; drop table", null],
  ])('%j → %j', (value, expected) => {
    expect(parseRepositoryRef(value)).toEqual(expected);
  });
});

describe('parseMemberRef', () => {
  it.each([
    ['5B0F8A4E-8D1C-4D59-9A43-0C7A4F1F3B11', { kind: 'id', id: '5b0f8a4e-8d1c-4d59-9a43-0c7a4f1f3b11' }],
    ['BlinkDL', { kind: 'login', login: 'BlinkDL' }],
    ['dependabot[bot]', { kind: 'login', login: 'dependabot[bot]' }],
    ['', null],
    ['has space', null],
  ])('%j → %j', (value, expected) => {
    expect(parseMemberRef(value)).toEqual(expected);
  });
});
