import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import {
  addEmailIdentity,
  createActivities,
  createMember,
  createRepository,
  type CreatedMember,
} from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { OrganizationService } from '../organizations/organization.service.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { AffiliationRecomputeService } from './affiliation-recompute.service.js';
import { AffiliationService } from './affiliation.service.js';
import { ContributionCreditService } from './contribution-credit.service.js';
import { ProfileCompanyService } from './profile-company.service.js';

/** A hashed local part, as in Cambrian's real data (`sha1(local)@domain`). */
const hashed = (n: number, domain: string) => `${String(n).padStart(40, 'a')}@${domain}`;

describe('organisations and affiliations (Postgres)', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let organizations: OrganizationService;
  let affiliations: AffiliationService;
  let recompute: AffiliationRecomputeService;
  let credit: ContributionCreditService;
  let repositoryId: number;
  const org: Record<string, string> = {};

  /** A member who committed under `email` at each of `dates`. */
  const committer = async (member: CreatedMember, email: string, dates: string[]) => {
    const identityId = await addEmailIdentity(db, member.memberId, email);
    await createActivities(
      db,
      dates.map((occurredAt) => ({ member: { ...member, identityId }, repositoryId, occurredAt })),
    );
  };
  const orgName = (id: string | null) => Object.entries(org).find(([, value]) => value === id)?.[0] ?? id;
  const creditedAt = async (member: CreatedMember, at: string) => orgName(await credit.organizationAt(member.memberId, new Date(at)));
  const automatic = async () =>
    (await db.query(`SELECT id, member_id, organization_id, source, starts_at, ends_at, evidence, updated_at FROM affiliation
               WHERE source <> 'manual' ORDER BY id`)).rows;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, OrganizationsModule] }).compile();
    app = await moduleRef.init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    organizations = app.get(OrganizationService);
    affiliations = app.get(AffiliationService);
    recompute = app.get(AffiliationRecomputeService);
    credit = app.get(ContributionCreditService);
    repositoryId = await createRepository(db);
    for (const [name, domains, isCustomer] of [
      ['Acme', ['acme.com'], false],
      ['Globex Corporation', ['globex.com', 'globex.co.uk'], true],
      ['Initech', ['initech.io'], false],
    ] as const) {
      org[name] = (await organizations.create({ name, domains: [...domains], isCustomer })).id;
    }
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  describe('organisations', () => {
    it('normalises domains and refuses bad names and domains with a clear error', async () => {
      const created = await organizations.create({ name: '  Hooli  ', domains: ['@Hooli.COM', 'hooli.com.'] });
      expect(created).toMatchObject({ name: 'Hooli', domains: ['hooli.com'], isCustomer: false });
      await expect(organizations.create({ name: 'hooli' })).rejects.toMatchObject({
        code: 'ORGANIZATION_ALREADY_EXISTS',
        message: expect.stringContaining('exists already'),
      });
      await expect(organizations.create({ name: 'Other', domains: ['acme.com'] })).rejects.toMatchObject({
        code: 'ORGANIZATION_ALREADY_EXISTS',
        message: 'the domain "acme.com" belongs to the organisation "Acme" already',
      });
      await expect(organizations.create({ name: 'Mail', domains: ['gmail.com'] })).rejects.toMatchObject({
        code: 'ORGANIZATION_INVALID',
        message: expect.stringContaining('public webmail'),
      });
      await expect(organizations.create({ name: 'Bad', domains: ['not a domain'] })).rejects.toMatchObject({
        code: 'ORGANIZATION_INVALID',
        message: expect.stringContaining('is not a domain name'),
      });
      await expect(organizations.create({ name: ' ' })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
      await expect(organizations.update('nope', { name: 'x' })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
      await expect(organizations.update('00000000-0000-4000-8000-000000000000', { name: 'x' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const renamed = await organizations.update(created.id, { name: 'Hooli XYZ', isCustomer: true });
      expect(renamed).toMatchObject({ name: 'Hooli XYZ', domains: ['hooli.com'], isCustomer: true });
      await db.query(`DELETE FROM organization WHERE id = $1`, [created.id]);
    });

    it('keeps right-to-left and CJK names, refuses control and bidi-override characters and 10k-character names', async () => {
      for (const name of ['شركة الأمل', 'מכון ויצמן', '清华大学 KEG', 'Ｆｕｌｌwidth']) {
        const created = await organizations.create({ name });
        expect(created.name).toBe(name);
        await db.query(`DELETE FROM organization WHERE id = $1`, [created.id]);
      }
      for (const name of ['Null\u0000Corp', 'Bell\u0007Labs', 'Esc\u001b[31mape', '\u202Eelgoog', 'Iso\u2066late\u2069']) {
        await expect(organizations.create({ name })).rejects.toMatchObject({
          code: 'ORGANIZATION_INVALID',
          message: expect.stringContaining('control'),
        });
      }
      await expect(organizations.create({ name: 'x'.repeat(10_000) })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID', message: expect.stringContaining('at most 200') });
      await expect(organizations.update(org.Acme, { name: 'Acme\u0000' })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
    });

    it('takes domains in upper case, with a trailing dot or in Unicode (stored as punycode), refuses IP addresses and webmail', async () => {
      const created = await organizations.create({ name: 'Müller', domains: ['MÜLLER.de.', 'Bücher.DE'] });
      expect(created.domains).toEqual(['xn--bcher-kva.de', 'xn--mller-kva.de']);
      await db.query(`DELETE FROM organization WHERE id = $1`, [created.id]);
      for (const domain of ['192.168.1.1', '[::1]', '10.0.0.1.', 'a'.repeat(10_000) + '.com', 'exa\u0000mple.com']) {
        await expect(organizations.create({ name: 'Ip', domains: [domain] })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID', message: expect.stringContaining('is not a domain name') });
      }
      for (const domain of ['qq.com', '163.com', 'vip.163.com', '139.com', '189.cn', 'sohu.com', 'GMAIL.COM.']) {
        await expect(organizations.create({ name: 'Mail', domains: [domain] })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID', message: expect.stringContaining('public webmail') });
      }
    });

    it('lists by name with a query on name or domain, a customer filter and cursors', async () => {
      const all = await organizations.list({ first: 2 });
      expect(all.edges.map((edge) => edge.node.name)).toEqual(['Acme', 'Globex Corporation']);
      expect(all.totalCount).toBe(3);
      const next = await organizations.list({ first: 2, after: all.pageInfo.endCursor });
      expect(next.edges.map((edge) => edge.node.name)).toEqual(['Initech']);
      expect(next.pageInfo.hasNextPage).toBe(false);
      expect((await organizations.list({ query: 'CO.UK' })).edges.map((edge) => edge.node.name)).toEqual([
        'Globex Corporation',
      ]);
      expect((await organizations.list({ isCustomer: false })).totalCount).toBe(2);
      await expect(organizations.list({ first: 101 })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
      await expect(organizations.list({ after: 'garbage' })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
    });
  });

  describe('automatic affiliations', () => {
    let changer: CreatedMember;
    let webmailOnly: CreatedMember;
    let profiled: CreatedMember;

    beforeAll(async () => {
      // worked at Acme, then moved to Globex (its UK office address) on 2025-06-01
      changer = await createMember(db);
      await committer(changer, hashed(1, 'acme.com'), ['2025-01-10T00:00:00Z', '2025-05-20T00:00:00Z']);
      await committer(changer, hashed(2, 'uk.globex.co.uk'), ['2025-06-01T00:00:00Z', '2025-09-01T00:00:00Z']);
      await committer(changer, hashed(3, 'gmail.com'), ['2025-03-01T00:00:00Z']);
      // only personal mail: no affiliation, even when an organisation wrongly lists the domain
      webmailOnly = await createMember(db);
      await committer(webmailOnly, hashed(4, 'outlook.com'), ['2025-02-01T00:00:00Z']);
      await committer(webmailOnly, hashed(5, 'someone.mozmail.com'), ['2025-02-02T00:00:00Z']);
      await db.query(`UPDATE organization SET domains = domains || '{outlook.com}' WHERE id = $1`, [org.Initech]);
      // an Acme address until 2024-12-31; the profile, first fetched on 2025-03-01, says "@Initech, Inc."
      profiled = await createMember(db);
      await app.get(ProfileCompanyService).record(profiled.githubAccountId!, { kind: 'found', company: '@Initech, Inc.', etag: 'W/"1"' }, new Date('2025-03-01T00:00:00Z'));
      await committer(profiled, hashed(6, 'acme.com'), ['2024-03-01T00:00:00Z', '2024-12-31T00:00:00Z']);
    });

    it('credits a contribution before and after a job change to two organisations', async () => {
      await recompute.recompute();
      const [before, after] = await createActivities(db, [
        { member: changer, repositoryId, type: 'issue_opened', occurredAt: '2025-04-01T00:00:00Z' },
        { member: changer, repositoryId, type: 'issue_opened', occurredAt: '2025-07-01T00:00:00Z' },
      ]);
      const credited = await credit.organizationsForActivities([before, after]);
      expect([orgName(credited.get(before)!), orgName(credited.get(after)!)]).toEqual(['Acme', 'Globex Corporation']);
      expect(await creditedAt(changer, '2025-05-31T23:59:59Z')).toBe('Acme');
      expect(await creditedAt(changer, '2025-06-01T00:00:00Z')).toBe('Globex Corporation');
      expect(await creditedAt(changer, '2026-06-01T00:00:00Z')).toBe('Globex Corporation');
      // before any work address: no organisation (personal mail says nothing)
      expect(await creditedAt(changer, '2024-12-01T00:00:00Z')).toBeNull();
    });

    it('never derives an affiliation from webmail or relay addresses', async () => {
      await recompute.recompute();
      expect((await affiliations.byMemberIds([webmailOnly.memberId]))[0]).toEqual([]);
    });

    it('dates a profile company from its first observation, and ends the contrary e-mail period after its last activity', async () => {
      const [list] = await affiliations.byMemberIds([profiled.memberId]);
      expect(list.map((a) => [orgName(a.organizationId), a.source, a.startsAt?.toISOString() ?? null, a.endsAt?.toISOString() ?? null])).toEqual([
        ['Acme', 'email_domain', '2024-03-01T00:00:00.000Z', '2024-12-31T00:00:00.001Z'],
        ['Initech', 'profile', '2025-03-01T00:00:00.000Z', null],
      ]);
      expect(list[1].evidence).toEqual({ company: '@Initech, Inc.' });
      expect(await creditedAt(profiled, '2024-06-01T00:00:00Z')).toBe('Acme');
      // between the last Acme commit and the first look at the profile nothing says where they were
      expect(await creditedAt(profiled, '2025-02-01T00:00:00Z')).toBeNull();
      expect(await creditedAt(profiled, '2025-06-01T00:00:00Z')).toBe('Initech');
    });

    it('recomputes idempotently: the second run changes nothing, rows keep their ids', async () => {
      await recompute.recompute();
      const first = await automatic();
      const again = await recompute.recompute();
      expect(again).toEqual({ inserted: 0, updated: 0, deleted: 0, total: first.length });
      expect(await automatic()).toEqual(first);
    });

    it('follows new evidence and dropped domains, for all members or some', async () => {
      await committer(changer, hashed(7, 'globex.com'), ['2025-10-01T00:00:00Z']);
      const scoped = await recompute.recompute({ memberIds: [changer.memberId] });
      expect(scoped).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
      const globex = (await affiliations.byMemberIds([changer.memberId]))[0].find((a) => a.organizationId === org['Globex Corporation'])!;
      expect(globex.evidence).toMatchObject({ activities: 3, domains: ['globex.com', 'uk.globex.co.uk'] });

      await organizations.update(org.Acme, { domains: [] });
      const dropped = await recompute.recompute();
      // changer's and profiled's Acme periods; profiled's Initech profile row is dated by its observation alone
      expect(dropped).toMatchObject({ deleted: 2, inserted: 0 });
      expect(await creditedAt(changer, '2025-04-01T00:00:00Z')).toBeNull();
      await organizations.update(org.Acme, { domains: ['acme.com'] });
      await recompute.recompute();
      expect(await creditedAt(changer, '2025-04-01T00:00:00Z')).toBe('Acme');
    });
  });

  describe('manual affiliations', () => {
    let member: CreatedMember;

    beforeAll(async () => {
      member = await createMember(db);
      await committer(member, hashed(8, 'acme.com'), ['2023-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);
      await recompute.recompute();
    });

    it('override automatic ones for the dates they overlap, and survive a recompute', async () => {
      const manual = await affiliations.setManual({
        memberId: member.memberId,
        organizationId: org.Initech,
        startsAt: new Date('2024-01-01T00:00:00Z'),
        endsAt: new Date('2024-07-01T00:00:00Z'),
        note: 'seconded to Initech',
        by: 'token-1',
      });
      expect(manual).toMatchObject({ source: 'manual', evidence: { note: 'seconded to Initech', by: 'token-1' } });
      expect(await creditedAt(member, '2023-06-01T00:00:00Z')).toBe('Acme');
      expect(await creditedAt(member, '2024-03-01T00:00:00Z')).toBe('Initech');
      expect(await creditedAt(member, '2024-07-01T00:00:00Z')).toBe('Acme');
      await recompute.recompute();
      expect((await affiliations.get(manual.id)).updatedAt).toEqual(manual.updatedAt);
      expect(await creditedAt(member, '2024-03-01T00:00:00Z')).toBe('Initech');
    });

    it('refuse overlapping manual ranges, ranges that end before they start, unknown ids', async () => {
      const base = { memberId: member.memberId, organizationId: org.Acme };
      await expect(
        affiliations.setManual({ ...base, startsAt: new Date('2024-06-01T00:00:00Z'), endsAt: null }),
      ).rejects.toMatchObject({ code: 'AFFILIATION_OVERLAP_CONFLICT', message: expect.stringContaining('"Initech"') });
      await expect(
        affiliations.setManual({ ...base, startsAt: new Date('2022-02-01T00:00:00Z'), endsAt: new Date('2022-01-01T00:00:00Z') }),
      ).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID', message: expect.stringContaining('must be after startsAt') });
      await expect(
        affiliations.setManual({ ...base, memberId: '00000000-0000-4000-8000-000000000000' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no member') });
      await expect(
        affiliations.setManual({ ...base, organizationId: '00000000-0000-4000-8000-000000000000' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no organisation') });
      await expect(affiliations.setManual({ ...base, memberId: 'x' })).rejects.toMatchObject({ code: 'ORGANIZATION_INVALID' });
      // adjacent ranges do not overlap ([a, b) and [b, c))
      const adjacent = await affiliations.setManual({ ...base, startsAt: new Date('2024-07-01T00:00:00Z') });
      await affiliations.removeManual(adjacent.id);
    });

    it('end and remove manual affiliations only', async () => {
      const [list] = await affiliations.byMemberIds([member.memberId]);
      const manual = list.find((a) => a.source === 'manual')!;
      const automaticOne = list.find((a) => a.source === 'email_domain')!;
      await expect(affiliations.endManual(automaticOne.id, new Date('2025-01-01T00:00:00Z'))).rejects.toMatchObject({
        code: 'AFFILIATION_NOT_MANUAL_INVALID',
      });
      await expect(affiliations.removeManual(automaticOne.id)).rejects.toMatchObject({ code: 'AFFILIATION_NOT_MANUAL_INVALID' });
      await expect(affiliations.endManual(manual.id, new Date('2023-12-01T00:00:00Z'))).rejects.toMatchObject({
        code: 'ORGANIZATION_INVALID',
      });
      const ended = await affiliations.endManual(manual.id, new Date('2024-02-01T00:00:00Z'));
      expect(ended.endsAt).toEqual(new Date('2024-02-01T00:00:00Z'));
      expect(await creditedAt(member, '2024-03-01T00:00:00Z')).toBe('Acme');
      await affiliations.removeManual(manual.id);
      await expect(affiliations.get(manual.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await creditedAt(member, '2024-01-15T00:00:00Z')).toBe('Acme');
    });
  });

  describe('credit by organisation', () => {
    it('counts contributions credited by date and lists the members behind them', async () => {
      // a star is not a contribution
      const [globexMember] = (await credit.membersOf(org['Globex Corporation'])).members;
      const identity = (await db.query(`SELECT id FROM identity WHERE member_id = $1 LIMIT 1`, [globexMember.memberId])).rows[0];
      await createActivities(db, [
        {
          member: { memberId: globexMember.memberId, identityId: identity.id, githubAccountId: null },
          repositoryId,
          type: 'star',
          occurredAt: '2025-11-01T00:00:00Z',
        },
      ]);
      const [acme, globex, initech] = await credit.contributionCounts([org.Acme, org['Globex Corporation'], org.Initech]);
      const direct = async (id: string) =>
        (
          await db.query(
            `SELECT count(*)::int AS n FROM activity a
              WHERE a.removed_at IS NULL AND a.type NOT IN ('star', 'fork') AND (SELECT organization_id FROM affiliation af
                WHERE af.member_id = a.member_id AND (af.starts_at IS NULL OR af.starts_at <= a.occurred_at)
                  AND (af.ends_at IS NULL OR a.occurred_at < af.ends_at)
                ORDER BY af.precedence, af.starts_at DESC NULLS LAST, af.created_at, af.id LIMIT 1) = $1`,
            [id],
          )
        ).rows[0].n;
      expect([acme, globex, initech]).toEqual([await direct(org.Acme), await direct(org['Globex Corporation']), await direct(org.Initech)]);
      expect(globex).toBe(4); // 3 commits and 1 issue after the move
      const { members, totalCount } = await credit.membersOf(org['Globex Corporation'], { since: new Date('2025-08-01T00:00:00Z') });
      expect(totalCount).toBe(1);
      expect(members[0]).toMatchObject({
        contributionCount: 2,
        firstContributionAt: new Date('2025-09-01T00:00:00Z'),
        lastContributionAt: new Date('2025-10-01T00:00:00Z'),
      });
    });
  });
});
