import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { sharedSnapshot, simDataDir } from '../../apps/github-sim/src/testing/sim-data.js';
import type { SimStatsSnapshot } from '../../apps/github-sim/src/http/sim-stats.js';

/** The RWKV export directory (`CAMBRIAN_DATA_DIR`, default `../shared/data/rwkv`). */
export const rwkvDataDir = simDataDir;

/** Starts the GitHub simulator on a free port over the RWKV export (the snapshot is loaded once per file). */
export async function startRwkvSim(): Promise<GithubSim> {
  return createGithubSim({ snapshot: await sharedSnapshot(), port: 0 });
}

/** Reads the simulator's request counters through its admin route, as any client would. */
export async function simStats(sim: GithubSim): Promise<SimStatsSnapshot> {
  const response = await fetch(`${sim.url}/_sim/stats`);
  return (await response.json()) as SimStatsSnapshot;
}

/** One repository of the export, as the tests need it. */
export interface ExportedRepository {
  fullName: string;
  /** SHAs on the default branch (what `GET /commits?sha=<default>` lists). */
  defaultBranchShas: string[];
  /** Author e-mail by default-branch SHA. */
  authorEmailBySha: Map<string, string>;
  pullRequests: number;
}

/** Reads the six repositories of the export straight from its files (independently of the sim). */
export function readRwkvExport(dataDir = rwkvDataDir()): ExportedRepository[] {
  const meta = readLines(join(dataDir, '_export_meta.jsonl')) as Array<{ repo: string }>;
  return meta.map(({ repo }) => {
    const base = repo.replace('/', '__');
    const commits = readLines(join(dataDir, `${base}.commits.jsonl`)) as Array<{
      sha: string;
      on_default_branch: boolean;
      author: { email: string };
    }>;
    const onDefault = commits.filter((commit) => commit.on_default_branch);
    return {
      fullName: repo,
      defaultBranchShas: onDefault.map((commit) => commit.sha),
      authorEmailBySha: new Map(onDefault.map((commit) => [commit.sha, commit.author.email])),
      pullRequests: readLines(join(dataDir, `${base}.pull-refs.jsonl`)).length,
    };
  });
}

function readLines(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as unknown);
}
