import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from '#libs/observability';

/** `GET /metrics`: the api's Prometheus metrics (text exposition format 0.0.4). */
@Controller('metrics')
export class MetricsController {
  /** Every metric of the process registry; queue depths are read from Redis during the scrape. */
  @Get()
  @Header('content-type', metricsRegistry.contentType)
  async scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
