/** What a GitHub noreply address says about its account. */
export interface NoreplyAddress {
  /** Numeric account id, present in the `ID+login@` form (GitHub's form since July 2017). */
  id: number | null;
  login: string;
}

const NOREPLY_DOMAIN = 'users.noreply.github.com';

/**
 * Parses GitHub's private commit e-mail addresses (GitHub Docs, "Setting your commit email
 * address"): `ID+login@users.noreply.github.com` and the older `login@users.noreply.github.com`.
 * Returns null for any other address, including `noreply@github.com` (the web-flow committer,
 * not a person). The login inside an address can be stale after a rename: the id wins.
 */
export function parseNoreplyEmail(email: string | null | undefined): NoreplyAddress | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0 || email.slice(at + 1).toLowerCase() !== NOREPLY_DOMAIN) return null;
  const local = email.slice(0, at);
  const withId = /^(\d+)\+([A-Za-z0-9-]+(?:\[bot\])?)$/.exec(local);
  if (withId) {
    const id = Number(withId[1]);
    return Number.isSafeInteger(id) && id > 0 ? { id, login: withId[2] } : null;
  }
  return /^[A-Za-z0-9-]+(?:\[bot\])?$/.test(local) ? { id: null, login: local } : null;
}
