import { once } from 'node:events';
import { Redis } from 'ioredis';
import { redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../test/helpers/test-queue-prefix.js';
import { RequestContextWorker } from './queue-instrumentation.js';
import { endStrandedClientOnDisconnect } from './stranded-redis-client.js';

/** Settles with `promise`, or rejects naming `what` if it is still pending after `ms` (a hang fails the test instead of the suite's timeout). */
async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, pending]);
  } finally {
    clearTimeout(timer);
  }
}

/** Drops `client`'s connection and leaves it waiting a minute to reconnect (status `reconnecting`, no socket). */
async function strand(client: Redis): Promise<void> {
  client.options.retryStrategy = () => 60_000;
  const reconnecting = once(client, 'reconnecting');
  client.disconnect(true);
  await reconnecting;
  expect(client.status).toBe('reconnecting');
}

describe('disconnecting a Redis client between reconnection attempts (real Redis)', () => {
  it('ends the client and rejects the command it was blocked in', async () => {
    const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    await once(client, 'ready');
    endStrandedClientOnDisconnect(client);
    endStrandedClientOnDisconnect(client); // idempotent
    const blocked = client.blpop(`cambrian-test:stranded:${process.pid}`, 0);
    await strand(client);

    const ended = once(client, 'end');
    client.disconnect();
    await settlesWithin(ended, 5_000, "the client's end event");
    expect(client.status).toBe('end');
    await expect(settlesWithin(blocked, 5_000, 'the blocked BLPOP')).rejects.toThrow('Connection is closed.');
  });

  it('leaves other disconnects to ioredis: a ready client still ends, and disconnect(true) still reconnects', async () => {
    const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    await once(client, 'ready');
    endStrandedClientOnDisconnect(client);
    const reconnected = once(client, 'ready');
    client.disconnect(true);
    await settlesWithin(reconnected, 10_000, 'the reconnection');
    expect(await client.ping()).toBe('PONG');
    const ended = once(client, 'end');
    client.disconnect();
    await settlesWithin(ended, 5_000, "the client's end event");
  });

  it("lets a worker close while its blocking connection waits to reconnect (BullMQ's close waits for that connection's end)", async () => {
    const worker = new RequestContextWorker('obs-stranded', async () => undefined, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: testQueuePrefix() });
    await worker.waitUntilReady();
    const blocking = (await worker.backend.blockingConnection!.client) as unknown as Redis;
    await strand(blocking);

    await settlesWithin(worker.close(), 10_000, 'Worker.close()');
    expect(worker.isRunning()).toBe(false);
    expect(blocking.status).toBe('end');
  });

  it('lets a worker close while its main connection waits to reconnect with commands queued (a stalled-job check made during the outage)', async () => {
    const worker = new RequestContextWorker('obs-stranded-main', async () => undefined, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: testQueuePrefix() });
    await worker.waitUntilReady();
    const blocking = (await worker.backend.blockingConnection!.client) as unknown as Redis;
    const main = (await worker.backend.client) as unknown as Redis;
    await strand(blocking);
    await strand(main);
    // what BullMQ sends on the main connection while Redis is away waits in ioredis' offline queue;
    // BullMQ's close then sends QUIT, which ioredis queues behind it until Redis answers again
    const queued = main.ping();

    await settlesWithin(worker.close(), 10_000, 'Worker.close()');
    expect(worker.isRunning()).toBe(false);
    expect(main.status).toBe('end');
    await expect(settlesWithin(queued, 5_000, 'the queued PING')).rejects.toThrow('Connection is closed.');
  });
});
