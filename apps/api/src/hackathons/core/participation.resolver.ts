import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { RegistrationService, SubmissionService, TeamQueryService, TeamService, parseUuid } from '#libs/hackathons';
import {
  CreateTeamArgs,
  JoinTeamArgs,
  RegisterArgs,
  SaveSubmissionArgs,
  TeamArgs,
  TeamMemberArgs,
  TransferCaptainArgs,
  WithdrawArgs,
} from './participation.args.js';
import { LeaveTeamPayloadType } from './participation.type.js';
import { HackathonRegistrationType } from './registration.type.js';
import { SubmissionType } from './submission.type.js';
import { TeamType } from './team.type.js';
import { Access } from '../../graphql/access/access.decorator.js';
import { ACCESS_ERRORS, HackathonRules } from '../hackathon-access.rules.js';

const MEMBER_ERRORS = 'BAD_USER_INPUT (malformed id or login, a bot, the deleted-user sentinel), NOT_FOUND (no member holds the login)';

/** Registrations, teams and submissions: admin mutations that act for a member named by id or login. */
@Resolver()
export class ParticipationResolver {
  constructor(
    private readonly registrations: RegistrationService,
    private readonly teams: TeamService,
    private readonly teamQueries: TeamQueryService,
    private readonly submissions: SubmissionService,
  ) {}

  @Access.public()
  @Query(() => TeamType, { nullable: true, description: 'One team by id; null when there is none. Errors: BAD_USER_INPUT (malformed id).' })
  async team(@Args() { id }: TeamArgs) {
    return (await this.teamQueries.byIds([parseUuid(id, 'team')]))[0];
  }

  @Access(HackathonRules.memberInHackathon)
  @Mutation(() => HackathonRegistrationType, {
    description:
      'Registers a member (open while the status is REGISTRATION_OPEN or RUNNING, inside the registration window when ' +
      `set). Errors: ${MEMBER_ERRORS}; BAD_USER_INPUT (tags); NOT_FOUND (hackathon); CONFLICT (registration closed, ` +
      `or already registered, merged members included). ${ACCESS_ERRORS.memberAction}`,
  })
  registerForHackathon(@Args() { hackathonId, member, ...fields }: RegisterArgs) {
    return this.registrations.register(hackathonId, member, fields);
  }

  @Access(HackathonRules.memberInHackathon)
  @Mutation(() => HackathonRegistrationType, {
    description: `Changes a registration's tags or consent (null keeps a value). Errors: as registerForHackathon; NOT_FOUND when not registered. ${ACCESS_ERRORS.memberAction}`,
  })
  updateHackathonRegistration(@Args() { hackathonId, member, ...fields }: RegisterArgs) {
    return this.registrations.update(hackathonId, member, fields);
  }

  @Access(HackathonRules.memberInHackathon)
  @Mutation(() => HackathonRegistrationType, {
    description:
      `Withdraws a member's registration. Errors: ${MEMBER_ERRORS}; NOT_FOUND (hackathon, not registered); CONFLICT ` +
      `(registration closed; the member is in a team: leave it first). ${ACCESS_ERRORS.memberAction}`,
  })
  withdrawFromHackathon(@Args() { hackathonId, member }: WithdrawArgs) {
    return this.registrations.withdraw(hackathonId, member);
  }

  @Access(HackathonRules.memberInHackathon)
  @Mutation(() => TeamType, {
    description:
      'Creates a team with the member as captain and first member, and an unguessable invite code. Errors: ' +
      `${MEMBER_ERRORS}; BAD_USER_INPUT (name); NOT_FOUND (hackathon); CONFLICT (teams change only while registration is ` +
      `open or the event runs; not registered; already in a team; name taken). ${ACCESS_ERRORS.memberAction}`,
  })
  createTeam(@Args() { hackathonId, member, name }: CreateTeamArgs) {
    return this.teams.create(hackathonId, member, name);
  }

  @Access(HackathonRules.memberJoiningTeam)
  @Mutation(() => TeamType, {
    description:
      `Adds the member to the team with this invite code. Errors: ${MEMBER_ERRORS}; BAD_USER_INPUT (malformed code); ` +
      `NOT_FOUND (no team has the code); CONFLICT (teams closed; not registered; already in a team; the team is at ` +
      `maxTeamSize). ${ACCESS_ERRORS.memberAction}`,
  })
  joinTeam(@Args() { inviteCode, member }: JoinTeamArgs) {
    return this.teams.join(inviteCode, member);
  }

  @Access(HackathonRules.memberLeavingTeam)
  @Mutation(() => LeaveTeamPayloadType, {
    description:
      'Removes the member from the team. A leaving captain hands captaincy to the longest-standing member; the last ' +
      'member leaving deletes the team, unless it has a submission (then CONFLICT). Errors: ' +
      `${MEMBER_ERRORS}; NOT_FOUND (team; not a member of it); CONFLICT (teams closed). ${ACCESS_ERRORS.memberAction}`,
  })
  leaveTeam(@Args() { teamId, member }: TeamMemberArgs) {
    return this.teams.leave(teamId, member);
  }

  @Access(HackathonRules.captainOfTeam)
  @Mutation(() => TeamType, {
    description:
      `Makes another member of the team its captain. Errors: ${MEMBER_ERRORS}; NOT_FOUND (team); CONFLICT (teams closed; ` +
      `the member is not in the team; actingMember is not the captain). ${ACCESS_ERRORS.memberAction}`,
  })
  transferTeamCaptain(@Args() { teamId, member, actingMember }: TransferCaptainArgs) {
    return this.teams.transferCaptain(teamId, member, { actingMember });
  }

  @Access(HackathonRules.teamMemberActing)
  @Mutation(() => SubmissionType, {
    description:
      "Creates or updates the team's submission (one per team) while the event is RUNNING; edits during judging are " +
      'refused. Errors: BAD_USER_INPUT (title, repository URL not on github.com, links not http/https, malformed pull ' +
      'request references); NOT_FOUND (team; pull requests Cambrian does not know); CONFLICT (not running; the team has ' +
      `fewer than minTeamSize members; actingMember not in the team). ${ACCESS_ERRORS.memberAction}`,
  })
  saveSubmission(@Args() { teamId, actingMember, ...input }: SaveSubmissionArgs) {
    return this.submissions.save(teamId, input, { actingMember });
  }
}
