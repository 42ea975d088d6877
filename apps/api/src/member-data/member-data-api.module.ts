import { Module } from '@nestjs/common';
import { AuthModule } from '#libs/auth';
import { MembersModule } from '#libs/members';
import { MemberDataController } from './member-data.controller.js';
import { MemberDataResolver } from './member-data.resolver.js';

/** A member's data: the `exportMemberData` query, the `requestMemberDeletion` mutation and `GET /me/export`. */
@Module({
  imports: [AuthModule, MembersModule],
  controllers: [MemberDataController],
  providers: [MemberDataResolver],
})
export class MemberDataApiModule {}
