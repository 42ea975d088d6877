import { Module } from '@nestjs/common';
import { ApiTokenService } from './api-token.service.js';
import { SessionService } from './session.service.js';

/** API tokens (creation, verification, revocation) and sign-in sessions. Needs the app's TypeORM connection. */
@Module({
  providers: [ApiTokenService, SessionService],
  exports: [ApiTokenService, SessionService],
})
export class AuthModule {}
