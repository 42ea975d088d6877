import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { MetricsController } from './metrics.controller.js';
import { OutboxObserver } from './outbox-observer.js';
import { QueueObserver } from './queue-observer.js';

/** `GET /metrics` (Prometheus) and the queue and outbox instrumentation behind it. */
@Module({
  imports: [QueueModule],
  controllers: [MetricsController],
  providers: [QueueObserver, OutboxObserver],
})
export class MetricsHttpModule {}
