/** Where an affiliation came from. */
export const AFFILIATION_SOURCES = ['profile', 'email_domain', 'manual'] as const;
/** `profile`: GitHub profile company field; `email_domain`: the member's commit e-mail domains; `manual`: an admin. */
export type AffiliationSource = (typeof AFFILIATION_SOURCES)[number];

/** A member's affiliation with an organisation over `[startsAt, endsAt)` (UTC instants; null bounds are open). */
export interface AffiliationView {
  id: string;
  memberId: string;
  organizationId: string;
  startsAt: Date | null;
  endsAt: Date | null;
  source: AffiliationSource;
  /**
   * What the row rests on. `email_domain`: `{ domains, firstSeenAt, lastSeenAt, activities }`;
   * `profile`: `{ company }`; `manual`: `{ note?, by? }` (the admin token id).
   */
  evidence: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/** A manual affiliation to record. */
export interface ManualAffiliationInput {
  memberId: string;
  organizationId: string;
  /** Inclusive start (UTC instant); null or absent: open start. */
  startsAt?: Date | null;
  /** Exclusive end (UTC instant); null or absent: open end. */
  endsAt?: Date | null;
  /** Why (free text, at most 500 characters). */
  note?: string | null;
  /** Who: the admin API token id, kept in the evidence. */
  by?: string | null;
}

/** What a recompute changed. */
export interface AffiliationRecomputeResult {
  inserted: number;
  updated: number;
  deleted: number;
  /** Automatic affiliations in scope after the recompute. */
  total: number;
}
