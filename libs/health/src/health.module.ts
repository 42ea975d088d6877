import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { QueueModule } from '#libs/queue';
import { MigrationsHealthIndicator } from './migrations.health.js';
import { ReadinessService } from './readiness.service.js';
import { RedisHealthIndicator } from './redis.health.js';

/** The readiness checks shared by the api (`/health/ready`) and the worker (its metrics server). */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), QueueModule],
  providers: [RedisHealthIndicator, MigrationsHealthIndicator, ReadinessService],
  exports: [TerminusModule, RedisHealthIndicator, MigrationsHealthIndicator, ReadinessService],
})
export class ReadinessModule {}
