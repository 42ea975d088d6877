import { Command } from 'commander';
import pg from 'pg';
import { addEmailIdentity, createActivities, createMember, createRepository } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { registerOrgCommand } from './org.command.js';

describe('cambrian org (Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 1 });
    const member = await createMember(db, { login: 'Hashed-Dev' });
    const identityId = await addEmailIdentity(db, member.memberId, `${'d'.repeat(40)}@research.nvidia.com`);
    await createActivities(db, [
      { member: { ...member, identityId }, repositoryId: await createRepository(db), occurredAt: '2025-02-01T00:00:00Z' },
    ]);
  });

  afterAll(async () => {
    await db?.end();
    await env?.teardown();
  });

  async function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    const out = { stdout: '', stderr: '' };
    const program = new Command('cambrian').exitOverride().configureOutput({
      writeOut: (text) => (out.stdout += text),
      writeErr: (text) => (out.stderr += text),
    });
    registerOrgCommand(program, { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text) });
    await program.parseAsync(['node', 'cambrian', ...args]);
    return out;
  }

  it('creates an organisation and affiliates members by e-mail domain at once', async () => {
    const { stdout, stderr } = await run('org', 'create', 'NVIDIA', '--domain', 'nvidia.com');
    expect(stdout).toMatch(/^created [0-9a-f-]{36} {2}"NVIDIA" {2}non-paying {2}nvidia\.com\n$/);
    expect(stderr).toBe('automatic affiliations: 1 (1 new, 0 updated, 0 removed)\n');
  });

  it('updates by name and lists with filters', async () => {
    await run('org', 'create', 'Hooli', '--domain', 'hooli.com,hooli.xyz');
    const { stdout } = await run('org', 'update', 'hooli', '--customer', '--domain', 'hooli.com');
    expect(stdout).toMatch(/"Hooli" {2}customer {2}hooli\.com\n$/);
    expect((await run('org', 'list', '--non-paying')).stdout).toMatch(/^[0-9a-f-]{36} {2}"NVIDIA" .*\n$/);
    expect((await run('org', 'list', '--query', 'xyz')).stderr).toBe('no organisations\n');
    expect((await run('org', 'list')).stdout.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('records a manual affiliation for a login', async () => {
    const { stdout } = await run('org', 'affiliate', 'hashed-dev', 'Hooli', '--from', '2025-03-01', '--note', 'contractor');
    expect(stdout).toMatch(/ {2}Hashed-Dev with "Hooli" \[2025-03-01T00:00:00.000Z, open\) {2}manual\n$/);
    const { rows } = await db.query(`SELECT source, evidence FROM affiliation WHERE source = 'manual'`);
    expect(rows).toEqual([{ source: 'manual', evidence: { note: 'contractor', by: 'cli' } }]);
  });

  it('fails with a clear message on bad input', async () => {
    await expect(run('org', 'create', 'Mail', '--domain', 'gmail.com')).rejects.toThrow(/public webmail/);
    await expect(run('org', 'affiliate', 'nobody', 'Hooli')).rejects.toThrow('no member "nobody"');
    await expect(run('org', 'affiliate', 'hashed-dev', 'Initech')).rejects.toThrow('no organisation named "Initech"');
    await expect(run('org', 'affiliate', 'hashed-dev', 'NVIDIA', '--from', 'last week')).rejects.toThrow(/ISO 8601/);
    await expect(run('org', 'affiliate', 'hashed-dev', 'NVIDIA', '--from', '2025-04-01')).rejects.toThrow(/overlaps/);
    for (const bad of ['2024-02-30', '2024-06-01 junk', '2024-06-01T09:00:00', '2024-13-01', '']) {
      await expect(run('org', 'affiliate', 'hashed-dev', 'NVIDIA', '--until', bad)).rejects.toThrow(/not an ISO 8601 date/);
    }
    await expect(run('org', 'create', 'Flags', '--no-such-flag')).rejects.toThrow(/unknown option '--no-such-flag'/);
    await expect(run('org', 'update', 'Hooli', '--customer', '--non-paying')).rejects.toThrow('give at most one of --customer and --non-paying');
    await expect(run('org', 'create')).rejects.toThrow(/missing required argument 'name'/);
    await expect(run('org', 'create', 'x'.repeat(10_000))).rejects.toThrow(/at most 200 characters/);
    await expect(run('org', 'create', 'Null\u0000Corp')).rejects.toThrow(/control characters/);
    await expect(run('org', 'affiliate', 'nobody\u0000', 'Hooli')).rejects.toThrow('no member "nobody');
    await expect(run('org', 'affiliate', 'hashed-dev', 'Hooli\u0000')).rejects.toThrow('no organisation named "Hooli');
    await expect(run('org', 'update', 'Hooli', '--domain', '')).rejects.toThrow(/give a domain \(use --no-domains/);
    await expect(run('org', 'update', 'Hooli', '--domain', ' , ')).rejects.toThrow(/give a domain/);
    await expect(run('org', 'update', 'Hooli', '--domain', 'hooli.com', '--no-domains')).rejects.toThrow('give at most one of --domain and --no-domains');
    expect((await run('org', 'list', '--query', 'hooli')).stdout).toContain('hooli.com');
  });
});
