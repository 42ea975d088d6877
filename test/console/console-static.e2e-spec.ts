import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
