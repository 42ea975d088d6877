import type { AffiliationSource, AffiliationView } from './affiliation.types.js';

/** Columns of an `affiliation` row (alias `af`) as {@link toAffiliationView} reads them. */
export const AFFILIATION_COLUMNS = `af.id, af.member_id, af.organization_id, af.starts_at, af.ends_at, af.source, af.evidence,
  af.created_at, af.updated_at`;

/** An `affiliation` row. */
export interface AffiliationRow {
  id: string;
  member_id: string;
  organization_id: string;
  starts_at: Date | null;
  ends_at: Date | null;
  source: AffiliationSource;
  evidence: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

/** Row to view. */
export function toAffiliationView(row: AffiliationRow): AffiliationView {
  return {
    id: row.id,
    memberId: row.member_id,
    organizationId: row.organization_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    source: row.source,
    evidence: row.evidence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
