import { Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';

/** The audit log. Needs the DatabaseModule. */
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
