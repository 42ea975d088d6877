import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../test/helpers/test-env.js';
import { hashApiTokenSecret } from './api-token-secret.js';
import { ApiTokenService } from './api-token.service.js';
import { AuthException } from './auth.exception.js';

describe('ApiTokenService (Postgres)', () => {
  let env: TestEnv;
  let dataSource: DataSource;
  let tokens: ApiTokenService;

  beforeAll(async () => {
    env = await createTestEnv();
    dataSource = new DataSource({ type: 'postgres', url: env.database.url, logging: false, extra: { options: env.database.options } });
    await dataSource.initialize();
    tokens = new ApiTokenService(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await env?.teardown();
  });

  it('stores the SHA-256 of the secret and never the secret itself', async () => {
    const { token, secret } = await tokens.create({ name: 'ci', role: 'admin' });
    const rows: Array<Record<string, unknown>> = await dataSource.query(`SELECT * FROM api_token WHERE id = $1`, [
      token.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(hashApiTokenSecret(secret));
    expect(Object.values(rows[0]).map(String)).not.toContain(secret);
    expect(token).not.toHaveProperty('tokenHash');
  });

  it('verifies a fresh secret and records its first use', async () => {
    const { token, secret } = await tokens.create({ name: 'verify', role: 'admin' });
    const verified = await tokens.verify(secret);
    expect(verified?.id).toBe(token.id);
    expect(verified?.role).toBe('admin');
    expect(verified?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('refuses unknown, malformed and tampered secrets', async () => {
    const { secret } = await tokens.create({ name: 'tamper', role: 'admin' });
    const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(await tokens.verify(tampered)).toBeNull();
    expect(await tokens.verify('cmb_nope')).toBeNull();
    expect(await tokens.verify('')).toBeNull();
  });

  it('refuses an expired token', async () => {
    const { token, secret } = await tokens.create({ name: 'short-lived', role: 'admin' });
    await dataSource.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [token.id]);
    expect(await tokens.verify(secret)).toBeNull();
  });

  it('refuses a revoked token, and revoking twice is harmless', async () => {
    const { token, secret } = await tokens.create({ name: 'revoked', role: 'admin' });
    expect(await tokens.revoke(token.id)).toBe(true);
    expect(await tokens.revoke(token.id)).toBe(false);
    expect(await tokens.verify(secret)).toBeNull();
  });

  it('writes last_used_at at most once a minute', async () => {
    const { token, secret } = await tokens.create({ name: 'busy', role: 'admin' });
    const first = await tokens.verify(secret);
    const second = await tokens.verify(secret);
    expect(second?.lastUsedAt?.getTime()).toBe(first?.lastUsedAt?.getTime());

    await dataSource.query(`UPDATE api_token SET last_used_at = last_used_at - interval '2 minutes' WHERE id = $1`, [
      token.id,
    ]);
    const aged = first!.lastUsedAt!.getTime() - 120_000;
    const third = await tokens.verify(secret);
    expect(third?.lastUsedAt?.getTime()).toBeGreaterThan(aged);
  });

  it('rejects an expiry in the past and an empty name with BAD_USER_INPUT', async () => {
    await expect(tokens.create({ name: 'x', role: 'admin', expiresAt: new Date(0) })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await expect(tokens.create({ name: '  ', role: 'admin' })).rejects.toBeInstanceOf(AuthException);
  });

  it('names an unknown or malformed id when revoking', async () => {
    await expect(tokens.revoke('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(tokens.revoke('42')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('says why a token is refused: unknown, expired or revoked', async () => {
    expect(await tokens.check(`cmb_${'a'.repeat(43)}`)).toEqual({ kind: 'refused', reason: 'unknown' });
    const expired = await tokens.create({ name: 'expired', role: 'admin', expiresAt: new Date(Date.now() + 60_000) });
    await dataSource.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.token.id]);
    expect(await tokens.check(expired.secret)).toEqual({ kind: 'refused', reason: 'expired' });
    const revoked = await tokens.create({ name: 'revoked-check', role: 'admin' });
    await tokens.revoke(revoked.token.id);
    expect(await tokens.check(revoked.secret)).toEqual({ kind: 'refused', reason: 'revoked' });
  });

  it('stores scopes (every scope by default) and refuses an empty or unknown one', async () => {
    expect((await tokens.create({ name: 'all', role: 'admin' })).token.scopes).toEqual(['read', 'write']);
    const { secret } = await tokens.create({ name: 'reader', role: 'admin', scopes: ['read', 'read'] });
    expect((await tokens.verify(secret))?.scopes).toEqual(['read']);
    await expect(tokens.create({ name: 'none', role: 'admin', scopes: [] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(tokens.create({ name: 'odd', role: 'admin', scopes: ['delete' as 'read'] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
