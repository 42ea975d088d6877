import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Liveness and a minimal readiness answer (Postgres reachable). */
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `200 {"status":"ok"}` while the process serves requests. */
  @Get()
  live() {
    return { status: 'ok' };
  }

  /** `200` when Postgres answers a query; otherwise the request fails with 500. */
  @Get('ready')
  async ready() {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok' };
  }
}
