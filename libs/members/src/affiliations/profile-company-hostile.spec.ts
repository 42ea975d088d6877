import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { createMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { normaliseProfileCompany, ProfileCompanyService } from './profile-company.service.js';

/** A profile's company field is free text its owner types: whatever it holds, recording it must not fail. */
describe('hostile company fields', () => {
  it.each<[string, string | null]>([
    ['Acme\u0000Corp', 'Acme Corp'],
    ['\u0000\u0007\u001b', null],
    ['Acme\u009bCorp', 'Acme Corp'],
  ])('drops control characters: %j → %j', (text, stored) => {
    expect(normaliseProfileCompany(text)).toBe(stored);
  });

  it('never cuts a character in two at the length limit', () => {
    const stored = normaliseProfileCompany(`${'x'.repeat(199)}😀tail`)!;
    expect(stored).toBe(`${'x'.repeat(199)}😀`);
  });

  describe('recorded (Postgres)', () => {
    let env: TestEnv;
    let app: INestApplicationContext;
    let db: pg.Pool;
    let profiles: ProfileCompanyService;

    beforeAll(async () => {
      env = await createTestEnv();
      env.apply();
      app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, OrganizationsModule] }).compile()).init();
      db = new pg.Pool({ connectionString: env.database.url, max: 2 });
      profiles = app.get(ProfileCompanyService);
    });

    afterAll(async () => {
      await db?.end();
      await app?.close();
      await env?.teardown();
    });

    it('records a company holding a NUL character', async () => {
      const member = await createMember(db);
      const id = member.githubAccountId!;
      const answer = { kind: 'found' as const, company: 'Evil\u0000Corp', etag: null };
      await expect(profiles.record(id, answer, new Date(Date.UTC(2026, 1, 1)))).resolves.toEqual({ companyChanged: true, memberId: member.memberId });
      expect((await db.query(`SELECT company FROM github_account WHERE id = $1`, [id])).rows[0]).toEqual({ company: 'Evil Corp' });
    });
  });
});
