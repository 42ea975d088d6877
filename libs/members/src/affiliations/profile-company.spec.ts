import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { createMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { normaliseProfileCompany, ProfileCompanyService } from './profile-company.service.js';

describe('normaliseProfileCompany', () => {
  it.each<[string | null | undefined, string | null]>([
    ['  @Acme  ', '@Acme'],
    ['Hugging\n  Face', 'Hugging Face'],
    ['   ', null],
    ['', null],
    [null, null],
    [undefined, null],
    ['Ａｃｍｅ', 'Acme'],
  ])('%j → %j', (text, stored) => {
    expect(normaliseProfileCompany(text)).toBe(stored);
  });

  it('keeps at most 200 characters', () => {
    expect(normaliseProfileCompany('x'.repeat(300))).toBe('x'.repeat(200));
  });
});

describe('ProfileCompanyService (Postgres)', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let profiles: ProfileCompanyService;
  const at = (day: number) => new Date(Date.UTC(2026, 1, day));
  const found = (company: string | null, etag = 'W/"x"') => ({ kind: 'found' as const, company, etag });
  const ranges = async (accountId: number) =>
    (
      await db.query(
        `SELECT company, observed_from, observed_until FROM github_profile_company WHERE account_id = $1 ORDER BY observed_from`,
        [accountId],
      )
    ).rows.map((row: { company: string; observed_from: Date; observed_until: Date | null }) => [
      row.company,
      row.observed_from.toISOString(),
      row.observed_until?.toISOString() ?? null,
    ]);
  const account = async (accountId: number) =>
    (await db.query(`SELECT company, profile_etag, profile_fetched_at, profile_missing_at FROM github_account WHERE id = $1`, [accountId]))
      .rows[0];

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

  it('opens a range on the first sight, keeps it while the text is the same, closes it on a change', async () => {
    const member = await createMember(db);
    const id = member.githubAccountId!;
    expect(await profiles.record(id, found('Acme '), at(1))).toEqual({ companyChanged: true, memberId: member.memberId });
    expect(await profiles.record(id, found('Acme', 'W/"y"'), at(2))).toEqual({ companyChanged: false, memberId: member.memberId });
    expect(await ranges(id)).toEqual([['Acme', at(1).toISOString(), null]]);
    expect(await account(id)).toEqual({ company: 'Acme', profile_etag: 'W/"y"', profile_fetched_at: at(2), profile_missing_at: null });
    expect((await profiles.record(id, found('Initech'), at(3))).companyChanged).toBe(true);
    expect((await profiles.record(id, found(null), at(4))).companyChanged).toBe(true);
    expect(await ranges(id)).toEqual([
      ['Acme', at(1).toISOString(), at(3).toISOString()],
      ['Initech', at(3).toISOString(), at(4).toISOString()],
    ]);
    expect((await account(id)).company).toBeNull();
  });

  it('replaces the open range when a change is seen at (or before) its start, never leaving an empty range', async () => {
    const member = await createMember(db);
    const id = member.githubAccountId!;
    await profiles.record(id, found('Acme'), at(5));
    expect((await profiles.record(id, found('Initech'), at(5))).companyChanged).toBe(true);
    expect(await ranges(id)).toEqual([['Initech', at(5).toISOString(), null]]);
    await profiles.record(id, found('Globex'), at(4));
    expect(await ranges(id)).toEqual([['Globex', at(5).toISOString(), null]]);
  });

  it('closes the open range on a 404 and marks since when; a profile found again opens a new one', async () => {
    const member = await createMember(db);
    const id = member.githubAccountId!;
    await profiles.record(id, found('Acme'), at(1));
    expect((await profiles.record(id, { kind: 'missing' }, at(2))).companyChanged).toBe(true);
    expect((await profiles.record(id, { kind: 'missing' }, at(3))).companyChanged).toBe(false);
    expect(await account(id)).toEqual({ company: null, profile_etag: null, profile_fetched_at: at(3), profile_missing_at: at(2) });
    await profiles.record(id, found('Acme'), at(6));
    expect(await ranges(id)).toEqual([
      ['Acme', at(1).toISOString(), at(2).toISOString()],
      ['Acme', at(6).toISOString(), null],
    ]);
    expect((await account(id)).profile_missing_at).toBeNull();
  });

  it('ends the open range when the login now belongs to another account (its company can no longer be seen), and ignores accounts that are gone', async () => {
    const member = await createMember(db);
    const id = member.githubAccountId!;
    await profiles.record(id, found('Acme'), at(1));
    expect(await profiles.record(id, { kind: 'other-account' }, at(2))).toEqual({ companyChanged: true, memberId: member.memberId });
    expect(await ranges(id)).toEqual([['Acme', at(1).toISOString(), at(2).toISOString()]]);
    expect(await account(id)).toMatchObject({ company: null, profile_etag: null, profile_fetched_at: at(2) });
    // asked again, still someone else's: nothing more changes
    expect(await profiles.record(id, { kind: 'other-account' }, at(3))).toEqual({ companyChanged: false, memberId: member.memberId });
    expect(await ranges(id)).toEqual([['Acme', at(1).toISOString(), at(2).toISOString()]]);
    expect(await profiles.record(987_654_321, found('Acme'), at(2))).toEqual({ companyChanged: false, memberId: null });
  });
});
