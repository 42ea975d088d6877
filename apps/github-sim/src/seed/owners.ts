/** GitHub account types as the REST API writes them in `owner.type` / `user.type`. */
export type AccountType = 'User' | 'Organization' | 'Bot';

/**
 * Account type of each repository owner in the data set. Git history cannot tell an organisation from a user,
 * so this is stated explicitly (as on github.com: RWKV is an organisation, BlinkDL and josStorer are users).
 * An owner missing here is treated as a User.
 */
export const OWNER_TYPES: Readonly<Record<string, Exclude<AccountType, 'Bot'>>> = {
  BlinkDL: 'User',
  RWKV: 'Organization',
  josStorer: 'User',
};

/** Splits `OWNER/NAME`; throws on anything else. */
export function splitFullName(fullName: string): { owner: string; name: string } {
  const parts = fullName.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new RangeError(`not an OWNER/NAME repository name: ${fullName}`);
  return { owner: parts[0], name: parts[1] };
}

/** Account type of a repository owner login, from OWNER_TYPES (case-insensitive), default User. */
export function ownerTypeFor(login: string): Exclude<AccountType, 'Bot'> {
  const key = Object.keys(OWNER_TYPES).find((k) => k.toLowerCase() === login.toLowerCase());
  return key ? OWNER_TYPES[key] : 'User';
}
