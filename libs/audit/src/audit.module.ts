import { Module } from '@nestjs/common';
import { AuditTargetLock } from './audit-target-lock.js';
import { AuditService } from './audit.service.js';

/** The audit log. Needs the DatabaseModule. */
@Module({
  providers: [AuditService, AuditTargetLock],
  exports: [AuditService, AuditTargetLock],
})
export class AuditModule {}
