import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { propagateRequestId, registerQueueDepthGauge } from '#libs/observability';
import { QueueName } from '#libs/queue';

/**
 * Wires every BullMQ queue of the api into observability: jobs created while serving a request
 * carry its `requestId`, and `cambrian_queue_jobs` reports each queue's depth at scrape time.
 */
@Injectable()
export class QueueObserver implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    const queues = Object.values(QueueName).map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    for (const queue of queues) propagateRequestId(queue);
    registerQueueDepthGauge(queues);
  }
}
