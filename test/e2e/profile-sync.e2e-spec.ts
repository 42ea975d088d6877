import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { GithubSyncModule, ProfileSyncService, SyncHealthCache } from '#libs/github';
import {
  AffiliationRecomputeService,
  AffiliationService,
  ContributionCreditService,
  MemberDataExportService,
  OrganizationService,
} from '#libs/members';
import { metricsRegistry } from '#libs/observability';
import { QueueName } from '#libs/queue';
import { ProfileSyncObserver } from '../../apps/api/src/metrics-http/profile-sync-observer.js';
import type { Account } from '../../apps/github-sim/src/seed/accounts.js';
import type { LoggedRequest, RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { deriveProfileCompanies, SIM_COMPANY_BY_DOMAIN } from '../../apps/github-sim/src/seed/profile-companies.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { createMember, type CreatedMember } from '../helpers/factories.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { installRowWriteCounter } from '../helpers/row-write-counter.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const TOKEN = 'e2e-profile-sync-token';
const day = (n: number) => new Date(Date.UTC(2026, 0, n));

describe('profile sync: GitHub profile companies become profile affiliations (e2e, RWKV sim over HTTP)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let profiles: ProfileSyncService;
  let affiliations: AffiliationService;
  let credit: ContributionCreditService;
  const org: Record<string, string> = {};
  /** Sim accounts with a derived company: one `@org` mention, one plain name. */
  let mention: { account: Account; company: string; member: CreatedMember };
  let plain: { account: Account; company: string; member: CreatedMember };
  /** Sim accounts without a company, for the cases the admin route sets up. */
  let others: Array<{ account: Account; member: CreatedMember }>;

  /** The organisation name for a simulated company text: the domain's first label, capitalised (`@umich` → `Umich`). */
  const simOrganization = (company: string) => {
    const [domain] = Object.entries(SIM_COMPANY_BY_DOMAIN).find(([, c]) => c.mention === company || c.name === company)!;
    return domain.split('.')[0].replace(/^./, (c) => c.toUpperCase());
  };
  const orgName = (id: string | null) => Object.entries(org).find(([, value]) => value === id)?.[0] ?? id;
  const creditedAt = async (member: CreatedMember, at: Date) => orgName(await credit.organizationAt(member.memberId, at));
  const profileRows = async (member: CreatedMember) =>
    (await affiliations.byMemberIds([member.memberId]))[0]
      .filter((a) => a.source === 'profile')
      .map((a) => [orgName(a.organizationId), a.startsAt?.toISOString() ?? null, a.endsAt?.toISOString() ?? null, a.evidence.company]);
  const setProfile = async (login: string, change: { company?: string | null; deleted?: boolean }) => {
    const response = await fetch(`${sim.url}/_sim/users/${login}/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    expect(response.status).toBe(200);
  };
  const requests = async (): Promise<LoggedRequest[]> =>
    ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot).requests.filter(
      (request) => request.client === TOKEN && request.url.startsWith('/users/'),
    );
  /** Rows written per table while `work` runs (tables with none left out). */
  const writesDuring = async (work: () => Promise<unknown>): Promise<Record<string, number>> => {
    const counter = await installRowWriteCounter(db);
    const before = await counter.read();
    await work();
    const after = await counter.read();
    return Object.fromEntries(Object.entries(after).map(([table, n]) => [table, n - (before[table] ?? 0)]).filter(([, n]) => n !== 0));
  };
  const run = (now: Date, options: { refreshSeconds?: number; limit?: number } = {}) =>
    profiles.syncProfiles({ now, refreshSeconds: 0, limit: 100, ...options });

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: TOKEN });
    app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    db.on('error', () => undefined);
    await app.get(SyncHealthCache).clear();
    profiles = app.get(ProfileSyncService);
    affiliations = app.get(AffiliationService);
    credit = app.get(ContributionCreditService);

    const derived = deriveProfileCompanies(sim.snapshot);
    const accountById = new Map(sim.snapshot.accounts.all().map((account) => [account.id, account]));
    const withCompany = [...derived].map(([id, company]) => ({ account: accountById.get(id)!, company }));
    const mentioned = withCompany.find((entry) => entry.company.startsWith('@'))!;
    const named = withCompany.find((entry) => !entry.company.startsWith('@'))!;
    const organizations = app.get(OrganizationService);
    // the organisations as an admin would name them: the plain form is not always the name (`Intel Corp.`)
    for (const entry of [mentioned, named]) {
      const [domain] = Object.entries(SIM_COMPANY_BY_DOMAIN).find(([, c]) => c.mention === entry.company || c.name === entry.company)!;
      org[simOrganization(entry.company)] = (await organizations.create({ name: simOrganization(entry.company), domains: [domain] })).id;
    }
    for (const [name, domains] of [['Initech', ['initech.io']], ['Acme', ['acme.com']], ['Yahoo', ['yahooinc.com']]] as const) {
      org[name] = (await organizations.create({ name, domains: [...domains] })).id;
    }
    const memberOf = (account: Account) => createMember(db, { login: account.login, githubAccountId: account.id });
    mention = { ...mentioned, member: await memberOf(mentioned.account) };
    plain = { ...named, member: await memberOf(named.account) };
    const plainAccounts = sim.snapshot.accounts
      .all()
      .filter((account) => account.type === 'User' && !derived.has(account.id) && !account.login.endsWith('[bot]') && account.login !== 'web-flow')
      .slice(0, 4);
    others = [];
    for (const account of plainAccounts) others.push({ account, member: await memberOf(account) });
    // an account of no member is never asked
    await db.query(`INSERT INTO github_account (id, login, type) VALUES ($1, $2, 'User')`, [plainAccounts.length + 990_000_001, 'nobodys-account']);
  }, 180_000);

  afterAll(async () => {
    if (app) {
      await app.get(SyncHealthCache).clear();
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await db?.end();
    await env?.teardown();
    await sim?.close();
  });

  it('creates a profile affiliation on the first fetch, open from that day, for an @org mention and a plain name', async () => {
    const before = (await requests()).length;
    const result = await run(day(1));
    expect(result).toMatchObject({ requests: 6, fetched: 6, notModified: 0, missing: 0, companiesChanged: 2 });
    expect(result.affiliations).toMatchObject({ inserted: 2, deleted: 0 });
    const asked = (await requests()).slice(before);
    expect(asked.map((request) => request.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(asked.some((request) => request.url.includes('nobodys-account'))).toBe(false);

    const mentionOrg = simOrganization(mention.company);
    expect(await profileRows(mention.member)).toEqual([[mentionOrg, day(1).toISOString(), null, mention.company]]);
    expect(await profileRows(plain.member)).toEqual([[simOrganization(plain.company), day(1).toISOString(), null, plain.company]]);
    // a profile says where someone is now: nothing before the day it was first seen
    expect(await creditedAt(mention.member, day(1))).toBe(mentionOrg);
    expect(await creditedAt(mention.member, new Date(day(1).getTime() - 1))).toBeNull();
    for (const { member } of others) expect(await profileRows(member)).toEqual([]);
    const stored = await db.query(`SELECT count(*)::int AS n FROM github_account WHERE profile_etag IS NOT NULL AND profile_fetched_at = $1`, [day(1)]);
    expect(stored.rows[0].n).toBe(6);
  });

  it('asks again with If-None-Match: every profile answers 304, and the run writes no row', async () => {
    const affiliationsBefore = (await db.query(`SELECT * FROM affiliation ORDER BY id`)).rows;
    const before = (await requests()).length;
    let result: Awaited<ReturnType<typeof run>> | undefined;
    expect(await writesDuring(async () => (result = await run(day(2))))).toEqual({});
    expect(result).toMatchObject({ requests: 6, notModified: 6, fetched: 0, companiesChanged: 0, affiliations: null });
    expect((await requests()).slice(before).map((request) => request.status)).toEqual([304, 304, 304, 304, 304, 304]);
    expect((await db.query(`SELECT * FROM affiliation ORDER BY id`)).rows).toEqual(affiliationsBefore);
    const health = await app.get(SyncHealthCache).forProfiles();
    expect(health).toMatchObject({ status: 'idle', requests: 12, notModified: 6, items: 6, lastError: null });
    expect(health.lastSuccessAt!.getTime()).toBeGreaterThanOrEqual(health.lastStartedAt!.getTime());
  });

  it('asks nothing when the job is replayed within the refresh interval (a 304 counts as asked), and changes nothing', async () => {
    const before = (await requests()).length;
    const runs: unknown[] = [];
    expect(
      await writesDuring(async () => {
        runs.push(await run(day(2), { refreshSeconds: 3600 }));
        runs.push(await run(new Date(day(2).getTime() + 60_000), { refreshSeconds: 3600 }));
      }),
    ).toEqual({});
    for (const replay of runs) expect(replay).toMatchObject({ requests: 0, companiesChanged: 0, affiliations: null });
    expect((await requests()).slice(before)).toEqual([]);
  });

  it('bounds a run to its limit; the next run asks the rest', async () => {
    await setProfile(others[0].account.login, { company: 'Independent researcher' });
    const before = (await requests()).length;
    const result = await run(day(3), { limit: 2 });
    expect(result.requests).toBe(2);
    expect((await requests()).slice(before)).toHaveLength(2);
    // the rest are asked by the next run; the two just asked are not due again
    const rest = await run(day(3), { limit: 100, refreshSeconds: 60 });
    expect(rest.requests).toBe(4);
  });

  it('closes the range when the company changes and opens the next from that day', async () => {
    await setProfile(mention.account.login, { company: '@initech' });
    const result = await run(day(10));
    expect(result).toMatchObject({ fetched: 1, companiesChanged: 1 });
    const mentionOrg = simOrganization(mention.company);
    expect(await profileRows(mention.member)).toEqual([
      [mentionOrg, day(1).toISOString(), day(10).toISOString(), mention.company],
      ['Initech', day(10).toISOString(), null, '@initech'],
    ]);
    expect(await creditedAt(mention.member, day(5))).toBe(mentionOrg);
    expect(await creditedAt(mention.member, day(10))).toBe('Initech');
    // the same organisation written another way is one affiliation
    await setProfile(mention.account.login, { company: 'Initech, Inc.' });
    await run(day(12));
    expect(await profileRows(mention.member)).toEqual([
      [mentionOrg, day(1).toISOString(), day(10).toISOString(), mention.company],
      ['Initech', day(10).toISOString(), null, 'Initech, Inc.'],
    ]);
    // the member's data export shows what their profile said, and when
    const exported = await app.get(MemberDataExportService).export(mention.member.memberId);
    const ranges = exported.githubAccounts[0].profile_companies as Array<{ company: string; observed_from: string; observed_until: string | null }>;
    expect(ranges.map((r) => [r.company, Date.parse(r.observed_from), r.observed_until && Date.parse(r.observed_until)])).toEqual([
      [mention.company, day(1).getTime(), day(10).getTime()],
      ['@initech', day(10).getTime(), day(12).getTime()],
      ['Initech, Inc.', day(12).getTime(), null],
    ]);
  });

  it('lets a manual affiliation override the profile for the dates it covers, and leaves it alone', async () => {
    const manual = await affiliations.setManual({ memberId: plain.member.memberId, organizationId: org.Acme, startsAt: day(11), endsAt: day(14) });
    const profileOrg = await creditedAt(plain.member, day(10));
    expect(profileOrg).not.toBeNull();
    await setProfile(plain.account.login, { company: '@initech' });
    await run(day(13));
    expect(await creditedAt(plain.member, day(12))).toBe('Acme');
    expect(await creditedAt(plain.member, new Date(day(13).getTime() + 3_600_000))).toBe('Acme');
    expect(await creditedAt(plain.member, day(14))).toBe('Initech');
    expect(await creditedAt(plain.member, day(10))).toBe(profileOrg);
    expect(await affiliations.get(manual.id)).toEqual(manual);
  });

  it('creates nothing for a webmail address, an unknown company or none, even where an organisation has the name', async () => {
    const [webmail, unknown, cleared] = others.slice(1, 4);
    await setProfile(webmail.account.login, { company: 'alice@yahoo.com' });
    await setProfile(unknown.account.login, { company: 'Some Startup Nobody Tracks' });
    await setProfile(cleared.account.login, { company: '   ' });
    const result = await run(day(15));
    expect(result.fetched).toBeGreaterThanOrEqual(3);
    for (const { member } of [webmail, unknown, cleared]) expect(await profileRows(member)).toEqual([]);
    const observed = await db.query(
      `SELECT ga.login, p.company FROM github_profile_company p JOIN github_account ga ON ga.id = p.account_id WHERE ga.id = ANY($1::bigint[]) ORDER BY 1`,
      [[webmail, unknown, cleared].map((entry) => entry.account.id)],
    );
    // what the profiles said is kept (an organisation created later matches it), blank is no company
    expect(observed.rows.map((row: { company: string }) => row.company).sort()).toEqual(['Some Startup Nobody Tracks', 'alice@yahoo.com']);
    // an organisation created later is matched by the next recompute, from the day the text was first seen
    org['Some Startup'] = (await app.get(OrganizationService).create({ name: 'Some Startup Nobody Tracks' })).id;
    await app.get(AffiliationRecomputeService).recompute();
    expect(await profileRows(unknown.member)).toEqual([['Some Startup', day(15).toISOString(), null, 'Some Startup Nobody Tracks']]);
  });

  it('handles a deleted account (404): the open range and its affiliation end that day, and replays change nothing', async () => {
    await setProfile(mention.account.login, { deleted: true });
    const result = await run(day(20));
    expect(result).toMatchObject({ missing: 1, companiesChanged: 1 });
    const rows = await profileRows(mention.member);
    expect(rows.at(-1)).toEqual(['Initech', day(10).toISOString(), day(20).toISOString(), 'Initech, Inc.']);
    expect(await creditedAt(mention.member, day(21))).toBeNull();
    const account = await db.query(`SELECT company, profile_etag, profile_missing_at FROM github_account WHERE id = $1`, [mention.account.id]);
    expect(account.rows[0]).toEqual({ company: null, profile_etag: null, profile_missing_at: day(20) });
    // asked again later (and that run replayed): still 404, and nothing is written
    const again: unknown[] = [];
    expect(
      await writesDuring(async () => {
        again.push(await run(day(21)));
        again.push(await run(day(21), { refreshSeconds: 3600 }));
      }),
    ).toEqual({});
    expect(again[0]).toMatchObject({ requests: 6, missing: 1, companiesChanged: 0, affiliations: null });
    expect(again[1]).toMatchObject({ requests: 0 });
    expect(await profileRows(mention.member)).toEqual(rows);
  });

  it('records a failed run in sync health and at /metrics, and the next successful run clears it', async () => {
    new ProfileSyncObserver(app.get(SyncHealthCache)).onModuleInit();
    const gauge = async (name: string, labels: Record<string, string> = {}) => {
      const metric = (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === name);
      return (metric?.values as Array<{ value: number; labels: Record<string, string> }> | undefined)?.find((v) =>
        Object.entries(labels).every(([key, value]) => v.labels[key] === value),
      )?.value;
    };
    const fault = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'client-error', status: 422, pathPrefix: '/users/', count: 1 }),
    });
    expect(fault.status).toBe(201);
    await expect(run(day(30))).rejects.toMatchObject({ status: 422 });
    expect(await app.get(SyncHealthCache).forProfiles()).toMatchObject({ status: 'failed', lastError: expect.stringContaining('422') });
    expect(await gauge('cambrian_profile_sync_failing')).toBe(1);
    const requestsBefore = (await gauge('cambrian_profile_sync_requests', { answer: 'any' }))!;
    const after = await run(day(31));
    expect(await app.get(SyncHealthCache).forProfiles()).toMatchObject({ status: 'idle', lastError: null });
    expect(await gauge('cambrian_profile_sync_failing')).toBe(0);
    expect(await gauge('cambrian_profile_sync_requests', { answer: 'any' })).toBe(requestsBefore + after.requests);
    expect(await gauge('cambrian_profile_sync_last_success_age_seconds')).toBeGreaterThanOrEqual(0);
  });
});
