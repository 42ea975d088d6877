import { numberFromUrl, restActor } from './rest-actor.js';

describe('restActor', () => {
  it.each<[string, Parameters<typeof restActor>[0], ReturnType<typeof restActor>]>([
    ['a user', { id: 1, login: 'a', type: 'User' }, { id: 1, login: 'a', type: 'User', avatar_url: null }],
    ['a deleted account (user: null, I1) stays null', null, null],
    ['undefined', undefined, null],
  ])('%s', (_name, account, expected) => {
    expect(restActor(account)).toEqual(expected);
  });
});

describe('numberFromUrl', () => {
  it.each<[string | null, number | null]>([
    ['https://api.github.com/repos/o/r/issues/42', 42],
    ['https://api.github.com/repos/o/r/pulls/7/', 7],
    ['https://api.github.com/repos/o/r', null],
    [null, null],
  ])('%j → %j', (url, expected) => {
    expect(numberFromUrl(url)).toBe(expected);
  });
});
