/** An organisation as the read models and the API show it. */
export interface OrganizationView {
  id: string;
  name: string;
  /** Lower-case e-mail domains it owns. */
  domains: string[];
  /** Paying customer (funnels and metrics can keep to non-paying organisations). */
  isCustomer: boolean;
  /** UTC instants. */
  createdAt: Date;
  updatedAt: Date;
}

/** Fields of a new organisation. */
export interface OrganizationInput {
  name: string;
  domains?: readonly string[] | null;
  isCustomer?: boolean | null;
}

/** Fields to change; absent (undefined or null) fields keep their value. `domains` replaces the list. */
export interface OrganizationPatch {
  name?: string | null;
  domains?: readonly string[] | null;
  isCustomer?: boolean | null;
}

/** Arguments of an organisation listing. */
export interface OrganizationListArgs {
  /** Case-insensitive substring of the name or of a domain. */
  query?: string | null;
  isCustomer?: boolean | null;
  /** Page size, 1–100 (default 20). */
  first?: number | null;
  after?: string | null;
}

/** A member credited with contributions to an organisation. */
export interface OrganizationMemberCredit {
  memberId: string;
  /** Activities (not undone) credited to the organisation: the member was with it on their date. */
  contributionCount: number;
  /** UTC instants of the first and last credited activity; null with none. */
  firstContributionAt: Date | null;
  lastContributionAt: Date | null;
}
