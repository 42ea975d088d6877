import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ReadinessService } from '#libs/health';

/**
 * Liveness and readiness probes (`@nestjs/terminus`). Bodies are terminus' shape:
 * `{ status: "ok" | "error", info: {...}, error: {...}, details: {...} }`.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessService,
  ) {}

  /** `GET /health/live`: `200 {"status":"ok"}` while the process serves HTTP; checks no dependency (a restart would not fix one). */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** `GET /health`: alias of `/health/live`, kept for existing probes. */
  @Get()
  @HealthCheck()
  alias() {
    return this.live();
  }

  /**
   * `GET /health/ready`: 200 when Postgres answers `SELECT 1`, Redis answers `PING` (each within
   * READINESS_TIMEOUT_MS (`#libs/health`)) and every migration of migrations/index.ts is applied (read
   * within the same bound); otherwise
   * 503 with the failed checks under `error` (`postgres`, `redis`, `migrations`).
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.readiness.checks());
  }
}
