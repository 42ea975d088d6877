import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';

/**
 * The TypeORM connection for every app. `synchronize` is off: the schema is owned by
 * `migrations/` (run by `cambrian migrate` or {@link prepareDatabase}). Entities are
 * registered by each domain module through `TypeOrmModule.forFeature`.
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
        extra: { max: 20, application_name: 'cambrian' },
      }),
    }),
  ],
})
export class DatabaseModule {}
