import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityService } from '#libs/members';
import { ParticipantService } from './common/participant.service.js';
import { HackathonRepositoryEntity } from './events/hackathon-repository.entity.js';
import { HackathonEntity } from './events/hackathon.entity.js';
import { HackathonService } from './events/hackathon.service.js';
import { TrackedRepositoryService } from './events/tracked-repository.service.js';
import { RegistrationService } from './registrations/registration.service.js';
import { RegistrationQueryService } from './registrations/registration-query.service.js';
import { HackathonRegistrationEntity } from './registrations/registration.entity.js';
import { SubmissionService } from './submissions/submission.service.js';
import { SubmissionQueryService } from './submissions/submission-query.service.js';
import { SubmissionPullRequestEntity } from './submissions/submission-pull-request.entity.js';
import { SubmissionEntity } from './submissions/submission.entity.js';
import { TeamService } from './teams/team.service.js';
import { TeamQueryService } from './teams/team-query.service.js';
import { TeamMemberEntity } from './teams/team-member.entity.js';
import { TeamEntity } from './teams/team.entity.js';

/** Entities of the core hackathon tables (migration 1764700000000). */
export const HACKATHON_CORE_ENTITIES = [
  HackathonEntity,
  HackathonRepositoryEntity,
  HackathonRegistrationEntity,
  TeamEntity,
  TeamMemberEntity,
  SubmissionEntity,
  SubmissionPullRequestEntity,
];

const SERVICES = [
  HackathonService,
  TrackedRepositoryService,
  ParticipantService,
  RegistrationService,
  RegistrationQueryService,
  TeamService,
  TeamQueryService,
  SubmissionService,
  SubmissionQueryService,
];

/**
 * The hackathon core: events, tracked repositories, registrations, teams and submissions.
 * Needs the DatabaseModule.
 */
@Module({
  imports: [TypeOrmModule.forFeature(HACKATHON_CORE_ENTITIES)],
  providers: [IdentityService, ...SERVICES],
  exports: SERVICES,
})
export class HackathonsModule {}
