import pg from 'pg';
import { createMember, type CreatedMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { creditTimelineSql, nonPayingAtSql, nonPayingMemberSql, organizationAtSql } from './affiliation-sql.js';

describe('affiliation SQL (Postgres)', () => {
  let env: TestEnv;
  let pool: pg.Pool;
  let member: CreatedMember;
  let other: CreatedMember;
  const orgs: Record<string, string> = {};

  const organization = async (name: string, isCustomer = false) => {
    const { rows } = await pool.query(`INSERT INTO organization (name, is_customer) VALUES ($1, $2) RETURNING id`, [
      name,
      isCustomer,
    ]);
    orgs[name] = rows[0].id;
  };
  const affiliate = (memberId: string, org: string, source: string, startsAt: string | null, endsAt: string | null) =>
    pool.query(
      `INSERT INTO affiliation (member_id, organization_id, source, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)`,
      [memberId, orgs[org], source, startsAt, endsAt],
    );
  const orgAt = async (memberId: string, instant: string): Promise<string | null> => {
    const { rows } = await pool.query(`SELECT ${organizationAtSql('$1::uuid', '$2::timestamptz')} AS org`, [
      memberId,
      instant,
    ]);
    const id = rows[0].org as string | null;
    return id === null ? null : (Object.entries(orgs).find(([, value]) => value === id)?.[0] ?? id);
  };

  beforeAll(async () => {
    env = await createTestEnv();
    pool = new pg.Pool({ connectionString: env.database.url, max: 2 });
    member = await createMember(pool);
    other = await createMember(pool);
    await organization('Acme');
    await organization('Globex', true);
    await organization('Initech');
    // e-mail evidence: Acme until 2025-06-01, Globex from then on; profile says Initech (open)
    await affiliate(member.memberId, 'Acme', 'email_domain', '2024-01-01T00:00:00Z', '2025-06-01T00:00:00Z');
    await affiliate(member.memberId, 'Globex', 'email_domain', '2025-06-01T00:00:00Z', null);
    await affiliate(member.memberId, 'Initech', 'profile', null, null);
    // an admin says the member was with Initech in March 2025
    await affiliate(member.memberId, 'Initech', 'manual', '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z');
    await affiliate(other.memberId, 'Acme', 'email_domain', null, null);
  });

  afterAll(async () => {
    await pool?.end();
    await env?.teardown();
  });

  it('credits the organisation covering the instant, with half-open ranges', async () => {
    expect(await orgAt(member.memberId, '2024-05-01T00:00:00Z')).toBe('Acme');
    expect(await orgAt(member.memberId, '2025-05-31T23:59:59Z')).toBe('Acme');
    expect(await orgAt(member.memberId, '2025-06-01T00:00:00Z')).toBe('Globex');
    expect(await orgAt(member.memberId, '2026-01-01T00:00:00Z')).toBe('Globex');
  });

  it('lets manual override automatic only for the dates they overlap', async () => {
    expect(await orgAt(member.memberId, '2025-03-15T00:00:00Z')).toBe('Initech');
    expect(await orgAt(member.memberId, '2025-04-01T00:00:00Z')).toBe('Acme');
  });

  it('falls back to the lower-precedence profile where no dated evidence covers the instant', async () => {
    expect(await orgAt(member.memberId, '2023-01-01T00:00:00Z')).toBe('Initech');
  });

  it('answers NULL for a member with no affiliation', async () => {
    const lone = await createMember(pool);
    expect(await orgAt(lone.memberId, '2025-01-01T00:00:00Z')).toBeNull();
  });

  it('tells non-paying members, at any time or at an instant', async () => {
    const { rows } = await pool.query(
      `SELECT m.id,
              ${nonPayingMemberSql('m')} AS ever,
              ${nonPayingMemberSql('m', `'2024-05-01T00:00:00Z'::timestamptz`)} AS then,
              ${nonPayingAtSql('m.id', `'2026-01-01T00:00:00Z'::timestamptz`)} AS later
         FROM member m WHERE m.id = ANY($1::uuid[]) ORDER BY m.id = $2 DESC`,
      [[member.memberId, other.memberId], member.memberId],
    );
    expect(rows.map((row) => [row.ever, row.then, row.later])).toEqual([
      [false, true, false],
      [true, true, true],
    ]);
  });

  it('refuses a range that ends before it starts, and an unknown source', async () => {
    await expect(
      affiliate(member.memberId, 'Acme', 'manual', '2025-03-01T00:00:00Z', '2025-02-01T00:00:00Z'),
    ).rejects.toThrow(/affiliation_range/);
    await expect(affiliate(member.memberId, 'Acme', 'guess', null, null)).rejects.toThrow(/source/);
  });

  it('resolves the same organisation per instant in the credit timeline as organizationAtSql', async () => {
    const instants = Array.from({ length: 60 }, (_, month) => new Date(Date.UTC(2023, month, 1 + (month % 28))).toISOString());
    instants.push('2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z');
    const { rows } = await pool.query(
      `SELECT t.at, m.id AS member_id, ${organizationAtSql('m.id', 't.at')} AS expected,
              (SELECT tl.organization_id FROM ${creditTimelineSql('af.member_id = ANY($2::uuid[])')} tl
                WHERE tl.member_id = m.id AND t.at >= tl.lo AND t.at < tl.hi) AS timeline
         FROM unnest($1::timestamptz[]) AS t(at), member m WHERE m.id = ANY($2::uuid[])`,
      [instants, [member.memberId, other.memberId]],
    );
    expect(rows).toHaveLength(instants.length * 2);
    expect(rows.filter((row) => row.expected !== row.timeline)).toEqual([]);
    expect(new Set(rows.map((row) => row.timeline)).size).toBe(3); // Acme, Globex, Initech
  });
});
