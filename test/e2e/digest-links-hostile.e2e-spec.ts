import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { EmailPreferenceService, signDigestToken } from '#libs/digests';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const SECRET = 'links-hostile-secret';

/** Hostile requests to the links of a digest (unsubscribe, preferences), through the real api over HTTP. */
describe('digest links: hostile query strings and bodies (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let api: NestFastifyApplication;
  let base: string;
  let preferences: EmailPreferenceService;
  let memberId: string;

  const form = (url: string, body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ DIGEST_TOKEN_SECRETS: SECRET });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    base = await api.getUrl();
    base = base.replace('[::1]', '127.0.0.1');
    preferences = api.get(EmailPreferenceService, { strict: false });
    ({ memberId } = await createMember(db, { login: 'hostile-1', email: 'hostile-1@example.org' }));
    await preferences.set(memberId, { digestOptIn: true });
  });

  afterAll(async () => {
    await api?.close();
    await db?.end();
    await env?.teardown();
  });

  it.each<[string, string]>([
    ['GET /unsubscribe', 'unsubscribe'],
    ['POST /unsubscribe', 'unsubscribe'],
    ['GET /preferences', 'preferences'],
    ['POST /preferences', 'preferences'],
  ])('answers %s with the token given twice 400 naming the problem, and changes nothing', async (name, route) => {
    const token = signDigestToken([SECRET], route as 'unsubscribe' | 'preferences', memberId);
    const url = `${base}/${route}?token=${encodeURIComponent(token)}&token=${encodeURIComponent(token)}`;
    const response = name.startsWith('GET') ? await fetch(url) : await form(url, 'List-Unsubscribe=One-Click&digestOptIn=');
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/token/);
    expect((await preferences.get(memberId))!.digestOptIn).toBe(true);
  });

  it('answers an oversized token 400 and changes nothing', async () => {
    const response = await form(`${base}/unsubscribe?token=u.${'a'.repeat(8000)}`, 'List-Unsubscribe=One-Click');
    expect(response.status).toBe(400);
    expect((await preferences.get(memberId))!.digestOptIn).toBe(true);
  });

  it('escapes hostile preference inputs in the page it answers', async () => {
    const token = signDigestToken([SECRET], 'preferences', memberId);
    const bad = await form(`${base}/preferences?token=${token}`, `digestOptIn=on&timeZone=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).not.toContain('<script>');
    const locale = await form(`${base}/preferences?token=${token}`, `digestOptIn=on&locale=${encodeURIComponent('"><img src=x onerror=alert(1)>')}`);
    expect(locale.status).toBe(400);
    expect(await locale.text()).not.toContain('<img');
    expect((await preferences.get(memberId))!).toMatchObject({ digestOptIn: true, timeZone: 'UTC', locale: null });
  });
});
