import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import {
  checkDocument,
  countFields,
  MAX_ALIASES,
  MAX_DOCUMENT_CHARACTERS,
  MAX_DOCUMENT_TOKENS,
  MAX_FIELDS,
  MAX_QUERY_DEPTH,
} from './document-limits.js';

const schema = buildSchema(readFileSync(new URL('../../schema.gql', import.meta.url), 'utf8'));

/** `levels` member → recentActivities hops under one activity. */
function nested(levels: number): string {
  let inner = 'id';
  for (let level = 0; level < levels; level += 1) inner = `member { recentActivities(first: 1) { ${inner} } }`;
  return `{ activities(first: 1) { edges { node { ${inner} } } } }`;
}

describe('countFields', () => {
  it.each([
    ['{ a }', 1],
    ['{ a { b c } d }', 4],
    ['fragment F on T { b c } { a { ...F } x: a { ...F } }', 4],
  ])('%s has %i', (source, expected) => {
    expect(countFields(parse(source))).toBe(expected);
  });
});

describe('checkDocument', () => {
  it.each([
    ['an ordinary query', null, '{ members(first: 20) { totalCount edges { node { login } } } }'],
    ['depth at the limit', null, nested((MAX_QUERY_DEPTH - 4) / 2)],
    ['past the depth limit', 'QUERY_TOO_DEEP', nested((MAX_QUERY_DEPTH - 4) / 2 + 1)],
    ['deep through a fragment', 'QUERY_TOO_DEEP', `fragment H on Member { recentActivities(first: 1) { member { login } } } ${nested(5).replace('{ id }', '{ member { ...H } }')}`],
    ['aliases at the limit', null, `{ ${Array.from({ length: MAX_ALIASES }, (_, i) => `a${i}: members { totalCount }`).join(' ')} }`],
    ['one alias too many', 'QUERY_TOO_MANY_ALIASES', `{ ${Array.from({ length: MAX_ALIASES + 1 }, (_, i) => `a${i}: members { totalCount }`).join(' ')} }`],
    ['too many fields', 'QUERY_TOO_MANY_FIELDS', `{ ${'__typename '.repeat(MAX_FIELDS + 1)} }`],
    ['too many characters', 'DOCUMENT_TOO_LARGE', `{ __typename }${' '.repeat(MAX_DOCUMENT_CHARACTERS)}`],
    ['a syntax error (left to Apollo)', null, '{ members(first: '],
    ['too many tokens (left to Apollo, whose parser stops too)', null, `{ ${'a '.repeat(MAX_DOCUMENT_TOKENS)} }`],
  ])('%s → %s', (_name, code, source) => {
    expect(checkDocument(schema, source)?.code ?? null).toBe(code);
  });

  it('names the limit and the measure', () => {
    expect(checkDocument(schema, nested(MAX_QUERY_DEPTH))).toEqual({
      status: 400,
      code: 'QUERY_TOO_DEEP',
      message: `Query depth limit of ${MAX_QUERY_DEPTH} exceeded, found ${4 + 2 * MAX_QUERY_DEPTH}.`,
      extensions: { maxDepth: MAX_QUERY_DEPTH },
    });
    expect(checkDocument(schema, 'x'.repeat(MAX_DOCUMENT_CHARACTERS + 1))).toMatchObject({ status: 413, extensions: { characters: MAX_DOCUMENT_CHARACTERS + 1 } });
  });
});
