import { badInput } from '../common/hackathon.exception.js';

/** Most tags in one list (skills, interests or needs). */
export const MAX_TAGS = 30;
/** Longest tag, in characters after normalisation. */
export const MAX_TAG_LENGTH = 50;

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Normalises free tags (skills, interests, needs): trimmed, inner whitespace folded to one space,
 * lower-cased, empty ones dropped, duplicates removed (first occurrence kept, order kept).
 * @param field the argument's name, for the error message.
 * @throws HackathonException BAD_USER_INPUT for more than {@link MAX_TAGS} tags, a tag longer than
 *   {@link MAX_TAG_LENGTH} characters, or control characters.
 */
export function normaliseTags(field: string, values: readonly string[] | null | undefined): string[] {
  const tags = new Set<string>();
  for (const value of values ?? []) {
    const tag = value.trim().replace(/\s+/g, ' ').toLowerCase();
    if (!tag) continue;
    if (CONTROL.test(tag)) throw badInput(`${field}: "${value}" contains control characters`);
    if ([...tag].length > MAX_TAG_LENGTH) throw badInput(`${field}: "${tag.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH} characters`);
    tags.add(tag);
  }
  if (tags.size > MAX_TAGS) throw badInput(`${field}: at most ${MAX_TAGS} tags (got ${tags.size})`);
  return [...tags];
}
