import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { MembersModule } from '#libs/members';
import { AuthController } from './auth.controller.js';
import { GithubSignInService } from './github-sign-in.service.js';

/** `/auth/*`: sign-in through GitHub OAuth and sign-out. */
@Module({
  imports: [AuthModule, MembersModule],
  controllers: [AuthController],
  providers: [GithubSignInService],
})
export class AuthHttpModule {}
