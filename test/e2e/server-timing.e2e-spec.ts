import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** `db;desc="N statements";dur=X, total;dur=Y` parsed, or null when the header is absent. */
function parseServerTiming(header: string | null): { statements: number; db: number; total: number } | null {
  if (header === null) return null;
  const match = /^db;desc="(\d+) statements?";dur=([\d.]+), total;dur=([\d.]+)$/.exec(header);
  if (!match) throw new Error(`malformed Server-Timing: ${header}`);
  return { statements: Number(match[1]), db: Number(match[2]), total: Number(match[3]) };
}

const LEADERBOARD = '{ leaderboard(first: 5) { since entries { rank member { login } } } }';

/**
 * `SERVER_TIMING=on`: each api answer says how long its database statements took and how long the
 * api took in all (W3C Server Timing), from the statements `TimedPgClient` timed for that request
 * only; the request log line carries the same (`dbMs`, `dbStatements`) whatever the setting.
 */
describe('Server-Timing and the database time of a request', () => {
  let env: TestEnv;
  let app: NestFastifyApplication | undefined;
  let base: string;
  const log = new LogCapture();

  async function start(serverTiming: 'on' | 'off'): Promise<void> {
    await app?.close();
    env.apply({ SERVER_TIMING: serverTiming, LEADERBOARD_CACHE_SECONDS: '0', LOG_LEVEL: 'info' });
    app = await createApiApp({ logDestination: log });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  }

  async function post(query: string, requestId?: string) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, timing: parseServerTiming(response.headers.get('server-timing')), body: await response.text() };
  }

  beforeAll(async () => {
    env = await createTestEnv();
    await start('on');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
    delete process.env.SERVER_TIMING;
  });

  it('times the statements of a query that reads Postgres, within the request’s total', async () => {
    const answer = await post(LEADERBOARD, 'timing-leaderboard');
    expect(answer.status).toBe(200);
    expect(answer.timing!.statements).toBeGreaterThanOrEqual(1);
    expect(answer.timing!.db).toBeGreaterThan(0);
    expect(answer.timing!.db).toBeLessThanOrEqual(answer.timing!.total);
    const line = log.lines().find((entry) => entry.msg === 'request completed' && entry.requestId === 'timing-leaderboard');
    expect(line).toMatchObject({ route: '/graphql', dbStatements: answer.timing!.statements });
    expect(line!.dbMs).toBeCloseTo(answer.timing!.db, 0);
  });

  it('counts statements GraphQL runs at once (aliased fields) once in time: db never exceeds total', async () => {
    const fields = Array.from({ length: 8 }, (_, index) => `a${index}: leaderboard(first: ${index + 1}) { since entries { rank member { login } } }`).join(' ');
    const answer = await post(`{ ${fields} }`);
    expect(answer.status).toBe(200);
    expect(answer.timing!.statements).toBeGreaterThanOrEqual(8);
    expect(answer.timing!.db).toBeLessThanOrEqual(answer.timing!.total);
  });

  it('counts no statement for a query that reads none', async () => {
    const answer = await post('{ __typename }');
    expect(answer.timing).toMatchObject({ statements: 0, db: 0 });
    expect(answer.timing!.total).toBeGreaterThan(0);
  });

  it('keeps the statements of requests served at once apart', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => post(index % 2 ? '{ __typename }' : LEADERBOARD)));
    answers.forEach((answer, index) => {
      expect(answer.status).toBe(200);
      if (index % 2) expect(answer.timing!.statements).toBe(0);
      else expect(answer.timing!.statements).toBeGreaterThanOrEqual(1);
    });
    // every leaderboard of the burst ran the same statements as one alone
    const alone = (await post(LEADERBOARD)).timing!.statements;
    expect(answers.filter((_, index) => index % 2 === 0).map((answer) => answer.timing!.statements)).toEqual(Array(6).fill(alone));
  });

  it('is on refusals too (a GraphQL validation error, a body that is not JSON)', async () => {
    const invalid = await post('{ noSuchField }');
    expect(invalid.status).toBe(400);
    expect(invalid.timing).toMatchObject({ statements: 0 });
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(parseServerTiming(response.headers.get('server-timing'))).not.toBeNull();
  });

  it('is absent with SERVER_TIMING=off (the default), while the log line still has the database time', async () => {
    await start('off');
    const answer = await post(LEADERBOARD, 'timing-off');
    expect(answer.status).toBe(200);
    expect(answer.timing).toBeNull();
    const line = log.lines().find((entry) => entry.msg === 'request completed' && entry.requestId === 'timing-off');
    expect(line!.dbStatements).toBeGreaterThanOrEqual(1);
    expect(typeof line!.dbMs).toBe('number');
  }, 120_000);
});
