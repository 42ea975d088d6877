import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { QueueModule } from '#libs/queue';
import { HealthController } from './health.controller.js';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { RedisHealthIndicator } from './redis.health.js';

/** `/health`, `/health/live`, `/health/ready` (Postgres, Redis, migrations). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), QueueModule],
  controllers: [HealthController],
  providers: [RedisHealthIndicator, MigrationsHealthIndicator],
})
export class HealthModule {}
