import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { EcosystemException, EcosystemExceptionCode } from './ecosystem.exception.js';
import { EcosystemModule } from './ecosystem.module.js';
import { EcosystemService } from './ecosystem.service.js';

async function codeOf(promise: Promise<unknown>): Promise<EcosystemExceptionCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    if (error instanceof EcosystemException) return error.code;
    throw error;
  }
}

describe('EcosystemService (Postgres)', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let ecosystems: EcosystemService;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, EcosystemModule] }).compile();
    app = await moduleRef.init();
    ecosystems = app.get(EcosystemService);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('creates an ecosystem once, refuses a second create and an invalid slug, and finds it by slug', async () => {
    const created = await ecosystems.create('rwkv', 'RWKV');
    expect(created).toMatchObject({ slug: 'rwkv', name: 'RWKV' });
    expect(await codeOf(ecosystems.create('rwkv', 'Other'))).toBe(EcosystemExceptionCode.ALREADY_EXISTS);
    expect(await ecosystems.ensure('rwkv', 'Other')).toEqual({ ecosystem: created, created: false });
    expect(await codeOf(ecosystems.create('RWKV LM', 'x'))).toBe(EcosystemExceptionCode.INVALID_SLUG);
    expect(await codeOf(ecosystems.getBySlug('nope'))).toBe(EcosystemExceptionCode.NOT_FOUND);
  });

  it('tracks a source once whatever its letter case, pauses it and stops tracking it', async () => {
    await ecosystems.ensure('eco-a', 'A');
    expect((await ecosystems.track('eco-a', { kind: 'organization', name: 'RWKV' })).created).toBe(true);
    const again = await ecosystems.track('eco-a', { kind: 'organization', name: 'rwkv' });
    expect(again).toMatchObject({ created: false, source: { name: 'RWKV', paused: false } });
    expect((await ecosystems.setPaused('eco-a', { kind: 'organization', name: 'Rwkv' }, true)).paused).toBe(true);
    expect((await ecosystems.listSources('eco-a')).map((source) => [source.kind, source.name, source.paused])).toEqual([
      ['organization', 'RWKV', true],
    ]);
    await ecosystems.untrack('eco-a', { kind: 'organization', name: 'RWKV' });
    expect(await ecosystems.listSources('eco-a')).toEqual([]);
    expect(await codeOf(ecosystems.untrack('eco-a', { kind: 'organization', name: 'RWKV' }))).toBe(EcosystemExceptionCode.NOT_FOUND);
    expect(await codeOf(ecosystems.track('missing', { kind: 'user', name: 'BlinkDL' }))).toBe(EcosystemExceptionCode.NOT_FOUND);
  });

  it('lists the repositories its sources discovered, not those of other ecosystems', async () => {
    const db = app.get(DataSource);
    await ecosystems.ensure('eco-b', 'B');
    await ecosystems.ensure('eco-c', 'C');
    const { source } = await ecosystems.track('eco-b', { kind: 'user', name: 'BlinkDL' });
    const { source: other } = await ecosystems.track('eco-c', { kind: 'user', name: 'someone' });
    await db.query(
      `INSERT INTO repository (id, owner, name, full_name) VALUES (11, 'BlinkDL', 'RWKV-LM', 'BlinkDL/RWKV-LM'),
         (12, 'BlinkDL', 'ChatRWKV', 'BlinkDL/ChatRWKV'), (13, 'someone', 'x', 'someone/x')`,
    );
    await db.query(`INSERT INTO tracked_source_repository (tracked_source_id, repository_id) VALUES ($1, 11), ($1, 12), ($2, 13)`, [
      source.id,
      other.id,
    ]);
    expect((await ecosystems.listRepositories('eco-b')).map((repository) => repository.fullName)).toEqual([
      'BlinkDL/ChatRWKV',
      'BlinkDL/RWKV-LM',
    ]);
  });
});
