import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** Names of GH Archive files: hourly `.json.gz` dumps, or uncompressed `.json` / `.ndjson`. */
export const GHARCHIVE_FILE_PATTERN = /\.(json|ndjson)(\.gz)?$/i;

/**
 * The files to import from `path`: the file itself, or every GH Archive file directly inside a
 * directory, in name order (hourly files are named `YYYY-MM-DD-H.json.gz`, so name order is
 * nearly time order; activities do not depend on the order).
 * @throws when `path` does not exist.
 */
export async function listGharchiveFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && GHARCHIVE_FILE_PATTERN.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(path, name));
}

/**
 * The lines of one file, streamed (`.gz` through `zlib.createGunzip`, then `node:readline`), so
 * memory stays constant whatever the file's size. Empty lines are skipped.
 */
export async function* readGharchiveLines(file: string): AsyncGenerator<string> {
  const raw = createReadStream(file);
  const input = /\.gz$/i.test(file) ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => input.destroy(error));
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim()) yield line;
    }
  } finally {
    lines.close();
    raw.destroy();
  }
}
