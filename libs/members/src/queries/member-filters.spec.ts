import pg from 'pg';
import { DataSource } from 'typeorm';
import { createActivities, createEcosystem, createMember, createRepository, type CreatedMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { MemberQueryService } from './member-query.service.js';
import { QueryException } from './query.exception.js';
import { RepositoryQueryService } from './repository-query.service.js';
import { EcosystemQueryService } from './ecosystem-query.service.js';

/**
 * The member listing's filters on members (the console's Members page): stage now in an
 * ecosystem, activities credited to an organisation on their date, and non-paying members only.
 */
describe('MemberQueryService.list filters: stage, organisation, non-paying (Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let ds: DataSource;
  let members: MemberQueryService;
  let ana: CreatedMember;
  let bo: CreatedMember;
  let cy: CreatedMember;
  let acme: string;
  let paying: string;

  const logins = async (filter: Parameters<MemberQueryService['list']>[0]['filter']) =>
    (await members.list({ first: 20, filter })).edges.map((edge) => [edge.node.login, edge.activityCount]);

  beforeAll(async () => {
    env = await createTestEnv();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    ds = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    members = new MemberQueryService(ds, new RepositoryQueryService(ds), new EcosystemQueryService(ds));
    const ecosystemId = await createEcosystem(db, { slug: 'filters' });
    const repositoryId = await createRepository(db, { ecosystemId });
    ana = await createMember(db, { login: 'ana-filter' });
    bo = await createMember(db, { login: 'bo-filter' });
    cy = await createMember(db, { login: 'cy-filter' });
    // ana: 3 activities in 2024 at Acme, 2 in 2025 after leaving; bo: 2 activities, at Paying Co (a customer) now; cy: 1, no organisation
    await createActivities(db, [
      ...['2024-03-01', '2024-04-01', '2024-05-01', '2025-03-01', '2025-04-01'].map((at) => ({ member: ana, repositoryId, occurredAt: `${at}T12:00:00Z` })),
      ...['2024-03-02', '2025-03-02'].map((at) => ({ member: bo, repositoryId, occurredAt: `${at}T12:00:00Z` })),
      { member: cy, repositoryId, occurredAt: '2025-06-01T12:00:00Z' },
    ]);
    [{ id: acme }] = (await db.query(`INSERT INTO organization (name) VALUES ('Acme') RETURNING id`)).rows;
    [{ id: paying }] = (await db.query(`INSERT INTO organization (name, is_customer) VALUES ('Paying Co', true) RETURNING id`)).rows;
    await db.query(
      `INSERT INTO affiliation (member_id, organization_id, starts_at, ends_at, source) VALUES
         ($1, $2, '2024-01-01', '2025-01-01', 'manual'), ($3, $4, '2023-01-01', NULL, 'manual')`,
      [ana.memberId, acme, bo.memberId, paying],
    );
    await db.query(
      `INSERT INTO member_stage (ecosystem_id, member_id, stage, stage_since, first_seen_at, last_activity_at, rule_version)
       VALUES ($1, $2, 'REGULAR_CONTRIBUTOR', now(), now(), now(), 0), ($1, $3, 'USER', now(), now(), now(), 0), ($1, $4, 'REGULAR_CONTRIBUTOR', now(), now(), now(), 0)`,
      [ecosystemId, ana.memberId, bo.memberId, cy.memberId],
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.end();
    await env?.teardown();
  });

  it('lists the members at a stage now in the ecosystem', async () => {
    expect(await logins({ stage: 'REGULAR_CONTRIBUTOR', ecosystem: 'FILTERS' })).toEqual([
      ['ana-filter', 5],
      ['cy-filter', 1],
    ]);
    expect(await logins({ stage: 'MAINTAINER', ecosystem: 'filters' })).toEqual([]);
  });

  it('counts only the activities credited to the organisation on their date', async () => {
    expect(await logins({ organization: acme })).toEqual([['ana-filter', 3]]);
    expect(await logins({ organization: paying })).toEqual([['bo-filter', 2]]);
  });

  it('leaves out members credited to a customer today', async () => {
    expect(await logins({ nonPayingOnly: true })).toEqual([
      ['ana-filter', 5],
      ['cy-filter', 1],
    ]);
    expect(await logins({ nonPayingOnly: true, stage: 'REGULAR_CONTRIBUTOR', ecosystem: 'filters', since: new Date('2025-01-01T00:00:00Z') })).toEqual([
      ['ana-filter', 2],
      ['cy-filter', 1],
    ]);
  });

  it('lists the members of an ecosystem (a stage there) when no stage is asked', async () => {
    const outsider = await createMember(db, { login: 'outsider-filter' });
    const repositoryId = await createRepository(db, {});
    await createActivities(db, [{ member: outsider, repositoryId, occurredAt: '2025-05-01T12:00:00Z' }]);
    expect(await logins({ ecosystem: 'filters' })).toEqual([
      ['ana-filter', 5],
      ['bo-filter', 2],
      ['cy-filter', 1],
    ]);
  });

  it('refuses a stage without an ecosystem, an unknown ecosystem or organisation, and a malformed organisation id', async () => {
    await expect(members.list({ filter: { stage: 'USER' } })).rejects.toThrow(/stage filter needs the ecosystem/);
    await expect(members.list({ filter: { stage: 'USER', ecosystem: 'nope' } })).rejects.toThrow(QueryException);
    await expect(members.list({ filter: { stage: 'USER', ecosystem: 'nope' } })).rejects.toThrow(/No ecosystem "nope"/);
    await expect(members.list({ filter: { organization: 'acme' } })).rejects.toThrow(/organisation id/);
    await expect(members.list({ filter: { ecosystem: 'nope' } })).rejects.toThrow(/No ecosystem "nope"/);
    await expect(members.list({ filter: { organization: '00000000-0000-4000-8000-000000000000' } })).rejects.toThrow(/No organisation/);
  });
});
