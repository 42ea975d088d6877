/** A member id as the api issues it (a UUID). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `member(id, login)` arguments for what a person typed or a link carries: a UUID is a member id,
 * anything else a GitHub login (a leading `@` and surrounding spaces dropped). Null for blank text.
 */
export function memberRef(text: string | null | undefined): { id: string } | { login: string } | null {
  const value = (text ?? '').trim().replace(/^@/, '');
  if (!value) return null;
  return UUID.test(value) ? { id: value } : { login: value };
}

/** How a member is named on the page: login, else display name, else the id's first 8 characters. */
export function memberName(member: { id: string; login?: string | null; displayName?: string | null } | null | undefined): string {
  if (!member) return '—';
  return member.login ?? member.displayName ?? member.id.slice(0, 8);
}

/**
 * A merge suggestion's evidence (`evidenceJson`) as short "key: value" lines, in the api's key order;
 * arrays joined with commas. Text that is not a JSON object is returned as one line.
 */
export function evidenceLines(json: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [json];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [json];
  return Object.entries(parsed as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
}
