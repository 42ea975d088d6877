import { AccessRules, type AccessRule, type HackathonFrom } from '../graphql/access/access-rule.js';

/**
 * Who may do what with hackathons (issue 8), in one place for the core, judging, matching and
 * contributions resolvers. ADMIN passes every rule. The `from` functions name the hackathon an
 * operation touches from its arguments (or, for object fields, its parent).
 */
const { anyOf, allOf, organizer, ecosystemOrganizer, judgeOf, self, teamMember, hidden } = AccessRules;

const byHackathonId: HackathonFrom = (args) => ({ hackathon: args.hackathonId });
const byId: HackathonFrom = (args) => ({ hackathon: args.id });
const bySlug: HackathonFrom = (args) => ({ hackathon: args.hackathon });
const byTeamId: HackathonFrom = (args) => ({ teamId: args.teamId });
const parentHackathon: HackathonFrom = (_args, parent) => ({ hackathon: parent.id });
const parentsHackathon: HackathonFrom = (_args, parent) => ({ hackathon: parent.hackathonId });

/** How the rules below fail, for descriptions. */
export const ACCESS_ERRORS = {
  organizer: 'Needs an admin or an organiser of the hackathon: UNAUTHENTICATED without credentials, FORBIDDEN otherwise.',
  memberAction:
    'A signed-in member acts for themself (pass their own id or login); an admin or an organiser of the hackathon may act ' +
    'for anyone: UNAUTHENTICATED without credentials, FORBIDDEN otherwise.',
} as const;

export const HackathonRules = {
  /** A new hackathon in `ecosystem`: an organiser of that whole ecosystem. */
  createInEcosystem: ecosystemOrganizer((args) => args.ecosystem),
  /** Organisers manage their hackathons: the hackathon by `id`. */
  manageById: organizer(byId),
  /** … by `hackathonId`. */
  manageByHackathonId: organizer(byHackathonId),
  /** … by `hackathon` (slug or id), as the judging and contribution mutations name it. */
  manageBySlug: organizer(bySlug),
  /** … through a team (`teamId`). */
  manageByTeamId: organizer(byTeamId),
  /** … through a judging criterion (`id`). */
  manageByCriterionId: organizer((args) => ({ criterionId: args.id })),
  /** … through a resource (`id`). */
  manageByResourceId: organizer((args) => ({ resourceId: args.id })),
  /** … through a matching run (`id`). */
  manageByMatchingRunId: organizer((args) => ({ matchingRunId: args.id })),
  /** A hackathon's fields for its organisers (the parent is the hackathon). */
  organizerOfParent: organizer(parentHackathon),

  /** A member registering, withdrawing or creating a team in `hackathonId`, for themself (`member`). */
  memberInHackathon: anyOf(organizer(byHackathonId), self((args) => args.member)),
  /** A member joining the team with `inviteCode`, for themself. */
  memberJoiningTeam: anyOf(organizer((args) => ({ inviteCode: args.inviteCode })), self((args) => args.member)),
  /** A member leaving team `teamId`, for themself. */
  memberLeavingTeam: anyOf(organizer(byTeamId), self((args) => args.member)),
  /** The captain handing over team `teamId` (`actingMember` is the signed-in member; the service checks captaincy). */
  captainOfTeam: anyOf(organizer(byTeamId), self((args) => args.actingMember, 'actingMember')),
  /** A team member saving their team's submission (`actingMember` is the signed-in member, in team `teamId`). */
  teamMemberActing: anyOf(organizer(byTeamId), allOf(self((args) => args.actingMember, 'actingMember'), teamMember((args) => args.teamId))),
  /** A team's own rows (resource requests, notifications): its members and the organisers. */
  teamOrOrganizer: anyOf(organizer(byTeamId), teamMember((args) => args.teamId)),
  /** A resource request by `input.teamId`: a member of that team or an organiser. */
  teamRequestCreate: anyOf(organizer((args) => ({ teamId: args.input?.teamId })), teamMember((args) => args.input?.teamId)),
  /** A resource request by `id`: a member of its team or an organiser (the team is looked up). */
  teamRequestById: anyOf(organizer((args) => ({ resourceRequestId: args.id })), {
    label: 'a member of the requesting team',
    otherwise: 'refuse',
    allows: async ({ access, args }) => access.inTeam(await access.teamOfResourceRequest(args.id)),
  } satisfies AccessRule),

  /** Scoring: the judge themself (`judge` is the signed-in member, a judge of `hackathon`). */
  judgeScoring: allOf(judgeOf(bySlug), self((args) => args.judge, 'the judge')),
  /** Judging reads scoped to the viewer: organisers see all, a judge of the hackathon their own (the resolver scopes). */
  judgingRead: anyOf(organizer(parentHackathon), judgeOf(parentHackathon)),

  /** Personal fields of a registration (skills, interests, needs, consent): its member and the hackathon's organisers. */
  registrationPersonal: anyOf(organizer(parentsHackathon), self((_args, parent) => parent.memberId, 'the registered member')),
  /** A team's invite code: its members and organisers; null for everyone else. */
  teamInviteCode: hidden(anyOf(organizer(parentsHackathon), teamMember((_args, parent) => parent.id))),
  /**
   * One submission (the parent: the submission row with `hackathonStatus`, its hackathon's status).
   * Everyone once the hackathon is FINISHED (its results are published); before that, the members of
   * the submitting team, the hackathon's organisers and admins, and a judge assigned to it who has no
   * conflict of interest with it now (issue 8: JUDGE is "scoped to assigned submissions"; a judge
   * must read what they score). A judge not assigned to it, or with a conflict, is refused like the
   * public. `Hackathon.submissions` and `Team.submission` leave out (null) what this refuses.
   */
  submissionRead: anyOf(
    {
      label: 'anyone once the hackathon is finished (results published)',
      otherwise: 'hide',
      allows: ({ parent }) => parent.hackathonStatus === 'finished',
    } satisfies AccessRule,
    organizer(parentsHackathon),
    teamMember((_args, parent) => parent.teamId),
    {
      label: 'a judge assigned to the submission, without a conflict of interest with it',
      otherwise: 'hide',
      allows: ({ access, parent }) => access.judgesSubmission(parent.hackathonId, parent.id),
    } satisfies AccessRule,
  ),
  /**
   * A member's hackathons (`Member.hackathons`; the parent is the member): the member themself (through
   * merges), and organisers, who see only the hackathons they organise (the resolver filters); everyone
   * else is refused (UNAUTHENTICATED or FORBIDDEN).
   */
  memberHackathons: anyOf(self((_args, parent) => parent.id, 'the member'), {
    label: 'an organiser (of the hackathons shown)',
    otherwise: 'refuse',
    allows: async ({ access }) => (await access.organizerGrants()).length > 0,
  } satisfies AccessRule),
  /** A team's notifications: its members and organisers. */
  teamNotifications: anyOf(organizer(parentsHackathon), teamMember((_args, parent) => parent.id)),
};
