import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { addEmailIdentity, createActivities, createMember, createRepository, type CreatedMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { OrganizationService } from '../organizations/organization.service.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { AffiliationRecomputeService } from './affiliation-recompute.service.js';
import { AffiliationService } from './affiliation.service.js';

const hashed = (n: number, domain: string) => `${String(n).padStart(40, 'b')}@${domain}`;
const at = (text: string) => new Date(text);

describe('affiliations at the edges: boundaries, far futures, concurrent writers (Postgres)', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let organizations: OrganizationService;
  let affiliations: AffiliationService;
  let recompute: AffiliationRecomputeService;
  let repositoryId: number;
  let acme: string;
  let initech: string;

  const committer = async (member: CreatedMember, email: string, dates: string[]) => {
    const identityId = await addEmailIdentity(db, member.memberId, email);
    await createActivities(db, dates.map((occurredAt) => ({ member: { ...member, identityId }, repositoryId, occurredAt })));
  };
  const rowsOf = async (memberId: string) =>
    (await db.query(`SELECT organization_id, source, starts_at, ends_at FROM affiliation WHERE member_id = $1 ORDER BY source, starts_at NULLS FIRST`, [memberId])).rows;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, OrganizationsModule] }).compile();
    app = await moduleRef.init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    organizations = app.get(OrganizationService);
    affiliations = app.get(AffiliationService);
    recompute = app.get(AffiliationRecomputeService);
    repositoryId = await createRepository(db);
    acme = (await organizations.create({ name: 'Acme', domains: ['acme.com'] })).id;
    initech = (await organizations.create({ name: 'Initech', domains: ['initech.io'] })).id;
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  it('treats ranges as [start, end): touching ranges are allowed, one millisecond more is an overlap', async () => {
    const member = await createMember(db);
    const base = { memberId: member.memberId };
    await affiliations.setManual({ ...base, organizationId: acme, startsAt: at('2023-01-01T00:00:00Z'), endsAt: at('2024-01-01T00:00:00Z') });
    await affiliations.setManual({ ...base, organizationId: initech, startsAt: at('2024-01-01T00:00:00Z'), endsAt: at('2025-01-01T00:00:00Z') });
    await affiliations.setManual({ ...base, organizationId: acme, startsAt: null, endsAt: at('2023-01-01T00:00:00Z') });
    await expect(
      affiliations.setManual({ ...base, organizationId: acme, startsAt: at('2024-12-31T23:59:59.999Z'), endsAt: null }),
    ).rejects.toMatchObject({ code: 'AFFILIATION_OVERLAP_CONFLICT' });
    await affiliations.setManual({ ...base, organizationId: acme, startsAt: at('2025-01-01T00:00:00Z'), endsAt: at('9999-12-31T00:00:00Z') });
    expect(await rowsOf(member.memberId)).toHaveLength(4);
  });

  it('stores a range at the far end of JavaScript dates exactly, and refuses an invalid date clearly', async () => {
    const member = await createMember(db);
    const far = await affiliations.setManual({ memberId: member.memberId, organizationId: acme, startsAt: at('+275760-09-12T00:00:00Z'), endsAt: at('+275760-09-13T00:00:00Z') });
    expect((await affiliations.get(far.id)).startsAt?.toISOString()).toBe('+275760-09-12T00:00:00.000Z');
    await expect(
      affiliations.setManual({ memberId: member.memberId, organizationId: initech, startsAt: at('2030-01-01T00:00:00Z'), endsAt: null }),
    ).rejects.toMatchObject({ code: 'AFFILIATION_OVERLAP_CONFLICT' });
    await expect(
      affiliations.setManual({ memberId: member.memberId, organizationId: acme, startsAt: new Date(Number.NaN), endsAt: null }),
    ).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID', message: 'startsAt is not a valid date' });
  });

  it('answers hostile list queries and cursors with a clear error or a page, never a database error', async () => {
    await expect(organizations.list({ query: 'a\u0000b', first: 10 })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
    const nulCursor = Buffer.from(JSON.stringify(['organization', 'a\u0000', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    await expect(organizations.list({ first: 10, after: nulCursor })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
    expect((await organizations.list({ query: '%_\\', first: 10 })).edges).toEqual([]);
    expect((await organizations.list({ query: 'ACME.', first: 10 })).edges.map((edge) => edge.node.name)).toEqual(['Acme']);
    expect(await organizations.findByName('Acme\u0000')).toBeNull();
    const member = await createMember(db);
    await expect(
      affiliations.setManual({ memberId: member.memberId, organizationId: acme, note: 'left\u0000', startsAt: null, endsAt: null }),
    ).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID', message: expect.stringContaining('NUL') });
    await expect(
      affiliations.setManual({ memberId: member.memberId, organizationId: acme, note: 'x'.repeat(10_000), startsAt: null, endsAt: null }),
    ).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID', message: expect.stringContaining('at most 500') });
  });

  it('lets one of two concurrent overlapping setManual calls win and refuses the other', async () => {
    const member = await createMember(db);
    const range = { memberId: member.memberId, startsAt: at('2024-01-01T00:00:00Z'), endsAt: at('2025-01-01T00:00:00Z') };
    for (let round = 0; round < 5; round++) {
      await db.query(`DELETE FROM affiliation WHERE member_id = $1`, [member.memberId]);
      const results = await Promise.allSettled([
        affiliations.setManual({ ...range, organizationId: acme }),
        affiliations.setManual({ ...range, organizationId: initech, startsAt: at('2024-06-01T00:00:00Z') }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'AFFILIATION_OVERLAP_CONFLICT' } });
      expect(await rowsOf(member.memberId)).toHaveLength(1);
    }
  });

  it('recomputes twice at once without duplicates, and drops automatic rows (not manual ones) when a domain goes', async () => {
    const member = await createMember(db);
    await committer(member, hashed(1, 'acme.com'), ['2023-01-01T00:00:00Z', '2023-06-01T00:00:00Z']);
    const manual = await affiliations.setManual({ memberId: member.memberId, organizationId: acme, startsAt: at('2022-01-01T00:00:00Z'), endsAt: at('2022-06-01T00:00:00Z') });
    await Promise.all([recompute.recompute(), recompute.recompute(), recompute.recompute({ memberIds: [member.memberId] })]);
    const rows = await rowsOf(member.memberId);
    expect(rows.map((row) => row.source)).toEqual(['email_domain', 'manual']);
    await organizations.update(acme, { domains: [] });
    await Promise.all([recompute.recompute(), recompute.recompute()]);
    expect((await rowsOf(member.memberId)).map((row) => row.source)).toEqual(['manual']);
    expect((await affiliations.get(manual.id)).organizationId).toBe(acme);
    await organizations.update(acme, { domains: ['acme.com'] });
  });
});
