import { isBotAccount, isBotGitIdentity, isDeletedAccount, type GithubActor } from './account-kind.js';
import { knownBotByEmail, knownBotByLogin } from './account-kind-bots.js';
import type { IdentityEvidence, IdentityPlatform } from './identity.entity.js';
import type { ActorRef } from './identity.types.js';
import type { MemberKind } from './member.entity.js';
import { parseNoreplyEmail } from './parse-noreply-email.js';

/**
 * A noreply address whose account id disagrees with the account GitHub's API linked the commit
 * to (issue 4: "an address whose id and the API's disagree is flagged, never merged").
 */
export interface NoreplyMismatch {
  /** The address as written, lower-cased. */
  address: string;
  addressAccountId: number;
  addressLogin: string;
  apiAccountId: number;
  apiLogin: string;
}

/** What one actor resolves to, before any lookup of stored identities. */
export interface IdentitySpec {
  platform: IdentityPlatform;
  /** GitHub: the numeric account id as text; e-mail: the lower-cased address; deleted: `ghost`. */
  key: string;
  displayName: string | null;
  evidence: IdentityEvidence;
  account: GithubActor | null;
  /** Kind of a member created for this identity. */
  memberKind: MemberKind;
  /** The address GitHub linked to the account (a commit author with `api` evidence). */
  linkedEmail: { email: string; name: string | null } | null;
  /** Set when the commit's noreply address names another account than the API's author. */
  noreplyMismatch: NoreplyMismatch | null;
}

/** The longest address SMTP can carry: a 256-character path less its angle brackets (RFC 5321 §4.5.3.1.3). */
export const MAX_EMAIL_LENGTH = 254;

/**
 * A commit's author address as an identity key: trimmed and lower-cased, or null when it is not
 * an address at all (no `@`, an empty local part or domain, spaces, several `@`, longer than
 * {@link MAX_EMAIL_LENGTH}). Git accepts any text between the angle brackets; such text would
 * join every person who left the same placeholder (`unknown`, `none`) into one member, and an
 * overlong one cannot be indexed (Postgres refuses keys over 2,704 bytes, failing a whole batch).
 */
export function commitAddress(email: string | null | undefined): string | null {
  const address = email?.trim().toLowerCase();
  if (!address || address.length > MAX_EMAIL_LENGTH) return null;
  return /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

/** `platform:key`, the identity's unique key (also the advisory lock key of its creation). */
export const identityKey = (spec: Pick<IdentitySpec, 'platform' | 'key'>) => `${spec.platform}:${spec.key}`;

/**
 * The login a commit author's login-only noreply address names (`login@users.noreply.github.com`),
 * lower-cased, when resolving it needs a lookup of stored accounts; null otherwise.
 */
export function loginToLookUp(actor: ActorRef): string | null {
  if (actor.kind !== 'commit-author' || (actor.account && !isDeletedAccount(actor.account))) return null;
  const noreply = parseNoreplyEmail(actor.email);
  return noreply && !noreply.id ? noreply.login.toLowerCase() : null;
}

/**
 * The identity an actor resolves to (the rules of {@link IdentityService}), given the stored
 * current holder of a login (`holderOf`, called with the lower-cased login of a login-only
 * noreply address). Pure: both the serial and the bulk resolver use it, so they agree.
 *
 * - a GitHub account (REST `user`, webhook `sender`) is keyed by its numeric id; `null` and the
 *   `ghost` placeholder are the deleted-account sentinel (case I1);
 * - a commit author linked by the API (`author`) is that account (`api`); the address becomes a
 *   linked e-mail of the member; a noreply address naming another id is flagged (case I3);
 * - `ID+login@users.noreply.github.com` is account ID (`noreply`; the login may be stale);
 * - `login@users.noreply.github.com` is the login's current holder (`login`, inferred), or a
 *   listed bot's account (`bot_list`);
 * - an address on the maintained bot list is that bot's account (`bot_list`), so a bot is one
 *   identity across sources;
 * - any other address is an e-mail identity: names never join anyone; text that is not an
 *   address ({@link commitAddress}) is none.
 * @returns null when the actor names nobody (no account and no address).
 */
export function identitySpecFor(actor: ActorRef, holderOf: (login: string) => GithubActor | undefined): IdentitySpec | null {
  if (actor.kind === 'github') {
    return isDeletedAccount(actor.account) ? deletedSpec() : githubSpec(actor.account!, 'self');
  }
  const email = commitAddress(actor.email);
  const noreply = parseNoreplyEmail(email);
  if (actor.account && !isDeletedAccount(actor.account)) {
    const spec = githubSpec(actor.account, 'api');
    if (email && !noreply) spec.linkedEmail = { email, name: actor.name?.trim() || null };
    if (email && noreply?.id && noreply.id !== actor.account.id) {
      spec.noreplyMismatch = {
        address: email,
        addressAccountId: noreply.id,
        addressLogin: noreply.login,
        apiAccountId: actor.account.id,
        apiLogin: actor.account.login,
      };
    }
    return spec;
  }
  if (noreply?.id) return githubSpec({ id: noreply.id, login: noreply.login }, 'noreply', actor.name);
  if (noreply) {
    const holder = holderOf(noreply.login.toLowerCase());
    if (holder) return githubSpec(holder, 'login');
  }
  const bot = noreply ? knownBotByLogin(noreply.login) : knownBotByEmail(email);
  if (bot?.id) return githubSpec({ id: bot.id, login: bot.login, type: 'Bot' }, 'bot_list', actor.name);
  if (!email) return null;
  return {
    platform: 'email',
    key: email,
    displayName: actor.name?.trim() || null,
    evidence: 'self',
    account: null,
    memberKind: isBotGitIdentity(actor.name, email) || (noreply && isBotAccount({ login: noreply.login })) ? 'bot' : 'person',
    linkedEmail: null,
    noreplyMismatch: null,
  };
}

function githubSpec(account: GithubActor, evidence: IdentityEvidence, gitName?: string | null): IdentitySpec {
  const displayName = account.name ?? (gitName?.trim() || null) ?? account.login;
  return {
    platform: 'github',
    key: String(account.id),
    displayName,
    evidence,
    account,
    memberKind: isBotAccount(account) ? 'bot' : 'person',
    linkedEmail: null,
    noreplyMismatch: null,
  };
}

function deletedSpec(): IdentitySpec {
  return {
    platform: 'deleted',
    key: 'ghost',
    displayName: 'Deleted user',
    evidence: 'self',
    account: null,
    memberKind: 'deleted',
    linkedEmail: null,
    noreplyMismatch: null,
  };
}
