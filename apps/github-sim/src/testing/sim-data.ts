import { resolve } from 'node:path';
import { projectRoot } from '../main.js';
import { loadSnapshot } from '../seed/build-snapshot.js';
import type { Snapshot } from '../seed/snapshot.types.js';

/** The RWKV export the specs read: `CAMBRIAN_DATA_DIR` against the project root, default `../shared/data/rwkv`. */
export function simDataDir(): string {
  return resolve(projectRoot(), process.env.CAMBRIAN_DATA_DIR || '../shared/data/rwkv');
}

let cached: Promise<Snapshot> | undefined;

/** One snapshot per test file (loading takes a few hundred milliseconds). */
export function sharedSnapshot(): Promise<Snapshot> {
  cached ??= loadSnapshot(simDataDir());
  return cached;
}
