import type { GithubActor } from '#libs/members';
import type { RestAccount } from './rest-shapes.js';

/**
 * The actor of a REST object's account field (`user`, `author`, `owner`, `closed_by`);
 * `null` (a deleted account: GitHub sends `user: null`) stays null, which IdentityService
 * maps to the deleted-user sentinel (case I1).
 */
export function restActor(account: RestAccount | null | undefined): GithubActor | null {
  if (!account) return null;
  return { id: account.id, login: account.login, type: account.type ?? null, avatar_url: account.avatar_url ?? null };
}

/**
 * The number at the end of an API URL such as `…/issues/42` or `…/pulls/42`, or null.
 * Repository-wide comment lists name the issue or pull request only through these URLs.
 */
export function numberFromUrl(url: string | null | undefined): number | null {
  const match = /\/(\d+)\/?$/.exec(url ?? '');
  return match ? Number(match[1]) : null;
}
