/** A person credited by a `Co-authored-by:` trailer. */
export interface CoAuthorTrailer {
  name: string;
  /** As written; may be empty or malformed in real data (`Name <>`). */
  email: string;
}

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*)\s*:\s*(.*)$/;
const PERSON = /^(.*?)\s*<([^<>]*)>\s*$/;

/**
 * Co-authors from the commit message's final trailer block only (git-interpret-trailers: the
 * last paragraph, every line `Key: value`; GitHub Docs, "Creating a commit with multiple
 * authors"). The key matches in any letter case; indented or quoted lines elsewhere in the
 * message credit nobody (case I5). Duplicates (same address, case-insensitive) are dropped.
 */
export function parseCoAuthors(message: string): CoAuthorTrailer[] {
  const paragraphs = message.replace(/\r\n/g, '\n').trimEnd().split(/\n\s*\n/);
  if (paragraphs.length < 2) return [];
  const lines = paragraphs[paragraphs.length - 1].split('\n');
  if (!lines.every((line) => TRAILER_LINE.test(line))) return [];
  const seen = new Set<string>();
  const result: CoAuthorTrailer[] = [];
  for (const line of lines) {
    const [, key, value] = TRAILER_LINE.exec(line)!;
    if (key.toLowerCase() !== 'co-authored-by') continue;
    const person = PERSON.exec(value);
    if (!person) continue;
    const entry = { name: person[1].trim(), email: person[2].trim() };
    const dedupeKey = entry.email.toLowerCase() || `name:${entry.name}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    result.push(entry);
  }
  return result;
}
