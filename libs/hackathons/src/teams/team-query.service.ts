import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { memberRootSql } from '../common/member-root.js';
import type { TeamEntity } from './team.entity.js';

/** A member of a team, resolved through merges. */
export interface TeamMemberView {
  teamId: string;
  /** The member (the survivor when the member who joined was merged). */
  memberId: string;
  isCaptain: boolean;
  /** UTC instant. */
  joinedAt: Date;
}

interface TeamRow {
  id: string;
  hackathon_id: string;
  name: string;
  invite_code: string;
  captain_member_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const TEAM_COLUMNS = `t.id, t.hackathon_id, t.name, t.invite_code, ${memberRootSql('t.captain_member_id')} AS captain_member_id,
  t.created_at, t.updated_at`;

function toTeam(row: TeamRow): TeamEntity {
  return {
    id: row.id,
    hackathonId: row.hackathon_id,
    name: row.name,
    inviteCode: row.invite_code,
    captainMemberId: row.captain_member_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Reads of teams for the API (batched for DataLoaders); member ids are resolved through merges. */
@Injectable()
export class TeamQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Teams by id, in order (null when unknown). */
  async byIds(ids: readonly string[]): Promise<Array<TeamEntity | null>> {
    return this.byIdsIn(this.dataSource.manager, ids);
  }

  /** {@link byIds} in the caller's transaction. */
  async byIdsIn(manager: EntityManager, ids: readonly string[]): Promise<Array<TeamEntity | null>> {
    const rows: TeamRow[] = await manager.query(`SELECT ${TEAM_COLUMNS} FROM team t WHERE t.id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toTeam(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** The teams of each hackathon, by name (case-insensitive). */
  async byHackathonIds(hackathonIds: readonly string[]): Promise<TeamEntity[][]> {
    const rows: TeamRow[] = await this.dataSource.query(
      `SELECT ${TEAM_COLUMNS} FROM team t WHERE t.hackathon_id = ANY($1::uuid[]) ORDER BY lower(t.name), t.id`,
      [hackathonIds],
    );
    return hackathonIds.map((id) => rows.filter((row) => row.hackathon_id === id).map(toTeam));
  }

  /** The members of each team, captain first, then by joining time. */
  async membersByTeamIds(teamIds: readonly string[]): Promise<TeamMemberView[][]> {
    const rows: Array<{ team_id: string; member_id: string; joined_at: Date; is_captain: boolean }> = await this.dataSource.query(
      `SELECT tm.team_id, ${memberRootSql('tm.member_id')} AS member_id, tm.joined_at,
              tm.member_id = t.captain_member_id AS is_captain
         FROM team_member tm JOIN team t ON t.id = tm.team_id
        WHERE tm.team_id = ANY($1::uuid[])
        ORDER BY is_captain DESC, tm.joined_at, tm.member_id`,
      [teamIds],
    );
    return teamIds.map((id) =>
      rows
        .filter((row) => row.team_id === id)
        .map((row) => ({ teamId: row.team_id, memberId: row.member_id, isCaptain: row.is_captain, joinedAt: row.joined_at })),
    );
  }

  /**
   * The team a member (or a member merged into it) is in at a hackathon, or null. When merged
   * members were in two teams, the one joined first.
   */
  async teamOfMember(hackathonId: string, memberId: string): Promise<TeamEntity | null> {
    const rows: TeamRow[] = await this.dataSource.query(
      `SELECT ${TEAM_COLUMNS} FROM team_member tm JOIN team t ON t.id = tm.team_id
        WHERE tm.hackathon_id = $1 AND ${memberRootSql('tm.member_id')} = ${memberRootSql('$2::uuid')}
        ORDER BY tm.joined_at LIMIT 1`,
      [hackathonId, memberId],
    );
    return rows.length ? toTeam(rows[0]) : null;
  }
}
