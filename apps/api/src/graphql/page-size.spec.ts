import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { findPageSizeViolation, MAX_PAGE_SIZE, PAGE_SIZE_ARGUMENTS } from './page-size.js';

/** The served schema, as committed (a test checks the copy against the code-first schema). */
const schema: GraphQLSchema = buildSchema(readFileSync(new URL('../../schema.gql', import.meta.url), 'utf8'));

/**
 * Int arguments of query fields that are not page sizes, each with the reason. A new Int argument
 * of a non-mutation field must be a page size (named first, last or limit, and so capped) or be
 * listed here.
 */
const NOT_PAGE_SIZES: Record<string, string> = {
  // one JSON text, not a connection: the export service caps its activities page itself (0–5,000, BAD_USER_INPUT
  // beyond; libs/members/src/erasure/member-erasure.spec.ts), and the document costs one field whatever its size
  'Query.exportMemberData(activitiesFirst)': 'activities in one page of a member data export, capped at 5,000 by the export service',
  // offsets say where a page starts, not how much it holds; negative ones are refused (offset-page.ts, repository-query.service.ts)
  'Query.repositories(offset)': 'repositories skipped before the page (first is the page size)',
  'Query.cohortPage(offset)': 'cohort rows skipped before the page (first is the page size)',
};

/** Every `Type.field(argument)` of the schema, on object types other than Mutation. */
function queryArguments(): Array<{ type: string; field: string; argument: string; argType: string }> {
  const found = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
    for (const field of Object.values(type.getFields())) {
      for (const argument of field.args) {
        found.push({ type: type.name, field: field.name, argument: argument.name, argType: String(argument.type) });
      }
    }
  }
  return found;
}

const paginated = queryArguments().filter(({ argument }) => PAGE_SIZE_ARGUMENTS.includes(argument));

describe('page-size caps over the whole schema', () => {
  it('finds the paginated fields (the enumeration works)', () => {
    expect(paginated.map(({ type, field }) => `${type}.${field}`)).toEqual(
      expect.arrayContaining(['Query.members', 'Query.activities', 'Member.recentActivities', 'Organization.members']),
    );
  });

  it('has no Int argument on a query field that is neither a capped page size nor explained', () => {
    const unexplained = queryArguments()
      .filter(({ argType }) => getNamedType(schema.getType(argType.replace(/[[\]!]/g, ''))!)?.name === 'Int' && !/^\[/.test(argType))
      .filter(({ argument }) => !PAGE_SIZE_ARGUMENTS.includes(argument))
      .map(({ type, field, argument }) => `${type}.${field}(${argument})`)
      .filter((name) => !(name in NOT_PAGE_SIZES));
    expect(unexplained).toEqual([]);
  });

  it.each(paginated.map((entry) => [`${entry.type}.${entry.field}(${entry.argument})`, entry] as const))(
    '%s refuses 0 and the cap + 1, and takes 1 and the cap',
    (_name, { type, field, argument, argType }) => {
      expect(argType.replace('!', '')).toBe('Int');
      const on = (value: number) => parse(`fragment F on ${type} { ${field}(${argument}: ${value}) { __typename } }`);
      expect(findPageSizeViolation(schema, on(MAX_PAGE_SIZE + 1))).toEqual({ field: `${type}.${field}`, argument, value: MAX_PAGE_SIZE + 1 });
      expect(findPageSizeViolation(schema, on(0))).toMatchObject({ value: 0 });
      expect(findPageSizeViolation(schema, on(1))).toBeNull();
      expect(findPageSizeViolation(schema, on(MAX_PAGE_SIZE))).toBeNull();
    },
  );
});

describe('findPageSizeViolation', () => {
  const query = parse('query Page($n: Int! = 10) { members(first: $n) { totalCount } }');

  it.each([
    [{ n: 101 }, 101],
    [{ n: 100 }, null],
    [{}, null],
  ])('reads variables %j (and their defaults)', (variables, value) => {
    const violation = findPageSizeViolation(schema, query, variables);
    expect(violation?.value ?? null).toBe(value);
  });

  it('looks into fragments and only the named operation', () => {
    const document = parse(`
      fragment Recent on Member { recentActivities(first: 500) { id } }
      query Ok { members(first: 5) { totalCount } }
      query Deep { members(first: 5) { edges { node { ...Recent } } } }`);
    expect(findPageSizeViolation(schema, document, {}, 'Deep')).toEqual({ field: 'Member.recentActivities', argument: 'first', value: 500 });
  });
});
