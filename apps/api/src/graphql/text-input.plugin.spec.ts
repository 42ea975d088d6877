import { parse } from 'graphql';
import { nulCharacterPaths } from './text-input.plugin.js';

describe('nulCharacterPaths (texts Postgres cannot store)', () => {
  it('names each variable path and each string literal holding U+0000', () => {
    const document = parse('mutation($input: X) {\n  a(name: "ok", note: "x\\u0000y") { id }\n}');
    const variables = { input: { title: 'T\u0000', tags: ['fine', 'bad\u0000'], nested: { deep: [{ v: '\u0000' }] } }, other: 'clean', n: 3, nothing: null };
    expect(nulCharacterPaths(document, variables)).toEqual([
      'a string literal at line 2, column 23',
      'variables.input.title',
      'variables.input.tags[1]',
      'variables.input.nested.deep[0].v',
    ]);
  });

  it('finds nothing in clean input, other control characters included (each field rules on those)', () => {
    expect(nulCharacterPaths(parse('{ a(name: "tab\\there") { id } }'), { s: 'line\nbreak', t: '\u0001' })).toEqual([]);
    expect(nulCharacterPaths(parse('{ a }'), undefined)).toEqual([]);
  });

  it('answers a repeated document (Apollo hands out the parsed one again) the same, with that request\'s variables', () => {
    const document = parse('mutation($v: String) {\n  a(name: "x\\u0000", v: $v) { id }\n}');
    expect(nulCharacterPaths(document, { v: 'clean' })).toEqual(['a string literal at line 2, column 11']);
    expect(nulCharacterPaths(document, { v: 'bad\u0000' })).toEqual(['a string literal at line 2, column 11', 'variables.v']);
    const clean = parse('{ a(name: "fine") { id } }');
    expect(nulCharacterPaths(clean, undefined)).toEqual([]);
    expect(nulCharacterPaths(clean, { s: '\u0000' })).toEqual(['variables.s']);
  });

  it('walks variables nested 100,000 deep without overflowing the stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const paths = nulCharacterPaths(parse('{ a }'), { x: deep });
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatch(/^variables\.x(\[0\]){100000}$/);
  });
});
