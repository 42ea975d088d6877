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
 * Bot accounts not flagged `type: "Bot"` (classic machine users and apps' user accounts).
 * Compared case-insensitively; extend as new ones show up in the data.
 */
export const KNOWN_BOT_LOGINS = new Set([
  'dependabot-preview',
  'greenkeeperio-bot',
  'renovate-bot',
  'codecov-io',
  'pre-commit-ci',
  'allcontributors',
  'web-flow',
  'copilot',
]);

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
