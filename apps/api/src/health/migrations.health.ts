import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations/index.js';

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

  /** Result under `key`; `up` with `applied: <count>`, `down` with `pending` or `message`. */
  async check<const Key extends string>(key: Key) {
    const indicator = this.health.check(key);
    let applied: Set<string>;
    try {
      const rows: Array<{ name: string }> = await this.dataSource.query(`SELECT name FROM migrations`);
      applied = new Set(rows.map((row) => row.name));
    } catch (error) {
      return indicator.down({ message: `cannot read the migrations table: ${(error as Error).message}` });
    }
    const pending = definedMigrationNames().filter((name) => !applied.has(name));
    return pending.length === 0 ? indicator.up({ applied: applied.size }) : indicator.down({ pending });
  }
}
