import { request as octokitRequest } from '@octokit/request';
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from '@octokit/oauth-methods';
import { createGithubSim, type GithubSim } from '../server.js';
import { DEFAULT_SIM_OAUTH_CLIENT } from '../oauth/sim-oauth.js';
import { sharedSnapshot } from '../testing/sim-data.js';

const client = DEFAULT_SIM_OAUTH_CLIENT;
const callback = 'http://127.0.0.1:9/auth/github/callback';

/** Follows `/login/oauth/authorize` one hop (as a browser would) and returns the redirect target. */
async function authorize(sim: GithubSim, params: Record<string, string>): Promise<URL> {
  const response = await fetch(`${sim.url}/login/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

describe('github-sim OAuth web application flow over HTTP', () => {
  let sim: GithubSim;
  let clock = Date.now();
  const request = () => octokitRequest.defaults({ baseUrl: sim.url });

  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), now: () => clock });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('signs in the named user: authorize redirects with code and state, Octokit exchanges the code, GET /user is that user', async () => {
    const { url } = getWebFlowAuthorizationUrl({ clientType: 'oauth-app', clientId: client.clientId, redirectUrl: callback, state: 's-1', scopes: ['read:user'], request: request() });
    expect(url.startsWith(`${sim.url}/login/oauth/authorize?`)).toBe(true);
    const back = await authorize(sim, { ...Object.fromEntries(new URL(url).searchParams), login: 'BlinkDL' });
    expect(`${back.origin}${back.pathname}`).toBe(callback);
    expect(back.searchParams.get('state')).toBe('s-1');
    expect(back.searchParams.get('code')).toMatch(/^[0-9a-f]{20}$/);

    const { authentication } = await exchangeWebFlowCode({
      clientType: 'oauth-app', clientId: client.clientId, clientSecret: client.clientSecret, code: back.searchParams.get('code')!, redirectUrl: callback, request: request(),
    });
    expect(authentication.token).toMatch(/^gho_[A-Za-z0-9]{36}$/);
    expect(authentication.scopes).toEqual(['read:user']);

    const user = await request()('GET /user', { headers: { authorization: `token ${authentication.token}` } });
    expect(user.data).toMatchObject({ login: 'BlinkDL', id: sim.snapshot.accounts.find('BlinkDL')!.id, type: 'User' });
    expect(user.headers['x-oauth-scopes']).toBe('read:user');
  });

  it('answers form-encoded by default and JSON when asked, and refuses a replayed code with bad_verification_code', async () => {
    const code = (await authorize(sim, { client_id: client.clientId, redirect_uri: callback, login: 'BlinkDL' })).searchParams.get('code')!;
    const form = new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, code });
    const first = await fetch(`${sim.url}/login/oauth/access_token`, { method: 'POST', body: form });
    expect(first.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const granted = new URLSearchParams(await first.text());
    expect(granted.get('access_token')).toMatch(/^gho_/);
    expect(granted.get('token_type')).toBe('bearer');

    const replay = await fetch(`${sim.url}/login/oauth/access_token`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(Object.fromEntries(form)) });
    expect(replay.status).toBe(200); // GitHub answers token errors with 200
    expect(await replay.json()).toMatchObject({ error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
  });

  it('refuses a wrong client secret, an expired code and a redirect_uri that differs from the authorize request', async () => {
    const codeFor = async () => (await authorize(sim, { client_id: client.clientId, redirect_uri: callback, login: 'BlinkDL' })).searchParams.get('code')!;
    const exchange = async (body: Record<string, string>) => {
      const response = await fetch(`${sim.url}/login/oauth/access_token`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify({ client_id: client.clientId, ...body }) });
      return (await response.json()) as Record<string, string>;
    };
    expect((await exchange({ client_secret: 'wrong', code: await codeFor() })).error).toBe('incorrect_client_credentials');
    expect((await exchange({ client_secret: client.clientSecret, code: await codeFor(), redirect_uri: 'http://127.0.0.1:9/elsewhere' })).error).toBe('redirect_uri_mismatch');
    const late = await codeFor();
    clock += 601_000; // GitHub: codes expire after 10 minutes
    expect((await exchange({ client_secret: client.clientSecret, code: late })).error).toBe('bad_verification_code');
  });

  it('shows a page of seeded users to pick from when no login is named, whose links sign that user in', async () => {
    const response = await fetch(`${sim.url}/login/oauth/authorize?${new URLSearchParams({ client_id: client.clientId, redirect_uri: callback, state: 'p' })}`, { redirect: 'manual' });
    expect(response.status).toBe(200);
    const page = await response.text();
    const href = /href="([^"]*login=BlinkDL[^"]*)"/.exec(page)?.[1].replace(/&#38;/g, '&');
    expect(href).toBeDefined();
    const picked = await fetch(`${sim.url}${href}`, { redirect: 'manual' });
    expect(picked.status).toBe(302);
    expect(new URL(picked.headers.get('location')!).searchParams.get('state')).toBe('p');
  });

  it('answers 404 for an unknown client or user, without a redirect', async () => {
    const unknownClient = await fetch(`${sim.url}/login/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(callback)}`, { redirect: 'manual' });
    expect(unknownClient.status).toBe(404);
    const unknownUser = await fetch(`${sim.url}/login/oauth/authorize?client_id=${client.clientId}&login=no-such-user-here&redirect_uri=${encodeURIComponent(callback)}`, { redirect: 'manual' });
    expect(unknownUser.status).toBe(404);
  });
});

describe('github-sim OAuth with a registered callback URL', () => {
  let sim: GithubSim;
  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), oauth: { clients: [{ ...client, callbackUrl: callback }], defaultLogin: 'BlinkDL' } });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('signs the default user in without a page, and sends a foreign redirect_uri back to the callback with redirect_uri_mismatch', async () => {
    expect((await authorize(sim, { client_id: client.clientId, redirect_uri: `${callback}/deeper`, state: 'a' })).searchParams.get('code')).toMatch(/^[0-9a-f]{20}$/);
    const refused = await authorize(sim, { client_id: client.clientId, redirect_uri: 'http://evil.example/steal', state: 'b' });
    expect(`${refused.origin}${refused.pathname}`).toBe(callback);
    expect(refused.searchParams.get('error')).toBe('redirect_uri_mismatch');
    expect(refused.searchParams.get('code')).toBeNull();
  });
});
