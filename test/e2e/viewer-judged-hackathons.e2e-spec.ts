import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService, SessionService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const JUDGED = `{ viewer { judgedHackathons { slug status judgeAssignments(judge: "kim") { submissionId } } } }`;

describe('GraphQL Viewer.judgedHackathons: where the signed-in member judges', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let url: string;
  let adminToken: string;
  const people: Record<string, CreatedMember> = {};
  const cookies: Record<string, string> = {};
  let submissionId: string;

  /** Asks `query` with `login`'s session cookie (no cookie: the public). */
  async function as(login: string | null, query: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (login) headers.cookie = `cambrian_session=${encodeURIComponent(cookies[login])}`;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return response.json();
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;
    const ecosystemId = await createEcosystem(db, { slug: 'rwkv' });
    for (const login of ['kim', 'bob', 'ana']) {
      people[login] = await createMember(db, { login });
      cookies[login] = (
        await app.get(SessionService, { strict: false }).create({
          memberId: people[login].memberId,
          githubAccountId: people[login].githubAccountId!,
          githubLogin: login,
          role: 'member',
          ttlSeconds: 3600,
        })
      ).secret;
    }
    // kim judges an older hackathon in judging, a newer running one and a draft; nobody judges `other`
    for (const [slug, status, startsAt] of [
      ['winter', 'judging', '2026-01-10T00:00:00Z'],
      ['spring', 'running', '2026-04-10T00:00:00Z'],
      ['summer', 'draft', '2026-07-10T00:00:00Z'],
      ['other', 'judging', '2026-02-10T00:00:00Z'],
    ]) {
      await db.query(
        `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at) VALUES ($1, $2, $2, $3, $4, $4::timestamptz + interval '2 days')`,
        [ecosystemId, slug, status, startsAt],
      );
      if (slug !== 'other') await client.data(`mutation { addJudge(hackathon: "${slug}", member: "kim") { id } }`, {}, { token: adminToken });
    }
    const team = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) SELECT id, 'Alpha', 'winter-alpha' FROM hackathon WHERE slug = 'winter' RETURNING id, hackathon_id`);
    await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [team.rows[0].id, team.rows[0].hackathon_id, people.ana.memberId]);
    submissionId = (await db.query(`INSERT INTO submission (hackathon_id, team_id, title) VALUES ($1, $2, 'Kernels') RETURNING id`, [team.rows[0].hackathon_id, team.rows[0].id])).rows[0].id;
    await client.data(`mutation { assignJudge(hackathon: "winter", judge: "kim", submission: "${submissionId}") { judgeId } }`, {}, { token: adminToken });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it("lists the judge's hackathons newest start first, without drafts, with their own assignments", async () => {
    expect(await as('kim', JUDGED)).toEqual({
      data: {
        viewer: {
          judgedHackathons: [
            { slug: 'spring', status: 'RUNNING', judgeAssignments: [] },
            { slug: 'winter', status: 'JUDGING', judgeAssignments: [{ submissionId }] },
          ],
        },
      },
    });
  });

  it('is empty for a signed-in member who judges nothing, and for the public', async () => {
    expect(await as('bob', '{ viewer { judgedHackathons { slug } } }')).toEqual({ data: { viewer: { judgedHackathons: [] } } });
    expect(await as(null, '{ viewer { judgedHackathons { slug } } }')).toEqual({ data: { viewer: { judgedHackathons: [] } } });
  });
});
