import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { stageOutboxBacklog } from '#libs/members';
import { metricsRegistry, withinMs } from '#libs/observability';

/** A scrape waits at most this long for Postgres before leaving the outbox figures out. */
const OUTBOX_SCRAPE_TIMEOUT_MS = 1000;

/**
 * Registers, read from Postgres at every scrape:
 * - `cambrian_stage_outbox_requests{state="waiting"|"enqueued"}`: stage evaluations requested by
 *   activity writes and not yet done (waiting for the relay, or handed to an `evaluate-stage-outbox` job);
 * - `cambrian_stage_outbox_oldest_request_seconds`: age of the oldest of them, seconds (0 when none).
 * When Postgres does not answer within a second the scrape leaves both out rather than report a wrong zero.
 */
@Injectable()
export class OutboxObserver implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    for (const name of ['cambrian_stage_outbox_requests', 'cambrian_stage_outbox_oldest_request_seconds']) {
      if (metricsRegistry.getSingleMetric(name)) metricsRegistry.removeSingleMetric(name);
    }
    const dataSource = this.dataSource;
    let backlog: Promise<Awaited<ReturnType<typeof stageOutboxBacklog>> | null> | null = null;
    // both gauges are read by one query per scrape: the first collect starts it, the second reuses it
    const read = () => {
      backlog ??= withinMs(stageOutboxBacklog(dataSource), OUTBOX_SCRAPE_TIMEOUT_MS)
        .catch(() => null)
        .finally(() => setImmediate(() => (backlog = null)));
      return backlog;
    };
    new Gauge({
      name: 'cambrian_stage_outbox_requests',
      help: 'Stage evaluations requested by activity writes and not yet done, by state (waiting for the relay, enqueued in a job)',
      labelNames: ['state'] as const,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const figures = await read();
        if (!figures) return;
        this.set({ state: 'waiting' }, figures.waiting);
        this.set({ state: 'enqueued' }, figures.enqueued);
      },
    });
    new Gauge({
      name: 'cambrian_stage_outbox_oldest_request_seconds',
      help: 'Age in seconds of the oldest stage evaluation request still in the outbox (0 when none)',
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const figures = await read();
        if (figures) this.set(figures.oldestSeconds);
      },
    });
  }
}
