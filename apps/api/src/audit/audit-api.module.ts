import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '#libs/audit';
import { AuditEventConnectionResolver, AuditEventsResolver } from './audit-events.resolver.js';
import { AuditInterceptor } from './audit.interceptor.js';

/**
 * The audit log in the API: {@link AuditInterceptor} (for every resolver of the app: it records the
 * root mutations) and the admins' `auditEvents` query.
 */
@Module({
  imports: [AuditModule],
  providers: [{ provide: APP_INTERCEPTOR, useClass: AuditInterceptor }, AuditEventsResolver, AuditEventConnectionResolver],
})
export class AuditApiModule {}
