import { Command } from 'commander';
import pg from 'pg';
import { createActivities, createEcosystem, createMember, createRepository } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { registerStagesCommand } from './stages.command.js';

describe('cambrian stages recompute (Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 1 });
  });

  afterAll(async () => {
    await db?.end();
    await env?.teardown();
  });

  async function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const out = { stdout: '', stderr: '' };
    const program = new Command('cambrian').exitOverride();
    registerStagesCommand(program, { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text) });
    await program.parseAsync(['node', 'cambrian', ...args]);
    return out;
  }

  it('recomputes the stages of an ecosystem’s members from their activities', async () => {
    const ecosystemId = await createEcosystem(db, { slug: 'cli' });
    const repositoryId = await createRepository(db, { ecosystemId });
    const member = await createMember(db);
    const recent = new Date(Date.now() - 86_400_000);
    await createActivities(db, [
      { member, repositoryId, type: 'star', occurredAt: new Date(recent.getTime() - 86_400_000) },
      { member, repositoryId, type: 'commit', occurredAt: recent },
    ]);
    const { stdout } = await run('stages', 'recompute', '--ecosystem', 'cli');
    expect(stdout).toMatch(/^recomputed stages of 1 members in cli: 2 transitions stored, 0 removed, in [\d.]+ s\n$/);
    const { rows } = await db.query(`SELECT to_stage FROM member_stage_transition WHERE member_id = $1 ORDER BY at`, [member.memberId]);
    expect(rows.map((row) => row.to_stage)).toEqual(['OBSERVER', 'FIRST_TIME_CONTRIBUTOR']);
    expect((await run('stages', 'recompute')).stdout).toMatch(/: 0 transitions stored, 0 removed/);
  });

  it('names an unknown ecosystem', async () => {
    await expect(run('stages', 'recompute', '--ecosystem', 'nope')).rejects.toThrow('Unknown ecosystem "nope"');
  });
});
