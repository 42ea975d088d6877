import { Module } from '@nestjs/common';
import { ReadinessModule } from '#libs/health';
import { HealthController } from './health.controller.js';

/** `/health`, `/health/live`, `/health/ready` (Postgres, Redis, migrations). */
@Module({
  imports: [ReadinessModule],
  controllers: [HealthController],
})
export class HealthModule {}
