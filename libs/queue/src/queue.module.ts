import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { FailedJobsService } from './failed-jobs.service.js';
import { QueueErrorLogger } from './queue-error-logger.js';
import { QueueName } from './queue-names.js';
import { redisConnectionOptions } from './redis-connection.js';

/**
 * Registers the BullMQ connection (from `REDIS_URL`, keys under `QUEUE_PREFIX`) and every
 * queue. Producers inject queues with `@InjectQueue(QueueName.X)`; processors live in apps/worker.
 * {@link FailedJobsService} reads and retries the queues' failed lists.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [CAMBRIAN_CONFIG],
      useFactory: (config: CambrianConfig) => ({
        connection: redisConnectionOptions(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
  ],
  providers: [
    { provide: QueueErrorLogger, inject: [ModuleRef], useFactory: (ref: ModuleRef) => new QueueErrorLogger(ref) },
    { provide: FailedJobsService, inject: [ModuleRef], useFactory: (ref: ModuleRef) => new FailedJobsService(ref) },
  ],
  exports: [BullModule, FailedJobsService],
})
export class QueueModule {}
