import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
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

/** Bytes read (and inflated) per chunk: fewer, larger chunks cost less per line. */
const CHUNK_BYTES = 1 << 20;

/**
 * The lines of one file, streamed (`.gz` through `zlib.createGunzip`), so memory stays constant
 * whatever the file's size: one chunk and the line it ends inside. Lines are split on `\n` bytes
 * (a trailing `\r` is dropped, as `readline` does with `crlfDelay: Infinity`) and decoded one by one
 * as UTF-8 (a `\n` byte never occurs inside a multi-byte UTF-8 sequence). `node:readline` is not
 * used: on GH Archive's long lines (5 KB on average) it is several times slower than gunzip itself.
 * Empty and blank lines are skipped.
 */
/**
 * A GH Archive file that could not be read to its end (missing, unreadable, not gzip, a gzip
 * stream cut short, as a download interrupted mid-file leaves it). The lines read before the
 * fault were already yielded; the message names the file.
 */
export class GharchiveFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${reason}`, options);
    this.name = 'GharchiveFileError';
  }
}

function describeReadError(file: string, error: unknown): GharchiveFileError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const reason =
    code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(message)
      ? 'gzip stream ends early (truncated or empty file); the lines before the cut were read'
      : code === 'Z_DATA_ERROR'
        ? `not a valid gzip stream (${message})`
        : code === 'ENOENT'
          ? 'no such file'
          : message;
  return new GharchiveFileError(file, reason, { cause: error });
}

/**
 * @throws GharchiveFileError when the file cannot be read to its end (after yielding the lines before the fault).
 */
export async function* readGharchiveLines(file: string): AsyncGenerator<string> {
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const input = /\.gz$/i.test(file) ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  raw.on('error', (error) => input.destroy(error));
  let rest: Buffer | null = null;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const buffer: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
        const line = decodeLine(buffer, start, end);
        start = end + 1;
        if (line !== null) yield line;
      }
      rest = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
    }
    if (rest) {
      const line = decodeLine(rest, 0, rest.length);
      if (line !== null) yield line;
    }
  } catch (error) {
    throw error instanceof GharchiveFileError ? error : describeReadError(file, error);
  } finally {
    raw.destroy();
    if (input !== raw) input.destroy();
  }
}

/** The line in `buffer[start, end)` without a trailing `\r`, or null when it is blank. */
function decodeLine(buffer: Buffer, start: number, end: number): string | null {
  if (end > start && buffer[end - 1] === 13) end -= 1;
  if (end <= start) return null;
  const line = buffer.toString('utf8', start, end);
  return line.trim() ? line : null;
}
