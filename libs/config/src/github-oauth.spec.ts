import { DEVELOPMENT_GITHUB_OAUTH_CLIENT, githubOauthSettings, oauthBaseUrlFor } from './github-oauth.js';

describe('oauthBaseUrlFor', () => {
  it.each([
    ['https://api.github.com', 'https://github.com'],
    ['https://api.github.com/', 'https://github.com'],
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com'],
    ['http://127.0.0.1:3100', 'http://127.0.0.1:3100'],
  ])('%s → %s', (api, expected) => {
    expect(oauthBaseUrlFor(api)).toBe(expected);
  });
});

describe('githubOauthSettings', () => {
  const base = { GITHUB_API_URL: 'http://127.0.0.1:3100', GITHUB_OAUTH_CLIENT_ID: '', GITHUB_OAUTH_CLIENT_SECRET: '', GITHUB_OAUTH_BASE_URL: undefined };

  it('uses the simulator client outside production, and is off in production without a client', () => {
    expect(githubOauthSettings({ ...base, NODE_ENV: 'development' })).toEqual({ ...DEVELOPMENT_GITHUB_OAUTH_CLIENT, baseUrl: 'http://127.0.0.1:3100' });
    expect(githubOauthSettings({ ...base, NODE_ENV: 'production' })).toBeNull();
  });

  it('uses the configured client and base URL', () => {
    expect(
      githubOauthSettings({ ...base, NODE_ENV: 'production', GITHUB_OAUTH_CLIENT_ID: 'id', GITHUB_OAUTH_CLIENT_SECRET: 's', GITHUB_OAUTH_BASE_URL: 'https://github.com' }),
    ).toEqual({ clientId: 'id', clientSecret: 's', baseUrl: 'https://github.com' });
  });
});
