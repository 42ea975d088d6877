/** A repository named by GitHub's numeric id or by `owner/name` (matched case-insensitively). */
export type RepositoryRef = { kind: 'id'; id: number } | { kind: 'fullName'; fullName: string };

/** A member named by its UUID or by a GitHub login (matched case-insensitively). */
export type MemberRef = { kind: 'id'; id: string } | { kind: 'login'; login: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads a repository reference: digits are GitHub's numeric id, `owner/name` a full name.
 * @returns null when the value is neither.
 */
export function parseRepositoryRef(value: string): RepositoryRef | null {
  const trimmed = value.trim();
  if (/^[0-9]{1,15}$/.test(trimmed)) {
    const id = Number(trimmed);
    return id > 0 ? { kind: 'id', id } : null;
  }
  if (/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(trimmed)) return { kind: 'fullName', fullName: trimmed };
  return null;
}

/**
 * Reads a member reference: a UUID is a member id, anything else a GitHub login
 * (letters, digits, hyphens, and the `[bot]` suffix of app accounts).
 * @returns null when the value is neither.
 */
export function parseMemberRef(value: string): MemberRef | null {
  const trimmed = value.trim();
  if (UUID.test(trimmed)) return { kind: 'id', id: trimmed.toLowerCase() };
  if (/^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.){0,99}(?:\[bot\])?$/.test(trimmed)) return { kind: 'login', login: trimmed };
  return null;
}
