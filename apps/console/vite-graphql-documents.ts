import { transformAsync } from '@babel/core';
import { babelOptimizerPlugin } from '@graphql-codegen/client-preset';
import type { Plugin } from 'vite';

/** The console's operation files, the only ones that call `graphql()` (codegen.ts, `documents`). */
const OPERATIONS = /\.operations\.ts$/;

/**
 * Vite plugin for the build: rewrites each `graphql(\`query X …\`)` call of the `*.operations.ts` files
 * into an import of `XDocument` from the generated `graphql.ts` (GraphQL Code Generator's own Babel plugin
 * for the client preset), so a chunk carries only the documents its pages send. Without it, the first
 * `graphql()` call brings the preset's map of every operation (its text and its AST) into the entry.
 * `artifactDirectory` is where codegen writes (`src/graphql/generated`). Runs before Vite's TypeScript
 * transform (`enforce: 'pre'`), parsing TypeScript itself; other files pass through untouched.
 */
export function graphqlDocuments(artifactDirectory: string): Plugin {
  return {
    name: 'cambrian-graphql-documents',
    apply: 'build',
    enforce: 'pre',
    async transform(code, id) {
      if (!OPERATIONS.test(id)) return null;
      const result = await transformAsync(code, {
        filename: id,
        babelrc: false,
        configFile: false,
        sourceMaps: true,
        parserOpts: { plugins: ['typescript'] },
        plugins: [[babelOptimizerPlugin, { artifactDirectory, gqlTagName: 'graphql' }]],
      });
      if (result?.code == null) throw new Error(`graphql-documents: Babel returned nothing for ${id}`);
      return { code: result.code, map: result.map };
    },
  };
}
