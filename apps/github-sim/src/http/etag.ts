import { createHash } from 'node:crypto';

/** A weak entity tag derived from the exact response body bytes: `W/"<sha-1 hex>"` (GitHub sends weak ETags like this). */
export function etagFor(body: string | Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('hex')}"`;
}

function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/**
 * True when an `If-None-Match` header matches `etag`: `*`, or any listed tag by weak comparison (RFC 9110 §13.1.2:
 * If-None-Match uses the weak comparison, so `W/"x"` matches `"x"`).
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined || header.trim() === '') return false;
  if (header.trim() === '*') return true;
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
