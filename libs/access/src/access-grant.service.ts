import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccessException, AccessExceptionCode } from './access.exception.js';
import type { AccessGrantView, OrganizerScope } from './access.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = 'id, member_id, role, ecosystem_id, hackathon_id, granted_by, granted_at, revoked_by, revoked_at';
/** {@link COLUMNS} of grant `g` with the slugs of its scope. */
const VIEW_SQL = `SELECT g.id, g.member_id, g.role, g.ecosystem_id, g.hackathon_id, g.granted_by, g.granted_at, g.revoked_by, g.revoked_at,
       e.slug AS ecosystem_slug, h.slug AS hackathon_slug
  FROM access_grant g LEFT JOIN ecosystem e ON e.id = g.ecosystem_id LEFT JOIN hackathon h ON h.id = g.hackathon_id`;

interface GrantRow {
  id: string;
  member_id: string;
  role: 'organizer';
  ecosystem_id: number | null;
  hackathon_id: string | null;
  granted_by: string | null;
  granted_at: Date;
  revoked_by: string | null;
  revoked_at: Date | null;
  ecosystem_slug?: string | null;
  hackathon_slug?: string | null;
}

function toView(row: GrantRow): AccessGrantView {
  return {
    id: row.id,
    memberId: row.member_id,
    role: row.role,
    ecosystemId: row.ecosystem_id,
    hackathonId: row.hackathon_id,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at,
    revokedBy: row.revoked_by,
    revokedAt: row.revoked_at,
    ecosystemSlug: row.ecosystem_slug ?? null,
    hackathonSlug: row.hackathon_slug ?? null,
  };
}

/** Where an organiser grant applies, named as the API names things: an ecosystem slug or a hackathon (id or slug); exactly one. */
export interface OrganizerScopeRef {
  ecosystem?: string | null;
  hackathon?: string | null;
}

/**
 * Organiser grants (table `access_grant`, migration 1764900000000): who may manage which
 * ecosystem's or hackathon's events. Admins grant and revoke; a grant is held by a member and read
 * through `member_root`, so it follows merges.
 */
@Injectable()
export class AccessGrantService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Makes a member ORGANIZER of an ecosystem or a hackathon; `actor` is recorded (`api-token:<id>`, `member:<id>`).
   * @throws AccessException ACCESS_INVALID (both or neither scope given), ACCESS_NOT_FOUND (ecosystem, hackathon),
   *   ACCESS_CONFLICT (the member holds that grant already).
   */
  async grantOrganizer(memberId: string, scope: OrganizerScopeRef, actor: string | null): Promise<AccessGrantView> {
    const resolved = await this.resolveScope(scope);
    const existing = await this.dataSource.query(
      `SELECT 1 FROM access_grant WHERE revoked_at IS NULL AND role = 'organizer' AND member_root(member_id) = member_root($1::uuid)
          AND ecosystem_id IS NOT DISTINCT FROM $2 AND hackathon_id IS NOT DISTINCT FROM $3::uuid`,
      [memberId, resolved.ecosystemId ?? null, resolved.hackathonId ?? null],
    );
    if (existing[0]) throw new AccessException('The member is an organiser of that scope already', AccessExceptionCode.CONFLICT);
    const rows: GrantRow[] = await this.dataSource.query(
      `INSERT INTO access_grant (member_id, role, ecosystem_id, hackathon_id, granted_by) VALUES ($1, 'organizer', $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [memberId, resolved.ecosystemId ?? null, resolved.hackathonId ?? null, actor],
    );
    if (!rows[0]) throw new AccessException('The member is an organiser of that scope already', AccessExceptionCode.CONFLICT);
    return this.byId(rows[0].id);
  }

  /**
   * Revokes a grant (the row stays, with `revoked_at` and `revoked_by`).
   * @throws AccessException ACCESS_INVALID (malformed id), ACCESS_NOT_FOUND, ACCESS_CONFLICT (revoked already).
   */
  async revoke(grantId: string, actor: string | null): Promise<AccessGrantView> {
    if (!UUID.test(grantId)) throw new AccessException(`"${grantId}" is not a grant id (a UUID)`, AccessExceptionCode.INVALID);
    // an UPDATE answers [rows, affected count] through TypeORM
    const [rows]: [GrantRow[], number] = await this.dataSource.query(
      `UPDATE access_grant SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [grantId, actor],
    );
    if (rows[0]) return this.byId(rows[0].id);
    const known = await this.dataSource.query(`SELECT 1 FROM access_grant WHERE id = $1`, [grantId]);
    if (known[0]) throw new AccessException(`Grant ${grantId} is revoked already`, AccessExceptionCode.CONFLICT);
    throw new AccessException(`No grant ${grantId}`, AccessExceptionCode.NOT_FOUND);
  }

  /** Grants, newest first: of one member (through merges) when given; revoked ones only with `includeRevoked`. */
  async list(filter: { memberId?: string | null; includeRevoked?: boolean } = {}): Promise<AccessGrantView[]> {
    const rows: GrantRow[] = await this.dataSource.query(
      `${VIEW_SQL}
        WHERE ($1::uuid IS NULL OR member_root(g.member_id) = member_root($1::uuid)) AND ($2 OR g.revoked_at IS NULL)
        ORDER BY g.granted_at DESC, g.id`,
      [filter.memberId ?? null, filter.includeRevoked ?? false],
    );
    return rows.map(toView);
  }

  private async byId(id: string): Promise<AccessGrantView> {
    const rows: GrantRow[] = await this.dataSource.query(`${VIEW_SQL} WHERE g.id = $1`, [id]);
    return toView(rows[0]);
  }

  /** The ecosystems and hackathons a member organises now (grants in force, through merges). */
  async organizerScopesOf(memberId: string): Promise<OrganizerScope[]> {
    const rows: Array<{ ecosystem_id: number | null; hackathon_id: string | null }> = await this.dataSource.query(
      `SELECT ecosystem_id, hackathon_id FROM access_grant
        WHERE revoked_at IS NULL AND role = 'organizer' AND member_root(member_id) = member_root($1::uuid)`,
      [memberId],
    );
    return rows.map((row) => (row.ecosystem_id != null ? { ecosystemId: row.ecosystem_id } : { hackathonId: row.hackathon_id! }));
  }

  private async resolveScope(scope: OrganizerScopeRef): Promise<OrganizerScope> {
    if ((scope.ecosystem == null) === (scope.hackathon == null)) {
      throw new AccessException('Give exactly one of ecosystem and hackathon', AccessExceptionCode.INVALID);
    }
    if (scope.ecosystem != null) {
      const rows = await this.dataSource.query(`SELECT id FROM ecosystem WHERE slug = $1`, [scope.ecosystem]);
      if (!rows[0]) throw new AccessException(`No ecosystem "${scope.ecosystem}"`, AccessExceptionCode.NOT_FOUND);
      return { ecosystemId: rows[0].id };
    }
    const ref = scope.hackathon!.trim();
    const rows = await this.dataSource.query(`SELECT id FROM hackathon WHERE ${UUID.test(ref) ? 'id = $1::uuid' : 'slug = $1'}`, [ref]);
    if (!rows[0]) throw new AccessException(`No hackathon "${ref}"`, AccessExceptionCode.NOT_FOUND);
    return { hackathonId: rows[0].id };
  }
}
