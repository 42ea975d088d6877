import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { readErasureKey, rotateErasureKey, secretBoxFromConfig, type ErasureKeyQueryable } from '#libs/secrets';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/test-database.js';

const key = () => randomBytes(32).toString('base64');
const box = (current: string, old: string[]) => secretBoxFromConfig({ NODE_ENV: 'test', CAMBRIAN_SECRETS_KEY: current, CAMBRIAN_SECRETS_OLD_KEYS: old });

describe('rotateErasureKey (Postgres)', () => {
  let database: TestDatabase;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    for (const client of clients) await client.end();
    await database?.drop();
  });

  const connect = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return client;
  };

  it('two rotations to the same key at once (two deploy hooks running `cambrian secrets rotate`) both succeed, the key re-encrypted once', async () => {
    const oldKey = key();
    const newKey = key();
    await database.sealErasureKeyUnder(oldKey);
    const first = await connect();
    const second = await connect();
    // the first rotation reads the row, then the second runs whole before the first writes
    let secondRun: Promise<string> | undefined;
    const interleaved: ErasureKeyQueryable = {
      query: async (sql, params) => {
        if (sql.trimStart().startsWith('UPDATE erasure_key')) await (secondRun ??= rotateErasureKey(second, box(newKey, [oldKey])));
        return first.query(sql, params);
      },
    };
    const outcome = await rotateErasureKey(interleaved, box(newKey, [oldKey]));
    expect(await secondRun).toBe('reencrypted');
    expect(outcome).toBe('already-current');
    expect(await readErasureKey(first, box(newKey, []))).toBe(database.erasureKey);
  });
});
