import { KNOWN_BOTS, knownBotByEmail } from './account-kind-bots.js';

/** The actor of an event as GitHub's REST API and webhooks describe it (`user`, `sender`, `author`). */
export interface GithubActor {
  id: number;
  login: string;
  type?: string | null;
  name?: string | null;
  avatar_url?: string | null;
}

/** GitHub's placeholder for deleted accounts (login `ghost`, id 10137). */
export const GHOST_ACCOUNT_ID = 10137;

/**
 * Logins of the maintained bot list ({@link KNOWN_BOTS}, lower case): bots not always flagged
 * `type: "Bot"` (classic machine users and apps' user accounts).
 */
export const KNOWN_BOT_LOGINS: ReadonlySet<string> = new Set(KNOWN_BOTS.map((bot) => bot.login.toLowerCase()));

/**
 * True for bots: `type: "Bot"` (GitHub Apps), a `[bot]` login suffix, or a login on the
 * maintained {@link KNOWN_BOT_LOGINS} list. Bots never rank or enter funnels.
 */
export function isBotAccount(actor: Pick<GithubActor, 'login' | 'type'>): boolean {
  if (actor.type === 'Bot') return true;
  const login = actor.login.toLowerCase();
  return login.endsWith('[bot]') || KNOWN_BOT_LOGINS.has(login);
}

/**
 * True when GitHub reports a deleted account: `user: null` in REST payloads, or the `ghost`
 * placeholder account (id 10137) that webhooks use as `sender` (case I1).
 */
export function isDeletedAccount(actor: GithubActor | null | undefined): boolean {
  if (!actor) return true;
  return actor.id === GHOST_ACCOUNT_ID;
}

/**
 * True when a git identity with no GitHub account is a bot's: an author name or login-only
 * noreply address ending in `[bot]` (GitHub Apps sign commits `name[bot]`), or an address on the
 * maintained list ({@link KNOWN_BOTS}). Used for e-mail identities, which have no account type.
 */
export function isBotGitIdentity(name: string | null | undefined, email: string | null | undefined): boolean {
  if (name && /\[bot\]$/i.test(name.trim())) return true;
  if (email && /\[bot\]@users\.noreply\.github\.com$/i.test(email.trim())) return true;
  return knownBotByEmail(email) !== undefined;
}
