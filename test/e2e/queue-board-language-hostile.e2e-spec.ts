import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { QUEUE_BOARD_PATH } from '../../apps/api/src/queues/queue-board.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** The queue dashboard's `?lng=` (queue-board-language.ts): odd and hostile values, other pages, HEAD. */
describe('the queue dashboard in the console language, hostile ?lng= values', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}${QUEUE_BOARD_PATH}`;
    token = (await app.get(ApiTokenService, { strict: false }).create({ name: 'board', role: 'admin' })).secret;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  async function page(path: string, init: RequestInit = {}) {
    const response = await fetch(`${base}${path}`, { ...init, redirect: 'manual', headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
    const text = await response.text();
    const config = /<script id="__UI_CONFIG__" type="application\/json">([\s\S]*?)<\/script>/.exec(text)?.[1];
    return {
      status: response.status,
      headers: response.headers,
      text,
      lang: /<html lang="([^"]*)"/.exec(text)?.[1],
      title: /<title>([^<]*)<\/title>/.exec(text)?.[1],
      config: config ? (JSON.parse(config) as Record<string, any>) : undefined,
    };
  }

  it.each([
    ['<script>alert(1)</script>'],
    ['"><img src=x onerror=alert(1)>'],
    ['zh-CN"><script>alert(1)</script>'],
    ['x'.repeat(4_000)],
    ['__proto__'],
    ['constructor'],
    ['zh-cn'],
    ['zh-CN\r\nSet-Cookie: a=b'],
  ])('?lng= case %# serves the page as configured, nothing of it echoed', async (lng) => {
    const answer = await page(`/?lng=${encodeURIComponent(lng)}`);
    expect(answer.status).toBe(200);
    expect(answer.lang).toBe('en');
    expect(answer.config?.locale).toBeUndefined();
    expect(answer.text).not.toContain('alert(1)');
    expect(answer.headers.get('set-cookie')).toBeNull();
  });

  it('repeated ?lng= is ignored, the page stays whole', async () => {
    const answer = await page('/?lng=zh-CN&lng=en');
    expect(answer.status).toBe(200);
    expect(answer.config?.boardTitle).toBe('Cambrian queues');
  });

  it('a queue page (a client route of the board) is localised too, with a correct content-length', async () => {
    const answer = await page('/queue/webhooks?lng=zh-CN');
    expect(answer.status).toBe(200);
    expect(answer.lang).toBe('zh-CN');
    expect(answer.title).toBe('Cambrian 队列');
    expect(Number(answer.headers.get('content-length') ?? Buffer.byteLength(answer.text))).toBe(Buffer.byteLength(answer.text));
  });

  it('HEAD of the localised page answers 200 with no body', async () => {
    const response = await fetch(`${base}/?lng=zh-CN`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
  });

  it('the dashboard without its trailing slash (/admin/queues?lng=zh-CN) opens in Chinese too', async () => {
    const answer = await page('?lng=zh-CN');
    if (answer.status >= 300 && answer.status < 400) {
      // a redirect must keep the language
      expect(answer.headers.get('location')).toContain('lng=zh-CN');
    } else {
      expect(answer.status).toBe(200);
      expect(answer.lang).toBe('zh-CN');
    }
  });
});
