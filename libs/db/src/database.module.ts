import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { TimedPgClient } from '#libs/observability';
import { secretBoxFromConfig } from '#libs/secrets';
import { erasureKeyOptions, loadErasureKey } from './erasure-key-session.js';

/**
 * The TypeORM connection for every app. `synchronize` is off: the schema is owned by
 * `migrations/` (run by `cambrian migrate` or {@link prepareDatabase}). Entities are
 * registered by each domain module through `TypeOrmModule.forFeature`. Sessions run with
 * Postgres JIT compilation off (see the comment on `extra`) and with the erasure hash key
 * (`cambrian.erasure_key`), decrypted once when the module starts: a stored key that no configured
 * key opens stops the process here, naming CAMBRIAN_SECRETS_KEY and CAMBRIAN_SECRETS_OLD_KEYS.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CAMBRIAN_CONFIG],
      useFactory: async (config: CambrianConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        autoLoadEntities: true,
        synchronize: false,
        migrationsRun: false,
        logging: false,
        // JIT off for every session: Cambrian's read models (credit timelines, funnels, rollups)
        // have cost estimates far above jit_above_cost, and compiling them took ~0.8 s where
        // running took tens of milliseconds (measured by `npm run bench -- affiliations`).
        // The erasure key rides on every connection's startup options: Postgres holds it in the
        // session only, never at rest (erasure_key_hash, migration 1764900000160).
        // statements run for a request are timed into its request context (request log lines, Server-Timing).
        // Sessions are named `cambrian` in pg_stat_activity unless PGAPPNAME (libpq's variable, which
        // node-postgres reads) names them otherwise, e.g. one name per process
        extra: {
          Client: TimedPgClient,
          max: 20,
          fallback_application_name: 'cambrian',
          options: erasureKeyOptions(await loadErasureKey(config.DATABASE_URL, secretBoxFromConfig(config)), '-c jit=off'),
        },
      }),
    }),
  ],
})
export class DatabaseModule {}
