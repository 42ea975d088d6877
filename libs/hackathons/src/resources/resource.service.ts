import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUniqueViolation } from '../common/hackathon.exception.js';
import { MatchingRunException, MatchingRunExceptionCode } from './matching-run.exception.js';
import { createResourceSchema, updateResourceSchema, type CreateResourceInput, type Resource, type UpdateResourceInput } from './resource.types.js';

const COLUMNS = `id, hackathon_id, kind, name, sponsor, capacity, per_team_max, tags, mentor_member_id,
  eligibility_min_team_size, eligibility_skills, created_at, updated_at`;

interface ResourceRow {
  id: string;
  hackathon_id: string;
  kind: Resource['kind'];
  name: string;
  sponsor: string | null;
  capacity: number;
  per_team_max: number;
  tags: string[];
  mentor_member_id: string | null;
  eligibility_min_team_size: number | null;
  eligibility_skills: string[];
  created_at: Date;
  updated_at: Date;
}

function toResource(row: ResourceRow): Resource {
  return {
    id: row.id,
    hackathonId: row.hackathon_id,
    kind: row.kind,
    name: row.name,
    sponsor: row.sponsor,
    capacity: row.capacity,
    perTeamMax: row.per_team_max,
    tags: row.tags,
    mentorMemberId: row.mentor_member_id,
    eligibilityMinTeamSize: row.eligibility_min_team_size,
    eligibilitySkills: row.eligibility_skills,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resources of hackathons (table `resource`): what sponsors offer, in whole units, with a
 * per-team maximum, tags and eligibility (see migration 1764700000030). Mentors are resources of
 * kind `mentor_hours` tied to a member: tags are their expertise, capacity their hours.
 * Methods take the acting member later (sign-in is a later issue); for now callers are admins.
 */
@Injectable()
export class ResourceService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Adds a resource to a hackathon.
   * @throws ZodError (BAD_USER_INPUT) naming invalid fields; MatchingRunException HACKATHON_NOT_FOUND,
   *   MEMBER_NOT_FOUND (unknown mentor), RESOURCE_ALREADY_EXISTS (same name, case-insensitive, or the mentor already offered).
   */
  async create(hackathonId: string, input: CreateResourceInput): Promise<Resource> {
    const fields = createResourceSchema.parse(input);
    await this.requireHackathon(hackathonId);
    if (fields.mentorMemberId) {
      const [member] = await this.dataSource.query(`SELECT 1 FROM member WHERE id = $1`, [fields.mentorMemberId]);
      if (!member) throw new MatchingRunException(`Unknown member ${fields.mentorMemberId} (the mentor)`, MatchingRunExceptionCode.MEMBER_NOT_FOUND);
    }
    try {
      const [row]: ResourceRow[] = await this.dataSource.query(
        `INSERT INTO resource (hackathon_id, kind, name, sponsor, capacity, per_team_max, tags, mentor_member_id,
                               eligibility_min_team_size, eligibility_skills)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
        [
          hackathonId,
          fields.kind,
          fields.name,
          fields.sponsor ?? null,
          fields.capacity,
          fields.perTeamMax,
          fields.tags,
          fields.mentorMemberId ?? null,
          fields.eligibilityMinTeamSize ?? null,
          fields.eligibilitySkills,
        ],
      );
      return toResource(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new MatchingRunException(
          `A resource named "${fields.name}" (or offered by this mentor) already exists in this hackathon`,
          MatchingRunExceptionCode.RESOURCE_ALREADY_EXISTS,
        );
      }
      throw error;
    }
  }

  /**
   * Changes a resource's name, sponsor, capacity, per-team maximum, tags or eligibility. Draft
   * runs keep what they were solved with; the next run uses the new values.
   * @throws ZodError (BAD_USER_INPUT); MatchingRunException RESOURCE_NOT_FOUND, RESOURCE_ALREADY_EXISTS.
   */
  async update(resourceId: string, input: UpdateResourceInput): Promise<Resource> {
    const fields = updateResourceSchema.parse(input);
    const current = await this.get(resourceId);
    try {
      const [[row]]: [ResourceRow[], number] = await this.dataSource.query(
        `UPDATE resource SET name = $2, sponsor = $3, capacity = $4, per_team_max = $5, tags = $6,
                eligibility_min_team_size = $7, eligibility_skills = $8, updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          resourceId,
          fields.name ?? current.name,
          fields.sponsor === undefined ? current.sponsor : fields.sponsor,
          fields.capacity ?? current.capacity,
          fields.perTeamMax ?? current.perTeamMax,
          fields.tags ?? current.tags,
          fields.eligibilityMinTeamSize === undefined ? current.eligibilityMinTeamSize : fields.eligibilityMinTeamSize,
          fields.eligibilitySkills ?? current.eligibilitySkills,
        ],
      );
      return toResource(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new MatchingRunException(`A resource named "${fields.name}" already exists in this hackathon`, MatchingRunExceptionCode.RESOURCE_ALREADY_EXISTS);
      }
      throw error;
    }
  }

  /**
   * Removes a resource with its requests, pins and the allocations of every run (a published
   * run loses them too: remove a resource before publishing). A draft that allocated units of it
   * becomes `superseded` (its allocations, objective and explanations would no longer agree, and
   * publishing it would tell teams of units that are gone): a new run is needed.
   * @throws MatchingRunException RESOURCE_NOT_FOUND.
   */
  async remove(resourceId: string): Promise<Resource> {
    const resource = await this.get(resourceId);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE matching_run SET status = 'superseded'
         WHERE status = 'draft' AND id IN (SELECT run_id FROM allocation WHERE resource_id = $1)`,
        [resourceId],
      );
      await manager.query(`DELETE FROM resource WHERE id = $1`, [resourceId]);
    });
    return resource;
  }

  /** @throws MatchingRunException RESOURCE_NOT_FOUND. */
  async get(resourceId: string): Promise<Resource> {
    const [resource] = await this.byIds([resourceId]);
    if (!resource) throw new MatchingRunException(`Unknown resource ${resourceId}`, MatchingRunExceptionCode.RESOURCE_NOT_FOUND);
    return resource;
  }

  /** Resources by id (unknown or malformed ids are left out). */
  async byIds(ids: string[]): Promise<Resource[]> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    const rows: ResourceRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM resource WHERE id = ANY($1::uuid[])`, [valid]);
    return rows.map(toResource);
  }

  /** A hackathon's resources by kind, then name. @throws MatchingRunException HACKATHON_NOT_FOUND. */
  async list(hackathonId: string): Promise<Resource[]> {
    await this.requireHackathon(hackathonId);
    const rows: ResourceRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM resource WHERE hackathon_id = $1 ORDER BY kind, lower(name), id`,
      [hackathonId],
    );
    return rows.map(toResource);
  }

  /** @throws MatchingRunException HACKATHON_NOT_FOUND for an unknown or malformed id. */
  async requireHackathon(hackathonId: string): Promise<void> {
    const [row] = UUID.test(hackathonId) ? await this.dataSource.query(`SELECT 1 FROM hackathon WHERE id = $1`, [hackathonId]) : [];
    if (!row) throw new MatchingRunException(`Unknown hackathon ${hackathonId}`, MatchingRunExceptionCode.HACKATHON_NOT_FOUND);
  }
}

export { UUID as UUID_PATTERN };
