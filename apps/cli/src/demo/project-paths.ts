import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the nearest folder above this file holding package.json (works from src and dist). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above the CLI)');
    dir = parent;
  }
  return dir;
}

/** `CAMBRIAN_DATA_DIR`, resolved against the project root; default `../shared/data/rwkv`. */
export function demoDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(projectRoot(), env.CAMBRIAN_DATA_DIR || '../shared/data/rwkv');
}

/** Compiled entry point of an app, e.g. `distEntry('api')` → dist/apps/api/src/main.js. */
export function distEntry(app: 'api' | 'worker' | 'github-sim'): string {
  return join(projectRoot(), 'dist', 'apps', app, 'src', 'main.js');
}
