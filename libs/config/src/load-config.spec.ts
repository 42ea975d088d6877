import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('serves a local run with defaults', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/cambrian');
    expect(config.GITHUB_API_URL).toBe('https://api.github.com');
    expect(config.PORT).toBe(3000);
    expect(config.GITHUB_PACE_BELOW_FRACTION).toBe(0.5);
    expect(config.GITHUB_RESERVE_FRACTION).toBe(0.02);
  });

  it('splits comma-separated webhook secrets for rotation', () => {
    expect(loadConfig({ GITHUB_WEBHOOK_SECRETS: 'old, new ,' }).GITHUB_WEBHOOK_SECRETS).toEqual(['old', 'new']);
  });

  it('refuses webhook secrets that name none, and the public development default in production', () => {
    expect(() => loadConfig({ GITHUB_WEBHOOK_SECRETS: ' , ' })).toThrow(/GITHUB_WEBHOOK_SECRETS.*names no secret/s);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/GITHUB_WEBHOOK_SECRETS.*must be set in production/s);
    expect(() => loadConfig({ NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 'development-webhook-secret,real' })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 's3cret-a,s3cret-b' }).GITHUB_WEBHOOK_SECRETS).toEqual(['s3cret-a', 's3cret-b']);
  });

  it('refuses the public digest token secret and plain-http links when production sends over SMTP', () => {
    const production = { NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 's3cret', SMTP_URL: 'smtp://mail.example.org:587' };
    expect(() => loadConfig(production)).toThrow(/DIGEST_TOKEN_SECRETS: must be set in production when SMTP_URL is/);
    expect(() => loadConfig({ ...production, DIGEST_TOKEN_SECRETS: 'k', PUBLIC_BASE_URL: 'http://cambrian.example.org' })).toThrow(/PUBLIC_BASE_URL: must be an https URL/);
    const config = loadConfig({ ...production, DIGEST_TOKEN_SECRETS: 'new, old', PUBLIC_BASE_URL: 'https://cambrian.example.org' });
    expect(config.DIGEST_TOKEN_SECRETS).toEqual(['new', 'old']);
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
  });

  it('refuses a short AUTH_SECRET, and the public development default in production once sign-in is on', () => {
    expect(() => loadConfig({ AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET.*at least 32/s);
    const production = { NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 's3cret', GITHUB_OAUTH_CLIENT_ID: 'id', GITHUB_OAUTH_CLIENT_SECRET: 'secret' };
    expect(() => loadConfig(production)).toThrow(/AUTH_SECRET.*must be set in production/s);
    expect(loadConfig({ ...production, AUTH_SECRET: 'a'.repeat(40) }).AUTH_SECRET).toBe('a'.repeat(40));
    expect(loadConfig({ NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 's3cret' }).ADMIN_GITHUB_LOGINS).toEqual([]);
  });

  it.each([
    ['SMTP_URL', 'http://mail.example.org'],
    ['MAIL_FROM', 'Cambrian'],
    ['DIGEST_SCHEDULE_CRON', 'hourly'],
    ['DIGEST_SEND_HOUR', '24'],
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['REDIS_URL', 'not a url'],
    ['GITHUB_MAX_CONCURRENCY', '500'],
    ['GITHUB_PACE_BELOW_FRACTION', '1.5'],
    ['GITHUB_RESERVE_FRACTION', 'some'],
  ])('names %s when it is malformed', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
