import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

describe('apps boot with every module wired (api, worker)', () => {
  let env: TestEnv;
  let api: NestFastifyApplication | undefined;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await env?.teardown();
  });

  it('starts the api and answers /health/ready', async () => {
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    const response = await fetch(`${await api.getUrl()}/health/ready`);
    expect(response.status).toBe(200);
  });

  it('starts the worker application context with all processors', async () => {
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
    expect(worker).toBeDefined();
  });
});
