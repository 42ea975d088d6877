import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readGharchiveLines } from './read-gharchive-files.js';

describe('readGharchiveLines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gharchive-lines-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function linesOf(name: string, content: Buffer): Promise<string[]> {
    const file = join(dir, name);
    writeFileSync(file, content);
    const lines: string[] = [];
    for await (const line of readGharchiveLines(file)) lines.push(line);
    return lines;
  }

  it.each([
    ['LF, blank lines skipped', 'a\n\nb\n   \nc\n', ['a', 'b', 'c']],
    ['CRLF: the \\r is dropped', '{"a":1}\r\n{"b":2}\r\n', ['{"a":1}', '{"b":2}']],
    ['last line without a newline', 'a\nlast', ['a', 'last']],
    ['multi-byte UTF-8 kept whole', '{"name":"刘 Ünïcode 🚀"}\n', ['{"name":"刘 Ünïcode 🚀"}']],
    ['empty file', '', []],
  ])('%s (.json)', async (_name, content, expected) => {
    expect(await linesOf(`plain-${expected.length}-${content.length}.json`, Buffer.from(content))).toEqual(expected);
  });

  it('streams a gzip file whose lines span its 1 MiB chunks, byte for byte', async () => {
    // lines of 300 KB to 700 KB with a multi-byte character near each end: most cross a chunk boundary
    const lines = Array.from({ length: 12 }, (_, index) => `{"i":${index},"s":"${'x'.repeat(300_000 + index * 37_000)}é"}`);
    expect(await linesOf('2015-01-01-15.json.gz', gzipSync(`${lines.join('\n')}\n`))).toEqual(lines);
  });
});
