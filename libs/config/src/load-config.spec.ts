import { ConfigError, loadConfig } from './load-config.js';
import { DEVELOPMENT_SECRETS_KEY } from './secrets-key.js';

describe('loadConfig', () => {
  it('serves a local run with defaults', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/cambrian');
    expect(config.GITHUB_API_URL).toBe('https://api.github.com');
    expect(config.PORT).toBe(3000);
    expect(config.GITHUB_PACE_BELOW_FRACTION).toBe(0.5);
    expect(config.GITHUB_RESERVE_FRACTION).toBe(0.02);
  });

  it('refuses a DATABASE_URL carrying startup options, which pg would put in place of the erasure key\'s', () => {
    // pg reads the URL's parameters over a connection's own settings: with `options` in the URL no
    // Cambrian connection would carry -c cambrian.erasure_key, and every hashing write would fail
    expect(() => loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cambrian?options=-c%20statement_timeout%3D5000' })).toThrow(
      /DATABASE_URL: must not carry the parameter options.*ALTER ROLE/s,
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cambrian?sslmode=disable&application_name=x' }).DATABASE_URL).toContain('sslmode');
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL: must be a URL/);
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

describe('loadConfig: CAMBRIAN_SECRETS_KEY', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');

  it('accepts 32 bytes of base64 and old keys, and leaves the key unset by default', () => {
    expect(loadConfig({}).CAMBRIAN_SECRETS_KEY).toBeUndefined();
    const config = loadConfig({ CAMBRIAN_SECRETS_KEY: KEY, CAMBRIAN_SECRETS_OLD_KEYS: `${Buffer.alloc(32, 1).toString('base64')}` });
    expect(config.CAMBRIAN_SECRETS_OLD_KEYS).toHaveLength(1);
  });

  it.each([
    ['not base64 !!', /CAMBRIAN_SECRETS_KEY: must be 32 random bytes in standard base64 .*not base64/],
    [Buffer.alloc(16).toString('base64'), /CAMBRIAN_SECRETS_KEY: .*decodes to 16 bytes/],
  ])('refuses %p naming the variable and not the value', (value, message) => {
    expect(() => loadConfig({ CAMBRIAN_SECRETS_KEY: value })).toThrow(message);
    try {
      loadConfig({ CAMBRIAN_SECRETS_KEY: value });
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it('refuses a malformed old key and the public development key in production', () => {
    expect(() => loadConfig({ CAMBRIAN_SECRETS_OLD_KEYS: `${KEY},short` })).toThrow(/CAMBRIAN_SECRETS_OLD_KEYS: entry 2 must be 32 random bytes/);
    expect(() => loadConfig({ NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 'prod', CAMBRIAN_SECRETS_KEY: DEVELOPMENT_SECRETS_KEY })).toThrow(
      /CAMBRIAN_SECRETS_KEY: is the public development key/,
    );
    expect(loadConfig({ NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 'prod' }).CAMBRIAN_SECRETS_KEY).toBeUndefined();
  });
});
