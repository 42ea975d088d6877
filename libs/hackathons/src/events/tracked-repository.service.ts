import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { parseRepositoryRef } from '#libs/members';
import { badInput, notFound } from '../common/hackathon.exception.js';

/** Most repositories one call may name. */
export const MAX_REPOSITORIES_PER_CALL = 500;

/**
 * The repositories a hackathon tracks explicitly (`hackathon_repository`). Only known
 * repositories of the hackathon's ecosystem can be tracked: those with the ecosystem's
 * `ecosystem_id` or discovered by one of its tracked sources.
 */
@Injectable()
export class TrackedRepositoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * GitHub ids of repositories named `owner/name` (case-insensitive) or by numeric id, each a known
   * repository of the ecosystem; duplicates collapse.
   * @throws HackathonException BAD_USER_INPUT (malformed name, too many), NOT_FOUND naming every unknown one.
   */
  async resolveAll(manager: EntityManager, ecosystemId: number, refs: readonly string[]): Promise<number[]> {
    if (refs.length > MAX_REPOSITORIES_PER_CALL) throw badInput(`repositories: at most ${MAX_REPOSITORIES_PER_CALL} at once`);
    const names: string[] = [];
    const ids: number[] = [];
    for (const raw of refs) {
      const ref = parseRepositoryRef(raw);
      if (!ref) throw badInput(`repositories: "${raw}" is not a repository (give "owner/name" or GitHub's numeric id)`);
      if (ref.kind === 'id') ids.push(ref.id);
      else names.push(ref.fullName.toLowerCase());
    }
    if (!refs.length) return [];
    const rows: Array<{ id: string; full_name: string }> = await manager.query(
      `SELECT r.id::text AS id, lower(r.full_name) AS full_name FROM repository r
        WHERE (lower(r.full_name) = ANY($2::text[]) OR r.id = ANY($3::bigint[]))
          AND (r.ecosystem_id = $1 OR EXISTS (
                SELECT 1 FROM tracked_source_repository l JOIN tracked_source s ON s.id = l.tracked_source_id
                 WHERE l.repository_id = r.id AND s.ecosystem_id = $1))`,
      [ecosystemId, names, ids],
    );
    const foundNames = new Set(rows.map((row) => row.full_name));
    const foundIds = new Set(rows.map((row) => Number(row.id)));
    const missing = [...names.filter((name) => !foundNames.has(name)), ...ids.filter((id) => !foundIds.has(id)).map(String)];
    if (missing.length) throw notFound(`Not a known repository of the hackathon's ecosystem: ${missing.join(', ')}`);
    return [...foundIds].sort((a, b) => a - b);
  }

  async insert(manager: EntityManager, hackathonId: string, repositoryIds: readonly number[]): Promise<void> {
    if (!repositoryIds.length) return;
    await manager.query(
      `INSERT INTO hackathon_repository (hackathon_id, repository_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
      [hackathonId, repositoryIds],
    );
  }

  async delete(manager: EntityManager, hackathonId: string, repositoryIds: readonly number[]): Promise<void> {
    await manager.query(`DELETE FROM hackathon_repository WHERE hackathon_id = $1 AND repository_id = ANY($2::bigint[])`, [
      hackathonId,
      repositoryIds,
    ]);
  }

  /** Tracked repository ids per hackathon id, in order (ascending ids). */
  async idsByHackathonIds(hackathonIds: readonly string[]): Promise<number[][]> {
    const rows: Array<{ hackathon_id: string; repository_id: string }> = await this.dataSource.query(
      `SELECT hackathon_id, repository_id FROM hackathon_repository WHERE hackathon_id = ANY($1::uuid[]) ORDER BY repository_id`,
      [hackathonIds],
    );
    const byHackathon = new Map<string, number[]>();
    for (const row of rows) byHackathon.set(row.hackathon_id, [...(byHackathon.get(row.hackathon_id) ?? []), Number(row.repository_id)]);
    return hackathonIds.map((id) => byHackathon.get(id) ?? []);
  }
}
