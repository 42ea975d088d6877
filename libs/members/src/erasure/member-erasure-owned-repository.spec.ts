import { DataSource } from 'typeorm';
import { createEcosystem, createRepository } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { ActivityService } from '../activity.service.js';
import { IdentityService } from '../identity.service.js';
import { ActivityQueryService } from '../queries/activity-query.service.js';
import { MemberQueryService } from '../queries/member-query.service.js';
import { RepositoryQueryService } from '../queries/repository-query.service.js';
import { EcosystemQueryService } from '../queries/ecosystem-query.service.js';
import { ERASED_REPOSITORY_NAME, withRepositoryNameWithheld } from '../queries/rows.js';
import { MemberDataExportService } from './member-data-export.service.js';
import { MemberErasureService } from './member-erasure.service.js';

/** The member whose data is deleted; a tracked repository is their own (owner = their login). */
const ELM = { id: 9_400_901, login: 'Elm-Owner' };
const FERN = { id: 9_400_902, login: 'Fern-Frond' };
const OWN = { id: 9_400_951, name: 'canopy' };
const SHARED = { id: 9_400_952, owner: 'woods', name: 'trunk' };

/**
 * A repository's `owner/name` is a public GitHub identifier that the sync, webhooks and GH Archive
 * address the repository by, so the repository row keeps it when its owner's member is deleted
 * (README "Your data: export and deletion"). What must not stay is the link from the deleted member
 * to their login: answers about the deleted member's own activities withhold the name of a
 * repository one of their deleted logins owns, and its GitHub links.
 */
describe('member deletion and a repository the member owns (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let activities: ActivityQueryService;
  let members: MemberQueryService;
  let repositories: RepositoryQueryService;
  let exports: MemberDataExportService;
  let elmId: string;

  const github = (who: { id: number; login: string }) => ({ kind: 'github' as const, account: { id: who.id, login: who.login, type: 'User', name: null } });

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    const identities = new IdentityService(db);
    const recorder = new ActivityService(db, identities);
    repositories = new RepositoryQueryService(db);
    members = new MemberQueryService(db, repositories, new EcosystemQueryService(db));
    activities = new ActivityQueryService(db, members, repositories);
    exports = new MemberDataExportService(db);
    const pg = { query: (sql: string, params?: unknown[]) => db.query(sql, params).then((rows: unknown) => ({ rows: rows as never[] })) };
    const ecosystemId = await createEcosystem(pg, { slug: 'woods' });
    await createRepository(pg, { id: OWN.id, owner: ELM.login, name: OWN.name, ecosystemId });
    await createRepository(pg, { id: SHARED.id, owner: SHARED.owner, name: SHARED.name, ecosystemId });
    const pull = (who: typeof ELM, repositoryId: number, owner: string, name: string, number: number) => ({
      type: 'pull_request_opened' as const, occurredAt: new Date(Date.UTC(2025, 4, number)), repositoryId, actor: github(who), source: 'api' as const,
      sourceKey: `pull_request:${repositoryId}:${number}:opened`,
      facts: { number, title: `change ${number}`, html_url: `https://github.com/${owner}/${name}/pull/${number}` },
    });
    await recorder.record([
      pull(ELM, OWN.id, ELM.login, OWN.name, 1),
      pull(ELM, SHARED.id, SHARED.owner, SHARED.name, 2),
      pull(FERN, OWN.id, ELM.login, OWN.name, 3),
    ]);
    elmId = (await db.query(`SELECT member_id FROM github_account WHERE id = $1`, [ELM.id]))[0].member_id;
    await new MemberErasureService(db).erase(elmId, `member:${elmId}`);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  it("keeps the repository's full name for the sync", async () => {
    expect(await db.query(`SELECT owner, full_name FROM repository WHERE id = $1`, [OWN.id])).toEqual([{ owner: ELM.login, full_name: `${ELM.login}/${OWN.name}` }]);
  });

  it("withholds it, and its GitHub links, from answers about the deleted member's activities, and from their export", async () => {
    const listed = (await activities.list({ first: 10, filter: { member: elmId } })).edges.map((edge) => edge.node);
    const recent = (await members.recentActivitiesByMemberIds([elmId], 10))[0];
    for (const found of [listed, recent]) {
      const own = found.find((a) => a.repositoryId === OWN.id)!;
      const shared = found.find((a) => a.repositoryId === SHARED.id)!;
      expect(own).toMatchObject({ repositoryOwnerErased: true, url: null, number: 1 });
      expect(shared).toMatchObject({ repositoryOwnerErased: false, url: `https://github.com/woods/trunk/pull/2` });
      // what Activity.repository answers for each (the resolver withholds when repositoryOwnerErased)
      const [repository] = await repositories.byIds([own.repositoryId]);
      expect(withRepositoryNameWithheld(repository!)).toMatchObject({ id: OWN.id, owner: ERASED_REPOSITORY_NAME, name: ERASED_REPOSITORY_NAME, fullName: ERASED_REPOSITORY_NAME });
      expect(JSON.stringify(found).toLowerCase()).not.toContain(ELM.login.toLowerCase());
    }
    const exported = JSON.stringify(await exports.export(elmId));
    expect(exported.toLowerCase()).not.toContain(ELM.login.toLowerCase());
    expect(exported).toContain(`"repository":"${ERASED_REPOSITORY_NAME}"`);
    expect(exported).toContain('"repository":"woods/trunk"');
  });

  it("shows it in answers about someone else's activity there", async () => {
    const fern = (await db.query(`SELECT member_id FROM github_account WHERE id = $1`, [FERN.id]))[0].member_id;
    const [own] = (await activities.list({ first: 10, filter: { member: fern } })).edges.map((edge) => edge.node);
    expect(own).toMatchObject({ repositoryId: OWN.id, repositoryOwnerErased: false, url: `https://github.com/${ELM.login}/${OWN.name}/pull/3` });
  });
});
