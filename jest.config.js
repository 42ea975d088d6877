/**
 * Jest runs in native ESM mode (node --experimental-vm-modules): NestJS 12, Octokit and
 * most of the stack are ESM-only, so nothing in node_modules is transformed (but see REQUIRED_ESM). Project
 * TypeScript is compiled by SWC with legacy decorators and decorator metadata (NestJS DI).
 */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

/**
 * The exception: content-disposition 3 (a dependency of @fastify/static, which serves the console) is
 * ESM-only but required from CommonJS; Node loads it (require(esm)), Jest's module runtime cannot, so
 * it alone is compiled to CommonJS.
 */
const REQUIRED_ESM = ['content-disposition'];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    [`/node_modules/(${REQUIRED_ESM.join('|')})/.+\\.js$`]: ['@swc/jest', { ...swc, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${REQUIRED_ESM.join('|')})/)`],
  moduleNameMapper: {
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/apps/console/'],
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  setupFilesAfterEnv: ['<rootDir>/test/helpers/pg-dropped-database.ts'],
  globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
  // hang guards, not speed checks: sized for a 2-core machine also running other work (hooks that sync the
  // RWKV data took over 60 s at load average 12)
  testTimeout: 180000,
  maxWorkers: 2,
  // a worker whose memory passed this after a test file is replaced by a fresh one: over the whole suite
  // (~290 files, Nest contexts, Chromium drivers) a worker's heap grew past V8's limit and it crashed
  // ("Jest worker ran out of memory") in a fresh-clone run
  workerIdleMemoryLimit: '2GB',
};
