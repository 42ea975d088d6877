import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { MetricsController } from './metrics.controller.js';
import { QueueObserver } from './queue-observer.js';

/** `GET /metrics` (Prometheus) and the queue instrumentation behind it. */
@Module({
  imports: [QueueModule],
  controllers: [MetricsController],
  providers: [QueueObserver],
})
export class MetricsHttpModule {}
