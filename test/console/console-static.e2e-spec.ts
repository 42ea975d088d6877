import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { CONSOLE_CONTENT_SECURITY_POLICY } from '../../apps/api/src/console/console-static.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** Starts the api with CONSOLE_DIR = `dir`; returns it and its origin. */
async function startApi(env: TestEnv, dir: string): Promise<{ app: NestFastifyApplication; origin: string }> {
  env.apply({ CONSOLE_DIR: dir });
  const app = await createApiApp({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, origin: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}` };
}

/** The console as `npm run build` builds it. */
const BUILT_CONSOLE = resolve('dist/console');

/**
 * One request with node:http (fetch would add its own Accept-Encoding and decode the body): the status,
 * headers and the body's bytes as sent.
 */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((done, fail) => {
    const sent = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => done({ status: answer.statusCode ?? 0, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', fail);
    });
    sent.on('error', fail);
    sent.end(options.body);
  });
}

describe('the api serves the built console at /console', () => {
  let env: TestEnv;
  let built: string;
  let empty: string;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    // a console build as `vite build` lays it out: index.html and hashed assets
    built = mkdtempSync(join(tmpdir(), 'cambrian-console-'));
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/console/assets/index-abc123.js"></script>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log("console");');
    empty = mkdtempSync(join(tmpdir(), 'cambrian-console-empty-'));
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    rmSync(built, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
    await env?.teardown();
  });

  it('answers client routes with index.html under the console policy, assets with a long cache, and a missing asset with 404', async () => {
    const started = await startApi(env, built);
    app = started.app;
    const { origin } = started;
    const bare = await fetch(`${origin}/console`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/console/']);
    for (const path of ['/console/', '/console/ecosystem', '/console/members/abc']) {
      const page = await fetch(`${origin}${path}`);
      expect([path, page.status]).toEqual([path, 200]);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(await page.text()).toContain('/console/assets/index-abc123.js');
    }
    const asset = await fetch(`${origin}/console/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect((await fetch(`${origin}/console/assets/index-old.js`)).status).toBe(404);
    // the api's own answers keep the strict policy
    const health = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ viewer { kind } }"}' });
    expect(health.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    expect(health.headers.get('content-security-policy')).not.toContain("script-src 'self'");
  });

  it("sends the build's brotli or gzip file for a hashed asset when the browser accepts one, the file as it is otherwise", async () => {
    if (!existsSync(join(BUILT_CONSOLE, 'index.html'))) throw new Error(`${BUILT_CONSOLE} holds no built console: run \`npm run build\` first`);
    const started = await startApi(env, BUILT_CONSOLE);
    app = started.app;
    const { origin } = started;
    const page = await raw(`${origin}/console/`);
    const entry = /src="\/console\/(assets\/index-[\w-]+\.js)"/.exec(page.body.toString('utf8'))?.[1];
    if (entry === undefined) throw new Error(`no hashed entry script in ${BUILT_CONSOLE}/index.html`);
    const original = readFileSync(join(BUILT_CONSOLE, entry));
    const url = `${origin}/console/${entry}`;

    const brotli = await raw(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect([brotli.status, brotli.headers['content-encoding'], brotli.headers.vary]).toEqual([200, 'br', expect.stringMatching(/(^|, )accept-encoding$/)]);
    expect(brotli.headers['content-type']).toMatch(/javascript/);
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotli.headers['content-security-policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(brotli.body.length).toBeLessThan(original.length / 2);
    expect(brotliDecompressSync(brotli.body).equals(original)).toBe(true);

    const gzip = await raw(url, { headers: { 'accept-encoding': 'gzip' } });
    expect([gzip.status, gzip.headers['content-encoding']]).toEqual([200, 'gzip']);
    expect(gunzipSync(gzip.body).equals(original)).toBe(true);

    for (const headers of [{}, { 'accept-encoding': 'identity' }] as Array<Record<string, string>>) {
      const plain = await raw(url, { headers });
      expect([plain.status, plain.headers['content-encoding'], plain.headers['cache-control']]).toEqual([200, undefined, 'public, max-age=31536000, immutable']);
      expect(plain.body.equals(original)).toBe(true);
    }
    expect((await raw(`${origin}/console/ecosystem`, { headers: { 'accept-encoding': 'br' } })).headers['content-encoding']).toBe('br');

    // nothing outside /console is compressed: GraphQL and webhook answers go out as they are
    const accept = { 'accept-encoding': 'gzip, deflate, br', 'content-type': 'application/json' };
    const graphql = await raw(`${origin}/graphql`, { method: 'POST', headers: accept, body: '{"query":"{ viewer { kind } }"}' });
    expect([graphql.status, graphql.headers['content-encoding']]).toEqual([200, undefined]);
    expect(JSON.parse(graphql.body.toString('utf8'))).toHaveProperty('data.viewer');
    const webhook = await raw(`${origin}/webhooks/github`, { method: 'POST', headers: accept, body: '{}' });
    expect(webhook.headers['content-encoding']).toBeUndefined();
    expect(() => JSON.parse(webhook.body.toString('utf8'))).not.toThrow();
  });

  it('answers 503 saying how to build it while no console is built', async () => {
    const started = await startApi(env, empty);
    app = started.app;
    for (const path of ['/console', '/console/', '/console/ecosystem']) {
      const answer = await fetch(`${started.origin}${path}`, { redirect: 'manual' });
      expect([path, answer.status]).toEqual([path, 503]);
      expect(await answer.text()).toMatch(/The console is not built: .* Build it with `npm run build`/);
    }
  });
});
