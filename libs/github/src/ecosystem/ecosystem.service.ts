import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EcosystemEntity } from '../entities/ecosystem.entity.js';
import { RepositoryEntity } from '../entities/repository.entity.js';
import { TrackedSourceEntity } from '../entities/tracked-source.entity.js';
import { EcosystemException, EcosystemExceptionCode } from './ecosystem.exception.js';
import { ECOSYSTEM_SLUG, type TrackedSourceSpec } from './tracked-source-spec.js';

/**
 * Ecosystems and what they track: organisations and users (every repository they own) and
 * single repositories. Sources are unique per ecosystem by (kind, case-insensitive name), so
 * tracking twice is a no-op. Repositories appear once discovery has listed them.
 */
@Injectable()
export class EcosystemService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Creates an ecosystem.
   * @throws EcosystemException INVALID_SLUG (slug not `[a-z0-9][a-z0-9-]*`, or empty name),
   *   ALREADY_EXISTS.
   */
  async create(slug: string, name: string): Promise<EcosystemEntity> {
    const { ecosystem, created } = await this.ensure(slug, name);
    if (!created) throw new EcosystemException(`ecosystem "${slug}" exists already`, EcosystemExceptionCode.ALREADY_EXISTS);
    return ecosystem;
  }

  /**
   * Returns the ecosystem with `slug`, creating it with `name` when missing (an existing one
   * keeps its name). Safe to call concurrently.
   * @throws EcosystemException INVALID_SLUG.
   */
  async ensure(slug: string, name: string): Promise<{ ecosystem: EcosystemEntity; created: boolean }> {
    if (!ECOSYSTEM_SLUG.test(slug)) {
      throw new EcosystemException(
        `"${slug}" is not a valid slug (lower-case letters, digits, hyphens)`,
        EcosystemExceptionCode.INVALID_SLUG,
      );
    }
    if (!name.trim()) throw new EcosystemException('an ecosystem needs a name', EcosystemExceptionCode.INVALID_SLUG);
    const inserted: Array<{ id: number }> = await this.dataSource.query(
      `INSERT INTO ecosystem (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [slug, name.trim()],
    );
    return { ecosystem: await this.getBySlug(slug), created: inserted.length > 0 };
  }

  /** @throws EcosystemException NOT_FOUND. */
  async getBySlug(slug: string): Promise<EcosystemEntity> {
    const found = await this.dataSource.getRepository(EcosystemEntity).findOneBy({ slug });
    if (!found) throw new EcosystemException(`no ecosystem "${slug}"`, EcosystemExceptionCode.NOT_FOUND);
    return found;
  }

  /** @throws EcosystemException NOT_FOUND. */
  async getById(id: number): Promise<EcosystemEntity> {
    const found = await this.dataSource.getRepository(EcosystemEntity).findOneBy({ id });
    if (!found) throw new EcosystemException(`no ecosystem with id ${id}`, EcosystemExceptionCode.NOT_FOUND);
    return found;
  }

  /**
   * Tracks a source (validated with `parseTrackedSource`). Tracking a source already tracked
   * (any letter case) returns it unchanged, paused or not.
   * @throws EcosystemException NOT_FOUND for an unknown ecosystem.
   */
  async track(slug: string, spec: TrackedSourceSpec): Promise<{ source: TrackedSourceEntity; created: boolean }> {
    const ecosystem = await this.getBySlug(slug);
    const inserted: Array<{ id: number }> = await this.dataSource.query(
      `INSERT INTO tracked_source (ecosystem_id, kind, name) VALUES ($1, $2, $3)
       ON CONFLICT (ecosystem_id, kind, lower(name)) DO NOTHING RETURNING id`,
      [ecosystem.id, spec.kind, spec.name],
    );
    return { source: await this.findSource(ecosystem.id, spec), created: inserted.length > 0 };
  }

  /**
   * Stops tracking a source. Its repositories and their history stay; they are no longer
   * synced unless another source of the ecosystem covers them.
   * @throws EcosystemException NOT_FOUND for an unknown ecosystem or source.
   */
  async untrack(slug: string, spec: TrackedSourceSpec): Promise<void> {
    const ecosystem = await this.getBySlug(slug);
    const source = await this.findSource(ecosystem.id, spec);
    await this.dataSource.getRepository(TrackedSourceEntity).delete({ id: source.id });
  }

  /**
   * Pauses (or resumes) a source: a paused source is neither listed nor synced.
   * @throws EcosystemException NOT_FOUND for an unknown ecosystem or source.
   */
  async setPaused(slug: string, spec: TrackedSourceSpec, paused: boolean): Promise<TrackedSourceEntity> {
    const ecosystem = await this.getBySlug(slug);
    const source = await this.findSource(ecosystem.id, spec);
    await this.dataSource.getRepository(TrackedSourceEntity).update({ id: source.id }, { paused });
    return { ...source, paused };
  }

  /** Ids of every ecosystem, ascending. */
  async listIds(): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.dataSource.query(`SELECT id FROM ecosystem ORDER BY id`);
    return rows.map((row) => Number(row.id));
  }

  /** The ecosystem's tracked sources, by kind then name. @throws EcosystemException NOT_FOUND. */
  async listSources(slug: string): Promise<TrackedSourceEntity[]> {
    const ecosystem = await this.getBySlug(slug);
    return this.dataSource
      .getRepository(TrackedSourceEntity)
      .find({ where: { ecosystemId: ecosystem.id }, order: { kind: 'ASC', name: 'ASC' } });
  }

  /**
   * Repositories discovered through the ecosystem's tracked sources (paused ones included),
   * by full name. @throws EcosystemException NOT_FOUND.
   */
  async listRepositories(slug: string): Promise<RepositoryEntity[]> {
    const ecosystem = await this.getBySlug(slug);
    return this.dataSource
      .getRepository(RepositoryEntity)
      .createQueryBuilder('r')
      .where(
        `r.id IN (SELECT l.repository_id FROM tracked_source_repository l
                  JOIN tracked_source s ON s.id = l.tracked_source_id WHERE s.ecosystem_id = :id)`,
        { id: ecosystem.id },
      )
      .orderBy('lower(r.full_name)')
      .getMany();
  }

  private async findSource(ecosystemId: number, spec: TrackedSourceSpec): Promise<TrackedSourceEntity> {
    const found = await this.dataSource
      .getRepository(TrackedSourceEntity)
      .createQueryBuilder('s')
      .where('s.ecosystem_id = :ecosystemId AND s.kind = :kind AND lower(s.name) = lower(:name)', {
        ecosystemId,
        kind: spec.kind,
        name: spec.name,
      })
      .getOne();
    if (!found) {
      throw new EcosystemException(`${spec.kind} ${spec.name} is not tracked`, EcosystemExceptionCode.NOT_FOUND);
    }
    return found;
  }
}
