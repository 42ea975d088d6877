import { createHash } from 'node:crypto';

/**
 * Ranges for GENERATED numeric ids. Real GitHub user ids in the data are below 300,000,000, so anything the sim
 * invents sits in a range of its own and is recognisable as generated. Each kind has its own range.
 */
export const GeneratedIdRange = {
  account: { base: 1_900_000_000, span: 50_000_000 },
  repository: { base: 1_950_000_000, span: 50_000_000 },
  pullRequest: { base: 3_000_000_000, span: 1_000_000_000 },
  issue: { base: 4_000_000_000, span: 1_000_000_000 },
  issueComment: { base: 5_000_000_000, span: 1_000_000_000 },
  other: { base: 6_000_000_000, span: 1_000_000_000 },
} as const;

export type GeneratedIdKind = keyof typeof GeneratedIdRange;

/** True when an id lies in one of the sim's generated ranges. */
export function isGeneratedId(id: number): boolean {
  return Object.values(GeneratedIdRange).some((r) => id >= r.base && id < r.base + r.span);
}

/**
 * Deterministic numeric id for `key` in the range of `kind`: SHA-256 of `kind:key`, first 48 bits, modulo the span.
 * The same key always gives the same id, on every machine and run.
 */
export function stableId(kind: GeneratedIdKind, key: string): number {
  const digest = createHash('sha256').update(`${kind}:${key}`).digest();
  const { base, span } = GeneratedIdRange[kind];
  return base + (digest.readUIntBE(0, 6) % span);
}

/** A 32-bit deterministic hash of a string, for picking among options (not an id). */
export function stableHash(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}

/**
 * GitHub's legacy global node id: base64 of `0<length of type>:<Type><id>`, e.g. `MDQ6VXNlcjE=` for
 * `04:User1` and `MDEwOlJlcG9zaXRvcnkxMjk2MjY5` for `010:Repository1296269`. Commits use `<repoId>:<sha>` as id.
 */
export function legacyNodeId(type: string, id: number | string): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}
