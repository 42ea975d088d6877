import { dirname, join, resolve } from 'node:path';
import { projectRoot } from '../main.js';
import { loadSnapshot } from '../seed/build-snapshot.js';
import type { Snapshot } from '../seed/snapshot.types.js';

/** The RWKV export the specs read: `CAMBRIAN_DATA_DIR` against the project root, default `../shared/data/rwkv`. */
export function simDataDir(): string {
  return resolve(projectRoot(), process.env.CAMBRIAN_DATA_DIR || '../shared/data/rwkv');
}

/**
 * Other projects' recordings the specs and benchmarks read (shared/data/third_party): `CAMBRIAN_THIRD_PARTY_DIR`
 * against the project root, default the `third_party` folder beside the RWKV export ({@link simDataDir}).
 */
export function thirdPartyDataDir(): string {
  return resolve(projectRoot(), process.env.CAMBRIAN_THIRD_PARTY_DIR || join(dirname(simDataDir()), 'third_party'));
}

let cached: Promise<Snapshot> | undefined;

/** One snapshot per test file (loading takes a few hundred milliseconds). */
export function sharedSnapshot(): Promise<Snapshot> {
  cached ??= loadSnapshot(simDataDir());
  return cached;
}
