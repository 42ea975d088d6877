import type { DataSource } from 'typeorm';
import { AffiliationRecomputeService, isPersonalMailDomain } from '#libs/members';
import { graphqlRequest } from './graphql-client.js';

/**
 * Organisations behind the non-webmail commit e-mail domains of the RWKV snapshot
 * (`../shared/data/rwkv/*.commits.jsonl`: addresses are `sha1(local)@domain`, the domain is
 * real). Only recognisable companies and universities: personal domains (`walter.name`,
 * `rusnak.io`), relays (`mozmail.com`) and the placeholder `a.com` are not organisations. None
 * is marked a customer: nothing in the data says any pays for Cambrian.
 */
export const DEMO_ORGANIZATIONS: ReadonlyArray<{ name: string; domains: string[] }> = [
  { name: 'NVIDIA', domains: ['nvidia.com'] },
  { name: 'Intel', domains: ['intel.com'] },
  { name: 'IBM', domains: ['ibm.com'] },
  { name: 'Shopify', domains: ['shopify.com'] },
  { name: 'Canva', domains: ['canva.com'] },
  { name: 'HERE Technologies', domains: ['here.com'] },
  { name: 'Xiaohongshu', domains: ['xiaohongshu.com'] },
  { name: 'Moore Threads', domains: ['mthreads.com'] },
  { name: 'Recursal AI', domains: ['recursal.ai', 'recursal-dev.com'] },
  { name: 'Moqi', domains: ['moqi.ai'] },
  { name: 'Qiyuan Lab', domains: ['qiyuanlab.com'] },
  { name: 'University of Virginia', domains: ['virginia.edu'] },
  { name: 'University of Michigan', domains: ['umich.edu'] },
  { name: 'UCLA', domains: ['ucla.edu'] },
  { name: 'United States Military Academy', domains: ['westpoint.edu'] },
  { name: 'University of Oslo', domains: ['uio.no'] },
  { name: 'Erasmus University Rotterdam', domains: ['eur.nl'] },
];

const ORGANIZATIONS = `{ organizations(first: 100) { edges { node { name } } } }`;
const CREATE = `mutation Create($name: String!, $domains: [String!]) { createOrganization(name: $name, domains: $domains) { id } }`;

/** Whether `domain` is `owned` or one of its subdomains. */
const within = (domain: string, owned: string) => domain === owned || domain.endsWith(`.${owned}`);

/**
 * Creates (through GraphQL, as an admin) the {@link DEMO_ORGANIZATIONS} whose domains occur
 * among the synced e-mail identities and are missing, then recomputes automatic affiliations
 * at once (the worker's queued recompute then finds nothing to change).
 * @returns lines for the demo to print.
 */
export async function setUpDemoOrganizations(graphqlUrl: string, token: string, dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ domain: string }> = await dataSource.query(
    `SELECT DISTINCT lower(split_part(key, '@', 2)) AS domain FROM identity WHERE platform = 'email'`,
  );
  const domains = rows.map((row) => row.domain).filter((domain) => domain && !isPersonalMailDomain(domain));
  const present = DEMO_ORGANIZATIONS.filter((organization) =>
    organization.domains.some((owned) => domains.some((domain) => within(domain, owned))),
  );
  const existing = await graphqlRequest<{ organizations: { edges: Array<{ node: { name: string } }> } }>(graphqlUrl, ORGANIZATIONS);
  const known = new Set(existing.organizations.edges.map((edge) => edge.node.name.toLowerCase()));
  const created: string[] = [];
  for (const organization of present) {
    if (known.has(organization.name.toLowerCase())) continue;
    await graphqlRequest(graphqlUrl, CREATE, { name: organization.name, domains: organization.domains }, token);
    created.push(organization.name);
  }
  await new AffiliationRecomputeService(dataSource).recompute();
  const [affiliated]: Array<{ members: number; organizations: number }> = await dataSource.query(
    `SELECT count(DISTINCT member_id)::int AS members, count(DISTINCT organization_id)::int AS organizations FROM affiliation`,
  );
  const unmatched = domains.filter((domain) => !DEMO_ORGANIZATIONS.some((o) => o.domains.some((owned) => within(domain, owned))));
  return [
    `organisations: ${present.length} of the commit e-mail domains belong to known organisations (none a customer)` +
      (created.length ? `; created ${created.join(', ')}` : '; all existed already'),
    `affiliations: ${affiliated.members} members with ${affiliated.organizations} organisations; ` +
      `${unmatched.length} other non-webmail domains look personal and stay unaffiliated`,
  ];
}
