import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { IdentityException, IdentityExceptionCode } from '../identity.exception.js';
import { ERASED_REPOSITORY_NAME, repositoryOwnerErasedSql } from '../queries/rows.js';
import { memberGroupSql } from './member-erasure.types.js';

/** Version of the export document's shape (`format`). */
export const MEMBER_EXPORT_FORMAT = 'cambrian-member-export/1';

/** Activities per page of an export: default and most. */
export const EXPORT_ACTIVITIES_DEFAULT = 1000;
export const EXPORT_ACTIVITIES_MAX = 5000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One page of a member's activities, oldest first (keyset by activity id). */
export interface ExportActivityPage {
  items: Array<Record<string, unknown>>;
  /** Cursor of the next page (`activitiesAfter`), or null after the last one. */
  nextCursor: string | null;
}

/**
 * The export document (GDPR art. 15 access and art. 20 portability): everything Cambrian holds
 * about one member, as stored (column names in snake_case), with no other person's data.
 */
export interface MemberExportDocument {
  format: string;
  /** UTC instant of the export. */
  exportedAt: string;
  member: Record<string, unknown>;
  /** Members merged into this one (their rows; their identities are the member's now). */
  mergedMembers: Array<Record<string, unknown>>;
  /** GitHub accounts, each with the company texts its profile showed (`profile_companies`, dated ranges). */
  githubAccounts: Array<Record<string, unknown>>;
  /** GitHub and e-mail identities, each with its evidence (`proofs`). */
  identities: Array<Record<string, unknown>>;
  emailAddresses: string[];
  affiliations: Array<Record<string, unknown>>;
  stages: Array<Record<string, unknown>>;
  stagePath: Array<Record<string, unknown>>;
  activities: {
    total: number;
    byType: Record<string, number>;
    /** The page asked for; with {@link MemberDataExportService.activityPages} the whole list. */
    items: Array<Record<string, unknown>>;
    nextCursor: string | null;
  };
  hackathons: {
    registrations: Array<Record<string, unknown>>;
    teams: Array<Record<string, unknown>>;
    submissions: Array<Record<string, unknown>>;
    scoresReceived: Array<Record<string, unknown>>;
    contributions: Array<Record<string, unknown>>;
  };
  digests: { preference: Record<string, unknown> | null; sends: Array<Record<string, unknown>> };
  /** Sign-in sessions (never their secrets' hashes). */
  sessions: Array<Record<string, unknown>>;
  /** The deletion record, when the member's personal data was deleted. */
  erasure: Record<string, unknown> | null;
}

/**
 * Builds a member's data export. The member is taken with every member merged into it (a merged
 * member's id names its survivor). Everything but the activity list is read at once (it is bounded
 * by one person's rows); activities come in pages of at most {@link EXPORT_ACTIVITIES_MAX}, oldest
 * first, so an export of a prolific member never holds them all in memory.
 */
@Injectable()
export class MemberDataExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The export of member `memberId` with one page of activities.
   * @param options.activitiesFirst page size, 0–{@link EXPORT_ACTIVITIES_MAX} (default {@link EXPORT_ACTIVITIES_DEFAULT}).
   * @param options.activitiesAfter cursor from a previous page's `nextCursor`.
   * @throws IdentityException BAD_USER_INPUT (malformed id, page size or cursor), NOT_FOUND (unknown member).
   */
  async export(memberId: string, options: { activitiesFirst?: number; activitiesAfter?: string | null } = {}): Promise<MemberExportDocument> {
    const first = options.activitiesFirst ?? EXPORT_ACTIVITIES_DEFAULT;
    if (!Number.isInteger(first) || first < 0 || first > EXPORT_ACTIVITIES_MAX) {
      throw badInput(`activitiesFirst: ${first} is not an integer from 0 to ${EXPORT_ACTIVITIES_MAX}`);
    }
    const rootId = await this.rootOf(memberId);
    const page = await this.activityPage(rootId, first, parseCursor(options.activitiesAfter ?? null));
    return this.document(rootId, page);
  }

  /**
   * The export without activity items, and the member's activities as an async sequence of pages
   * (oldest first), for streaming a whole export (GET /me/export) in bounded memory.
   */
  async exportStreamed(memberId: string, pageSize = EXPORT_ACTIVITIES_DEFAULT): Promise<{ head: MemberExportDocument; pages: AsyncGenerator<Array<Record<string, unknown>>> }> {
    const rootId = await this.rootOf(memberId);
    const head = await this.document(rootId, { items: [], nextCursor: null });
    const page = (after: number) => this.activityPage(rootId, pageSize, after);
    async function* pages() {
      let after = 0;
      for (;;) {
        const next = await page(after);
        if (next.items.length > 0) yield next.items;
        if (!next.nextCursor) return;
        after = parseCursor(next.nextCursor);
      }
    }
    return { head, pages: pages() };
  }

  /**
   * The member a member id names: the root of its merge chain (a merged member's survivor).
   * @throws IdentityException BAD_USER_INPUT (not a UUID), NOT_FOUND (no such member).
   */
  async rootOf(memberId: string): Promise<string> {
    if (!UUID.test(memberId)) throw badInput(`"${memberId}" is not a member id (UUID)`);
    const [row]: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM member WHERE id = member_root($1::uuid)`, [
      memberId.toLowerCase(),
    ]);
    if (!row) throw new IdentityException(`No member ${memberId}`, IdentityExceptionCode.NOT_FOUND);
    return row.id;
  }

  private async activityPage(rootId: string, first: number, after: number): Promise<ExportActivityPage> {
    if (first === 0) return { items: [], nextCursor: null };
    const rows: Array<{ id: string; item: Record<string, unknown> }> = await this.dataSource.query(
      `${memberGroupSql('$1')}
       SELECT a.id::text AS id, jsonb_build_object(
                'id', a.id::text, 'type', a.type, 'occurred_at', a.occurred_at,
                -- a deleted member's repository named by one of their deleted logins: its name and GitHub links are withheld
                'repository', CASE WHEN withheld.owner_erased THEN '${ERASED_REPOSITORY_NAME}' ELSE r.full_name END,
                'source', a.source,
                -- facts naming other people are left out: who merged the pull request, who opened the issue closed
                'facts', (CASE WHEN a.type = 'issue_closed' THEN a.facts - 'author' - 'author_id' ELSE a.facts END) - 'merged_by'
                         - (CASE WHEN withheld.owner_erased THEN ARRAY['url', 'html_url', 'htmlUrl'] ELSE ARRAY[]::text[] END),
                'removed_at', a.removed_at) AS item
         FROM activity a JOIN repository r ON r.id = a.repository_id
         CROSS JOIN LATERAL (SELECT ${repositoryOwnerErasedSql('a')} AS owner_erased) withheld
        WHERE a.member_id IN (SELECT id FROM grp) AND a.id > $2
        ORDER BY a.id LIMIT $3`,
      [rootId, after, first + 1],
    );
    const more = rows.length > first;
    const items = rows.slice(0, first);
    return { items: items.map((row) => row.item), nextCursor: more ? items[items.length - 1].id : null };
  }

  private async document(rootId: string, page: ExportActivityPage): Promise<MemberExportDocument> {
    const one = async (sql: string): Promise<Array<Record<string, unknown>>> => {
      const rows: Array<{ j: Record<string, unknown> }> = await this.dataSource.query(`${memberGroupSql('$1')} ${sql}`, [rootId]);
      return rows.map((row) => row.j);
    };
    const [member] = await one(`SELECT to_jsonb(m) AS j FROM member m WHERE m.id = $1`);
    const mergedMembers = await one(`SELECT to_jsonb(m) AS j FROM member m WHERE m.id IN (SELECT id FROM grp) AND m.id <> $1 ORDER BY m.id`);
    const githubAccounts = await one(
      `SELECT (to_jsonb(g) - 'member_id') || jsonb_build_object('profile_companies', COALESCE((
                SELECT jsonb_agg(jsonb_build_object('company', p.company, 'observed_from', p.observed_from, 'observed_until', p.observed_until)
                                 ORDER BY p.observed_from)
                  FROM github_profile_company p WHERE p.account_id = g.id), '[]'::jsonb)) AS j
         FROM github_account g WHERE g.member_id IN (SELECT id FROM grp) ORDER BY g.id`,
    );
    const identities = await one(
      `SELECT (to_jsonb(i) - 'member_id') || jsonb_build_object('proofs', COALESCE((
                SELECT jsonb_agg(jsonb_build_object('kind', e.kind, 'subject', e.subject, 'detail', e.detail, 'observed_at', e.observed_at)
                                 ORDER BY e.observed_at, e.id)
                  FROM identity_evidence e WHERE e.identity_id = i.id), '[]'::jsonb)) AS j
         FROM identity i WHERE i.member_id IN (SELECT id FROM grp) ORDER BY i.platform, i.key`,
    );
    const affiliations = await one(
      `SELECT (to_jsonb(a) - 'member_id' - 'precedence') || jsonb_build_object('organization', o.name) AS j
         FROM affiliation a JOIN organization o ON o.id = a.organization_id
        WHERE a.member_id IN (SELECT id FROM grp) ORDER BY a.starts_at NULLS FIRST, a.id`,
    );
    const stages = await one(
      `SELECT (to_jsonb(s) - 'member_id') || jsonb_build_object('ecosystem', e.slug) AS j
         FROM member_stage s JOIN ecosystem e ON e.id = s.ecosystem_id WHERE s.member_id IN (SELECT id FROM grp) ORDER BY e.slug`,
    );
    const stagePath = await one(
      `SELECT (to_jsonb(t) - 'member_id') || jsonb_build_object('ecosystem', e.slug) AS j
         FROM member_stage_transition t JOIN ecosystem e ON e.id = t.ecosystem_id
        WHERE t.member_id IN (SELECT id FROM grp) ORDER BY t.at, t.id`,
    );
    const [summary] = await one(
      `SELECT jsonb_build_object('total', count(*), 'by_type', COALESCE(jsonb_object_agg(type, n), '{}'::jsonb)) AS j
         FROM (SELECT type, count(*)::int AS n FROM activity WHERE member_id IN (SELECT id FROM grp) GROUP BY type) t`,
    );
    const byTypeRows = summary.by_type as Record<string, number>;
    const total = Object.values(byTypeRows).reduce((sum, n) => sum + n, 0);
    const registrations = await one(
      `SELECT (to_jsonb(r) - 'member_id') || jsonb_build_object('hackathon', h.slug) AS j
         FROM hackathon_registration r JOIN hackathon h ON h.id = r.hackathon_id
        WHERE r.member_id IN (SELECT id FROM grp) ORDER BY r.registered_at`,
    );
    const teams = await one(
      `SELECT jsonb_build_object('team_id', t.id, 'hackathon', h.slug, 'name', t.name, 'joined_at', tm.joined_at,
                                 'captain', t.captain_member_id IN (SELECT id FROM grp)) AS j
         FROM team_member tm JOIN team t ON t.id = tm.team_id JOIN hackathon h ON h.id = t.hackathon_id
        WHERE tm.member_id IN (SELECT id FROM grp) ORDER BY tm.joined_at`,
    );
    const submissions = await one(
      `SELECT to_jsonb(s) AS j FROM submission s
        WHERE s.team_id IN (SELECT team_id FROM team_member WHERE member_id IN (SELECT id FROM grp)) ORDER BY s.submitted_at`,
    );
    // scores once the hackathon is finished (before, only organisers see them), without the judges' comments:
    // those are the judges' words, not data about this member
    const scoresReceived = await one(
      `SELECT jsonb_build_object('submission_id', sc.submission_id, 'criterion', c.name, 'value', sc.value, 'updated_at', sc.updated_at) AS j
         FROM judge_score sc JOIN judging_criterion c ON c.id = sc.criterion_id JOIN submission s ON s.id = sc.submission_id
         JOIN team t ON t.id = s.team_id JOIN hackathon h ON h.id = t.hackathon_id
        WHERE s.team_id IN (SELECT team_id FROM team_member WHERE member_id IN (SELECT id FROM grp)) AND h.status = 'finished'
        ORDER BY sc.submission_id, c.name`,
    );
    const contributions = await one(
      `SELECT (to_jsonb(c) - 'member_id') AS j FROM hackathon_contribution c
        WHERE c.member_id IN (SELECT id FROM grp) ORDER BY c.occurred_at, c.subject_key`,
    );
    const [preference] = await one(
      `SELECT to_jsonb(p) - 'member_id' AS j FROM member_email_preference p WHERE p.member_id IN (SELECT id FROM grp)
        ORDER BY (p.member_id = $1) DESC, p.updated_at DESC LIMIT 1`,
    );
    const sends = await one(
      `SELECT to_jsonb(d) - 'member_id' - 'lease_until' AS j FROM digest_send d WHERE d.member_id IN (SELECT id FROM grp) ORDER BY d.iso_week, d.id`,
    );
    const sessions = await one(
      `SELECT to_jsonb(s) - 'token_hash' - 'member_id' AS j FROM auth_session s WHERE s.member_id IN (SELECT id FROM grp) ORDER BY s.created_at`,
    );
    const [erasure] = await one(`SELECT to_jsonb(e) - 'id' AS j FROM member_erasure e WHERE e.member_id = $1`);
    const emailAddresses = [
      ...new Set([
        ...identities.filter((i) => i.platform === 'email').map((i) => String(i.key)),
        ...(preference?.email ? [String(preference.email).toLowerCase()] : []),
      ]),
    ].sort();
    return {
      format: MEMBER_EXPORT_FORMAT,
      exportedAt: new Date().toISOString(),
      member,
      mergedMembers,
      githubAccounts,
      identities,
      emailAddresses,
      affiliations,
      stages,
      stagePath,
      activities: { total, byType: byTypeRows, items: page.items, nextCursor: page.nextCursor },
      hackathons: { registrations, teams, submissions, scoresReceived, contributions },
      digests: { preference: preference ?? null, sends },
      sessions,
      erasure: erasure ?? null,
    };
  }
}

function parseCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  if (!/^[0-9]{1,18}$/.test(cursor)) throw badInput(`activitiesAfter: "${cursor}" is not a cursor of this export (a nextCursor it gave)`);
  return Number(cursor);
}

function badInput(message: string): IdentityException {
  return new IdentityException(message, IdentityExceptionCode.BAD_USER_INPUT);
}
