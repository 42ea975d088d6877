import { Module } from '@nestjs/common';
import { JudgingModule } from '#libs/hackathons';
import { MemberQueriesModule } from '#libs/members';
import { JUDGE_MEMBER_RESOLVERS } from './judging-member.resolver.js';
import { HackathonsCoreApiModule } from '../core/hackathons-core-api.module.js';
import { HackathonJudgingResolver, SubmissionResultTeamResolver } from './hackathon-judging.resolver.js';
import { JudgingResolver } from './judging.resolver.js';
import { ViewerJudgingResolver } from './viewer-judging.resolver.js';

/** GraphQL of hackathon judging: admin mutations, and the judging fields of `Hackathon` (criteria, judges, assignments, scores, results, progress), and `Viewer.judgedHackathons`. */
@Module({
  imports: [JudgingModule, MemberQueriesModule, HackathonsCoreApiModule],
  providers: [JudgingResolver, HackathonJudgingResolver, SubmissionResultTeamResolver, ViewerJudgingResolver, ...JUDGE_MEMBER_RESOLVERS],
})
export class JudgingApiModule {}
