/**
 * What a GitHub noreply e-mail address tells about the account behind a commit.
 * - `account`: `ID+login@users.noreply.github.com` (the form GitHub hands out since July 2017) names both.
 * - `login`: `login@users.noreply.github.com` (the older form) names only the login.
 * - `web-flow`: `noreply@github.com`, the committer of commits made through the web UI or merge button.
 * Source: GitHub Docs, "Setting your commit email address" / "About commit email addresses".
 */
export type NoreplyIdentity =
  | { kind: 'account'; id: number; login: string }
  | { kind: 'login'; login: string }
  | { kind: 'web-flow' };

const USERS_NOREPLY = /^(?:(\d+)\+)?([^@+\s]+)@users\.noreply\.github\.com$/i;

/**
 * Parses a GitHub noreply e-mail address; returns null for any other address (including hashed ones).
 * Logins keep the case written in the address (GitHub logins are case-insensitive; compare lower-cased).
 */
export function parseNoreplyEmail(email: string): NoreplyIdentity | null {
  const trimmed = email.trim();
  if (trimmed.toLowerCase() === 'noreply@github.com') return { kind: 'web-flow' };
  const match = USERS_NOREPLY.exec(trimmed);
  if (!match) return null;
  const [, id, login] = match;
  if (id !== undefined) return { kind: 'account', id: Number(id), login };
  return { kind: 'login', login };
}

/** True for GitHub App bot logins (`dependabot[bot]`, `github-actions[bot]`), whose account type is `Bot`. */
export function isBotLogin(login: string): boolean {
  return login.toLowerCase().endsWith('[bot]');
}
