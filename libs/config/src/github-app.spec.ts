import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubAppCredentials } from './github-app.js';
import { ConfigError, loadConfig } from './load-config.js';

const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const app = { GITHUB_APP_ID: '12', GITHUB_APP_INSTALLATION_ID: '34', GITHUB_APP_PRIVATE_KEY: key };

/** The ConfigError's problems for `env`. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('GitHub App configuration', () => {
  it('uses no App when no App variable is set', () => {
    expect(githubAppCredentials(loadConfig({ GITHUB_TOKEN: 'pat' }))).toBeNull();
  });

  it('reads a complete App (PEM in the variable)', () => {
    expect(githubAppCredentials(loadConfig(app))).toEqual({ appId: 12, installationId: 34, privateKey: key });
  });

  it('reads a PEM written on one line with \\n, and one from GITHUB_APP_PRIVATE_KEY_FILE', () => {
    expect(githubAppCredentials(loadConfig({ ...app, GITHUB_APP_PRIVATE_KEY: key.replace(/\n/g, '\\n') }))!.privateKey).toBe(key);
    const dir = mkdtempSync(join(tmpdir(), 'cambrian-app-'));
    try {
      const file = join(dir, 'app.pem');
      writeFileSync(file, key);
      const { GITHUB_APP_PRIVATE_KEY: _ignored, ...rest } = app;
      expect(githubAppCredentials(loadConfig({ ...rest, GITHUB_APP_PRIVATE_KEY_FILE: file }))!.privateKey).toBe(key);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a missing installation id', { GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: key }, /^GITHUB_APP_INSTALLATION_ID: required/],
    ['a missing App id', { GITHUB_APP_INSTALLATION_ID: '34', GITHUB_APP_PRIVATE_KEY: key }, /^GITHUB_APP_ID: required/],
    ['a missing key', { GITHUB_APP_ID: '12', GITHUB_APP_INSTALLATION_ID: '34' }, /^GITHUB_APP_PRIVATE_KEY: required/],
    ['a key that is not PEM', { ...app, GITHUB_APP_PRIVATE_KEY: 'not a key' }, /^GITHUB_APP_PRIVATE_KEY: not a PEM private key/],
    ['an unreadable key file', { GITHUB_APP_ID: '12', GITHUB_APP_INSTALLATION_ID: '34', GITHUB_APP_PRIVATE_KEY_FILE: '/nonexistent/app.pem' }, /^GITHUB_APP_PRIVATE_KEY_FILE: cannot read \/nonexistent\/app.pem/],
    ['both a key and a key file', { ...app, GITHUB_APP_PRIVATE_KEY_FILE: '/tmp/x.pem' }, /^GITHUB_APP_PRIVATE_KEY_FILE: set GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, not both/],
    ['a personal access token as well', { ...app, GITHUB_TOKEN: 'pat' }, /^GITHUB_TOKEN: GITHUB_TOKEN and a GitHub App .* mutually exclusive/],
    ['an App id that is not a number', { ...app, GITHUB_APP_ID: 'twelve' }, /^GITHUB_APP_ID: /],
  ])('refuses %s, naming the variable', (_name, env, message) => {
    expect(problems(env)).toEqual([expect.stringMatching(message)]);
  });
});
