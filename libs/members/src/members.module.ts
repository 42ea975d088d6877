import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityEntity } from './activity.entity.js';
import { ActivityService } from './activity.service.js';
import { GithubAccountEntity } from './github-account.entity.js';
import { IdentityEntity } from './identity.entity.js';
import { IdentityService } from './identity.service.js';
import { MemberEntity } from './member.entity.js';
import { MemberDataExportService } from './erasure/member-data-export.service.js';
import { MemberErasureService } from './erasure/member-erasure.service.js';
import { StagesModule } from './stages/stages.module.js';

/** Members, identities, GitHub accounts and activities: who did what; a member's data export and deletion. */
@Module({
  imports: [TypeOrmModule.forFeature([MemberEntity, GithubAccountEntity, IdentityEntity, ActivityEntity]), StagesModule],
  providers: [IdentityService, ActivityService, MemberErasureService, MemberDataExportService],
  exports: [IdentityService, ActivityService, MemberErasureService, MemberDataExportService, TypeOrmModule, StagesModule],
})
export class MembersModule {}
