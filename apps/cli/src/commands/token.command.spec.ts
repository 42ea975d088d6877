import { Command } from 'commander';
import pg from 'pg';
import { hashApiTokenSecret } from '#libs/auth';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { registerTokenCommand } from './token.command.js';

describe('cambrian token (Postgres)', () => {
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
    const program = new Command('cambrian').exitOverride().configureOutput({
      writeOut: (text) => (out.stdout += text),
      writeErr: (text) => (out.stderr += text),
    });
    registerTokenCommand(program, { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text) });
    await program.parseAsync(['node', 'cambrian', ...args]);
    return out;
  }

  it('prints only the secret on stdout and stores only its hash', async () => {
    const { stdout, stderr } = await run('token', 'create', '--role', 'admin', '--name', 'deploy bot');
    expect(stdout).toMatch(/^cmb_[A-Za-z0-9_-]{43}\n$/);
    const secret = stdout.trim();
    expect(stderr).toContain('shown only once');
    const { rows } = await db.query(`SELECT name, role, token_hash, expires_at FROM api_token WHERE token_hash = $1`, [
      hashApiTokenSecret(secret),
    ]);
    expect(rows).toEqual([{ name: 'deploy bot', role: 'admin', token_hash: hashApiTokenSecret(secret), expires_at: null }]);
  });

  it('sets an expiry from --expires-in-days', async () => {
    const { stdout } = await run('token', 'create', '--role', 'admin', '--expires-in-days', '30');
    const { rows } = await db.query(
      `SELECT expires_at > now() + interval '29 days' AND expires_at < now() + interval '31 days' AS in_30_days
         FROM api_token WHERE token_hash = $1`,
      [hashApiTokenSecret(stdout.trim())],
    );
    expect(rows[0].in_30_days).toBe(true);
  });

  it('stores --scopes, every scope by default, and refuses an unknown scope by name', async () => {
    const reader = await run('token', 'create', '--role', 'admin', '--scopes', 'read');
    expect(reader.stderr).toContain('scopes read,');
    const { rows } = await db.query(`SELECT scopes FROM api_token WHERE token_hash = $1`, [hashApiTokenSecret(reader.stdout.trim())]);
    expect(rows).toEqual([{ scopes: ['read'] }]);
    expect((await run('token', 'create', '--role', 'admin')).stderr).toContain('scopes read,write,');
    await expect(run('token', 'create', '--role', 'admin', '--scopes', 'delete')).rejects.toThrow(/scopes/);
  });

  it('refuses an unknown role and a bad number of days', async () => {
    await expect(run('token', 'create', '--role', 'owner')).rejects.toThrow(/Allowed choices are admin/);
    await expect(run('token', 'create', '--role', 'admin', '--expires-in-days', '-1')).rejects.toThrow(/number of days/);
    await expect(run('token', 'create')).rejects.toThrow(/--role/);
  });

  it('revokes a token by id and lists it as revoked', async () => {
    const { stdout } = await run('token', 'create', '--role', 'admin', '--name', 'to revoke');
    const { rows } = await db.query(`SELECT id FROM api_token WHERE token_hash = $1`, [hashApiTokenSecret(stdout.trim())]);
    expect((await run('token', 'revoke', rows[0].id)).stdout).toBe(`revoked ${rows[0].id}\n`);
    const listed = await run('token', 'list');
    expect(listed.stdout).toMatch(new RegExp(`${rows[0].id}\\s+admin\\s+"to revoke".*revoked`));
    expect(listed.stdout).not.toMatch(/cmb_/);
    const unknown = '00000000-0000-4000-8000-00000000a0d1';
    await expect(run('token', 'revoke', unknown)).rejects.toThrow(/No API token/);
  });

  it('records token create and revoke in the audit log, without the secret', async () => {
    const { rows: [{ last }] } = await db.query(`SELECT coalesce(max(id), 0)::text AS last FROM audit_event`);
    const { stdout } = await run('token', 'create', '--role', 'admin', '--name', 'audited');
    const secret = stdout.trim();
    const { rows: [token] } = await db.query(`SELECT id FROM api_token WHERE token_hash = $1`, [hashApiTokenSecret(secret)]);
    await run('token', 'revoke', token.id);
    const unknown = '00000000-0000-4000-8000-00000000a0d1';
    await expect(run('token', 'revoke', unknown)).rejects.toThrow(/No API token/);
    const { rows } = await db.query(
      `SELECT operation, actor, actor_role, target_type, target_id, arguments, after, status, error_code, after::text AS after_text
       FROM audit_event WHERE operation LIKE 'token %' AND target_id IN ($1, $2) AND id > $3 ORDER BY id`,
      [token.id, unknown, last],
    );
    expect(rows.map((row) => [row.operation, row.status, row.target_type, row.target_id, row.error_code])).toEqual([
      ['token create', 'ok', 'api-token', token.id, null],
      ['token revoke', 'ok', 'api-token', token.id, null],
      ['token revoke', 'error', 'api-token', unknown, 'NOT_FOUND'],
    ]);
    expect(rows[0].actor).toMatch(/^cli:/);
    expect(rows[0].actor_role).toBe('operator');
    expect(rows[0].arguments).toMatchObject({ name: 'audited', role: 'admin', scopes: ['read', 'write'] });
    expect(rows[0].after).toMatchObject({ id: token.id, name: 'audited', role: 'admin' });
    expect(rows[0].after_text).not.toContain(secret);
    expect(rows[1].after).toEqual({ revoked: true });
  });
});
