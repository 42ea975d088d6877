import { DataSource, type DataSourceOptions } from 'typeorm';
import type { SecretBox } from '#libs/secrets';
import { erasureKeyOptions } from './erasure-key-session.js';
import { prepareDatabase } from './prepare-database.js';

/**
 * An initialised TypeORM DataSource on `databaseUrl` whose connections carry the erasure hash key
 * (`erasureKeyOptions`), as `DatabaseModule` gives every Nest app's: for commands and scripts that open
 * their own. `entities` for services that use repositories; raw queries need none.
 */
export async function openKeyedDataSource(databaseUrl: string, erasureKey: string, entities?: DataSourceOptions['entities']): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url: databaseUrl, logging: false, extra: { options: erasureKeyOptions(erasureKey) }, ...(entities ? { entities } : {}) });
  await dataSource.initialize();
  return dataSource;
}

/**
 * Runs `work` on a {@link openKeyedDataSource} of `databaseUrl`, created and migrated first if needed
 * ({@link prepareDatabase} with `secrets`, which also opens the erasure key), and closes it afterwards.
 */
export async function withPreparedDataSource<T>(
  databaseUrl: string,
  secrets: SecretBox,
  work: (dataSource: DataSource) => Promise<T>,
  entities?: DataSourceOptions['entities'],
): Promise<T> {
  const { erasureKey } = await prepareDatabase(databaseUrl, secrets);
  const dataSource = await openKeyedDataSource(databaseUrl, erasureKey, entities);
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
