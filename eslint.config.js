// ESLint flat config. Syntax-level rules only (no type-aware rules: `tsc --noEmit` checks types, and
// linting stays fast). Run with `npm run lint`; `npm test` runs it before the tests.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const tsFiles = [
  'apps/**/*.ts',
  'libs/**/*.ts',
  'test/**/*.ts',
  'bench/**/*.ts',
  'migrations/**/*.ts',
  'scripts/**/*.ts',
];

// Node.js globals for the plain JavaScript files (TypeScript files get theirs from @types/node).
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'fetch', 'structuredClone',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
    'queueMicrotask', 'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'performance',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      'apps/console/dist/**',
      'apps/console/src/graphql/generated/**',
      'artifacts/**',
      '.cambrian/**',
    ],
  },
  {
    files: tsFiles,
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // Unused names: allowed when deliberately prefixed with _ (interface methods, NestJS hooks).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
      // `interface Foo extends Bar {}` is a common way to name a GraphQL/DTO shape.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // Services log through the NestJS Logger / pino; operator tools print (see below).
      'no-console': ['warn', { allow: ['warn', 'error'] }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // The console (apps/console): React in the browser, TypeScript and TSX; `tsc -p apps/console` checks types.
    files: ['apps/console/**/*.{ts,tsx}'],
    ignores: ['apps/console/src/graphql/generated/**'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': ['warn', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Plain JavaScript: config files at the root and helper scripts.
    files: ['*.js', '*.mjs', 'scripts/**/*.js', 'scripts/**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', globals: nodeGlobals },
  },
  {
    // Command-line tools, benchmarks and scripts write to the console on purpose.
    files: ['apps/cli/**', 'bench/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Test doubles and fixtures: `any` is often the honest type of a recorded payload.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
