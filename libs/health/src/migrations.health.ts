import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { migrations } from '../../../migrations/index.js';

/** The names of the migrations this build defines (migrations/index.ts), oldest first. */
export function definedMigrationNames(): string[] {
  return migrations.map((migration) => new migration().name ?? migration.name);
}

/**
 * Readiness of the schema: every migration listed in migrations/index.ts is recorded in the
 * `migrations` table. Down with `pending: [names]` otherwise (a deploy whose migrations did not
 * run, or a database another version migrated back), or when the table cannot be read.
 */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  /**
   * Result under `key`; `up` with `applied: <count>`, `down` with `pending` or `message`, also
   * when Postgres does not answer within `timeoutMs` (an unreachable server holds a query open
   * for as long as TCP does, and the probe must still answer).
   */
  async check<const Key extends string>(key: Key, timeoutMs: number) {
    const indicator = this.health.check(key);
    let applied: Set<string>;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      const rows: Array<{ name: string }> = await Promise.race([this.dataSource.query(`SELECT name FROM migrations`), timeout]);
      applied = new Set(rows.map((row) => row.name));
    } catch (error) {
      return indicator.down({ message: `cannot read the migrations table: ${(error as Error).message}` });
    } finally {
      clearTimeout(timer);
    }
    const pending = definedMigrationNames().filter((name) => !applied.has(name));
    return pending.length === 0 ? indicator.up({ applied: applied.size }) : indicator.down({ pending });
  }
}
