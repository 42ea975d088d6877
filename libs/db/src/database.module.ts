import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';

/**
 * The TypeORM connection for every app. `synchronize` is off: the schema is owned by
 * `migrations/` (run by `cambrian migrate` or {@link prepareDatabase}). Entities are
 * registered by each domain module through `TypeOrmModule.forFeature`. Sessions run with
 * Postgres JIT compilation off (see the comment on `extra`).
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CAMBRIAN_CONFIG],
      useFactory: (config: CambrianConfig) => ({
        type: 'postgres' as const,
        url: config.DATABASE_URL,
        autoLoadEntities: true,
        synchronize: false,
        migrationsRun: false,
        logging: false,
        // JIT off for every session: Cambrian's read models (credit timelines, funnels, rollups)
        // have cost estimates far above jit_above_cost, and compiling them took ~0.8 s where
        // running took tens of milliseconds (measured by `npm run bench -- affiliations`).
        extra: { max: 20, application_name: 'cambrian', options: '-c jit=off' },
      }),
    }),
  ],
})
export class DatabaseModule {}
