import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { RedisHealthIndicator } from './redis.health.js';

/** Milliseconds a dependency has to answer a readiness probe before it counts as down. */
export const READINESS_TIMEOUT_MS = 1500;

/**
 * Liveness and readiness probes (`@nestjs/terminus`). Bodies are terminus' shape:
 * `{ status: "ok" | "error", info: {...}, error: {...}, details: {...} }`.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
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
   * {@link READINESS_TIMEOUT_MS}) and every migration of migrations/index.ts is applied (read
   * within the same bound); otherwise
   * 503 with the failed checks under `error` (`postgres`, `redis`, `migrations`).
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.database.pingCheck('postgres').withTimeout(READINESS_TIMEOUT_MS),
      () => this.redis.check('redis', READINESS_TIMEOUT_MS),
      () => this.migrations.check('migrations', READINESS_TIMEOUT_MS),
    ]);
  }
}
