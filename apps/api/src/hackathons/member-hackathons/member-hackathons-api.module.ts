import { Module } from '@nestjs/common';
import { MemberHackathonsModule } from '#libs/hackathons';
import { HackathonsCoreApiModule } from '../core/hackathons-core-api.module.js';
import { MemberHackathonLoadersFactory } from './member-hackathon-loaders.js';
import { MemberHackathonResolver, MemberHackathonsResolver } from './member-hackathons.resolver.js';

/** GraphQL of `Member.hackathons`: the hackathons a member registered for, with team, submission, results and allocations. */
@Module({
  imports: [MemberHackathonsModule, HackathonsCoreApiModule],
  providers: [MemberHackathonLoadersFactory, MemberHackathonsResolver, MemberHackathonResolver],
})
export class MemberHackathonsApiModule {}
