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
  /**
   * The lower-cased login a login-only noreply address (`login@users.noreply.github.com`) names:
   * the e-mail identity joins the member of that login's current holder when one is stored as it
   * is created (evidence `login`), see noreply-login.ts.
   */
  noreplyLogin: string | null;
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
 * First-hand evidence of a GitHub account's identity, weaker first: the account acted itself (pull
 * request author, stargazer, ...), GitHub's API linked a commit to it. A stored identity takes the
 * stronger of the two once seen, so its row does not depend on which of the sync, a webhook or an
 * import brought the account first. (An identity first known from a noreply address or the bot list
 * keeps that evidence.)
 */
export const GITHUB_EVIDENCE_RANK: readonly IdentityEvidence[] = ['self', 'api'];

/** Whether `spec`'s evidence is stronger first-hand evidence than `stored`, that of its stored GitHub identity. */
export function strengthensEvidence(spec: Pick<IdentitySpec, 'platform' | 'evidence'>, stored: IdentityEvidence | null | undefined): boolean {
  if (spec.platform !== 'github' || !stored) return false;
  const [from, to] = [GITHUB_EVIDENCE_RANK.indexOf(stored), GITHUB_EVIDENCE_RANK.indexOf(spec.evidence)];
  return from >= 0 && to > from;
}

/**
 * Raises stored GitHub identities (`key` = account id) to stronger first-hand evidence: parameters
 * `$1` keys, `$2` evidence, one element per identity. A row already as strong, or known otherwise, is left alone.
 */
export const STRENGTHEN_GITHUB_EVIDENCE_SQL = `
  UPDATE identity i
     SET evidence = t.evidence
    FROM unnest($1::text[], $2::text[]) AS t(key, evidence)
   WHERE i.platform = 'github' AND i.key = t.key
     AND array_position(ARRAY['${GITHUB_EVIDENCE_RANK.join("','")}'], i.evidence) < array_position(ARRAY['${GITHUB_EVIDENCE_RANK.join("','")}'], t.evidence)`;

export function identitySpecFor(actor: ActorRef): IdentitySpec | null {
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
    noreplyLogin: noreply ? noreply.login.toLowerCase() : null,
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
    noreplyLogin: null,
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
    noreplyLogin: null,
  };
}
