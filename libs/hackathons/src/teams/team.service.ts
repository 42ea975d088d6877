import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { alreadyExists, conflict, isUniqueViolation, notFound } from '../common/hackathon.exception.js';
import { memberRootSql } from '../common/member-root.js';
import { ParticipantService, participantName, type Participant } from '../common/participant.service.js';
import { assertTeamsOpen } from '../events/event-phase.js';
import type { HackathonEntity } from '../events/hackathon.entity.js';
import { parseUuid } from '../events/hackathon-ref.js';
import { HackathonService } from '../events/hackathon.service.js';
import { RegistrationService } from '../registrations/registration.service.js';
import { TeamQueryService } from './team-query.service.js';
import { generateInviteCode, nextCaptain, parseInviteCode, parseTeamName } from './team-rules.js';
import type { TeamEntity } from './team.entity.js';

/** What {@link TeamService.leave} did. */
export interface LeaveTeamResult {
  /** The team after the member left; null when it was deleted (its last member left). */
  team: TeamEntity | null;
  teamDeleted: boolean;
  /** Member id of the captain after the change (null when the team was deleted). */
  captainMemberId: string | null;
}

/** Options of team changes made on a member's behalf (sign-in comes later: the API passes none yet). */
export interface TeamActionOptions {
  /** The member acting (id or login); when given, captain-only actions check it is the captain. */
  actingMember?: string | null;
}

/** The unique index `team_member (hackathon_id, member_id)`: one team per member and hackathon. */
const ONE_TEAM_PER_MEMBER = 'team_member_hackathon_id_member_id_key';

/**
 * Teams of a hackathon. Members must be registered; a member is in at most one team per
 * hackathon (checked through merges, with the unique index as the last line: its violation is a
 * CONFLICT). Team changes are allowed while registration is open or the event runs
 * ({@link assertTeamsOpen}).
 *
 * Locking: every change takes the hackathon row `FOR SHARE` (a status change waits) and then the
 * team row `FOR UPDATE`, always in that order, so joins to one team are serialised and the size
 * limit holds however many join at once.
 *
 * Leaving: a leaving captain hands captaincy to the longest-standing member ({@link nextCaptain});
 * the last member leaving deletes the team, unless the team has a submission: then the last
 * member cannot leave (CONFLICT), because judges score the submission and results name the team.
 */
@Injectable()
export class TeamService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participants: ParticipantService,
    private readonly hackathons: HackathonService,
    private readonly registrations: RegistrationService,
    private readonly teams: TeamQueryService,
  ) {}

  /**
   * Creates a team; its creator becomes captain and first member.
   * @throws HackathonException BAD_USER_INPUT (name, malformed ids, a bot), NOT_FOUND (hackathon, member),
   *   CONFLICT (teams closed; the member is not registered or already in a team), ALREADY_EXISTS (name taken).
   */
  async create(hackathonId: string, member: string, name: string): Promise<TeamEntity> {
    const teamName = parseTeamName(name);
    return this.dataSource.transaction(async (manager) => {
      const hackathon = await this.hackathons.lock(manager, hackathonId, 'pessimistic_read');
      assertTeamsOpen(hackathon);
      const participant = await this.participants.resolve(manager, member);
      await this.assertCanJoin(manager, hackathon, participant);
      let teamId: string;
      try {
        const [row]: Array<{ id: string }> = await manager.query(
          `INSERT INTO team (hackathon_id, name, invite_code, captain_member_id) VALUES ($1, $2, $3, $4) RETURNING id`,
          [hackathon.id, teamName, generateInviteCode(), participant.memberId],
        );
        teamId = row.id;
        await this.insertMember(manager, hackathon, teamId, participant);
      } catch (error) {
        if (isUniqueViolation(error, 'team_name')) throw alreadyExists(`A team named "${teamName}" exists in ${hackathon.slug}`);
        throw error;
      }
      return this.getIn(manager, teamId);
    });
  }

  /**
   * Adds a member to the team whose invite code is given.
   * @throws HackathonException BAD_USER_INPUT (malformed code, ids), NOT_FOUND (no team with that code,
   *   member), CONFLICT (teams closed; not registered; already in a team; the team is full).
   */
  async join(inviteCode: string, member: string): Promise<TeamEntity> {
    const code = parseInviteCode(inviteCode);
    return this.dataSource.transaction(async (manager) => {
      const [found]: Array<{ id: string; hackathon_id: string }> = await manager.query(
        `SELECT id, hackathon_id FROM team WHERE invite_code = $1`,
        [code],
      );
      if (!found) throw notFound('No team has this invite code (ask the captain for a current one)');
      const hackathon = await this.hackathons.lock(manager, found.hackathon_id, 'pessimistic_read');
      assertTeamsOpen(hackathon);
      const team = await this.lockTeam(manager, found.id);
      const participant = await this.participants.resolve(manager, member);
      await this.assertCanJoin(manager, hackathon, participant);
      const [{ size }]: Array<{ size: number }> = await manager.query(
        `SELECT count(DISTINCT ${memberRootSql('member_id')})::int AS size FROM team_member WHERE team_id = $1`,
        [team.id],
      );
      if (size >= hackathon.maxTeamSize) {
        throw conflict(`Team "${team.name}" is full (${size} of at most ${hackathon.maxTeamSize} members)`);
      }
      await this.insertMember(manager, hackathon, team.id, participant);
      return this.getIn(manager, team.id);
    });
  }

  /**
   * Removes a member from a team (see the class comment for captaincy and the last member).
   * @throws HackathonException NOT_FOUND (team, member, not a member of the team), CONFLICT (teams
   *   closed; the last member of a team with a submission).
   */
  async leave(teamId: string, member: string): Promise<LeaveTeamResult> {
    return this.dataSource.transaction(async (manager) => {
      const team = await this.lockedTeamOfHackathon(manager, teamId);
      const participant = await this.participants.resolve(manager, member);
      const memberships: Array<{ member_id: string; root_id: string; joined_at: Date }> = await manager.query(
        `SELECT member_id, ${memberRootSql('member_id')} AS root_id, joined_at FROM team_member WHERE team_id = $1`,
        [team.id],
      );
      const leaving = memberships.filter((row) => row.root_id === participant.memberId);
      if (!leaving.length) throw notFound(`${participantName(participant)} is not a member of team "${team.name}"`);
      const remaining = memberships.filter((row) => row.root_id !== participant.memberId);
      if (!remaining.length) {
        const [submission] = await manager.query(`SELECT 1 FROM submission WHERE team_id = $1`, [team.id]);
        if (submission) {
          throw conflict(`${participantName(participant)} is the last member of team "${team.name}", which has a submission: the team cannot be left empty`);
        }
        await manager.query(`DELETE FROM team WHERE id = $1`, [team.id]);
        return { team: null, teamDeleted: true, captainMemberId: null };
      }
      await manager.query(`DELETE FROM team_member WHERE team_id = $1 AND member_id = ANY($2::uuid[])`, [
        team.id,
        leaving.map((row) => row.member_id),
      ]);
      const captainRoot = team.captainMemberId ? await this.root(manager, team.captainMemberId) : null;
      if (captainRoot === participant.memberId || captainRoot === null) {
        // membership rows' own member ids (not their roots), so that an unmerge leaves a member as captain
        const captain = nextCaptain(remaining.map((row) => ({ memberId: row.member_id, joinedAt: row.joined_at })));
        await manager.query(`UPDATE team SET captain_member_id = $2, updated_at = now() WHERE id = $1`, [team.id, captain]);
      } else {
        await manager.query(`UPDATE team SET updated_at = now() WHERE id = $1`, [team.id]);
      }
      const after = await this.getIn(manager, team.id);
      return { team: after, teamDeleted: false, captainMemberId: after.captainMemberId };
    });
  }

  /**
   * Makes another member of the team its captain.
   * @throws HackathonException NOT_FOUND (team, member), CONFLICT (teams closed; the member is not in the
   *   team; the acting member, when given, is not the captain).
   */
  async transferCaptain(teamId: string, member: string, options: TeamActionOptions = {}): Promise<TeamEntity> {
    return this.dataSource.transaction(async (manager) => {
      const team = await this.lockedTeamOfHackathon(manager, teamId);
      const participant = await this.participants.resolve(manager, member);
      const captainRoot = team.captainMemberId ? await this.root(manager, team.captainMemberId) : null;
      if (options.actingMember != null) {
        const acting = await this.participants.resolve(manager, options.actingMember);
        if (acting.memberId !== captainRoot) throw conflict(`Only the captain of team "${team.name}" can hand over captaincy`);
      }
      // the membership row's own member id: after an unmerge the captain is still a member of the team
      const [inTeam]: Array<{ member_id: string }> = await manager.query(
        `SELECT member_id FROM team_member WHERE team_id = $1 AND ${memberRootSql('member_id')} = $2 ORDER BY joined_at LIMIT 1`,
        [team.id, participant.memberId],
      );
      if (!inTeam) throw conflict(`${participantName(participant)} is not a member of team "${team.name}": only a member can be captain`);
      await manager.query(`UPDATE team SET captain_member_id = $2, updated_at = now() WHERE id = $1`, [team.id, inTeam.member_id]);
      return this.getIn(manager, team.id);
    });
  }

  /** Refuses a member who is not registered or is already in a team of the hackathon. */
  private async assertCanJoin(manager: EntityManager, hackathon: HackathonEntity, participant: Participant): Promise<void> {
    if (!(await this.registrations.findActive(manager, hackathon.id, participant.memberId))) {
      throw conflict(`${participantName(participant)} is not registered for ${hackathon.slug}: register before joining a team`);
    }
    const [current]: Array<{ name: string }> = await manager.query(
      `SELECT t.name FROM team_member tm JOIN team t ON t.id = tm.team_id
        WHERE tm.hackathon_id = $1 AND ${memberRootSql('tm.member_id')} = $2 LIMIT 1`,
      [hackathon.id, participant.memberId],
    );
    if (current) throw conflict(`${participantName(participant)} is already in team "${current.name}" of ${hackathon.slug}`);
  }

  private async insertMember(manager: EntityManager, hackathon: HackathonEntity, teamId: string, participant: Participant) {
    try {
      // a savepoint, so that the violation can be reported without aborting the caller's transaction
      await manager.query('SAVEPOINT team_member_insert');
      await manager.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [
        teamId,
        hackathon.id,
        participant.memberId,
      ]);
    } catch (error) {
      await manager.query('ROLLBACK TO SAVEPOINT team_member_insert');
      if (isUniqueViolation(error, ONE_TEAM_PER_MEMBER) || isUniqueViolation(error, 'team_member_pkey')) {
        throw conflict(`${participantName(participant)} is already in a team of ${hackathon.slug} (joined at the same moment)`);
      }
      throw error;
    }
  }

  /** The team, after taking its hackathon `FOR SHARE` and the team `FOR UPDATE`, with teams open. */
  private async lockedTeamOfHackathon(manager: EntityManager, teamId: string): Promise<TeamEntity> {
    const id = parseUuid(teamId, 'team');
    const [found]: Array<{ hackathon_id: string }> = await manager.query(`SELECT hackathon_id FROM team WHERE id = $1`, [id]);
    if (!found) throw notFound(`No team ${teamId}`);
    const hackathon = await this.hackathons.lock(manager, found.hackathon_id, 'pessimistic_read');
    assertTeamsOpen(hackathon);
    return this.lockTeam(manager, id);
  }

  private async lockTeam(manager: EntityManager, teamId: string): Promise<TeamEntity> {
    const [row]: Array<{ id: string }> = await manager.query(`SELECT id FROM team WHERE id = $1 FOR UPDATE`, [teamId]);
    if (!row) throw notFound(`No team ${teamId}`);
    return this.getIn(manager, row.id);
  }

  private async root(manager: EntityManager, memberId: string): Promise<string | null> {
    const [row]: Array<{ id: string | null }> = await manager.query(`SELECT ${memberRootSql('$1::uuid')} AS id`, [memberId]);
    return row?.id ?? null;
  }

  private async getIn(manager: EntityManager, teamId: string): Promise<TeamEntity> {
    const [team] = await this.teams.byIdsIn(manager, [teamId]);
    if (!team) throw notFound(`No team ${teamId}`);
    return team;
  }
}
