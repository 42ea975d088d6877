import { getQueueToken } from '@nestjs/bullmq';
import { Logger, type OnModuleInit } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QueueName } from './queue-names.js';

/** At most one log line per queue per this many milliseconds while Redis is away. */
const ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * Listens to every queue's `error` event (BullMQ reports lost Redis connections there; an
 * EventEmitter without a listener prints each one with a stack) and logs one line per queue
 * per minute instead. The connection itself keeps retrying (see redis-connection.ts).
 */
export class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger('Queues');
  private readonly lastLogged = new Map<string, number>();

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of Object.values(QueueName)) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (error: Error) => {
        const now = Date.now();
        if (now - (this.lastLogged.get(name) ?? 0) < ERROR_LOG_INTERVAL_MS) return;
        this.lastLogged.set(name, now);
        this.logger.error(`queue ${name}: ${error.message}`);
      });
    }
  }
}
