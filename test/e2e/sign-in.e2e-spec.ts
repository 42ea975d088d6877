import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { DEVELOPMENT_GITHUB_OAUTH_CLIENT } from '#libs/config';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { DEFAULT_SIM_OAUTH_CLIENT } from '../../apps/github-sim/src/oauth/sim-oauth.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** The cookies a browser would keep, by name (value and the raw Set-Cookie line). */
type Jar = Map<string, { value: string; raw: string }>;

function remember(jar: Jar, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const name = pair.slice(0, pair.indexOf('='));
    const value = decodeURIComponent(pair.slice(pair.indexOf('=') + 1));
    if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, { value, raw: line });
  }
}

function cookieHeader(jar: Jar): string {
  return [...jar].map(([name, { value }]) => `${name}=${encodeURIComponent(value)}`).join('; ');
}

describe('sign-in through GitHub OAuth against the simulator, over HTTP', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let app: NestFastifyApplication;
  let db: pg.Pool;
  let api: string;
  let adminLogin: string;
  let memberLogin: string;
  let adminById: { id: number; login: string };

  beforeAll(async () => {
    env = await createTestEnv();
    sim = await startRwkvSim();
    const users = sim.snapshot.accounts.all().filter((account) => account.type === 'User' && account.source === 'noreply');
    adminLogin = 'BlinkDL';
    memberLogin = users.find((account) => account.login !== adminLogin)!.login;
    const byId = users.find((account) => account.login !== adminLogin && account.login !== memberLogin)!;
    adminById = { id: Number(byId.id), login: byId.login };
    // local-run defaults: the OAuth pages at GITHUB_API_URL (the sim), the sim's client (DEVELOPMENT_GITHUB_OAUTH_CLIENT)
    expect(DEVELOPMENT_GITHUB_OAUTH_CLIENT).toEqual(DEFAULT_SIM_OAUTH_CLIENT);
    env.apply({
      GITHUB_API_URL: sim.url,
      ADMIN_GITHUB_LOGINS: `someone-else, ${adminLogin.toLowerCase()}, id:${adminById.id}, id:${adminById.id + 1_000_000_000}`,
    });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    api = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await db?.end();
    await env?.teardown();
  });

  /** `/auth/github` → the sim's authorize page → back to the callback URL (not yet followed). */
  async function startSignIn(login: string, jar: Jar): Promise<string> {
    const start = await fetch(`${api}/auth/github?login=${encodeURIComponent(login)}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    remember(jar, start);
    const authorize = new URL(start.headers.get('location')!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${sim.url}/login/oauth/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${api}/auth/github/callback`);
    const atGithub = await fetch(authorize, { redirect: 'manual' });
    expect(atGithub.status).toBe(302);
    return atGithub.headers.get('location')!;
  }

  async function signIn(login: string): Promise<{ jar: Jar; csrfToken: string; body: { csrfToken: string; signedIn: { login: string; memberId: string; role: string } } }> {
    const jar: Jar = new Map();
    const callback = await startSignIn(login, jar);
    const done = await fetch(callback, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    const body = (await done.json()) as { csrfToken: string; signedIn: { login: string; memberId: string; role: string } };
    expect(done.status).toBe(200);
    remember(jar, done);
    return { jar, csrfToken: body.csrfToken, body };
  }

  async function graphql(query: string, options: { jar?: Jar; csrf?: string; token?: string } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.jar) headers.cookie = cookieHeader(options.jar);
    if (options.csrf) headers['x-csrf-token'] = options.csrf;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(`${api}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: any }> }) };
  }

  const VIEWER = `{ viewer { kind roles githubLogin csrfToken member { id } } }`;

  it('signs a member in: state cookie, code exchange, member linked by GitHub id, session cookie httpOnly + SameSite=Lax', async () => {
    const { jar, body } = await signIn(memberLogin);
    const account = sim.snapshot.accounts.find(memberLogin)!;
    const { rows } = await db.query(`SELECT member_id FROM github_account WHERE id = $1`, [account.id]);
    expect(rows).toHaveLength(1);
    expect(body.signedIn).toEqual({ login: account.login, memberId: rows[0].member_id, role: 'MEMBER' });

    const session = jar.get('cambrian_session')!;
    expect(session.value).toMatch(/^cms_/);
    expect(session.raw).toMatch(/; HttpOnly/i);
    expect(session.raw).toMatch(/; SameSite=Lax/i);
    expect(session.raw).toMatch(/; Path=\//i);
    expect(session.raw).not.toMatch(/; Secure/i); // NODE_ENV=test is a local run
    expect(jar.get('cambrian_csrf')!.raw).not.toMatch(/HttpOnly/i);
    expect(jar.has('cambrian_oauth_state')).toBe(false); // cleared at the callback

    const stored = await db.query(`SELECT token_hash, role, expires_at > now() AS live FROM auth_session WHERE member_id = $1`, [rows[0].member_id]);
    expect(stored.rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), role: 'member', live: true }]);
    expect(JSON.stringify(stored.rows)).not.toContain(session.value);

    const viewer = await graphql(VIEWER, { jar });
    expect(viewer.data.viewer).toEqual({ kind: 'SESSION', roles: ['MEMBER'], githubLogin: account.login, csrfToken: body.csrfToken, member: { id: rows[0].member_id } });
  });

  it('refuses a callback whose state differs from the cookie, or without the cookie', async () => {
    const jar: Jar = new Map();
    const callback = new URL(await startSignIn(memberLogin, jar));
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    const mismatch = await fetch(forged, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.json()).toMatchObject({ error: 'OAUTH_STATE_MISMATCH' });
    const noCookie = await fetch(callback, { redirect: 'manual' });
    expect(noCookie.status).toBe(400);
    expect(mismatch.headers.getSetCookie().join()).not.toMatch(/cambrian_session=cms_/);
  });

  it('refuses a replayed code (GitHub: a code is single-use)', async () => {
    const jar: Jar = new Map();
    const callback = await startSignIn(memberLogin, jar);
    const first = await fetch(callback, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    expect(first.status).toBe(200);
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    expect(replay.status).toBe(401);
    const body = (await replay.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: 'OAUTH_CODE_REFUSED' });
    expect(body.message).toMatch(/bad_verification_code/);
  });

  it('refuses a session mutation without the CSRF token, accepts it with one, and a member is still not an admin', async () => {
    const { jar, csrfToken } = await signIn(memberLogin);
    const mutation = `mutation { createEcosystem(slug: "csrf-member", name: "CSRF") { slug } }`;
    const without = await graphql(mutation, { jar });
    expect(without.status).toBe(403);
    expect(without.errors![0].extensions.code).toBe('CSRF_TOKEN_REQUIRED');
    const wrong = await graphql(mutation, { jar, csrf: 'x'.repeat(43) });
    expect(wrong.errors![0].extensions.code).toBe('CSRF_TOKEN_REQUIRED');
    const withToken = await graphql(mutation, { jar, csrf: csrfToken });
    expect(withToken.errors![0].extensions.code).toBe('FORBIDDEN'); // past CSRF, refused by the admin rule
    expect((await graphql(`{ viewer { kind } }`, { jar })).data.viewer.kind).toBe('SESSION'); // reads need no token
  });

  it('runs no session mutation without the CSRF token whatever the transport: GET, a batch, or a body a cross-site form can send', async () => {
    const { jar } = await signIn(adminLogin);
    const mutation = `mutation { createEcosystem(slug: "csrf-transport", name: "CSRF") { slug } }`;
    const cookie = cookieHeader(jar);
    const get = await fetch(`${api}/graphql?query=${encodeURIComponent(mutation)}`, { headers: { cookie } });
    expect(get.status).toBeGreaterThanOrEqual(400);
    const batch = await fetch(`${api}/graphql`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify([{ query: mutation }]) });
    expect(batch.status).toBeGreaterThanOrEqual(400);
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: mutation }));
    form.set('map', '{}');
    for (const [type, body] of [
      ['text/plain', JSON.stringify({ query: mutation })],
      ['application/x-www-form-urlencoded', new URLSearchParams({ query: mutation }).toString()],
    ] as const) {
      const simple = await fetch(`${api}/graphql`, { method: 'POST', headers: { cookie, 'content-type': type }, body });
      expect(simple.status).toBeGreaterThanOrEqual(400);
    }
    const multipart = await fetch(`${api}/graphql`, { method: 'POST', headers: { cookie }, body: form });
    expect(multipart.status).toBeGreaterThanOrEqual(400);
    expect((await db.query(`SELECT 1 FROM ecosystem WHERE slug = 'csrf-transport'`)).rowCount).toBe(0);
  });

  it('signs an ADMIN_GITHUB_LOGINS login in as an admin who may run admin mutations with the CSRF token', async () => {
    const { jar, csrfToken, body } = await signIn(adminLogin);
    expect(body.signedIn.role).toBe('ADMIN');
    const viewer = await graphql(VIEWER, { jar });
    expect(viewer.data.viewer).toMatchObject({ kind: 'SESSION', roles: ['ADMIN', 'MEMBER'], githubLogin: adminLogin });
    const created = await graphql(`mutation { createEcosystem(slug: "by-session-admin", name: "Admin") { slug } }`, { jar, csrf: csrfToken });
    expect(created.errors).toBeUndefined();
    expect(created.data.createEcosystem.slug).toBe('by-session-admin');
  });

  it('signs an account named by id (`id:<GitHub account id>`) in as an admin, whatever its login', async () => {
    const { body } = await signIn(adminById.login);
    expect(body.signedIn.role).toBe('ADMIN');
    // a login is not an id: the member's session stays a member's
    const { body: member } = await signIn(memberLogin);
    expect(member.signedIn.role).toBe('MEMBER');
  });

  it("lands on the console path named by return_to (303 on the api's own origin), and refuses any other return_to", async () => {
    const jar: Jar = new Map();
    const start = await fetch(`${api}/auth/github?login=${encodeURIComponent(adminLogin)}&return_to=${encodeURIComponent('/console/ecosystem')}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    remember(jar, start);
    expect(jar.get('cambrian_oauth_return')!.raw).toMatch(/; HttpOnly/i);
    const atGithub = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const done = await fetch(atGithub.headers.get('location')!, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console/ecosystem');
    remember(jar, done);
    expect(jar.has('cambrian_session')).toBe(true);
    expect(jar.has('cambrian_oauth_return')).toBe(false);

    for (const returnTo of ['https://evil.example/console/', '//evil.example/console/', '/console/../graphql', '/console/%2e%2e/x', '/graphql', '/console\\x']) {
      const refused = await fetch(`${api}/auth/github?return_to=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
      expect([returnTo, refused.status]).toEqual([returnTo, 400]);
      expect(await refused.json()).toMatchObject({ error: 'RETURN_TO_REFUSED' });
    }
  });

  it('signs out with the CSRF token only; the revoked session is then refused by name', async () => {
    const { jar, csrfToken } = await signIn(memberLogin);
    const headers = { cookie: cookieHeader(jar) };
    const refused = await fetch(`${api}/auth/sign-out`, { method: 'POST', headers });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'CSRF_TOKEN_REQUIRED' });
    const out = await fetch(`${api}/auth/sign-out`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrfToken } });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    expect(out.headers.getSetCookie().join('\n')).toMatch(/cambrian_session=;/);
    const after = await graphql(`{ viewer { kind } }`, { jar });
    expect(after.status).toBe(401);
    expect(after.errors![0]).toMatchObject({ message: expect.stringMatching(/session is revoked/), extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an expired session by name', async () => {
    const { jar } = await signIn(memberLogin);
    await db.query(`UPDATE auth_session SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL AND expires_at > now()`);
    const after = await graphql(`{ viewer { kind } }`, { jar });
    expect(after.status).toBe(401);
    expect(after.errors![0].message).toMatch(/session is expired/);
  });

  it('viewer: anonymous is the public, an admin API token is API_TOKEN/ADMIN and needs no CSRF token', async () => {
    expect((await graphql(VIEWER)).data.viewer).toEqual({ kind: 'ANONYMOUS', roles: [], githubLogin: null, csrfToken: null, member: null });
    const { secret } = await app.get(ApiTokenService, { strict: false }).create({ name: 'viewer e2e', role: 'admin' });
    expect((await graphql(VIEWER, { token: secret })).data.viewer).toEqual({ kind: 'API_TOKEN', roles: ['ADMIN'], githubLogin: null, csrfToken: null, member: null });
    const created = await graphql(`mutation { createEcosystem(slug: "by-token", name: "Token") { slug } }`, { token: secret });
    expect(created.errors).toBeUndefined();
  });

  it('refuses expired and revoked API tokens by name, and a read-only token may not run mutations', async () => {
    const tokens = app.get(ApiTokenService, { strict: false });
    const expired = await tokens.create({ name: 'soon expired', role: 'admin', expiresAt: new Date(Date.now() + 60_000) });
    await db.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.token.id]);
    const expiredAnswer = await graphql(`{ viewer { kind } }`, { token: expired.secret });
    expect(expiredAnswer.status).toBe(401);
    expect(expiredAnswer.errors![0]).toMatchObject({ message: expect.stringMatching(/API token is expired/), extensions: { code: 'UNAUTHENTICATED' } });

    const revoked = await tokens.create({ name: 'revoked', role: 'admin' });
    await tokens.revoke(revoked.token.id);
    const revokedAnswer = await graphql(`{ viewer { kind } }`, { token: revoked.secret });
    expect(revokedAnswer.status).toBe(401);
    expect(revokedAnswer.errors![0].message).toMatch(/API token is revoked/);

    const reader = await tokens.create({ name: 'reader', role: 'admin', scopes: ['read'] });
    expect((await graphql(`{ viewer { kind } }`, { token: reader.secret })).data.viewer.kind).toBe('API_TOKEN');
    const write = await graphql(`mutation { createEcosystem(slug: "by-reader", name: "Reader") { slug } }`, { token: reader.secret });
    expect(write.status).toBe(403);
    expect(write.errors![0]).toMatchObject({ message: expect.stringMatching(/lacks the "write" scope/), extensions: { code: 'FORBIDDEN' } });
  });
});

describe('sign-in routes under the signIn rate limit', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ RATE_LIMIT_SIGN_IN_PER_IP: '2/300s', GITHUB_API_URL: 'http://127.0.0.1:9' });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('answers 429 with Retry-After past RATE_LIMIT_SIGN_IN_PER_IP, on start and sign-out alike', async () => {
    const api = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    expect((await fetch(`${api}/auth/github`, { redirect: 'manual' })).status).toBe(302);
    expect((await fetch(`${api}/auth/sign-out`, { method: 'POST' })).status).toBe(200);
    const refused = await fetch(`${api}/auth/github`, { redirect: 'manual' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${api}/auth/sign-out`, { method: 'POST' })).status).toBe(429);
  });
});
