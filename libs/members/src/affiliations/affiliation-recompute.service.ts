import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  emailDomain,
  organizationForCompany,
  organizationForDomain,
  type OrganizationKeys,
} from '../organizations/organization-names.js';
import { isPersonalMailDomain } from '../organizations/webmail.js';
import type { AffiliationRecomputeResult } from './affiliation.types.js';

/** Serialises recomputes (a scheduled job and a CLI run must not interleave their diffs). */
const RECOMPUTE_LOCK = 0x414646; // "AFF"

/** Options of {@link AffiliationRecomputeService.recompute}. */
export interface AffiliationRecomputeOptions {
  /** Only these members (e.g. after a merge); all members when absent. */
  memberIds?: readonly string[] | null;
}

/**
 * The automatic affiliations every member should have, from the evidence (one SQL statement,
 * parameters: $1 domains, $2 their organisations, $3 profile company texts, $4 their
 * organisations, $5 member ids in scope or NULL for all):
 *
 * - `email_domain`: for each organisation owning the domain of one of the member's e-mail
 *   identities, the first and last activity made under such an address. Periods follow each
 *   other: one starts at its first activity and ends where the member's next organisation's
 *   starts (a job change); the latest stays open.
 * - `profile`: for each range of company text a member's GitHub profile showed
 *   (`github_profile_company`, written by `ProfileCompanyService` from "Get a user" answers), the
 *   organisation the text names, over the same range: a profile says where someone is now, so
 *   it starts when Cambrian first observed it and the current one stays open. Consecutive ranges
 *   of one account naming the same organisation (`Acme` then `@acme`) are one affiliation; text
 *   naming no organisation makes none. When the current profile names another organisation than
 *   the member's latest e-mail period, that period ends just after its last activity.
 */
const DESIRED_SQL = `
  domain_org AS (SELECT * FROM unnest($1::text[], $2::uuid[]) AS t(domain, organization_id)),
  company_org AS (SELECT * FROM unnest($3::text[], $4::uuid[]) AS t(company, organization_id)),
  email_evidence AS (
    SELECT a.member_id, d.organization_id, min(a.occurred_at) AS first_seen, max(a.occurred_at) AS last_seen,
           count(*)::int AS activities, array_agg(DISTINCT d.domain ORDER BY d.domain) AS domains
      FROM identity i
      JOIN domain_org d ON d.domain = lower(split_part(i.key, '@', 2))
      JOIN activity a ON a.identity_id = i.id AND a.removed_at IS NULL
     WHERE i.platform = 'email' AND ($5::uuid[] IS NULL OR a.member_id = ANY($5::uuid[]))
     GROUP BY a.member_id, d.organization_id),
  email_periods AS (
    SELECT e.*, lead(e.first_seen) OVER (PARTITION BY e.member_id ORDER BY e.first_seen, e.organization_id) AS next_start,
           row_number() OVER (PARTITION BY e.member_id ORDER BY e.first_seen DESC, e.organization_id DESC) AS recency
      FROM email_evidence e),
  profile_ranges AS (
    SELECT p.account_id, ga.member_id, c.organization_id, p.company, p.observed_from, p.observed_until,
           CASE WHEN lag(c.organization_id) OVER w = c.organization_id AND lag(p.observed_until) OVER w = p.observed_from
                THEN 0 ELSE 1 END AS opens
      FROM github_profile_company p
      JOIN github_account ga ON ga.id = p.account_id
      JOIN company_org c ON c.company = p.company
     WHERE ga.member_id IS NOT NULL AND ($5::uuid[] IS NULL OR ga.member_id = ANY($5::uuid[]))
    WINDOW w AS (PARTITION BY p.account_id ORDER BY p.observed_from)),
  profile_islands AS (
    SELECT r.*, sum(r.opens) OVER (PARTITION BY r.account_id ORDER BY r.observed_from) AS island FROM profile_ranges r),
  profile_periods AS (
    SELECT DISTINCT ON (member_id, organization_id, starts_at, ends_at) * FROM (
      SELECT i.member_id, i.organization_id, min(i.observed_from) AS starts_at,
             CASE WHEN bool_or(i.observed_until IS NULL) THEN NULL ELSE max(i.observed_until) END AS ends_at,
             (array_agg(i.company ORDER BY i.observed_from DESC))[1] AS company
        FROM profile_islands i GROUP BY i.account_id, i.member_id, i.organization_id, i.island) merged
     ORDER BY member_id, organization_id, starts_at, ends_at, company),
  profile AS (
    SELECT DISTINCT ON (pp.member_id) pp.member_id, pp.organization_id
      FROM profile_periods pp WHERE pp.ends_at IS NULL
     ORDER BY pp.member_id, pp.starts_at DESC, pp.organization_id),
  desired AS (
    SELECT p.member_id, p.organization_id, 'email_domain'::text AS source, p.first_seen AS starts_at,
           CASE WHEN p.recency = 1 AND pr.organization_id IS DISTINCT FROM p.organization_id AND pr.organization_id IS NOT NULL
                  THEN p.last_seen + interval '1 millisecond'
                WHEN p.next_start IS NULL THEN NULL
                ELSE greatest(p.next_start, p.first_seen + interval '1 millisecond') END AS ends_at,
           jsonb_build_object('domains', p.domains, 'firstSeenAt', p.first_seen, 'lastSeenAt', p.last_seen,
                              'activities', p.activities) AS evidence
      FROM email_periods p LEFT JOIN profile pr ON pr.member_id = p.member_id
    UNION ALL
    SELECT pp.member_id, pp.organization_id, 'profile'::text, pp.starts_at, pp.ends_at,
           jsonb_build_object('company', pp.company)
      FROM profile_periods pp)`;

/**
 * Same affiliation row: open bounds compare as ±infinity, so every term is a plain equality and
 * Postgres can hash-join the diff (IS NOT DISTINCT FROM would force nested loops). The insert
 * compares with `existing`, the rows as they were before the statement: an anti-join against
 * the table being inserted into re-reads its growing heap for every row (30 s for 35k rows on
 * an empty table, bench/affiliations.ts).
 */
const SAME_ROW = `d.member_id = af.member_id AND d.organization_id = af.organization_id AND d.source = af.source
  AND coalesce(d.starts_at, '-infinity'::timestamptz) = coalesce(af.starts_at, '-infinity'::timestamptz)
  AND coalesce(d.ends_at, 'infinity'::timestamptz) = coalesce(af.ends_at, 'infinity'::timestamptz)`;

const IN_SCOPE = `af.source IN ('profile', 'email_domain') AND ($5::uuid[] IS NULL OR af.member_id = ANY($5::uuid[]))`;

/**
 * Recomputes automatic affiliations (`profile`, `email_domain`) from the evidence, as a diff:
 * rows still backed by evidence keep their id (their evidence summary is refreshed), rows no
 * longer backed are deleted, new ones inserted. Running it twice changes nothing the second
 * time. Manual affiliations are never touched. Public webmail, relay and noreply domains never
 * produce an affiliation, even if an organisation lists one.
 */
@Injectable()
export class AffiliationRecomputeService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Recomputes automatic affiliations for every member, or for `options.memberIds`. */
  async recompute(options: AffiliationRecomputeOptions = {}): Promise<AffiliationRecomputeResult> {
    const scope = options.memberIds ? [...options.memberIds] : null;
    const result = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock($1)`, [RECOMPUTE_LOCK]);
      // the planner's cost estimates for the diff are far above jit_above_cost, and compiling it
      // took longer than running it (bench/affiliations.ts: 2.4 s against 1.1 s unchanged)
      await manager.query(`SET LOCAL jit = off`);
      const organizations: OrganizationKeys[] = await manager.query(`SELECT id, name, domains FROM organization`);
      const domains = await this.domainOrganizations(manager, organizations, scope);
      const companies = await this.companyOrganizations(manager, organizations, scope);
      const rows: Array<{ inserted: number; updated: number; deleted: number; total: number }> = await manager.query(
        `WITH ${DESIRED_SQL},
         existing AS MATERIALIZED (
           SELECT af.member_id, af.organization_id, af.source, af.starts_at, af.ends_at FROM affiliation af WHERE ${IN_SCOPE}),
         deleted AS (
           DELETE FROM affiliation af WHERE ${IN_SCOPE} AND NOT EXISTS (SELECT 1 FROM desired d WHERE ${SAME_ROW})
           RETURNING 1),
         updated AS (
           UPDATE affiliation af SET evidence = d.evidence, updated_at = now() FROM desired d
            WHERE ${IN_SCOPE} AND ${SAME_ROW} AND af.evidence IS DISTINCT FROM d.evidence
           RETURNING 1),
         inserted AS (
           INSERT INTO affiliation (member_id, organization_id, source, starts_at, ends_at, evidence)
           SELECT d.member_id, d.organization_id, d.source, d.starts_at, d.ends_at, d.evidence FROM desired d
            WHERE NOT EXISTS (SELECT 1 FROM existing af WHERE ${SAME_ROW})
           RETURNING 1)
         SELECT (SELECT count(*)::int FROM inserted) AS inserted, (SELECT count(*)::int FROM updated) AS updated,
                (SELECT count(*)::int FROM deleted) AS deleted, (SELECT count(*)::int FROM desired) AS total`,
        [domains.map(([domain]) => domain), domains.map(([, id]) => id), companies.map(([c]) => c), companies.map(([, id]) => id), scope],
      );
      return rows[0];
    });
    return result;
  }

  /** (domain, organisation id) for every e-mail domain in scope that an organisation owns; webmail never. */
  private async domainOrganizations(
    manager: EntityManager,
    organizations: OrganizationKeys[],
    scope: string[] | null,
  ): Promise<Array<[string, string]>> {
    if (organizations.every((organization) => organization.domains.length === 0)) return [];
    const rows: Array<{ domain: string }> = await manager.query(
      `SELECT DISTINCT lower(split_part(key, '@', 2)) AS domain FROM identity
        WHERE platform = 'email' AND ($1::uuid[] IS NULL OR member_id = ANY($1::uuid[]))`,
      [scope],
    );
    const pairs: Array<[string, string]> = [];
    for (const { domain } of rows) {
      const valid = emailDomain(`x@${domain}`);
      if (!valid || isPersonalMailDomain(valid)) continue;
      const organizationId = organizationForDomain(valid, organizations);
      if (organizationId) pairs.push([domain, organizationId]);
    }
    return pairs;
  }

  /** (company text, organisation id) for every company text a profile in scope showed that names an organisation. */
  private async companyOrganizations(
    manager: EntityManager,
    organizations: OrganizationKeys[],
    scope: string[] | null,
  ): Promise<Array<[string, string]>> {
    if (organizations.length === 0) return [];
    const rows: Array<{ company: string }> = await manager.query(
      `SELECT DISTINCT p.company FROM github_profile_company p JOIN github_account ga ON ga.id = p.account_id
        WHERE ga.member_id IS NOT NULL AND ($1::uuid[] IS NULL OR ga.member_id = ANY($1::uuid[]))`,
      [scope],
    );
    const pairs: Array<[string, string]> = [];
    for (const { company } of rows) {
      const organizationId = organizationForCompany(company, organizations);
      if (organizationId) pairs.push([company, organizationId]);
    }
    return pairs;
  }
}
