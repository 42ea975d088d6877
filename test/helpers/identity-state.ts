import { DataSource } from 'typeorm';
import { createTestEnv } from './test-env.js';

/**
 * Identities and members of a database by natural keys (a member is its smallest identity key), with
 * each identity's evidence and display name: what two databases that saw the same actors in different
 * orders are compared by.
 */
export async function identityState(db: DataSource): Promise<unknown[]> {
  return db.query(
    `WITH mk AS (SELECT m.id, m.kind, m.login, m.display_name, (SELECT min(i.platform || ':' || i.key) FROM identity i WHERE i.member_id = m.id) AS key
                   FROM member m)
     SELECT i.platform || ':' || i.key AS identity, i.evidence, i.display_name, mk.key AS member, mk.kind, mk.login, mk.display_name AS member_name
       FROM identity i JOIN mk ON mk.id = i.member_id
      ORDER BY 1`,
  );
}

/** `count` test databases of their own with a TypeORM connection each (erasure key given), and their teardown. */
async function openTestDatabases(count: number): Promise<{ dbs: DataSource[]; close(): Promise<void> }> {
  const envs = await Promise.all(Array.from({ length: count }, () => createTestEnv()));
  const dbs = await Promise.all(envs.map((env) => new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize()));
  return {
    dbs,
    close: async () => {
      await Promise.all(dbs.map((db) => db.destroy()));
      for (const env of envs) await env.teardown();
    },
  };
}

/**
 * `count` test databases for the whole file: opened in a `beforeAll`, closed in an `afterAll` that
 * this registers. The returned array is filled once they are open (read it inside tests).
 */
export function useTestDatabases(count: number): DataSource[] {
  const dbs: DataSource[] = [];
  let opened: Awaited<ReturnType<typeof openTestDatabases>> | undefined;
  beforeAll(async () => {
    opened = await openTestDatabases(count);
    dbs.push(...opened.dbs);
  });
  afterAll(async () => {
    await opened?.close();
  });
  return dbs;
}
