import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** Writes a console build as `vite build` lays it out: index.html naming one hashed asset. */
function writeBuild(dir: string, hash: string): void {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'assets', `index-${hash}.js`), `console.log("${hash}");`);
  writeFileSync(join(dir, 'index.html'), `<!doctype html><div id="root"></div><script type="module" src="/console/assets/index-${hash}.js"></script>`);
}

/**
 * The console is built by `npm run build` (or `npm run build:console`) into CONSOLE_DIR, which may
 * happen while the api runs: the 503 page itself says "build it … then reload this page". A build
 * made after the api started must be served as it is on disk: its page, and the hashed assets the
 * page names.
 */
describe('the api serves a console built or rebuilt while it runs', () => {
  let env: TestEnv;
  let dir: string;
  let app: NestFastifyApplication | undefined;

  async function startApi(): Promise<string> {
    env.apply({ CONSOLE_DIR: dir });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }

  beforeAll(async () => {
    env = await createTestEnv();
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cambrian-console-rebuild-'));
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('serves the console once it is built, after answering 503 "build it, then reload this page"', async () => {
    const origin = await startApi();
    const before = await fetch(`${origin}/console/`);
    expect(before.status).toBe(503);
    expect(await before.text()).toContain('then reload this page');
    writeBuild(dir, 'first1');
    const page = await fetch(`${origin}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/console/assets/index-first1.js');
    const asset = await fetch(`${origin}/console/assets/index-first1.js`);
    expect([asset.status, asset.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
  });

  it('serves the assets of a rebuild that the new index.html names', async () => {
    writeBuild(dir, 'first1');
    const origin = await startApi();
    expect((await fetch(`${origin}/console/assets/index-first1.js`)).status).toBe(200);
    writeBuild(dir, 'second2');
    const page = await (await fetch(`${origin}/console/`)).text();
    expect(page).toContain('/console/assets/index-second2.js');
    const asset = await fetch(`${origin}/console/assets/index-second2.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log("second2");');
  });
});
