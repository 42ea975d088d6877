import { isBotLogin, parseNoreplyEmail } from './noreply-email.js';

describe('parseNoreplyEmail', () => {
  it.each([
    ['33809201+BlinkDL@users.noreply.github.com', { kind: 'account', id: 33809201, login: 'BlinkDL' }],
    ['49699333+dependabot[bot]@users.noreply.github.com', { kind: 'account', id: 49699333, login: 'dependabot[bot]' }],
    ['SmerkyG@users.noreply.github.com', { kind: 'login', login: 'SmerkyG' }],
    ['github-actions[bot]@users.noreply.github.com', { kind: 'login', login: 'github-actions[bot]' }],
    ['212877535+OctoBored@USERS.NOREPLY.GITHUB.COM', { kind: 'account', id: 212877535, login: 'OctoBored' }],
    ['noreply@github.com', { kind: 'web-flow' }],
    ['NoReply@GitHub.com', { kind: 'web-flow' }],
  ])('reads %s as an account reference', (email, expected) => {
    expect(parseNoreplyEmail(email)).toEqual(expected);
  });

  it.each([
    ['32e965d545ce691fd2f84d36e7cf02698bb3dea9@gmail.com'],
    ['someone@noreply.github.com'],
    ['33809201+BlinkDL@users.noreply.github.com.evil.example'],
    [''],
    ['not-an-email'],
  ])('returns null for %p, which identifies no account', (email) => {
    expect(parseNoreplyEmail(email)).toBeNull();
  });
});

describe('isBotLogin', () => {
  it.each([
    ['dependabot[bot]', true],
    ['github-actions[bot]', true],
    ['Renovate[BOT]', true],
    ['BlinkDL', false],
    ['bot', false],
    ['robot-bot', false],
  ])('classifies %s as bot: %s', (login, expected) => {
    expect(isBotLogin(login)).toBe(expected);
  });
});
