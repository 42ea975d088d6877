import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService, GharchiveImportModule, GharchiveImportService } from '#libs/github';
import { StageService, StageTrigger } from '#libs/members';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { insertEventRepositories, SAMPLE_FILE, sampleEvents } from './gharchive-helpers.js';

/** No queue module: the members of written activities are collected and evaluated on flush or at shutdown. */
@Module({ imports: [ConfigModule, DatabaseModule, GharchiveImportModule, DeliveryProcessingModule] })
class IngestTestModule {}

describe('stages follow every ingestion path: GH Archive import and webhook deliveries', () => {
  const events = sampleEvents();
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let ecosystemId: number;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await NestFactory.createApplicationContext(IngestTestModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    ecosystemId = await createEcosystem(db, { slug: 'ingest' });
    await insertEventRepositories(db, ecosystemId, events);
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  const snapshot = async () =>
    (
      await db.query(
        `SELECT member_id, from_stage, to_stage, at, activity_id FROM member_stage_transition ORDER BY member_id, at, to_stage`,
      )
    ).rows;

  it('gives the members of a GH Archive import their stages, the same as a recomputation', async () => {
    const result = await app.get(GharchiveImportService).import(SAMPLE_FILE, { all: true, batchSize: 9, progressIntervalMs: 0 });
    expect(result.activitiesWritten).toBeGreaterThan(20);
    await app.get(StageTrigger).flush();
    const { rows } = await db.query(
      `SELECT count(DISTINCT a.member_id)::int AS active, (SELECT count(*)::int FROM member_stage WHERE ecosystem_id = $1) AS staged
       FROM activity a JOIN member m ON m.id = a.member_id AND m.kind = 'person' AND m.merged_into_id IS NULL`,
      [ecosystemId],
    );
    expect(rows[0].staged).toBe(rows[0].active);
    const incremental = await snapshot();
    await db.query(`DELETE FROM member_stage_transition; DELETE FROM member_stage`);
    await app.get(StageService).recomputeEcosystem(null);
    expect(await snapshot()).toEqual(incremental);
  });

  it('evaluates the member of a processed webhook delivery', async () => {
    const repository = { id: 4_242_4242, name: 'RWKV-LM', full_name: 'BlinkDL/RWKV-LM', owner: { login: 'BlinkDL' } };
    await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, 'BlinkDL', 'RWKV-LM', 'BlinkDL/RWKV-LM')`, [
      repository.id,
      ecosystemId,
    ]);
    const payload = {
      action: 'started',
      repository,
      sender: { id: 77_123, login: 'stargazer', type: 'User' },
      starred_at: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ('stages-e2e-1', 'star', 'created', $1) RETURNING id`,
      [JSON.stringify({ ...payload, action: 'created' })],
    );
    const processed = await app.get(DeliveryProcessingService).process(rows[0].id, { finalAttempt: true });
    expect(processed).toMatchObject({ status: 'processed', activitiesInserted: 1 });
    await app.get(StageTrigger).flush();
    const stage = await db.query(
      `SELECT s.stage FROM member_stage s JOIN member m ON m.id = s.member_id WHERE m.login = 'stargazer' AND s.ecosystem_id = $1`,
      [ecosystemId],
    );
    expect(stage.rows).toEqual([{ stage: 'OBSERVER' }]);
  });
});
