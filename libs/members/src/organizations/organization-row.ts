import type { OrganizationView } from './organization.types.js';

/** Columns of an `organization` row as {@link toOrganizationView} reads them. */
export const ORGANIZATION_COLUMNS = `o.id, o.name, o.domains, o.is_customer, o.created_at, o.updated_at`;

/** An `organization` row. */
export interface OrganizationRow {
  id: string;
  name: string;
  domains: string[];
  is_customer: boolean;
  created_at: Date;
  updated_at: Date;
}

/** Row to view. */
export function toOrganizationView(row: OrganizationRow): OrganizationView {
  return {
    id: row.id,
    name: row.name,
    domains: row.domains,
    isCustomer: row.is_customer,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
