import pg from 'pg';
import { DigestComposeModule, DigestDefaultsService } from '#libs/digests';
import { StageService } from '#libs/members';
import { createActivities, createEcosystem, createMember, createRepository } from '../helpers/factories.js';
import { SmtpCatcher, countHeaderLines, parseMessage } from '../helpers/smtp-catcher.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createSendingSide, waitFor, type SendingSide } from './digest-send-helpers.js';

/** The sending side with the real composer (libs/digests compose) and its ecosystem defaults. */
describe('digest run with the real composer: a personal message in the ecosystem language, nothing for a quiet member (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let catcher: SmtpCatcher;
  let sending: SendingSide;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    catcher = await new SmtpCatcher().start();
    sending = await createSendingSide(env, { SMTP_URL: catcher.url, SMTP_RATE_LIMIT: '100', PUBLIC_BASE_URL: 'https://cambrian.example.org' }, [
      DigestComposeModule,
      DigestDefaultsService,
    ]);
  });

  afterAll(async () => {
    await sending?.close();
    await catcher?.stop();
    await db?.end();
    await env?.teardown();
  });

  it('sends the active member a composed digest in the ecosystem default (zh-CN) and records the quiet one empty', async () => {
    const rwkv = await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    await sending.app.get(DigestDefaultsService, { strict: false }).setForEcosystem('rwkv', { locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
    const core = await createRepository(db, { ecosystemId: rwkv, owner: 'rwkv', name: 'core' });
    const active = await createMember(db, { login: 'active-one' });
    const quiet = await createMember(db, { login: 'quiet-one' });
    const ids = await createActivities(db, [
      { member: active, repositoryId: core, type: 'commit', occurredAt: '2026-11-24T10:00:00Z' },
      { member: active, repositoryId: core, type: 'commit', occurredAt: '2026-11-25T10:00:00Z' },
      { member: quiet, repositoryId: core, type: 'star', occurredAt: '2026-01-05T10:00:00Z' },
    ]);
    await sending.app.get(StageService, { strict: false }).evaluateActivities(ids, { now: new Date('2026-12-01T00:00:00Z') });
    for (const [member, email] of [[active, 'active@example.org'], [quiet, 'quiet@example.org']] as const) {
      await sending.preferences.set(member.memberId, { email, digestOptIn: true, timeZone: 'Asia/Shanghai' });
    }
    sending.startWorker();
    expect((await sending.planner.planWeek('2026-W48')).queued).toBe(2);
    await waitFor('both rows settled', async () =>
      (await db.query(`SELECT 1 FROM digest_send WHERE iso_week = '2026-W48' AND status NOT IN ('pending', 'sending')`)).rowCount === 2,
    );
    const rows = (await db.query(`SELECT member_id, status, reason FROM digest_send WHERE iso_week = '2026-W48'`)).rows;
    expect(rows.find((row) => row.member_id === active.memberId)).toMatchObject({ status: 'sent' });
    expect(rows.find((row) => row.member_id === quiet.memberId)).toMatchObject({ status: 'empty', reason: expect.any(String) });
    expect(catcher.to('quiet@example.org')).toHaveLength(0);
    const [message] = catcher.to('active@example.org');
    expect(countHeaderLines(message.raw, 'List-Unsubscribe')).toBe(1);
    expect(countHeaderLines(message.raw, 'List-Unsubscribe-Post')).toBe(1);
    const parsed = await parseMessage(message);
    expect(parsed.html).toContain('lang="zh-CN"');
    expect(parsed.html).toContain(`https://cambrian.example.org/unsubscribe?token=u.${active.memberId}.`);
    expect(parsed.text?.length).toBeGreaterThan(50);
  });
});
