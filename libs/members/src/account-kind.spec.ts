import { isBotAccount, isDeletedAccount } from './account-kind.js';

describe('isBotAccount', () => {
  it.each([
    [{ login: 'dependabot[bot]', type: 'Bot' }, true],
    [{ login: 'github-actions[bot]', type: 'User' }, true],
    [{ login: 'Renovate-Bot', type: 'User' }, true],
    [{ login: 'BlinkDL', type: 'User' }, false],
    [{ login: 'robotics-fan', type: 'User' }, false],
  ])('%j → %s', (actor, expected) => {
    expect(isBotAccount(actor)).toBe(expected);
  });
});

describe('isDeletedAccount', () => {
  it('I1: treats user null and the ghost sender as deleted accounts', () => {
    expect(isDeletedAccount(null)).toBe(true);
    expect(isDeletedAccount({ login: 'ghost', id: 10137, type: 'User' })).toBe(true);
  });

  it('does not treat a live account named like ghost as deleted', () => {
    expect(isDeletedAccount({ login: 'ghost-writer', id: 5, type: 'User' })).toBe(false);
  });
});
