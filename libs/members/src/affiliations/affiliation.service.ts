import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { OrganizationException, OrganizationExceptionCode } from '../organizations/organization.exception.js';
import { parseOrganizationId } from '../organizations/organization.service.js';
import { returningRows } from '../organizations/returning-rows.js';
import { AFFILIATION_COLUMNS, toAffiliationView, type AffiliationRow } from './affiliation-row.js';
import type { AffiliationView, ManualAffiliationInput } from './affiliation.types.js';

/** Longest note kept with a manual affiliation. */
export const MAX_AFFILIATION_NOTE = 500;

const invalid = (message: string) => new OrganizationException(message, OrganizationExceptionCode.INVALID);
const notFound = (message: string) => new OrganizationException(message, OrganizationExceptionCode.NOT_FOUND);

function parseUuid(id: string, what: string): string {
  if (!z.uuid().safeParse(id).success) throw invalid(`"${id}" is not ${what} id (a UUID)`);
  return id;
}

function describeRange(startsAt: Date | null, endsAt: Date | null): string {
  return `[${startsAt?.toISOString() ?? 'open start'}, ${endsAt?.toISOString() ?? 'open end'})`;
}

/**
 * @throws OrganizationException INVALID when both bounds are set and `endsAt` is not after
 *   `startsAt` (ranges are half-open, `[startsAt, endsAt)`), or a bound is not a valid date.
 */
export function assertRange(startsAt: Date | null, endsAt: Date | null): void {
  for (const [name, value] of [
    ['startsAt', startsAt],
    ['endsAt', endsAt],
  ] as const) {
    if (value && Number.isNaN(value.getTime())) throw invalid(`${name} is not a valid date`);
  }
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) {
    throw invalid(`endsAt (${endsAt.toISOString()}) must be after startsAt (${startsAt.toISOString()})`);
  }
}

/**
 * Affiliations: a member's list (for the API, through a DataLoader) and the admin's manual
 * affiliations. Manual affiliations of one member never overlap each other (checked under a
 * lock on the member row, so concurrent admins cannot both win); they override automatic
 * ones for the dates they cover (see `organizationAtSql`) and the recompute job never touches
 * them.
 */
@Injectable()
export class AffiliationService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Each member's affiliations, in the order of `memberIds`: by start (open first), then precedence. */
  async byMemberIds(memberIds: readonly string[]): Promise<AffiliationView[][]> {
    const rows: AffiliationRow[] = await this.dataSource.query(
      `SELECT ${AFFILIATION_COLUMNS} FROM affiliation af WHERE af.member_id = ANY($1::uuid[])
        ORDER BY af.starts_at NULLS FIRST, af.precedence, af.created_at, af.id`,
      [memberIds],
    );
    const byMember = new Map<string, AffiliationView[]>();
    for (const row of rows) {
      const list = byMember.get(row.member_id) ?? [];
      list.push(toAffiliationView(row));
      byMember.set(row.member_id, list);
    }
    return memberIds.map((id) => byMember.get(id) ?? []);
  }

  /** @throws OrganizationException INVALID (not a UUID), NOT_FOUND. */
  async get(id: string): Promise<AffiliationView> {
    const rows: AffiliationRow[] = await this.dataSource.query(
      `SELECT ${AFFILIATION_COLUMNS} FROM affiliation af WHERE af.id = $1`,
      [parseUuid(id, 'an affiliation')],
    );
    if (!rows[0]) throw notFound(`no affiliation with id ${id}`);
    return toAffiliationView(rows[0]);
  }

  /**
   * Records that a member was with an organisation over `[startsAt, endsAt)` (manual source).
   * @throws OrganizationException INVALID (malformed id, endsAt not after startsAt, note too
   *   long or holding a NUL character), NOT_FOUND (member or organisation), AFFILIATION_OVERLAP_CONFLICT (another manual
   *   affiliation of the member covers part of the range: end or remove it first).
   */
  async setManual(input: ManualAffiliationInput): Promise<AffiliationView> {
    const memberId = parseUuid(input.memberId, 'a member');
    const organizationId = parseOrganizationId(input.organizationId);
    const startsAt = input.startsAt ?? null;
    const endsAt = input.endsAt ?? null;
    assertRange(startsAt, endsAt);
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_AFFILIATION_NOTE) throw invalid(`a note has at most ${MAX_AFFILIATION_NOTE} characters`);
    // Postgres jsonb cannot hold U+0000 (it would fail as 22P05, not as bad input)
    if (note?.includes('\u0000')) throw invalid('a note cannot contain NUL characters');
    return this.dataSource.transaction(async (manager) => {
      await this.lockMember(manager, memberId);
      const organization: unknown[] = await manager.query(`SELECT 1 FROM organization WHERE id = $1`, [organizationId]);
      if (organization.length === 0) throw notFound(`no organisation with id ${organizationId}`);
      await this.assertNoManualOverlap(manager, memberId, startsAt, endsAt, null);
      const evidence = { ...(note ? { note } : {}), ...(input.by ? { by: input.by } : {}) };
      const rows: AffiliationRow[] = await manager.query(
        `INSERT INTO affiliation AS af (member_id, organization_id, starts_at, ends_at, source, evidence)
         VALUES ($1, $2, $3, $4, 'manual', $5) RETURNING ${AFFILIATION_COLUMNS}`,
        [memberId, organizationId, startsAt, endsAt, evidence],
      );
      return toAffiliationView(rows[0]);
    });
  }

  /**
   * Ends a manual affiliation at `endsAt` (exclusive), e.g. when the member left.
   * @throws OrganizationException INVALID (malformed id, endsAt not after its start),
   *   NOT_FOUND, AFFILIATION_NOT_MANUAL_INVALID (automatic affiliations follow their
   *   evidence: set a manual one to override them), AFFILIATION_OVERLAP_CONFLICT (moving the
   *   end later would overlap another manual affiliation).
   */
  async endManual(id: string, endsAt: Date): Promise<AffiliationView> {
    const affiliation = await this.get(id);
    this.assertManual(affiliation);
    assertRange(affiliation.startsAt, endsAt);
    return this.dataSource.transaction(async (manager) => {
      await this.lockMember(manager, affiliation.memberId);
      await this.assertNoManualOverlap(manager, affiliation.memberId, affiliation.startsAt, endsAt, affiliation.id);
      const rows = returningRows<AffiliationRow>(
        await manager.query(
        `UPDATE affiliation AS af SET ends_at = $2, updated_at = now() WHERE af.id = $1 AND af.source = 'manual'
         RETURNING ${AFFILIATION_COLUMNS}`,
        [id, endsAt],
        ),
      );
      if (!rows[0]) throw notFound(`no affiliation with id ${id}`);
      return toAffiliationView(rows[0]);
    });
  }

  /**
   * Deletes a manual affiliation; the automatic ones it overrode apply again.
   * @throws OrganizationException INVALID, NOT_FOUND, AFFILIATION_NOT_MANUAL_INVALID.
   * @returns the deleted affiliation.
   */
  async removeManual(id: string): Promise<AffiliationView> {
    const affiliation = await this.get(id);
    this.assertManual(affiliation);
    const deleted = returningRows(
      await this.dataSource.query(`DELETE FROM affiliation WHERE id = $1 AND source = 'manual' RETURNING id`, [id]),
    );
    if (deleted.length === 0) throw notFound(`no affiliation with id ${id}`);
    return affiliation;
  }

  private assertManual(affiliation: AffiliationView): void {
    if (affiliation.source !== 'manual') {
      throw new OrganizationException(
        `affiliation ${affiliation.id} comes from ${affiliation.source === 'profile' ? 'the GitHub profile' : 'e-mail domains'} ` +
          'and is recomputed from that evidence: set a manual affiliation to override it',
        OrganizationExceptionCode.NOT_MANUAL_INVALID,
      );
    }
  }

  /** Locks the member row for the transaction, so manual changes to one member run one at a time. */
  private async lockMember(manager: EntityManager, memberId: string): Promise<void> {
    const found: unknown[] = await manager.query(`SELECT 1 FROM member WHERE id = $1 FOR UPDATE`, [memberId]);
    if (found.length === 0) throw notFound(`no member with id ${memberId}`);
  }

  private async assertNoManualOverlap(
    manager: EntityManager,
    memberId: string,
    startsAt: Date | null,
    endsAt: Date | null,
    exceptId: string | null,
  ): Promise<void> {
    const overlapping: Array<AffiliationRow & { organization_name: string }> = await manager.query(
      `SELECT ${AFFILIATION_COLUMNS}, o.name AS organization_name
         FROM affiliation af JOIN organization o ON o.id = af.organization_id
        WHERE af.member_id = $1 AND af.source = 'manual' AND ($4::uuid IS NULL OR af.id <> $4::uuid)
          AND tstzrange(af.starts_at, af.ends_at, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')
        ORDER BY af.starts_at NULLS FIRST LIMIT 1`,
      [memberId, startsAt, endsAt, exceptId],
    );
    const other = overlapping[0];
    if (other) {
      throw new OrganizationException(
        `the range ${describeRange(startsAt, endsAt)} overlaps the member's manual affiliation ${other.id} with ` +
          `"${other.organization_name}" ${describeRange(other.starts_at, other.ends_at)}: end or remove that one first`,
        OrganizationExceptionCode.OVERLAP_CONFLICT,
      );
    }
  }
}
