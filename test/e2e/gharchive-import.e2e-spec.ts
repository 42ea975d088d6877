import { copyFileSync, createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService, GharchiveImportModule, GharchiveImportService } from '#libs/github';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createEcosystem, createRepository, createTrackedSource } from '../helpers/factories.js';
import { actorIdOf, actorLoginOf, expectedActivities, isTimeline, repositoryIdOf, SAMPLE_FILE, sampleEvents, type RawEvent } from './gharchive-helpers.js';

@Module({ imports: [ConfigModule, DatabaseModule, GharchiveImportModule, DeliveryProcessingModule] })
class ImportTestModule {}

/** Ids the test gives to timeline (pre-2015) actors whose account the payload does not show. */
const storedIds = new Map<string, number>();
const storedIdOf = (login: string) => {
  const key = login.toLowerCase();
  if (!storedIds.has(key)) storedIds.set(key, 990_000_000 + storedIds.size);
  return storedIds.get(key)!;
};

async function startContext(env: TestEnv): Promise<{ app: INestApplicationContext; db: pg.Client }> {
  env.apply();
  const app = await NestFactory.createApplicationContext(ImportTestModule, { logger: false });
  const db = new pg.Client({ connectionString: env.database.url });
  await db.connect();
  return { app, db };
}

/** Stores the GitHub accounts of the timeline actors, as an API sync would have (logins only in GH Archive). */
async function storeTimelineAccounts(db: pg.Client, events: RawEvent[]) {
  for (const event of events.filter(isTimeline)) {
    const id = actorIdOf(event, storedIdOf);
    await db.query(`INSERT INTO github_account (id, login, type) VALUES ($1, $2, 'User') ON CONFLICT (id) DO NOTHING`, [id, event.actor]);
  }
}

const keysOf = async (db: pg.Client, where = `source = 'gharchive'`) =>
  (await db.query(`SELECT type, source_key FROM activity WHERE ${where} ORDER BY source_key`)).rows.map((row) => ({ type: row.type, key: row.source_key }));

describe('cambrian import gharchive --all: the 125 real events of both formats', () => {
  const events = sampleEvents();
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let first: Awaited<ReturnType<GharchiveImportService['import']>>;
  const progressReports: unknown[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    ({ app, db } = await startContext(env));
    await storeTimelineAccounts(db, events);
    first = await app.get(GharchiveImportService).import(SAMPLE_FILE, { all: true, progressIntervalMs: 0, batchSize: 7, onProgress: (p) => progressReports.push(p) });
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  const expected = () => {
    const byKey = new Map<string, string>();
    for (const event of events) for (const activity of expectedActivities(event, storedIdOf)) byKey.set(activity.key, activity.type);
    return [...byKey].map(([key, type]) => ({ type, key })).sort((a, b) => (a.key < b.key ? -1 : 1));
  };

  it('reads every line of both formats and reports progress', () => {
    expect(events.filter(isTimeline)).toHaveLength(64);
    expect(first).toMatchObject({ files: 1, filesDone: 1, eventsRead: 125, eventsKept: 125, malformedLines: 0, activitiesUnattributed: 0 });
    expect(progressReports.length).toBeGreaterThan(1);
    expect(progressReports.at(-1)).toMatchObject({ eventsRead: 125, activitiesWritten: first.activitiesWritten });
  });

  const types = [...new Set(events.map((event) => event.type as string))].sort();
  it.each(types)('%s events give their activities with the shared source keys', async (type) => {
    const want = expected().filter(({ key }) => events.some((event) => event.type === type && expectedActivities(event, storedIdOf).some((a) => a.key === key)));
    const stored = await keysOf(db);
    expect(stored.filter(({ key }) => want.some((w) => w.key === key))).toEqual(want);
  });

  it('stores exactly the expected activities, each fact once, with source gharchive', async () => {
    const want = expected();
    expect(await keysOf(db)).toEqual(want);
    expect(first.activitiesWritten).toBe(want.length);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM activity WHERE source <> 'gharchive'`);
    expect(rows[0].n).toBe(0);
  });

  it('credits GitHub accounts by numeric id: a timeline actor known only by login gets the stored account', async () => {
    const watch = events.find((event) => isTimeline(event) && event.type === 'WatchEvent')!;
    const { rows } = await db.query(
      `SELECT i.platform, i.key, a.facts FROM activity a JOIN identity i ON i.id = a.identity_id WHERE a.source_key = $1`,
      [`star:${repositoryIdOf(watch)}:${storedIdOf(actorLoginOf(watch))}`],
    );
    expect(rows).toEqual([{ platform: 'github', key: String(storedIdOf(actorLoginOf(watch))), facts: { actor_from_login: true } }]);
  });

  it('keys commit authors by the e-mail address as GH Archive gives it (SHA-1 local part)', async () => {
    const push = events.find((event) => isTimeline(event) && event.type === 'PushEvent')!;
    const [sha, email] = push.payload.shas[0];
    const { rows } = await db.query(
      `SELECT i.platform, i.key FROM activity a JOIN identity i ON i.id = a.identity_id WHERE a.source_key = $1`,
      [`commit:${sha}`],
    );
    expect(rows).toEqual([{ platform: 'email', key: email.toLowerCase() }]);
    expect(email).toMatch(/^[0-9a-f]{40}@/);
  });

  it('adds nothing when the same file is imported again', async () => {
    const before = await keysOf(db, 'true');
    const members = (await db.query(`SELECT count(*)::int AS n FROM member`)).rows[0].n;
    const again = await app.get(GharchiveImportService).import(SAMPLE_FILE, { all: true });
    expect(again).toMatchObject({ eventsRead: 125, activitiesWritten: 0, activitiesExisting: first.activitiesWritten });
    expect(await keysOf(db, 'true')).toEqual(before);
    expect((await db.query(`SELECT count(*)::int AS n FROM member`)).rows[0].n).toBe(members);
  });
});

describe('cambrian import gharchive: tracked repositories, .json.gz, and facts also delivered by webhook', () => {
  const events = sampleEvents();
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let dir: string;
  const comment = events.find((event) => !isTimeline(event) && event.type === 'IssueCommentEvent' && event.repo.name === 'microsoft/vscode-jupyter')!;
  const timelinePush = events.find((event) => isTimeline(event) && event.type === 'PushEvent' && event.repository.name === 'consul')!;

  beforeAll(async () => {
    env = await createTestEnv();
    ({ app, db } = await startContext(env));
    dir = mkdtempSync(join(tmpdir(), 'gharchive-'));
    const ecosystemId = await createEcosystem(db);
    const sourceId = await createTrackedSource(db, { ecosystemId, kind: 'organization', name: 'microsoft' });
    await createRepository(db, { id: comment.repo.id, owner: 'microsoft', name: 'vscode-jupyter', ecosystemId, trackedSourceId: sourceId });
    const otherSource = await createTrackedSource(db, { ecosystemId, kind: 'repository', name: 'hashicorp/consul' });
    await createRepository(db, { id: timelinePush.repository.id, owner: 'HashiCorp', name: 'Consul', ecosystemId, trackedSourceId: otherSource });
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  it('stores a fact once when a webhook delivered it before the GH Archive import', async () => {
    const [owner, name] = comment.repo.name.split('/');
    const payload = { ...comment.payload, repository: { id: comment.repo.id, name, full_name: comment.repo.name, owner: { login: owner } }, sender: comment.actor };
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ('gharchive-e2e-1', 'issue_comment', 'created', $1) RETURNING id`,
      [JSON.stringify(payload)],
    );
    const processed = await app.get(DeliveryProcessingService).process(rows[0].id, { finalAttempt: true });
    expect(processed).toEqual({ status: 'processed', activitiesInserted: 1 });

    const gz = join(dir, '2022-04-06-17.json.gz');
    await pipeline(createReadStream(SAMPLE_FILE), createGzip(), createWriteStream(gz));
    const result = await app.get(GharchiveImportService).import(dir);
    const key = `issue_comment:${comment.payload.comment.id}`;
    const stored = await db.query(`SELECT source, count(*) OVER ()::int AS n FROM activity WHERE source_key = $1`, [key]);
    expect(stored.rows).toEqual([{ source: 'webhook', n: 1 }]);
    expect(result.activitiesExisting).toBeGreaterThanOrEqual(1);
  });

  it('streams a .json.gz file and keeps only tracked repositories (by id; by owner/name when the event has no id)', async () => {
    const { rows } = await db.query(`SELECT DISTINCT repository_id::int AS id FROM activity ORDER BY 1`);
    expect(rows.map((row) => row.id).sort()).toEqual([comment.repo.id, timelinePush.repository.id].sort());
    const nameOnly = { ...timelinePush, repository: { ...timelinePush.repository, id: undefined, owner: 'hashicorp', name: 'CONSUL' }, payload: { ...timelinePush.payload, shas: [['a'.repeat(40), 'x@example.org', 'msg', 'X', true]] } };
    const file = join(dir, 'name-only.ndjson');
    writeFileSync(file, `${JSON.stringify(nameOnly)}\n`);
    const result = await app.get(GharchiveImportService).import(file);
    expect(result).toMatchObject({ eventsRead: 1, eventsKept: 1, activitiesWritten: 1 });
    const stored = await db.query(`SELECT repository_id::int AS id FROM activity WHERE source_key = $1`, [`commit:${'a'.repeat(40)}`]);
    expect(stored.rows).toEqual([{ id: timelinePush.repository.id }]);
  });

  it('leaves a timeline activity unwritten while no stored account has its login, and writes it once one does', async () => {
    const issue = events.find((event) => isTimeline(event) && event.type === 'IssuesEvent')!;
    const tracked = { ...issue, repository: { ...issue.repository, id: comment.repo.id } };
    const file = join(dir, 'timeline-issue.json');
    writeFileSync(file, `${JSON.stringify(tracked)}\n`);
    const before = await app.get(GharchiveImportService).import(file);
    expect(before).toMatchObject({ eventsKept: 1, activitiesWritten: 0, activitiesUnattributed: 1 });
    await db.query(`INSERT INTO github_account (id, login, type) VALUES (991000001, $1, 'User')`, [issue.actor.toUpperCase()]);
    const after = await app.get(GharchiveImportService).import(file);
    expect(after).toMatchObject({ activitiesWritten: 1, activitiesUnattributed: 0 });
  });

  it('a truncated or empty .json.gz loses none of the events read before the cut, names the file, and the next file is still imported', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'gharchive-cut-'));
    try {
      // one tracked comment per line, many lines, so the cut falls after complete events
      const lines = Array.from({ length: 400 }, (_, index) =>
        JSON.stringify({ ...comment, id: String(9_000_000_000 + index), payload: { ...comment.payload, comment: { ...comment.payload.comment, id: 8_000_000_000 + index } } }),
      );
      const whole = join(sub, 'whole.json.gz');
      await pipeline(Readable.from([`${lines.join('\n')}\n`]), createGzip(), createWriteStream(whole));
      const bytes = readFileSync(whole);
      writeFileSync(join(sub, 'a-cut.json.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      writeFileSync(join(sub, 'b-empty.json.gz'), Buffer.alloc(0));
      const next = { ...comment, id: '9100000000', payload: { ...comment.payload, comment: { ...comment.payload.comment, id: 8_100_000_000 } } };
      writeFileSync(join(sub, 'c-next.json'), `${JSON.stringify(next)}\n`);
      rmSync(whole);

      const result = await app.get(GharchiveImportService).import(sub, { batchSize: 1_000 });
      expect(result.failedFiles.map((failed) => failed.file)).toEqual([join(sub, 'a-cut.json.gz'), join(sub, 'b-empty.json.gz')]);
      expect(result.failedFiles[0].error).toMatch(/ends early/);
      expect(result.filesDone).toBe(3);
      const cut = await db.query(`SELECT count(*)::int AS n FROM activity WHERE source_key LIKE 'issue_comment:80000%'`);
      expect(cut.rows[0].n).toBeGreaterThan(0); // every complete event before the cut, written
      expect(cut.rows[0].n).toBe(result.activitiesWritten - 1);
      const after = await db.query(`SELECT count(*)::int AS n FROM activity WHERE source_key = 'issue_comment:8100000000'`);
      expect(after.rows[0].n).toBe(1);
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  it('reads a directory in name order and skips files that are not GH Archive files', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'gharchive-dir-'));
    try {
      copyFileSync(SAMPLE_FILE, join(sub, 'b.ndjson'));
      writeFileSync(join(sub, 'a.json'), '{"repo": "microsoft/vscode-jupyter", cut off\n');
      writeFileSync(join(sub, 'notes.txt'), 'ignored');
      const result = await app.get(GharchiveImportService).import(sub);
      expect(result).toMatchObject({ files: 2, filesDone: 2, eventsRead: 125, malformedLines: 1, activitiesWritten: 0 });
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });
});
