import { Command } from 'commander';
import pg from 'pg';
import { createEcosystem, createMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { registerGrantCommand } from './grant.command.js';

describe('cambrian grant (Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 1 });
    await createMember(db, { login: 'Ola' });
  });

  afterAll(async () => {
    await db?.end();
    await env?.teardown();
  });

  async function run(...args: string[]): Promise<string> {
    let stdout = '';
    const program = new Command('cambrian').exitOverride().configureOutput({ writeOut: (text) => (stdout += text), writeErr: () => {} });
    registerGrantCommand(program, { stdout: (text) => (stdout += text) });
    await program.parseAsync(['node', 'cambrian', ...args]);
    return stdout;
  }

  it('grants, lists and revokes an organiser of an ecosystem, by login', async () => {
    await createEcosystem(db, { slug: 'rwkv' });
    const granted = await run('grant', 'organizer', 'ola', '--ecosystem', 'rwkv');
    expect(granted).toMatch(/^[0-9a-f-]{36} {2}member [0-9a-f-]{36} {2}organizer of ecosystem rwkv {2}granted \S+ {2}in force\n$/);
    const id = granted.slice(0, 36);
    expect(await run('grant', 'list', '--member', 'OLA')).toBe(granted);
    expect(await run('grant', 'revoke', id)).toMatch(/ {2}revoked \S+ by cli\n$/);
    expect(await run('grant', 'list')).toBe('');
    expect(await run('grant', 'list', '--all')).toMatch(/revoked/);
  });

  it('refuses a scope that is not exactly one of ecosystem and hackathon, and an unknown hackathon', async () => {
    await expect(run('grant', 'organizer', 'ola')).rejects.toThrow('Give exactly one of ecosystem and hackathon');
    await expect(run('grant', 'organizer', 'ola', '--hackathon', 'nope')).rejects.toThrow('No hackathon "nope"');
  });
});
