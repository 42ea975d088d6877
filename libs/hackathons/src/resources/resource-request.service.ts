import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { MatchingRunException, MatchingRunExceptionCode } from './matching-run.exception.js';
import { isUniqueViolation } from '../common/hackathon.exception.js';
import { UUID_PATTERN } from './resource.service.js';
import { createRequestSchema, updateRequestSchema, type CreateRequestInput, type ResourceRequest, type UpdateRequestInput } from './resource.types.js';

const COLUMNS = `id, hackathon_id, team_id, resource_id, kind, amount, rank, tags, created_at, updated_at`;

interface RequestRow {
  id: string;
  hackathon_id: string;
  team_id: string;
  resource_id: string | null;
  kind: ResourceRequest['kind'];
  amount: number;
  rank: number;
  tags: string[];
  created_at: Date;
  updated_at: Date;
}

function toRequest(row: RequestRow): ResourceRequest {
  return {
    id: row.id,
    hackathonId: row.hackathon_id,
    teamId: row.team_id,
    resourceId: row.resource_id,
    kind: row.kind,
    amount: row.amount,
    rank: row.rank,
    tags: row.tags,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const RANK_TAKEN = (rank: number) =>
  new MatchingRunException(`The team already has a request at rank ${rank}; ranks are unique per team`, MatchingRunExceptionCode.REQUEST_RANK_CONFLICT);

/**
 * Teams' resource requests (table `resource_request`): `amount` units of one resource, or of
 * each eligible resource of a kind, with a preference rank (1 = first choice, unique per team)
 * and tags that count toward the utility where they overlap the resource's tags.
 */
@Injectable()
export class ResourceRequestService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Files a team's request. The hackathon is the team's.
   * @throws ZodError (BAD_USER_INPUT); MatchingRunException TEAM_NOT_FOUND, RESOURCE_NOT_FOUND (unknown
   *   or of another hackathon), REQUEST_RANK_CONFLICT (rank taken).
   */
  async create(input: CreateRequestInput): Promise<ResourceRequest> {
    const fields = createRequestSchema.parse(input);
    const hackathonId = await this.teamHackathon(fields.teamId);
    if (fields.resourceId) {
      const [resource] = await this.dataSource.query(`SELECT 1 FROM resource WHERE id = $1 AND hackathon_id = $2`, [fields.resourceId, hackathonId]);
      if (!resource) {
        throw new MatchingRunException(`Unknown resource ${fields.resourceId} in the team's hackathon`, MatchingRunExceptionCode.RESOURCE_NOT_FOUND);
      }
    }
    try {
      const [row]: RequestRow[] = await this.dataSource.query(
        `INSERT INTO resource_request (hackathon_id, team_id, resource_id, kind, amount, rank, tags)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [hackathonId, fields.teamId, fields.resourceId ?? null, fields.kind ?? null, fields.amount, fields.rank, fields.tags],
      );
      return toRequest(row);
    } catch (error) {
      if (isUniqueViolation(error, 'resource_request_rank')) throw RANK_TAKEN(fields.rank);
      throw error;
    }
  }

  /**
   * Changes a request's amount, rank or tags.
   * @throws ZodError (BAD_USER_INPUT); MatchingRunException REQUEST_NOT_FOUND, REQUEST_RANK_CONFLICT.
   */
  async update(requestId: string, input: UpdateRequestInput): Promise<ResourceRequest> {
    const fields = updateRequestSchema.parse(input);
    const current = await this.get(requestId);
    try {
      const [[row]]: [RequestRow[], number] = await this.dataSource.query(
        `UPDATE resource_request SET amount = $2, rank = $3, tags = $4, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [requestId, fields.amount ?? current.amount, fields.rank ?? current.rank, fields.tags ?? current.tags],
      );
      return toRequest(row);
    } catch (error) {
      if (isUniqueViolation(error, 'resource_request_rank')) throw RANK_TAKEN(fields.rank ?? current.rank);
      throw error;
    }
  }

  /** Withdraws a request. @throws MatchingRunException REQUEST_NOT_FOUND. */
  async remove(requestId: string): Promise<ResourceRequest> {
    const request = await this.get(requestId);
    await this.dataSource.query(`DELETE FROM resource_request WHERE id = $1`, [requestId]);
    return request;
  }

  /** @throws MatchingRunException REQUEST_NOT_FOUND. */
  async get(requestId: string): Promise<ResourceRequest> {
    const [row]: RequestRow[] = UUID_PATTERN.test(requestId)
      ? await this.dataSource.query(`SELECT ${COLUMNS} FROM resource_request WHERE id = $1`, [requestId])
      : [];
    if (!row) throw new MatchingRunException(`Unknown resource request ${requestId}`, MatchingRunExceptionCode.REQUEST_NOT_FOUND);
    return toRequest(row);
  }

  /**
   * Requests of a hackathon, or of one team, by team then rank.
   * @throws MatchingRunException HACKATHON_NOT_FOUND / TEAM_NOT_FOUND.
   */
  async list(filter: { hackathonId: string; teamId?: string | null }): Promise<ResourceRequest[]> {
    const [hackathon] = UUID_PATTERN.test(filter.hackathonId)
      ? await this.dataSource.query(`SELECT 1 FROM hackathon WHERE id = $1`, [filter.hackathonId])
      : [];
    if (!hackathon) throw new MatchingRunException(`Unknown hackathon ${filter.hackathonId}`, MatchingRunExceptionCode.HACKATHON_NOT_FOUND);
    if (filter.teamId && (await this.teamHackathon(filter.teamId)) !== filter.hackathonId) {
      throw new MatchingRunException(`Team ${filter.teamId} is not in hackathon ${filter.hackathonId}`, MatchingRunExceptionCode.TEAM_NOT_FOUND);
    }
    const rows: RequestRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM resource_request WHERE hackathon_id = $1 AND ($2::uuid IS NULL OR team_id = $2) ORDER BY team_id, rank`,
      [filter.hackathonId, filter.teamId ?? null],
    );
    return rows.map(toRequest);
  }

  /** Requests of each team (by rank), in the order of `teamIds` (for a DataLoader). */
  async byTeamIds(teamIds: readonly string[]): Promise<ResourceRequest[][]> {
    const valid = teamIds.filter((id) => UUID_PATTERN.test(id));
    const rows: RequestRow[] = valid.length
      ? await this.dataSource.query(`SELECT ${COLUMNS} FROM resource_request WHERE team_id = ANY($1::uuid[]) ORDER BY team_id, rank`, [valid])
      : [];
    const byTeam = new Map<string, ResourceRequest[]>();
    for (const row of rows) byTeam.set(row.team_id, [...(byTeam.get(row.team_id) ?? []), toRequest(row)]);
    return teamIds.map((id) => byTeam.get(id) ?? []);
  }

  /** @throws MatchingRunException TEAM_NOT_FOUND. */
  private async teamHackathon(teamId: string): Promise<string> {
    const [team]: Array<{ hackathon_id: string }> = UUID_PATTERN.test(teamId)
      ? await this.dataSource.query(`SELECT hackathon_id FROM team WHERE id = $1`, [teamId])
      : [];
    if (!team) throw new MatchingRunException(`Unknown team ${teamId}`, MatchingRunExceptionCode.TEAM_NOT_FOUND);
    return team.hackathon_id;
  }
}
