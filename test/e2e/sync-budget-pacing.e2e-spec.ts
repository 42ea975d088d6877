import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ALL_REPOSITORY_RESOURCES, EcosystemService, EcosystemSyncService, GITHUB_TOKEN_BUDGET, GithubSyncModule, type RedisTokenBudget } from '#libs/github';
import { QueueName } from '#libs/queue';
import type { RateLimitWindowRecord } from '../../apps/github-sim/src/http/rate-limit.js';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * A full sync of the RWKV ecosystem (about 480 requests) against a budget of 60 requests per
 * 10-second window: it needs eight windows. GitHub's clock runs SPEEDUP times faster (the sim's
 * windows, `Date` and resets); the budget's waits are scaled to match.
 */
const SPEEDUP = 10;
const LIMIT = 60;
const TOKEN = 'e2e-sync-budget-pacing';

@Module({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] })
class SyncBudgetTestModule {}

describe('a full sync under a tight primary budget (e2e, sim, Postgres, Redis)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    const started = Date.now();
    sim = await createGithubSim({
      snapshot: await sharedSnapshot(),
      port: 0,
      now: () => started + (Date.now() - started) * SPEEDUP,
      rateLimit: { limit: LIMIT, windowSeconds: 10 },
    });
    env = await createTestEnv();
    env.apply({
      GITHUB_API_URL: sim.url,
      GITHUB_TOKEN: TOKEN,
      GITHUB_WAIT_MS_PER_SECOND: String(1000 / SPEEDUP),
      GITHUB_MAX_IN_PROCESS_WAIT_SECONDS: '3600',
    });
    app = await NestFactory.createApplicationContext(SyncBudgetTestModule, { logger: false });
  });

  afterAll(async () => {
    await app?.get<RedisTokenBudget>(GITHUB_TOKEN_BUDGET).clear();
    for (const name of Object.values(QueueName)) await app?.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    await app?.close();
    await env?.teardown();
    await sim?.close();
  });

  it('completes with no primary-limit 403 and no window spent past its limit or below the reserve', async () => {
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
    await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
    await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
    await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
    const result = await app.get(EcosystemSyncService).syncInProcess(ecosystem.id, { concurrency: 6, resources: ALL_REPOSITORY_RESOURCES });
    expect(result.failures).toEqual([]);
    expect(result.repositories).toHaveLength(6);

    const { windows } = (await (await fetch(`${sim.url}/_sim/rate-limit/windows`)).json()) as { windows: RateLimitWindowRecord[] };
    const mine = windows.filter((window) => window.key === `token:${TOKEN}`);
    expect(mine.length).toBeGreaterThanOrEqual(5);
    for (const window of mine) {
      expect(window.refused).toBe(0);
      expect(window.used).toBeLessThanOrEqual(LIMIT);
      expect(window.minRemaining).toBeGreaterThanOrEqual(1); // the reserve, floor(0.02 × 60) = 1, is never spent
    }
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { byStatus: Record<string, number> };
    expect(stats.byStatus['403'] ?? 0).toBe(0);
    // a whole sync paced through several windows: on a loaded machine it outlasts the default 60 s
  }, 180_000);
});
