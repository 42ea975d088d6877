import { Module } from '@nestjs/common';
import { SyncHealthModule } from '#libs/github';
import { QueueModule } from '#libs/queue';
import { MetricsController } from './metrics.controller.js';
import { OutboxObserver } from './outbox-observer.js';
import { ProfileSyncObserver } from './profile-sync-observer.js';
import { QueueObserver } from './queue-observer.js';

/** `GET /metrics` (Prometheus) and the queue, outbox and profile sync instrumentation behind it. */
@Module({
  imports: [QueueModule, SyncHealthModule],
  controllers: [MetricsController],
  providers: [QueueObserver, OutboxObserver, ProfileSyncObserver],
})
export class MetricsHttpModule {}
