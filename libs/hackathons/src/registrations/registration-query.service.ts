import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { memberRootSql } from '../common/member-root.js';
import type { HackathonRegistrationEntity } from './registration.entity.js';

interface RegistrationRow {
  id: string;
  hackathon_id: string;
  member_id: string;
  skills: string[];
  interests: string[];
  needs: string[];
  email_consent: boolean;
  registered_at: Date;
  withdrawn_at: Date | null;
}

/** Columns of a registration with its member resolved through merges (alias `r`). */
export const REGISTRATION_COLUMNS = `r.id, r.hackathon_id, ${memberRootSql('r.member_id')} AS member_id, r.skills, r.interests,
  r.needs, r.email_consent, r.registered_at, r.withdrawn_at`;

/** Maps a row of {@link REGISTRATION_COLUMNS}. */
export function toRegistration(row: RegistrationRow): HackathonRegistrationEntity {
  return {
    id: row.id,
    hackathonId: row.hackathon_id,
    memberId: row.member_id,
    skills: row.skills,
    interests: row.interests,
    needs: row.needs,
    emailConsent: row.email_consent,
    registeredAt: row.registered_at,
    withdrawnAt: row.withdrawn_at,
  };
}

/**
 * Reads of registrations for the API (batched for DataLoaders). Member ids are resolved through
 * merges; when two merged members had both registered, the survivor has one registration: the
 * earliest active one.
 */
@Injectable()
export class RegistrationQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Active (not withdrawn) registrations of each hackathon, one per member, oldest first. */
  async activeByHackathonIds(hackathonIds: readonly string[]): Promise<HackathonRegistrationEntity[][]> {
    const rows: RegistrationRow[] = await this.dataSource.query(
      `SELECT * FROM (
         SELECT DISTINCT ON (r.hackathon_id, ${memberRootSql('r.member_id')}) ${REGISTRATION_COLUMNS}
           FROM hackathon_registration r
          WHERE r.hackathon_id = ANY($1::uuid[]) AND r.withdrawn_at IS NULL
          ORDER BY r.hackathon_id, ${memberRootSql('r.member_id')}, r.registered_at, r.id) x
        ORDER BY x.registered_at, x.id`,
      [hackathonIds],
    );
    return hackathonIds.map((id) => rows.filter((row) => row.hackathon_id === id).map(toRegistration));
  }

  /** The member's active registration (its own or a merged member's), or null. */
  async activeOf(hackathonId: string, memberId: string): Promise<HackathonRegistrationEntity | null> {
    const rows: RegistrationRow[] = await this.dataSource.query(
      `SELECT ${REGISTRATION_COLUMNS} FROM hackathon_registration r
        WHERE r.hackathon_id = $1 AND r.withdrawn_at IS NULL AND ${memberRootSql('r.member_id')} = ${memberRootSql('$2::uuid')}
        ORDER BY r.registered_at, r.id LIMIT 1`,
      [hackathonId, memberId],
    );
    return rows.length ? toRegistration(rows[0]) : null;
  }
}
