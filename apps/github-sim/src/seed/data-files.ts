import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** A git identity as exported: name, e-mail (local part SHA-1-hashed unless a GitHub noreply form), ISO date with the author's offset. */
const gitPersonSchema = z.object({ name: z.string(), email: z.string(), date: z.string() });

const rawCommitSchema = z.object({
  repo: z.string(),
  sha: z.string(),
  parents: z.array(z.string()),
  author: gitPersonSchema,
  committer: gitPersonSchema,
  message_first_line: z.string(),
  co_authors: z.array(z.object({ name: z.string(), email: z.string() })),
  on_default_branch: z.boolean(),
  reachable_from: z.enum(['default_branch', 'other_branch_or_tag', 'pull_head_only']),
  pull_heads: z.array(z.number()),
});

const rawPullRefSchema = z.object({
  repo: z.string(),
  number: z.number(),
  head_sha: z.string(),
  head_author: gitPersonSchema,
  head_committer: gitPersonSchema,
  head_message_first_line: z.string(),
  head_in_default_branch: z.boolean(),
  head_commits_not_in_default_branch: z.number(),
  has_merge_ref: z.boolean(),
  merge_ref_sha: z.string().nullable(),
});

const rawTagSchema = z.object({
  repo: z.string(),
  tag: z.string(),
  annotated: z.boolean(),
  commit_sha: z.string(),
  tagger: z.object({ name: z.string(), email: z.string(), date: z.string() }).nullable(),
  date: z.string(),
});

const rawExportMetaSchema = z.object({
  repo: z.string(),
  default_branch: z.string(),
  head_sha: z.string(),
  commits_exported: z.number(),
  commits_default_branch: z.number(),
  pull_refs: z.number(),
});

/** Record types of the export files (shared/data/README.md). */
export type GitPerson = z.infer<typeof gitPersonSchema>;
export type RawCommit = z.infer<typeof rawCommitSchema>;
export type RawPullRef = z.infer<typeof rawPullRefSchema>;
export type RawTag = z.infer<typeof rawTagSchema>;
export type RawExportMeta = z.infer<typeof rawExportMetaSchema>;

/** Everything read from the data directory for one repository, in file order (commits newest first). */
export interface RawRepositoryData {
  meta: RawExportMeta;
  commits: RawCommit[];
  pullRefs: RawPullRef[];
  tags: RawTag[];
}

/** Thrown when the data directory is missing or a file does not have the documented shape. */
export class SeedDataError extends Error {}

/**
 * Parses JSON Lines text (one JSON value a line, blank lines skipped) with a schema.
 * Throws SeedDataError naming the file and line of the first malformed record.
 */
export function parseJsonl<T>(text: string, schema: z.ZodType<T>, fileName: string): T[] {
  const out: T[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new SeedDataError(`${fileName}:${i + 1}: not valid JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new SeedDataError(`${fileName}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid record'}`);
    }
    out.push(parsed.data);
  }
  return out;
}

/** `OWNER/NAME` → the file-name prefix the export uses, `OWNER__NAME`. */
export function fileStemFor(fullName: string): string {
  return fullName.replace('/', '__');
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/**
 * Reads the RWKV git export (see shared/data/README.md): `_export_meta.jsonl` lists the repositories; for each,
 * `OWNER__NAME.commits.jsonl` and `OWNER__NAME.pull-refs.jsonl` are required and `OWNER__NAME.tags.jsonl` is
 * optional. The files are only read, never modified or copied. Repositories come back in `_export_meta` order.
 */
export async function readDataDir(dataDir: string): Promise<RawRepositoryData[]> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch {
    throw new SeedDataError(`data directory not found: ${dataDir}`);
  }
  if (!entries.includes('_export_meta.jsonl')) {
    throw new SeedDataError(`no _export_meta.jsonl in ${dataDir}`);
  }
  const metas = parseJsonl(await readFile(join(dataDir, '_export_meta.jsonl'), 'utf8'), rawExportMetaSchema, '_export_meta.jsonl');
  return Promise.all(
    metas.map(async (meta) => {
      const stem = fileStemFor(meta.repo);
      const commitsFile = `${stem}.commits.jsonl`;
      const pullsFile = `${stem}.pull-refs.jsonl`;
      const tagsFile = `${stem}.tags.jsonl`;
      if (!entries.includes(commitsFile)) throw new SeedDataError(`missing ${commitsFile} in ${dataDir}`);
      const [commitsText, pullsText, tagsText] = await Promise.all([
        readFile(join(dataDir, commitsFile), 'utf8'),
        readOptional(join(dataDir, pullsFile)),
        readOptional(join(dataDir, tagsFile)),
      ]);
      return {
        meta,
        commits: parseJsonl(commitsText, rawCommitSchema, commitsFile),
        pullRefs: parseJsonl(pullsText, rawPullRefSchema, pullsFile),
        tags: parseJsonl(tagsText, rawTagSchema, tagsFile),
      };
    }),
  );
}
