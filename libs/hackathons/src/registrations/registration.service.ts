import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { alreadyExists, conflict, notFound } from '../common/hackathon.exception.js';
import { memberRootSql } from '../common/member-root.js';
import { ParticipantService, participantName } from '../common/participant.service.js';
import { assertRegistrationOpen } from '../events/event-phase.js';
import { HackathonService } from '../events/hackathon.service.js';
import type { HackathonEntity } from '../events/hackathon.entity.js';
import { normaliseTags } from './normalise-tags.js';
import { REGISTRATION_COLUMNS, toRegistration } from './registration-query.service.js';
import type { HackathonRegistrationEntity } from './registration.entity.js';

/** What a member tells when registering (tags are normalised, see {@link normaliseTags}). */
export interface RegistrationFields {
  skills?: string[] | null;
  interests?: string[] | null;
  needs?: string[] | null;
  /** Consent to e-mails about the event; default false. */
  emailConsent?: boolean | null;
}

/** Options of the registration methods: `now` is the UTC instant the rules are checked at (tests). */
export interface RegistrationOptions {
  now?: Date;
}

/**
 * Registrations of members for hackathons. A member is named by id or GitHub login
 * ({@link ParticipantService}); bots and the deleted-user sentinel are refused. Registration is
 * open while the status is registration_open or running, inside the registration window when one
 * is set ({@link assertRegistrationOpen}). A merged member's registration is the survivor's:
 * the survivor cannot register twice.
 *
 * Registering, changing and withdrawing take the hackathon row `FOR SHARE`, so a status change
 * waits for them (and they for it).
 */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly participants: ParticipantService,
    private readonly hackathons: HackathonService,
  ) {}

  /**
   * Registers a member (a withdrawn registration of the same member becomes active again, with the new fields).
   * @throws HackathonException BAD_USER_INPUT (malformed ids, tags, a bot, the deleted-user sentinel),
   *   NOT_FOUND (hackathon, member, unknown login), CONFLICT (registration closed), ALREADY_EXISTS (registered).
   */
  async register(hackathonId: string, member: string, fields: RegistrationFields, options: RegistrationOptions = {}) {
    const tags = this.tags(fields);
    return this.dataSource.transaction(async (manager) => {
      const hackathon = await this.shareLock(manager, hackathonId);
      assertRegistrationOpen(hackathon, options.now ?? new Date());
      const participant = await this.participants.resolve(manager, member);
      if (await this.findActive(manager, hackathon.id, participant.memberId)) {
        throw alreadyExists(`${participantName(participant)} is already registered for ${hackathon.slug}`);
      }
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO hackathon_registration (hackathon_id, member_id, skills, interests, needs, email_consent)
         VALUES ($1, $2, $3::text[], $4::text[], $5::text[], $6)
         ON CONFLICT (hackathon_id, member_id) DO UPDATE
           SET skills = EXCLUDED.skills, interests = EXCLUDED.interests, needs = EXCLUDED.needs,
               email_consent = EXCLUDED.email_consent, registered_at = now(), withdrawn_at = NULL
           WHERE hackathon_registration.withdrawn_at IS NOT NULL
         RETURNING id`,
        [hackathon.id, participant.memberId, tags.skills, tags.interests, tags.needs, fields.emailConsent ?? false],
      );
      // no row: a concurrent registration of the same member committed first
      if (!rows.length) throw alreadyExists(`${participantName(participant)} is already registered for ${hackathon.slug}`);
      return this.byIdIn(manager, rows[0].id);
    });
  }

  /**
   * Changes a registration's tags or consent (null or absent fields keep their value), while registration is open.
   * @throws HackathonException as {@link register}; NOT_FOUND when the member is not registered.
   */
  async update(hackathonId: string, member: string, fields: RegistrationFields, options: RegistrationOptions = {}) {
    return this.dataSource.transaction(async (manager) => {
      const hackathon = await this.shareLock(manager, hackathonId);
      assertRegistrationOpen(hackathon, options.now ?? new Date());
      const participant = await this.participants.resolve(manager, member);
      const current = await this.findActive(manager, hackathon.id, participant.memberId);
      if (!current) throw notFound(`${participantName(participant)} is not registered for ${hackathon.slug}`);
      await manager.query(
        `UPDATE hackathon_registration SET skills = COALESCE($2::text[], skills), interests = COALESCE($3::text[], interests),
                needs = COALESCE($4::text[], needs), email_consent = COALESCE($5, email_consent) WHERE id = $1`,
        [
          current.id,
          fields.skills == null ? null : normaliseTags('skills', fields.skills),
          fields.interests == null ? null : normaliseTags('interests', fields.interests),
          fields.needs == null ? null : normaliseTags('needs', fields.needs),
          fields.emailConsent ?? null,
        ],
      );
      return this.byIdIn(manager, current.id);
    });
  }

  /**
   * Withdraws a member's registration (every active one of the member and the members merged into it).
   * A member in a team leaves it first: withdrawing would leave a team member unregistered.
   * @throws HackathonException NOT_FOUND (hackathon, member, not registered), CONFLICT (registration
   *   closed; the member is in a team), BAD_USER_INPUT (malformed id or login).
   */
  async withdraw(hackathonId: string, member: string, options: RegistrationOptions = {}) {
    return this.dataSource.transaction(async (manager) => {
      const hackathon = await this.shareLock(manager, hackathonId);
      assertRegistrationOpen(hackathon, options.now ?? new Date());
      const participant = await this.participants.resolve(manager, member);
      const current = await this.findActive(manager, hackathon.id, participant.memberId);
      if (!current) throw notFound(`${participantName(participant)} is not registered for ${hackathon.slug}`);
      const [team]: Array<{ name: string }> = await manager.query(
        `SELECT t.name FROM team_member tm JOIN team t ON t.id = tm.team_id
          WHERE tm.hackathon_id = $1 AND ${memberRootSql('tm.member_id')} = $2 LIMIT 1`,
        [hackathon.id, participant.memberId],
      );
      if (team) throw conflict(`${participantName(participant)} is in team "${team.name}": leave the team before withdrawing`);
      await manager.query(
        `UPDATE hackathon_registration r SET withdrawn_at = now()
          WHERE r.hackathon_id = $1 AND r.withdrawn_at IS NULL AND ${memberRootSql('r.member_id')} = $2`,
        [hackathon.id, participant.memberId],
      );
      return this.byIdIn(manager, current.id);
    });
  }

  /**
   * The member's active registration (its own or that of a member merged into it), in the
   * caller's transaction; null when not registered.
   */
  async findActive(manager: EntityManager, hackathonId: string, memberId: string): Promise<HackathonRegistrationEntity | null> {
    const rows = await manager.query(
      `SELECT ${REGISTRATION_COLUMNS} FROM hackathon_registration r
        WHERE r.hackathon_id = $1 AND r.withdrawn_at IS NULL AND ${memberRootSql('r.member_id')} = ${memberRootSql('$2::uuid')}
        ORDER BY r.registered_at, r.id LIMIT 1`,
      [hackathonId, memberId],
    );
    return rows.length ? toRegistration(rows[0]) : null;
  }

  private tags(fields: RegistrationFields) {
    return {
      skills: normaliseTags('skills', fields.skills),
      interests: normaliseTags('interests', fields.interests),
      needs: normaliseTags('needs', fields.needs),
    };
  }

  private async shareLock(manager: EntityManager, hackathonId: string): Promise<HackathonEntity> {
    return this.hackathons.lock(manager, hackathonId, 'pessimistic_read');
  }

  private async byIdIn(manager: EntityManager, id: string): Promise<HackathonRegistrationEntity> {
    const [row] = await manager.query(`SELECT ${REGISTRATION_COLUMNS} FROM hackathon_registration r WHERE r.id = $1`, [id]);
    return toRegistration(row);
  }
}
