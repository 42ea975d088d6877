import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueName } from '#libs/queue';

/** Readiness of Redis: the queues' connection (REDIS_URL) answers `PING` with `PONG`. */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
    private readonly health: HealthIndicatorService,
  ) {}

  /**
   * Result under `key`, down when Redis does not answer within `timeoutMs` (the connection retries
   * forever while Redis is away, so the timeout is what turns an outage into `down`).
   */
  check<const Key extends string>(key: Key, timeoutMs: number) {
    return this.health
      .check(key)
      .attempt(async () => {
        // the Redis backend's raw client is ioredis (BullMQ types it as its minimal interface)
        const client = (await this.queue.backend.client) as unknown as Pick<Redis, 'ping'>;
        const answer = await client.ping();
        if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
      })
      .withTimeout(timeoutMs);
  }
}
