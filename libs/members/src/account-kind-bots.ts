/**
 * Cambrian's maintained list of bots that GitHub does not always flag as `type: "Bot"`, or that
 * commit under an address that is not a noreply address of their account. Each entry is one bot:
 * every source (REST `user`, a webhook `sender`, a commit's e-mail, a login-only noreply address)
 * resolves to the one identity of its account, so a bot is one member of kind `bot` everywhere.
 *
 * `id` is GitHub's numeric account id when it is public and stable (the account's noreply
 * address, `https://api.github.com/users/<login>`); `null` when Cambrian only knows the login.
 * `emails` are commit author addresses the bot uses (lower case). Extend the list as new bots
 * show up in the data; a test checks its shape (unique logins, ids and addresses).
 */
export interface KnownBot {
  login: string;
  id: number | null;
  emails: readonly string[];
}

export const KNOWN_BOTS: readonly KnownBot[] = [
  // GitHub Actions: `GITHUB_TOKEN` commits; older workflows commit as action@github.com
  { login: 'github-actions[bot]', id: 41898282, emails: ['action@github.com', 'github-actions@github.com'] },
  { login: 'dependabot[bot]', id: 49699333, emails: ['support@dependabot.com'] },
  { login: 'dependabot-preview[bot]', id: 27856297, emails: [] },
  { login: 'dependabot-preview', id: null, emails: [] },
  { login: 'renovate[bot]', id: 29139614, emails: ['bot@renovateapp.com'] },
  { login: 'renovate-bot', id: null, emails: ['renovate@whitesourcesoftware.com'] },
  { login: 'pre-commit-ci[bot]', id: 66853113, emails: [] },
  { login: 'pre-commit-ci', id: null, emails: [] },
  // web-flow commits the web UI's edits and merge-button merges (committer `GitHub <noreply@github.com>`)
  { login: 'web-flow', id: 19864447, emails: ['noreply@github.com'] },
  { login: 'greenkeeperio-bot', id: null, emails: [] },
  { login: 'codecov-io', id: null, emails: [] },
  { login: 'allcontributors', id: null, emails: [] },
  { login: 'copilot', id: null, emails: [] },
  { login: 'github-actions', id: null, emails: [] },
];

const byLogin = new Map(KNOWN_BOTS.map((bot) => [bot.login.toLowerCase(), bot]));
const byEmail = new Map(KNOWN_BOTS.flatMap((bot) => bot.emails.map((email) => [email, bot] as const)));

/** The listed bot with this login (case-insensitive), if any. */
export function knownBotByLogin(login: string): KnownBot | undefined {
  return byLogin.get(login.toLowerCase());
}

/** The listed bot that commits under this address (case-insensitive), if any. */
export function knownBotByEmail(email: string | null | undefined): KnownBot | undefined {
  return email ? byEmail.get(email.trim().toLowerCase()) : undefined;
}
