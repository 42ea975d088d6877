import { budgetKey } from './github-client.js';
import { explainAppAuthError, expiryAwareTokenCache, GithubAppAuthError, refreshMarginMs, storedAppSource } from './github-app-auth.js';

/** A value as @octokit/auth-app stores it: token|createdAt|expiresAt|selection|permissions|file. */
const entry = (createdAt: string, expiresAt: string) => `ghs_x|${createdAt}|${expiresAt}|all|contents|`;

describe('refreshMarginMs', () => {
  it.each<[string, number, number]>([
    ["GitHub's one-hour token: 5 minutes", 3_600_000, 300_000],
    ['a 4 s token: a quarter of it', 4_000, 1_000],
    ['a token already expired on arrival: none', -1_000, 0],
  ])('%s', (_name, lifetime, margin) => {
    expect(refreshMarginMs(lifetime)).toBe(margin);
  });
});

describe('expiryAwareTokenCache', () => {
  it('hands a token out until the refresh margin before its expires_at, then forgets it', () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const cache = expiryAwareTokenCache(() => now);
    const value = entry('2026-03-01T12:00:00.000Z', '2026-03-01T13:00:00Z');
    cache.set('4711', value);
    expect(cache.get('4711')).toBe(value);
    now = Date.parse('2026-03-01T12:54:59Z');
    expect(cache.get('4711')).toBe(value);
    now = Date.parse('2026-03-01T12:55:00Z'); // 5 minutes before expiry
    expect(cache.get('4711')).toBeUndefined();
    now = Date.parse('2026-03-01T12:00:00Z');
    expect(cache.get('4711')).toBeUndefined(); // forgotten, not hidden
  });

  it('tells whether a token should no longer be sent: within the margin, dropped or replaced; not a current one, nor one it never held', () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const cache = expiryAwareTokenCache(() => now);
    cache.set('4711', entry('2026-03-01T12:00:00.000Z', '2026-03-01T13:00:00Z'));
    expect(cache.isStale('ghs_x')).toBe(false);
    expect(cache.isStale('ghs_of_another_client')).toBe(false); // that client's cache keeps it current
    now = Date.parse('2026-03-01T12:55:00Z');
    expect(cache.isStale('ghs_x')).toBe(true);
    expect(cache.get('4711')).toBeUndefined();
    expect(cache.isStale('ghs_x')).toBe(true); // dropped, still known as stale
    cache.set('4711', `ghs_new|2026-03-01T12:55:00.000Z|2026-03-01T13:55:00Z|all|contents|`);
    expect(cache.isStale('ghs_new')).toBe(false);
    cache.set('4711', `ghs_newer|2026-03-01T12:56:00.000Z|2026-03-01T13:56:00Z|all|contents|`); // a refresh after a 401
    expect(cache.isStale('ghs_new')).toBe(true);
    cache.set('k', 'ghs_y|||all||');
    expect(cache.isStale('ghs_y')).toBe(false); // expiry unreadable: the library decides
  });

  it('keeps a value whose expiry it cannot read (the library decides)', () => {
    const cache = expiryAwareTokenCache(() => 0);
    cache.set('k', 'ghs_x|||all||');
    expect(cache.get('k')).toBe('ghs_x|||all||');
    expect(cache.get('missing')).toBeUndefined();
  });
});

describe('budgetKey', () => {
  it('keys an App installation by its ids, not by its changing tokens, and apart from tokens and other installations', () => {
    const app = { appId: 12, installationId: 34 };
    const base = 'https://api.github.com';
    expect(budgetKey(base, { app })).toBe(budgetKey(base, { app: { ...app } }));
    expect(budgetKey(base, { app })).not.toBe(budgetKey(base, { app: { appId: 12, installationId: 35 } }));
    expect(budgetKey(base, { app })).not.toBe(budgetKey(base, { token: 'pat' }));
    expect(budgetKey(base, { token: 'pat' })).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('explainAppAuthError', () => {
  const app = { appId: 12, installationId: 34 };
  const failure = (status: number, url: string) => Object.assign(new Error('A JSON web token could not be decoded'), { status, request: { url } });

  it('names GITHUB_APP_PRIVATE_KEY when GitHub refuses the JWT', () => {
    const explained = explainAppAuthError(failure(401, 'https://api.github.com/app/installations/34/access_tokens'), app);
    expect(explained).toBeInstanceOf(GithubAppAuthError);
    expect((explained as Error).message).toMatch(/GitHub App 12 .*GITHUB_APP_PRIVATE_KEY/);
  });

  it('names GITHUB_APP_INSTALLATION_ID when the installation is unknown', () => {
    expect((explainAppAuthError(failure(404, 'https://api.github.com/app/installations/34/access_tokens'), app) as Error).message).toMatch(
      /no installation 34 .*GITHUB_APP_INSTALLATION_ID/,
    );
  });

  it('names the stored credential of the ecosystem, never the environment variables, for a stored App', () => {
    const url = 'https://api.github.com/app/installations/34/access_tokens';
    const refused = (explainAppAuthError(failure(401, url), app, storedAppSource(3)) as Error).message;
    expect(refused).toMatch(/GitHub App 12 .*the GitHub App private key stored for ecosystem 3 .*setGithubApp/);
    expect(refused).not.toMatch(/GITHUB_APP_/);
    const unknown = (explainAppAuthError(failure(404, url), app, storedAppSource(3)) as Error).message;
    expect(unknown).toMatch(/no installation 34 .*the installation id stored for ecosystem 3/);
    expect(unknown).not.toMatch(/GITHUB_APP_/);
  });

  it('leaves other errors alone', () => {
    const other = failure(401, 'https://api.github.com/repos/a/b');
    expect(explainAppAuthError(other, app)).toBe(other);
  });
});
