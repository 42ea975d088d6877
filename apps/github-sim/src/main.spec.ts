import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { projectRoot, readSimEnv, readSimGithubApp, readSimOauth } from './main.js';
import { DEFAULT_SIM_OAUTH_CLIENT } from './oauth/sim-oauth.js';

const defaultOauth = { clients: [DEFAULT_SIM_OAUTH_CLIENT] };
import { simDataDir } from './testing/sim-data.js';

describe('readSimEnv', () => {
  const root = projectRoot();
  const dataDir = simDataDir();

  it('defaults to port 3100 and resolves a relative CAMBRIAN_DATA_DIR against the project root', () => {
    expect(readSimEnv({ CAMBRIAN_DATA_DIR: relative(root, dataDir) }, root)).toEqual({ port: 3100, dataDir, rateLimit: 5000, rateLimitWindowSeconds: 3600, oauth: defaultOauth });
  });

  it('accepts SIM_PORT=0 for a free port and a SIM_RATE_LIMIT for benchmarks', () => {
    expect(readSimEnv({ SIM_PORT: '0', SIM_RATE_LIMIT: '1000000', CAMBRIAN_DATA_DIR: dataDir }, root)).toEqual({ port: 0, dataDir, rateLimit: 1_000_000, rateLimitWindowSeconds: 3600, oauth: defaultOauth });
  });

  it.each([['0'], ['many'], ['-5']])('names SIM_RATE_LIMIT when it is %p', (limit) => {
    expect(readSimEnv({ SIM_RATE_LIMIT: limit, CAMBRIAN_DATA_DIR: dataDir }, root)).toEqual({ error: expect.stringMatching(/^SIM_RATE_LIMIT/) });
  });

  it('accepts SIM_RATE_LIMIT_WINDOW_SECONDS for a compressed window, and names it when malformed', () => {
    expect(readSimEnv({ SIM_RATE_LIMIT: '100', SIM_RATE_LIMIT_WINDOW_SECONDS: '10', CAMBRIAN_DATA_DIR: dataDir }, root)).toEqual({
      port: 3100,
      dataDir,
      rateLimit: 100,
      rateLimitWindowSeconds: 10,
      oauth: defaultOauth,
    });
    expect(readSimEnv({ SIM_RATE_LIMIT_WINDOW_SECONDS: '0', CAMBRIAN_DATA_DIR: dataDir }, root)).toEqual({ error: expect.stringMatching(/^SIM_RATE_LIMIT_WINDOW_SECONDS/) });
  });

  it.each([['abc'], ['-1'], ['70000'], ['31.5']])('names SIM_PORT when it is %p', (port) => {
    expect(readSimEnv({ SIM_PORT: port, CAMBRIAN_DATA_DIR: dataDir }, root)).toEqual({ error: expect.stringMatching(/^SIM_PORT/) });
  });

  it('names CAMBRIAN_DATA_DIR when the directory holds no export', () => {
    expect(readSimEnv({ CAMBRIAN_DATA_DIR: '/definitely/not/here' }, root)).toEqual({
      error: expect.stringMatching(/^CAMBRIAN_DATA_DIR: no RWKV export at \/definitely\/not\/here/),
    });
  });
});

describe('readSimGithubApp', () => {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'sim-app-')), 'app.pem');
  writeFileSync(keyFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const app = { SIM_GITHUB_APP_ID: '31337', SIM_GITHUB_APP_PUBLIC_KEY_FILE: keyFile, SIM_GITHUB_APP_INSTALLATIONS: '4711:BlinkDL, 4712:RWKV' };

  it('is off without SIM_GITHUB_APP_ID', () => {
    expect(readSimGithubApp({})).toBeNull();
  });

  it('reads the App, its installations and the token lifetime', () => {
    expect(readSimGithubApp({ ...app, SIM_GITHUB_APP_TOKEN_TTL_SECONDS: '60' })).toEqual({
      appId: 31337,
      publicKey: expect.stringContaining('BEGIN PUBLIC KEY'),
      installations: [
        { id: 4711, account: 'BlinkDL' },
        { id: 4712, account: 'RWKV' },
      ],
      tokenTtlSeconds: 60,
    });
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ ...app, SIM_GITHUB_APP_ID: 'x' }, /^SIM_GITHUB_APP_ID/],
    [{ ...app, SIM_GITHUB_APP_PUBLIC_KEY_FILE: '' }, /^SIM_GITHUB_APP_PUBLIC_KEY_FILE is required/],
    [{ ...app, SIM_GITHUB_APP_PUBLIC_KEY_FILE: '/nonexistent.pem' }, /^SIM_GITHUB_APP_PUBLIC_KEY_FILE: cannot read/],
    [{ ...app, SIM_GITHUB_APP_INSTALLATIONS: 'BlinkDL' }, /^SIM_GITHUB_APP_INSTALLATIONS: "BlinkDL" is not id:account/],
    [{ ...app, SIM_GITHUB_APP_INSTALLATIONS: '' }, /^SIM_GITHUB_APP_INSTALLATIONS is required/],
    [{ ...app, SIM_GITHUB_APP_TOKEN_TTL_SECONDS: '0' }, /^SIM_GITHUB_APP_TOKEN_TTL_SECONDS/],
  ])('names the variable of a bad setting (%#)', (env, message) => {
    expect(readSimGithubApp(env)).toEqual({ error: expect.stringMatching(message) });
  });
});

describe('readSimOauth', () => {
  it('defaults to the local client, any redirect URL and a page to pick the user', () => {
    expect(readSimOauth({})).toEqual(defaultOauth);
  });

  it('reads the client, its callback URL and the user signed in without a page', () => {
    expect(readSimOauth({ SIM_OAUTH_CLIENT_ID: 'id1', SIM_OAUTH_CLIENT_SECRET: 's1', SIM_OAUTH_CALLBACK_URL: 'http://localhost:3000/auth/github/callback', SIM_OAUTH_LOGIN: 'BlinkDL' })).toEqual({
      clients: [{ clientId: 'id1', clientSecret: 's1', callbackUrl: 'http://localhost:3000/auth/github/callback' }],
      defaultLogin: 'BlinkDL',
    });
  });

  it('names SIM_OAUTH_CALLBACK_URL when it is not an absolute URL', () => {
    expect(readSimOauth({ SIM_OAUTH_CALLBACK_URL: '/auth/github/callback' })).toEqual({ error: expect.stringMatching(/^SIM_OAUTH_CALLBACK_URL/) });
  });
});
