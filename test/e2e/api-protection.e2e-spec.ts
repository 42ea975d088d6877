import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { MAX_ALIASES, MAX_DOCUMENT_CHARACTERS, MAX_DOCUMENT_TOKENS, MAX_FIELDS } from '../../apps/api/src/graphql/document-limits.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const CONSOLE = 'https://console.example.org';

/** An answer as it came over HTTP. */
interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

let nextAddress = 0;
/** A client address of its own, so one test does not spend another's budget. */
function address(): string {
  nextAddress += 1;
  return `10.77.${Math.floor(nextAddress / 250)}.${(nextAddress % 250) + 1}`;
}

describe('api protection over HTTP: document limits, page caps, headers, CORS, rate limits', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;

  /** A request to the api, from `ip` (X-Forwarded-For, believed from loopback: TRUST_PROXY=loopback). */
  async function call(path: string, init: { method?: string; headers?: Record<string, string>; body?: string; ip?: string } = {}): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'x-forwarded-for': init.ip ?? address(), ...init.headers },
      body: init.body,
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // HTML or empty
    }
    return { status: response.status, headers: response.headers, body };
  }

  const graphql = (query: string, options: { variables?: Record<string, unknown>; ip?: string; token?: string; headers?: Record<string, string> } = {}) =>
    call('/graphql', {
      method: 'POST',
      ip: options.ip,
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
      body: JSON.stringify({ query, variables: options.variables ?? {} }),
    });

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({
      CONSOLE_ORIGIN: CONSOLE,
      RATE_LIMIT_GRAPHQL_PER_IP: '5/60s',
      RATE_LIMIT_GRAPHQL_PER_TOKEN: '8/60s',
      RATE_LIMIT_WEBHOOK_PER_IP: '3/60s',
    });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    ({ secret: token } = await app.get(ApiTokenService).create({ name: 'rate-limit test', role: 'admin' }));
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  describe('GraphQL documents', () => {
    it('refuses a document over the character limit with 413 before parsing it', async () => {
      const answer = await graphql(`{ __typename }${' '.repeat(MAX_DOCUMENT_CHARACTERS)}`);
      expect(answer.status).toBe(413);
      expect(answer.body.errors[0].extensions).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', maxCharacters: MAX_DOCUMENT_CHARACTERS });
    });

    it('refuses a body over the /graphql body limit with 413', async () => {
      const answer = await graphql('{ __typename }', { variables: { padding: 'x'.repeat(300 * 1024) } });
      expect(answer.status).toBe(413);
    });

    it('stops parsing past the token limit (400 GRAPHQL_PARSE_FAILED naming it)', async () => {
      const answer = await graphql(`{ ${'a '.repeat(MAX_DOCUMENT_TOKENS)} }`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(answer.body.errors[0].message).toMatch(new RegExp(`more tha[nt] ${MAX_DOCUMENT_TOKENS} tokens`)); // graphql-js writes "that"
    });

    it('refuses too many fields and too many aliases with 400 and their codes', async () => {
      const fields = await graphql(`{ ${'__typename '.repeat(MAX_FIELDS + 1)} }`);
      expect(fields.status).toBe(400);
      expect(fields.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_MANY_FIELDS', maxFields: MAX_FIELDS });
      const aliases = await graphql(`{ ${Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `a${i}: members(first: 1) { totalCount }`).join(' ')} }`);
      expect(aliases.status).toBe(400);
      expect(aliases.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_MANY_ALIASES', maxAliases: MAX_ALIASES });
    });

    it('refuses page sizes over the cap, literal, nested or in a variable, naming the field', async () => {
      const literal = await graphql('{ members(first: 101) { totalCount } }');
      expect(literal.status).toBe(400);
      expect(literal.body.errors[0]).toMatchObject({
        message: 'Query.members: first must be from 1 to 100, not 101',
        extensions: { code: 'BAD_USER_INPUT', field: 'Query.members', argument: 'first', maxPageSize: 100 },
      });
      const nested = await graphql('{ members(first: 1) { edges { node { recentActivities(first: 500) { id } } } } }');
      expect(nested.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Member.recentActivities' });
      const variable = await graphql('query Page($n: Int!) { activities(first: $n) { totalCount } }', { variables: { n: 1000 } });
      expect(variable.status).toBe(400);
      expect(variable.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Query.activities' });
      const atCap = await graphql('{ members(first: 100) { totalCount } }');
      expect(atCap.status).toBe(200);
      expect(atCap.body.errors).toBeUndefined();
    });

    it.each([
      ['a syntax error', JSON.stringify({ query: '{ members(first: ' }), 'GRAPHQL_PARSE_FAILED'],
      ['no query', JSON.stringify({ variables: {} }), 'BAD_REQUEST'],
      ['a batch (not accepted)', JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]), 'BAD_REQUEST'],
    ])('answers %s with a clear 400', async (_name, body, code) => {
      const answer = await call('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe(code);
      expect(answer.body.errors[0].message.length).toBeGreaterThan(10);
    });

    it('answers a body that is not JSON with 400', async () => {
      const answer = await call('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename }"' });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).not.toMatch(/node_modules|\bat \w+ \(/);
    });
  });

  describe('security headers', () => {
    it.each([
      ['GET', '/health/live'],
      ['POST', '/graphql'],
    ])('%s %s carries a CSP for a JSON API and helmet’s headers', async (method, path) => {
      const answer = await call(path, method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' } : {});
      expect(answer.status).toBe(200);
      const csp = answer.headers.get('content-security-policy');
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(answer.headers.get('x-powered-by')).toBeNull();
      expect(answer.headers.get('strict-transport-security')).toBeNull(); // production only
    });

    it('marks GraphQL answers, data and errors alike, Cache-Control: no-store (they depend on who asks)', async () => {
      for (const query of ['{ __typename }', '{ leaderboard(first: 1) { entries { rank } } }', '{ nosuchfield }']) {
        const answer = await call('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        expect([200, 400]).toContain(answer.status);
        expect(answer.headers.get('cache-control')).toBe('no-store');
      }
    });

    it('serves GraphiQL outside production with a CSP of its own (its scripts come from unpkg.com)', async () => {
      const answer = await call('/graphql', { headers: { accept: 'text/html' } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = answer.headers.get('content-security-policy');
      expect(csp).toContain('script-src https://unpkg.com');
      expect(csp).toContain("connect-src 'self'");
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      call('/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });

    it('allows the console’s origin, with credentials and the headers it sends', async () => {
      const answer = await preflight(CONSOLE);
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe(CONSOLE);
      expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
      expect(answer.headers.get('access-control-allow-headers')).toContain('authorization');
      const post = await graphql('{ __typename }', { headers: { origin: CONSOLE } });
      expect(post.headers.get('access-control-allow-origin')).toBe(CONSOLE);
      expect(post.headers.get('vary')).toMatch(/origin/i);
    });

    it.each(['https://evil.example', 'https://console.example.org.evil.example', 'http://console.example.org'])(
      'gives %s no Access-Control-Allow-Origin',
      async (origin) => {
        expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull();
        expect((await graphql('{ __typename }', { headers: { origin } })).headers.get('access-control-allow-origin')).toBeNull();
      },
    );
  });

  describe('rate limits', () => {
    it('refuses /graphql past the per-address budget with 429, Retry-After and RATE_LIMITED; other addresses go on', async () => {
      const ip = address();
      for (let i = 0; i < 5; i++) expect((await graphql('{ __typename }', { ip })).status).toBe(200);
      const refused = await graphql('{ __typename }', { ip });
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.body.errors[0]).toMatchObject({
        message: expect.stringContaining('at most 5 per 60 s'),
        extensions: { code: 'RATE_LIMITED', scope: 'ip', limit: 5, windowSeconds: 60, retryAfterSeconds: retryAfter },
      });
      expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect((await graphql('{ __typename }', { ip: address() })).status).toBe(200);
    });

    it('refuses a token past its budget whatever address it comes from', async () => {
      for (let i = 0; i < 8; i++) expect((await graphql('{ __typename }', { token })).status).toBe(200);
      const refused = await graphql('{ __typename }', { token });
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'token', limit: 8 });
    });

    it('counts requests with made-up tokens against their address', async () => {
      const ip = address();
      for (let i = 0; i < 5; i++) expect((await graphql('{ __typename }', { ip, token: `cmb_${randomUUID()}` })).status).toBe(401);
      expect((await graphql('{ __typename }', { ip, token: `cmb_${randomUUID()}` })).status).toBe(429);
    });

    it('refuses webhook deliveries past the per-source budget with 429 and Retry-After', async () => {
      const ip = address();
      const deliver = () =>
        call('/webhooks/github', {
          method: 'POST',
          ip,
          headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': randomUUID() },
          body: '{"zen":"Keep it logically awesome."}',
        });
      for (let i = 0; i < 3; i++) expect((await deliver()).status).toBe(401); // unsigned: counted all the same
      const refused = await deliver();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    });

    it('does not count CORS preflights, health checks or metrics', async () => {
      const ip = address();
      for (let i = 0; i < 8; i++) {
        expect((await call('/health/live', { ip })).status).toBe(200);
        expect((await call('/metrics', { ip })).status).toBe(200);
        await call('/graphql', { method: 'OPTIONS', ip, headers: { origin: CONSOLE, 'access-control-request-method': 'POST' } });
      }
      expect((await graphql('{ __typename }', { ip })).status).toBe(200);
    });
  });
});
