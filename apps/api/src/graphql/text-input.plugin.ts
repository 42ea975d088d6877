import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

/** U+0000, which Postgres `text` and `jsonb` cannot store (SQLSTATE 22021 / 22P05). */
const NUL = '\u0000';

/**
 * Places of the string literals holding U+0000, per parsed document. Apollo keeps parsed documents
 * (its document store) and hands the same object to every request repeating an operation's text,
 * so a repeated operation's literals are walked once.
 */
const literalPaths = new WeakMap<DocumentNode, readonly string[]>();

/** Places (`a string literal at line 2, column 23`) of the document's string literals holding U+0000 (remembered per document). */
function nulLiteralPaths(document: DocumentNode): readonly string[] {
  let found = literalPaths.get(document);
  if (found) return found;
  const paths: string[] = [];
  visit(document, {
    [Kind.STRING](node) {
      if (node.value.includes(NUL)) {
        const where = node.loc ? ` at line ${node.loc.startToken.line}, column ${node.loc.startToken.column}` : '';
        paths.push(`a string literal${where}`);
      }
    },
  });
  found = paths;
  literalPaths.set(document, found);
  return found;
}

/** Paths (`variables.input.title`, `a string literal at line 3, column 12`) of every text holding U+0000, in the document's literals and the variables. */
export function nulCharacterPaths(document: DocumentNode, variables: Record<string, unknown> | undefined): string[] {
  const found: string[] = [...nulLiteralPaths(document)];
  // an explicit stack, not recursion: variables nested 100,000 deep fit in the body limit
  const pending: Array<[unknown, string]> = [[variables ?? {}, 'variables']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) found.push(path);
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index -= 1) pending.push([value[index], `${path}[${index}]`]);
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let index = entries.length - 1; index >= 0; index -= 1) pending.push([entries[index][1], `${path}.${entries[index][0]}`]);
    }
  }
  return found;
}

/**
 * Refuses, before anything runs, an operation whose arguments hold the NUL character (U+0000) in any text:
 * Postgres cannot store it, so without this check each service would have to refuse it itself (or fail
 * with an internal error). Answers BAD_USER_INPUT naming every place it occurs. Other control characters are
 * each field's own rule.
 */
export function textInputPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const paths = nulCharacterPaths(document, request.variables);
          if (paths.length > 0) {
            throw new GraphQLError(`Text must not contain the NUL character (U+0000), found in: ${paths.join(', ')}`, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
