import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult, type HealthIndicatorFunction } from '@nestjs/terminus';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { RedisHealthIndicator } from './redis.health.js';

/** Milliseconds a dependency has to answer a readiness probe before it counts as down. */
export const READINESS_TIMEOUT_MS = 1500;

/** A probe's answer for a bare HTTP server: status code and terminus' body. */
export interface ProbeAnswer {
  statusCode: 200 | 503;
  body: HealthCheckResult;
}

/**
 * The readiness checks every Cambrian process shares (`@nestjs/terminus`): Postgres answers
 * `SELECT 1`, Redis answers `PING` (each within {@link READINESS_TIMEOUT_MS}), and every migration of
 * migrations/index.ts is applied (read within the same bound). Results are keyed `postgres`,
 * `redis`, `migrations`; a process adds its own (the worker: its BullMQ workers running).
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
  ) {}

  /** The shared checks, for `HealthCheckService.check` (the api's `/health/ready` controller). */
  checks(): HealthIndicatorFunction[] {
    return [
      () => this.database.pingCheck('postgres').withTimeout(READINESS_TIMEOUT_MS),
      () => this.redis.check('redis', READINESS_TIMEOUT_MS),
      () => this.migrations.check('migrations', READINESS_TIMEOUT_MS),
    ];
  }

  /**
   * A check under `key` that is up while `isUp()` says so, down with `message` otherwise: for a
   * process's own state (the worker's BullMQ workers running, not closing).
   */
  stateCheck(key: string, isUp: () => boolean, message: string): HealthIndicatorFunction {
    return () => {
      const indicator = this.indicators.check(key);
      return isUp() ? indicator.up() : indicator.down({ message });
    };
  }

  /**
   * Runs the shared checks and `extra` for a process without HTTP framework (the worker's metrics
   * server): 200 with terminus' body when all are up, 503 with the failed ones under `error`.
   */
  async probe(extra: HealthIndicatorFunction[] = []): Promise<ProbeAnswer> {
    return this.answer([...this.checks(), ...extra]);
  }

  /** Liveness: 200 while the process answers; checks no dependency (a restart would not fix one). */
  async live(): Promise<ProbeAnswer> {
    return this.answer([]);
  }

  private async answer(checks: HealthIndicatorFunction[]): Promise<ProbeAnswer> {
    try {
      return { statusCode: 200, body: await this.health.check(checks) };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) return { statusCode: 503, body: error.getResponse() as HealthCheckResult };
      throw error;
    }
  }
}
