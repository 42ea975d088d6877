import type { UrlContext } from '../render/github-json.types.js';
import { renderRepository } from '../render/render-repository.js';
import { renderSimpleUser } from '../render/render-user.js';
import type { Account } from '../seed/accounts.js';
import { WEB_FLOW } from '../seed/accounts.js';
import { stableHash } from '../seed/ids.js';
import type { RepositoryData, Snapshot } from '../seed/snapshot.types.js';

/** Where payload URLs point. GitHub payloads carry api.github.com URLs; pass the sim URL to make them followable. */
export interface WebhookBuildOptions {
  /** API base for `url` fields; default `https://api.github.com`. */
  apiUrl?: string;
}

/** Resolved context shared by the payload builders. */
export interface WebhookScope {
  snapshot: Snapshot;
  data: RepositoryData;
  urls: UrlContext;
}

/** Finds the repository (case-insensitive) and fixes the URLs; throws RangeError for a repository not in the snapshot. */
export function webhookScope(snapshot: Snapshot, fullName: string, options: WebhookBuildOptions = {}): WebhookScope {
  const data = snapshot.byFullName.get(fullName.toLowerCase());
  if (!data) throw new RangeError(`repository not in the snapshot: ${fullName}`);
  return { snapshot, data, urls: { apiUrl: options.apiUrl ?? 'https://api.github.com', htmlUrl: 'https://github.com' } };
}

/** GitHub's `sender`/`user` object in payloads (simple-user). */
export function webhookUser(scope: WebhookScope, account: Account): Record<string, unknown> {
  return renderSimpleUser(account, scope.urls);
}

/** The `repository` object of a webhook payload (full repository shape). */
export function webhookRepository(scope: WebhookScope): Record<string, unknown> {
  return renderRepository(scope.data, scope.urls);
}

/**
 * The `organization` object GitHub adds to payloads of organisation-owned repositories, or undefined.
 */
export function webhookOrganization(scope: WebhookScope): Record<string, unknown> | undefined {
  const owner = scope.data.repository.owner;
  if (owner.type !== 'Organization') return undefined;
  const api = `${scope.urls.apiUrl}/orgs/${owner.login}`;
  const user = renderSimpleUser(owner, scope.urls);
  return {
    login: owner.login,
    id: owner.id,
    node_id: user.node_id,
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: user.avatar_url,
    description: null,
  };
}

/** `repository`, `sender` and (for organisations) `organization`, the envelope every payload carries. */
export function envelope(scope: WebhookScope, sender: Account): Record<string, unknown> {
  const organization = webhookOrganization(scope);
  return { repository: webhookRepository(scope), ...(organization ? { organization } : {}), sender: webhookUser(scope, sender) };
}

/**
 * A real account (id from the data, type User, not web-flow) chosen by a hash of `salt`: default sender of
 * generated stars and forks. Prefers accounts that authored default-branch commits in the repository.
 */
export function pickRealAccount(scope: WebhookScope, salt: string): Account {
  const real = (a: Account | null): a is Account => a !== null && !a.generated && a.type === 'User' && a !== WEB_FLOW;
  const local = new Map<number, Account>();
  for (const c of scope.data.defaultBranchCommits) if (real(c.authorAccount)) local.set(c.authorAccount.id, c.authorAccount);
  let pool = [...local.values()].filter((a) => a.id !== scope.data.repository.owner.id);
  if (pool.length === 0) pool = scope.snapshot.accounts.all().filter(real);
  if (pool.length === 0) return scope.data.repository.owner;
  pool.sort((a, b) => a.id - b.id);
  return pool[stableHash(`${scope.data.repository.fullName}:${salt}`) % pool.length];
}

/** An account by login (must be known to the snapshot); throws RangeError otherwise. */
export function accountByLogin(scope: WebhookScope, login: string): Account {
  const account = scope.snapshot.accounts.find(login);
  if (!account) throw new RangeError(`account not in the snapshot: ${login}`);
  return account;
}
