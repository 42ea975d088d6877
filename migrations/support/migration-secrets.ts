import type { DataSource } from 'typeorm';
import type { SecretBox } from '#libs/secrets';

/**
 * The secrets box of each migrating DataSource (not a migration: migrations/index.ts lists those).
 * TypeORM builds migrations itself, without arguments, so `runMigrations` (libs/db) registers the
 * process's {@link SecretBox} against the DataSource it migrates, and a migration that seals or opens
 * a stored secret asks for it with {@link migrationSecrets}`(queryRunner.connection)`.
 */
const boxes = new WeakMap<DataSource, SecretBox>();

/** Registers `box` as the secrets box of the migrations `dataSource` runs. */
export function provideMigrationSecrets(dataSource: DataSource, box: SecretBox): void {
  boxes.set(dataSource, box);
}

/**
 * The secrets box registered for `dataSource`.
 * @throws Error naming the migration when none was registered (migrations run without `runMigrations`).
 */
export function migrationSecrets(dataSource: DataSource, migration: string): SecretBox {
  const box = boxes.get(dataSource);
  if (!box) {
    throw new Error(`${migration} seals a stored secret and needs CAMBRIAN_SECRETS_KEY: run it through \`cambrian migrate\` (prepareDatabase), not a bare TypeORM DataSource`);
  }
  return box;
}
