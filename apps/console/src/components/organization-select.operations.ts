import { graphql } from '../graphql/generated/index.js';

/** Organisations whose name or domain contains `search` (the first 20), for an organisation filter. */
export const OrganizationOptionsQuery = graphql(`
  query OrganizationOptions($search: String) {
    organizations(first: 20, query: $search) {
      edges {
        node {
          id
          name
          isCustomer
        }
      }
    }
  }
`);
