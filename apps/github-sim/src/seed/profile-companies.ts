import { loginFromName } from './accounts.js';
import type { Snapshot } from './snapshot.types.js';

/**
 * SIMULATED profile `company` fields. The export holds no GitHub profiles, so the sim derives
 * one from the commit e-mail domains the data does hold: an account whose person (the git
 * author names it commits under, or the name its generated login was made from) also commits
 * from one of these organisations' domains says so in its profile. Half of them (by account id)
 * write the GitHub `@org` mention, the other half a plain name, as profiles on github.com do.
 * Domains not listed (webmail, personal domains) give no company: `company: null`.
 */
export const SIM_COMPANY_BY_DOMAIN: Readonly<Record<string, { mention: string; name: string }>> = {
  'nvidia.com': { mention: '@NVIDIA', name: 'NVIDIA Corporation' },
  'intel.com': { mention: '@intel', name: 'Intel Corp.' },
  'ibm.com': { mention: '@IBM', name: 'IBM' },
  'shopify.com': { mention: '@Shopify', name: 'Shopify Inc.' },
  'canva.com': { mention: '@canva', name: 'Canva' },
  'xiaohongshu.com': { mention: '@xiaohongshu', name: 'Xiaohongshu' },
  'mthreads.com': { mention: '@mthreads', name: 'Moore Threads' },
  'recursal.ai': { mention: '@recursal', name: 'Recursal AI' },
  'moqi.ai': { mention: '@moqi', name: 'Moqi' },
  'qiyuanlab.com': { mention: '@qiyuanlab', name: 'Qiyuan Lab' },
  'virginia.edu': { mention: '@virginia', name: 'University of Virginia' },
  'umich.edu': { mention: '@umich', name: 'University of Michigan' },
  'ucla.edu': { mention: '@ucla', name: 'UCLA' },
  'westpoint.edu': { mention: '@westpoint', name: 'United States Military Academy' },
  'uio.no': { mention: '@uio', name: 'University of Oslo' },
  'eur.nl': { mention: '@eur', name: 'Erasmus University Rotterdam' },
};

/** The listed organisation domain an address belongs to (itself or a parent), or null. */
function companyDomain(email: string): string | null {
  const domain = email.slice(email.lastIndexOf('@') + 1).trim().toLowerCase();
  const labels = domain.split('.');
  for (let i = 0; i < labels.length - 1; i += 1) {
    const candidate = labels.slice(i).join('.');
    if (SIM_COMPANY_BY_DOMAIN[candidate]) return candidate;
  }
  return null;
}

/**
 * Derives each account's SIMULATED `company` (see {@link SIM_COMPANY_BY_DOMAIN}), by account id.
 * Deterministic: the domain a person used most often (ties: the alphabetically first) decides;
 * even account ids get the `@org` mention, odd ones the plain name. Accounts absent from the
 * map have no company.
 */
export function deriveProfileCompanies(snapshot: Snapshot): Map<number, string> {
  // person key (lower-cased author name, or the login made from it) → organisation domain → commits
  const byPerson = new Map<string, Map<string, number>>();
  const namesOfAccount = new Map<number, Set<string>>();
  for (const repository of snapshot.repositories) {
    for (const commit of repository.commits) {
      const name = commit.author.name.trim().toLowerCase();
      if (!name) continue;
      const domain = companyDomain(commit.author.email);
      if (domain) {
        for (const key of [`name:${name}`, `login:${loginFromName(commit.author.name).toLowerCase()}`]) {
          const counts = byPerson.get(key) ?? new Map<string, number>();
          counts.set(domain, (counts.get(domain) ?? 0) + 1);
          byPerson.set(key, counts);
        }
      }
      if (commit.authorAccount) {
        const names = namesOfAccount.get(commit.authorAccount.id) ?? new Set<string>();
        names.add(`name:${name}`);
        namesOfAccount.set(commit.authorAccount.id, names);
      }
    }
  }
  const companies = new Map<number, string>();
  for (const account of snapshot.accounts.all()) {
    if (account.type !== 'User') continue;
    const keys = [...(namesOfAccount.get(account.id) ?? []), `login:${account.login.toLowerCase()}`];
    const counts = new Map<string, number>();
    for (const key of keys) for (const [domain, n] of byPerson.get(key) ?? []) counts.set(domain, (counts.get(domain) ?? 0) + n);
    const best = [...counts].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))[0];
    if (!best) continue;
    const company = SIM_COMPANY_BY_DOMAIN[best[0]];
    companies.set(account.id, account.id % 2 === 0 ? company.mention : company.name);
  }
  return companies;
}
