import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { z } from 'zod';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor, pageSizeSchema, toPage, type Page } from '#libs/members';
import { alreadyExists, badInput, conflict, isUniqueViolation, notFound } from '../common/hackathon.exception.js';
import { parseWith } from '../common/parse-input.js';
import { noNul } from '../common/text-input.js';
import { parseHackathonFields, type HackathonFieldsInput } from './hackathon-input.js';
import { parseUuid } from './hackathon-ref.js';
import { assertStatusTransition } from './hackathon-status.js';
import { HACKATHON_STATUSES, HackathonEntity, type HackathonStatus } from './hackathon.entity.js';
import type { CreateHackathonInput, HackathonListArgs, UpdateHackathonInput } from './hackathon.types.js';
import { TrackedRepositoryService } from './tracked-repository.service.js';

const listSchema = z.object({
  ecosystem: z.string().trim().min(1).max(100).nullish(),
  status: z.enum(HACKATHON_STATUSES as [HackathonStatus, ...HackathonStatus[]]).nullish(),
  first: pageSizeSchema,
  after: z.string().nullish(),
});
const cursorValues = z.tuple([z.iso.datetime(), z.uuid()]);
const CURSOR_KIND = 'hackathon';

/**
 * Hackathons: creation and changes with validation ({@link parseHackathonFields}), lookups, a
 * listing, and status changes one step at a time ({@link assertStatusTransition}).
 * Window, label rules, topic and team sizes are fixed once eligibility is frozen
 * (`eligibilityFrozenAt`, set when the event closes): later changes would move results that are
 * settled (case H1).
 */
@Injectable()
export class HackathonService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly trackedRepositories: TrackedRepositoryService,
  ) {}

  /**
   * Creates a hackathon in `draft` with its tracked repositories.
   * @throws HackathonException BAD_USER_INPUT (any field, see {@link parseHackathonFields}; a malformed
   *   repository), NOT_FOUND (unknown ecosystem; a repository that is not a known repository of the
   *   ecosystem), ALREADY_EXISTS (slug taken).
   */
  async create(input: CreateHackathonInput): Promise<HackathonEntity> {
    const fields = parseHackathonFields(input);
    return this.dataSource.transaction(async (manager) => {
      const ecosystemId = await this.ecosystemId(manager, input.ecosystem);
      const repositoryIds = await this.trackedRepositories.resolveAll(manager, ecosystemId, input.repositories ?? []);
      let hackathon: HackathonEntity;
      try {
        hackathon = await manager.getRepository(HackathonEntity).save(manager.create(HackathonEntity, { ...fields, ecosystemId }));
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyExists(`A hackathon with slug "${fields.slug}" exists`);
        throw error;
      }
      await this.trackedRepositories.insert(manager, hackathon.id, repositoryIds);
      return this.getIn(manager, hackathon.id);
    });
  }

  /**
   * Changes a hackathon's fields (absent or null ones keep their value); the result is validated
   * as a whole, as on creation.
   * @throws HackathonException BAD_USER_INPUT, NOT_FOUND, ALREADY_EXISTS (as {@link create}); CONFLICT for a
   *   change of window, label rules, topic or team sizes once eligibility is frozen, or a maximum team
   *   size below the size of an existing team.
   */
  async update(id: string, patch: UpdateHackathonInput): Promise<HackathonEntity> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, id);
      const merged: HackathonFieldsInput = { ...current };
      for (const [key, value] of Object.entries(patch)) {
        if (value !== null && value !== undefined && !key.startsWith('clear')) (merged as unknown as Record<string, unknown>)[key] = value;
      }
      if (patch.clearRegistrationWindow) Object.assign(merged, { registrationOpensAt: null, registrationClosesAt: null });
      if (patch.clearOptInLabel) merged.optInLabel = null;
      if (patch.clearTrackedTopic) merged.trackedTopic = null;
      const fields = parseHackathonFields(merged);
      if (current.eligibilityFrozenAt) {
        const frozen = (['startsAt', 'endsAt', 'optInLabel', 'trackedTopic', 'minTeamSize', 'maxTeamSize'] as const).filter(
          (key) => String(fields[key]) !== String(current[key]),
        );
        if (frozen.length) {
          throw conflict(
            `Eligibility of hackathon ${current.slug} was frozen at ${current.eligibilityFrozenAt.toISOString()}: ` +
              `${frozen.join(', ')} can no longer change (use an organiser override for single contributions)`,
          );
        }
      }
      if (fields.maxTeamSize < current.maxTeamSize) {
        const [largest]: Array<{ size: number }> = await manager.query(
          `SELECT count(*)::int AS size FROM team_member WHERE hackathon_id = $1 GROUP BY team_id ORDER BY size DESC LIMIT 1`,
          [id],
        );
        if (largest && largest.size > fields.maxTeamSize) {
          throw conflict(`maxTeamSize ${fields.maxTeamSize} is below the size of an existing team (${largest.size} members)`);
        }
      }
      try {
        await manager.getRepository(HackathonEntity).update({ id: current.id }, { ...fields, updatedAt: new Date() });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyExists(`A hackathon with slug "${fields.slug}" exists`);
        throw error;
      }
      return this.getIn(manager, current.id);
    });
  }

  /**
   * Moves a hackathon to the next status (draft → registration_open → running → judging → finished).
   * @throws HackathonException NOT_FOUND, CONFLICT for a skip, a step back or no change.
   */
  async changeStatus(id: string, to: HackathonStatus): Promise<HackathonEntity> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, id);
      assertStatusTransition(current.status, to);
      await manager.query(`UPDATE hackathon SET status = $2, updated_at = now() WHERE id = $1`, [current.id, to]);
      return this.getIn(manager, current.id);
    });
  }

  /**
   * Adds tracked repositories (`owner/name` or GitHub's numeric id; already tracked ones are kept).
   * @throws HackathonException NOT_FOUND (hackathon; a repository unknown to its ecosystem),
   *   BAD_USER_INPUT (malformed name), CONFLICT once eligibility is frozen.
   */
  async addRepositories(id: string, repositories: string[]): Promise<HackathonEntity> {
    return this.changeRepositories(id, repositories, 'add');
  }

  /** Stops tracking repositories explicitly (errors as {@link addRepositories}; untracked ones are ignored). */
  async removeRepositories(id: string, repositories: string[]): Promise<HackathonEntity> {
    return this.changeRepositories(id, repositories, 'remove');
  }

  private async changeRepositories(id: string, repositories: string[], change: 'add' | 'remove'): Promise<HackathonEntity> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, id);
      if (current.eligibilityFrozenAt) {
        throw conflict(`Eligibility of hackathon ${current.slug} was frozen: its tracked repositories can no longer change`);
      }
      const ids = await this.trackedRepositories.resolveAll(manager, current.ecosystemId, repositories);
      if (change === 'add') await this.trackedRepositories.insert(manager, current.id, ids);
      else await this.trackedRepositories.delete(manager, current.id, ids);
      await manager.query(`UPDATE hackathon SET updated_at = now() WHERE id = $1`, [current.id]);
      return this.getIn(manager, current.id);
    });
  }

  /** A hackathon by slug, or null. @throws HackathonException BAD_USER_INPUT for an empty slug. */
  async findBySlug(slug: string): Promise<HackathonEntity | null> {
    if (!slug.trim()) throw badInput('slug: must not be empty');
    if (!noNul(slug)) return null; // no slug holds one
    return this.dataSource.getRepository(HackathonEntity).findOneBy({ slug: slug.trim().toLowerCase() });
  }

  /** A hackathon by id, or null. @throws HackathonException BAD_USER_INPUT for a malformed id. */
  async findById(id: string): Promise<HackathonEntity | null> {
    return this.dataSource.getRepository(HackathonEntity).findOneBy({ id: parseUuid(id, 'hackathon') });
  }

  /** A hackathon by id. @throws HackathonException BAD_USER_INPUT (malformed id), NOT_FOUND. */
  async get(id: string): Promise<HackathonEntity> {
    return this.getIn(this.dataSource.manager, id);
  }

  /** Hackathons by id, for DataLoaders: one entry per id, in order (null when unknown). */
  async byIds(ids: readonly string[]): Promise<Array<HackathonEntity | null>> {
    const rows = await this.dataSource.getRepository(HackathonEntity).createQueryBuilder('h').where('h.id = ANY(:ids)', { ids }).getMany();
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Hackathons, newest start first (ties by id), optionally of one ecosystem and status, without
   * drafts when `excludeDrafts`, as a cursor page.
   * @throws HackathonException BAD_USER_INPUT (first outside 1–100, a foreign cursor), NOT_FOUND (unknown ecosystem).
   */
  async list(args: HackathonListArgs): Promise<Page<HackathonEntity>> {
    const { ecosystem, status, first, after } = parseWith(listSchema, args);
    const query = this.dataSource.getRepository(HackathonEntity).createQueryBuilder('h');
    if (args.excludeDrafts) query.andWhere(`h.status <> 'draft'`);
    if (ecosystem) query.andWhere('h.ecosystem_id = :ecosystemId', { ecosystemId: await this.ecosystemId(this.dataSource.manager, ecosystem) });
    if (status) query.andWhere('h.status = :status', { status });
    const totalCount = await query.clone().getCount();
    if (after) {
      const [startsAt, id] = decodeCursor(CURSOR_KIND, after, cursorValues);
      query.andWhere('(h.starts_at < :startsAt OR (h.starts_at = :startsAt AND h.id > :id))', { startsAt, id });
    }
    const rows = await query.orderBy('h.starts_at', 'DESC').addOrderBy('h.id', 'ASC').take(first + 1).getMany();
    return toPage(rows, first, after, totalCount, (row) => ({
      cursor: encodeCursor(CURSOR_KIND, [row.startsAt.toISOString(), row.id]),
      node: row,
    }));
  }

  /** GitHub ids of the repositories a hackathon tracks explicitly, per hackathon id (for DataLoaders). */
  async trackedRepositoryIds(hackathonIds: readonly string[]): Promise<number[][]> {
    return this.trackedRepositories.idsByHackathonIds(hackathonIds);
  }

  /** Ecosystem slugs by ecosystem id, in order (null when unknown), for DataLoaders. */
  async ecosystemSlugs(ecosystemIds: readonly number[]): Promise<Array<string | null>> {
    const rows: Array<{ id: number; slug: string }> = await this.dataSource.query(`SELECT id, slug FROM ecosystem WHERE id = ANY($1::int[])`, [
      ecosystemIds,
    ]);
    const byId = new Map(rows.map((row) => [row.id, row.slug]));
    return ecosystemIds.map((id) => byId.get(id) ?? null);
  }

  /** The hackathon row locked for update, or `FOR SHARE` with `pessimistic_read` (the caller's transaction). @throws NOT_FOUND, BAD_USER_INPUT. */
  async lock(
    manager: EntityManager,
    id: string,
    mode: 'pessimistic_write' | 'pessimistic_read' = 'pessimistic_write',
  ): Promise<HackathonEntity> {
    const hackathon = await manager
      .getRepository(HackathonEntity)
      .createQueryBuilder('h')
      .setLock(mode)
      .where('h.id = :id', { id: parseUuid(id, 'hackathon') })
      .getOne();
    if (!hackathon) throw notFound(`No hackathon ${id}`);
    return hackathon;
  }

  private async getIn(manager: EntityManager, id: string): Promise<HackathonEntity> {
    const hackathon = await manager.getRepository(HackathonEntity).findOneBy({ id: parseUuid(id, 'hackathon') });
    if (!hackathon) throw notFound(`No hackathon ${id}`);
    return hackathon;
  }

  private async ecosystemId(manager: EntityManager, slug: string): Promise<number> {
    // no slug holds a NUL (which Postgres would refuse as a parameter)
    const rows: Array<{ id: number }> = !noNul(slug) ? [] : await manager.query(`SELECT id FROM ecosystem WHERE slug = $1`, [slug.trim()]);
    if (!rows.length) throw notFound(`No ecosystem with slug "${slug}"`);
    return rows[0].id;
  }
}
