// @vitest-environment node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.js';

const consoleRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('generated GraphQL types', () => {
  it('match the operations and apps/api/schema.gql (run `npm run codegen:console` when this fails)', async () => {
    const cwd = process.cwd();
    process.chdir(consoleRoot);
    try {
      const files = await generate({ ...config, silent: true }, false);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(readFileSync(join(consoleRoot, file.filename), 'utf8')).toBe(file.content);
    } finally {
      process.chdir(cwd);
    }
  }, 60_000);
});
