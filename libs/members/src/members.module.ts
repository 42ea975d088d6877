import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityEntity } from './activity.entity.js';
import { ActivityService } from './activity.service.js';
import { GithubAccountEntity } from './github-account.entity.js';
import { IdentityEntity } from './identity.entity.js';
import { IdentityService } from './identity.service.js';
import { MemberEntity } from './member.entity.js';
import { StagesModule } from './stages/stages.module.js';

/** Members, identities, GitHub accounts and activities: who did what. */
@Module({
  imports: [TypeOrmModule.forFeature([MemberEntity, GithubAccountEntity, IdentityEntity, ActivityEntity]), StagesModule],
  providers: [IdentityService, ActivityService],
  exports: [IdentityService, ActivityService, TypeOrmModule, StagesModule],
})
export class MembersModule {}
