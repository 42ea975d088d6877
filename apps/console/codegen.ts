import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed GraphQL operations of the console (GraphQL Code Generator, client preset), from the api's
 * committed schema. Run `npm run codegen:console` after changing an operation or the schema; the
 * generated files in src/graphql/generated are committed, and src/graphql/generated.test.ts fails
 * while they are stale.
 */
const config: CodegenConfig = {
  schema: '../api/schema.gql',
  documents: ['src/**/*.operations.ts'],
  ignoreNoDocuments: false,
  generates: {
    'src/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
