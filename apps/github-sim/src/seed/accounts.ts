import { isBotLogin, parseNoreplyEmail } from './noreply-email.js';
import { stableId } from './ids.js';
import type { AccountType } from './owners.js';

/**
 * Where an account's id and login come from:
 * - `noreply`: both from an `ID+login@users.noreply.github.com` address in the data (real);
 * - `well-known`: a public, stable GitHub account listed in WELL_KNOWN_ACCOUNTS (real);
 * - `generated-id`: the login is real (a noreply address or a merge message names it) but the data has no id for it;
 * - `generated`: login and id are both invented (a git author the data cannot link to any account).
 */
export type AccountSource = 'noreply' | 'well-known' | 'generated-id' | 'generated';

/** One GitHub account known to the sim. */
export interface Account {
  id: number;
  login: string;
  type: AccountType;
  source: AccountSource;
  /** True when the id is invented (source `generated-id` or `generated`). */
  generated: boolean;
}

/** GitHub's web-flow user: the committer of web-UI edits and merge-button merges (`noreply@github.com`). */
export const WEB_FLOW: Account = { id: 19864447, login: 'web-flow', type: 'User', source: 'well-known', generated: false };

/**
 * Public accounts whose ids are stable and documented outside this data set. github-actions[bot] commits in the
 * data use the old login-only noreply form, so without this entry its id would have to be invented.
 */
export const WELL_KNOWN_ACCOUNTS: readonly Account[] = [
  WEB_FLOW,
  { id: 41898282, login: 'github-actions[bot]', type: 'Bot', source: 'well-known', generated: false },
];

/** A git identity (author, committer or co-author): name and e-mail. */
export interface GitIdentity {
  name: string;
  email: string;
}

/**
 * Builds the login → {id, login} map from every `ID+login@users.noreply.github.com` address given, keyed by the
 * lower-cased login (GitHub logins are case-insensitive). When one login appears with two ids (a renamed or
 * re-used login) the first one seen wins; feed addresses newest first so that is the most recent.
 */
export function buildLoginIdMap(emails: Iterable<string>): Map<string, { id: number; login: string }> {
  const map = new Map<string, { id: number; login: string }>();
  for (const email of emails) {
    const parsed = parseNoreplyEmail(email);
    if (parsed?.kind !== 'account') continue;
    const key = parsed.login.toLowerCase();
    if (!map.has(key)) map.set(key, { id: parsed.id, login: parsed.login });
  }
  return map;
}

/**
 * A login invented from a git author name for an account the data cannot identify: ASCII letters, digits and
 * single hyphens (GitHub's login alphabet), at most 39 characters; diacritics are dropped; an empty result falls
 * back to `git-author`. Examples: "PENG Bo" → "PENG-Bo", "José M." → "Jose-M", "张三" → "git-author".
 */
export function loginFromName(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const slug = ascii
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 39)
    .replace(/-+$/g, '');
  return slug === '' ? 'git-author' : slug;
}

/**
 * Every account the snapshot knows, by lower-cased login. Real accounts come from noreply addresses and the
 * well-known table; other logins (from login-only noreply addresses, merge messages, owners) get a deterministic
 * generated id; git authors with no account at all get a generated account keyed by their e-mail address.
 */
export class AccountRegistry {
  private readonly byLogin = new Map<string, Account>();
  private readonly byEmail = new Map<string, Account>();
  private readonly usedIds = new Set<number>();

  constructor(loginIds: Map<string, { id: number; login: string }>) {
    for (const account of WELL_KNOWN_ACCOUNTS) this.add(account);
    for (const { id, login } of loginIds.values()) {
      if (this.byLogin.has(login.toLowerCase())) continue;
      this.add({ id, login, type: isBotLogin(login) ? 'Bot' : 'User', source: 'noreply', generated: false });
    }
  }

  /** The account with this login (case-insensitive), if known. */
  find(login: string): Account | undefined {
    return this.byLogin.get(login.toLowerCase());
  }

  /**
   * The account for a login that certainly exists on GitHub (from a merge message, a login-only noreply address, a
   * repository owner): the known one, else a new one with a generated id. `type` applies only to a new account or
   * corrects the type of a known one (owners: an id from a noreply address does not say Organization).
   */
  forLogin(login: string, type?: AccountType): Account {
    const known = this.find(login);
    if (known) {
      if (type && known.type !== type) known.type = type;
      return known;
    }
    return this.add({
      id: this.freeId(login.toLowerCase()),
      login,
      type: type ?? (isBotLogin(login) ? 'Bot' : 'User'),
      source: 'generated-id',
      generated: true,
    });
  }

  /**
   * The account GitHub would link to a git identity, or null: only noreply addresses identify an account
   * (GitHub also links verified e-mails, which this export does not reveal). `noreply@github.com` is web-flow.
   */
  forGitIdentity(identity: GitIdentity): Account | null {
    const parsed = parseNoreplyEmail(identity.email);
    if (parsed === null) return null;
    if (parsed.kind === 'web-flow') return WEB_FLOW;
    if (parsed.kind === 'account') {
      const known = this.find(parsed.login);
      return known ?? this.add({ id: parsed.id, login: parsed.login, type: isBotLogin(parsed.login) ? 'Bot' : 'User', source: 'noreply', generated: false });
    }
    return this.forLogin(parsed.login);
  }

  /**
   * Like forGitIdentity, but a git identity with no account gets a GENERATED account (login from the author name,
   * suffixed when it would collide with another account, id generated from the e-mail). Used where GitHub always has
   * an account (a pull request's user) but the data does not say which. Web-flow is not a person: it yields the
   * generated account too.
   */
  forGitIdentityOrGenerated(identity: GitIdentity): Account {
    const linked = this.forGitIdentity(identity);
    if (linked && linked !== WEB_FLOW) return linked;
    const emailKey = identity.email.trim().toLowerCase();
    const existing = this.byEmail.get(emailKey);
    if (existing) return existing;
    const base = loginFromName(identity.name);
    let login = base;
    for (let n = 2; this.byLogin.has(login.toLowerCase()); n++) login = `${base}-${n}`;
    const account = this.add({ id: this.freeId(`email:${emailKey}`), login, type: 'User', source: 'generated', generated: true });
    this.byEmail.set(emailKey, account);
    return account;
  }

  /** All accounts, in the order they became known. */
  all(): Account[] {
    return [...this.byLogin.values()];
  }

  private add(account: Account): Account {
    this.byLogin.set(account.login.toLowerCase(), account);
    this.usedIds.add(account.id);
    return account;
  }

  private freeId(key: string): number {
    let id = stableId('account', key);
    for (let n = 1; this.usedIds.has(id); n++) id = stableId('account', `${key}#${n}`);
    return id;
  }
}
