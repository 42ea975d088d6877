import { Module } from '@nestjs/common';
import { JudgingModule } from '../judging/judging.module.js';
import { MemberHackathonQueryService } from './member-hackathon-query.service.js';

/** A member's hackathons (registrations, teams, submissions, published results and allocations). Needs the DatabaseModule. */
@Module({
  imports: [JudgingModule],
  providers: [MemberHackathonQueryService],
  exports: [MemberHackathonQueryService],
})
export class MemberHackathonsModule {}
