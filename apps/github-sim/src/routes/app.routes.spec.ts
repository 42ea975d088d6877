import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createGithubSim, type GithubSim } from '../server.js';
import { JwtMessage } from '../http/github-app.js';
import { sharedSnapshot } from '../testing/sim-data.js';

const APP_ID = 4242;
const INSTALLATION = 777;

/** An RS256 JWT as GitHub Apps sign them (GitHub Docs, "Generating a JSON Web Token for a GitHub App"). */
function jwt(key: KeyObject, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
}

describe('GitHub App endpoints of the sim', () => {
  let sim: GithubSim;
  let clock = Date.parse('2026-03-01T12:00:00Z');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const seconds = () => Math.floor(clock / 1000);
  const valid = () => jwt(privateKey, { iss: APP_ID, iat: seconds() - 60, exp: seconds() + 540 });
  const call = (method: string, path: string, token?: string) =>
    fetch(`${sim.url}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    sim = await createGithubSim({
      snapshot: await sharedSnapshot(),
      now: () => clock,
      githubApp: { appId: APP_ID, publicKey, installations: [{ id: INSTALLATION, account: 'BlinkDL' }], tokenTtlSeconds: 600 },
    });
  });
  afterAll(() => sim?.close());

  it('issues an installation token for a valid JWT (201, ghs_ token, expires_at after the TTL)', async () => {
    const response = await call('POST', `/app/installations/${INSTALLATION}/access_tokens`, valid());
    expect(response.status).toBe(201);
    const body = (await response.json()) as { token: string; expires_at: string; repository_selection: string };
    expect(body.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(body.expires_at).toBe('2026-03-01T12:10:00Z');
    expect((await call('GET', '/repos/BlinkDL/RWKV-LM', body.token)).status).toBe(200);
  });

  it.each<[string, () => string, string]>([
    ['a JWT signed by another key', () => jwt(other, { iss: APP_ID, iat: seconds() - 60, exp: seconds() + 540 }), JwtMessage.undecodable],
    ['a JWT of another App', () => jwt(privateKey, { iss: APP_ID + 1, iat: seconds() - 60, exp: seconds() + 540 }), JwtMessage.undecodable],
    ['an expired JWT', () => jwt(privateKey, { iss: APP_ID, iat: seconds() - 700, exp: seconds() - 100 }), JwtMessage.expired],
    ['a JWT valid for more than 10 minutes', () => jwt(privateKey, { iss: APP_ID, iat: seconds(), exp: seconds() + 3600 }), JwtMessage.tooFar],
    ['not a JWT', () => 'not.a-jwt', JwtMessage.undecodable],
  ])('refuses %s with 401', async (_name, token, message) => {
    const response = await call('POST', `/app/installations/${INSTALLATION}/access_tokens`, token());
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toBe(message);
  });

  it('answers 404 for an installation the App does not have', async () => {
    expect((await call('POST', '/app/installations/1/access_tokens', valid())).status).toBe(404);
  });

  it('lists the installations and finds a repository installation by owner', async () => {
    const list = (await (await call('GET', '/app/installations', valid())).json()) as Array<{ id: number; account: { login: string }; app_id: number }>;
    expect(list).toEqual([expect.objectContaining({ id: INSTALLATION, app_id: APP_ID, account: expect.objectContaining({ login: 'BlinkDL' }) })]);
    const found = (await (await call('GET', '/repos/BlinkDL/RWKV-LM/installation', valid())).json()) as { id: number };
    expect(found.id).toBe(INSTALLATION);
    expect((await call('GET', '/repos/RWKV/rwkv.cpp/installation', valid())).status).toBe(404);
    expect((await call('GET', '/app/installations')).status).toBe(401);
  });

  it('refuses an installation token past its expiry, and one it never issued, with 401 "Bad credentials"', async () => {
    const { token } = (await (await call('POST', `/app/installations/${INSTALLATION}/access_tokens`, valid())).json()) as { token: string };
    clock += 600_000;
    const expired = await call('GET', '/repos/BlinkDL/RWKV-LM', token);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { message: string }).message).toBe('Bad credentials');
    expect((await call('GET', '/repos/BlinkDL/RWKV-LM', `ghs_${'x'.repeat(36)}`)).status).toBe(401);
  });

  it('counts every token of an installation against one rate-limit bucket', async () => {
    const first = (await (await call('POST', `/app/installations/${INSTALLATION}/access_tokens`, valid())).json()) as { token: string };
    const second = (await (await call('POST', `/app/installations/${INSTALLATION}/access_tokens`, valid())).json()) as { token: string };
    const used = async (token: string) => Number((await call('GET', '/repos/BlinkDL/RWKV-LM', token)).headers.get('x-ratelimit-used'));
    const a = await used(first.token);
    expect(await used(second.token)).toBe(a + 1);
  });
});
