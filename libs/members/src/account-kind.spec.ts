import { KNOWN_BOTS } from './account-kind-bots.js';
import { isBotAccount, isBotGitIdentity, isDeletedAccount } from './account-kind.js';

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

describe('KNOWN_BOTS (the maintained bot list)', () => {
  it('names each bot, id and address once, addresses in lower case', () => {
    const logins = KNOWN_BOTS.map((bot) => bot.login.toLowerCase());
    const ids = KNOWN_BOTS.flatMap((bot) => (bot.id === null ? [] : [bot.id]));
    const emails = KNOWN_BOTS.flatMap((bot) => bot.emails);
    expect(new Set(logins).size).toBe(logins.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.every((email) => email === email.toLowerCase() && email.includes('@'))).toBe(true);
  });

  it.each([
    ['dependabot-preview', 'User', true],
    ['Renovate-Bot', 'User', true],
    ['github-actions[bot]', 'Bot', true],
  ])('%s is a bot', (login, type, expected) => {
    expect(isBotAccount({ login, type })).toBe(expected);
  });
});

describe('isBotGitIdentity', () => {
  it.each([
    ['github-actions[bot]', 'github-actions[bot]@users.noreply.github.com', true],
    ['GitHub Action', 'action@github.com', true],
    ['GitHub', 'noreply@github.com', true],
    ['Renovate Bot', 'bot@renovateapp.com', true],
    ['Bo', '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8@a.com', false],
    ['Robot Fan', 'robot@example.org', false],
  ])('%s <%s> → %s', (name, email, expected) => {
    expect(isBotGitIdentity(name, email)).toBe(expected);
  });
});
