import { Module } from '@nestjs/common';
import { ApiTokenService } from './api-token.service.js';

/** API tokens: creation, verification, revocation. Needs the app's TypeORM connection. */
@Module({
  providers: [ApiTokenService],
  exports: [ApiTokenService],
})
export class AuthModule {}
