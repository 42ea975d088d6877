/**
 * Resource-matching benchmark: `npm run bench -- matching` (runs dist/bench/matching.js).
 *
 * Instances from generateMatchingProblem with fixed seeds: 10,000 teams × 1,000 resources, 20
 * candidate resources per team (ranks 1–20, 1–40 units each, 0–3 shared tags, popular resources
 * skewed), `easy` (every resource has at least what its candidates can take) and `tight` (about
 * 30% of it). No database, no network.
 *
 * Figures (the last line on stdout is one JSON object; progress goes to stderr):
 *  - `<scenario>_10000_ms`: solveMatching (network simplex from the greedy basis; building the
 *    network, solving and explaining included), median of BENCH_MATCHING_RUNS runs (5) after one
 *    warm-up, each scenario in its own child process; `<scenario>_10000_first_ms`: that process's
 *    first (cold, unoptimised) call, what a fresh worker thread pays;
 *  - `baseline_<scenario>_10000_ms`: the same through successive shortest paths with potentials
 *    (median of 3 after a warm-up) — the baseline, measured in the same run on the same instance;
 *    `ratio_<scenario>_vs_baseline` = network simplex ÷ baseline (below 1 is faster);
 *  - `..._cpu_ms`: the same figures in the process's CPU time, steadier than wall time on a
 *    loaded machine (compare them with `load_average_1m`);
 *  - `cold_start_<scenario>_10000_ms`: the network simplex from the zero flow (median of 3), to
 *    show what the greedy starting basis saves; `<scenario>_10000_pivots` / `cold_start_..._pivots`;
 *  - `peak_rss_mb`: the largest maximum resident set size (process.resourceUsage().maxRSS) of the
 *    network-simplex child processes after their first call (Node itself and the generated instance
 *    included: what one matching job needs); `peak_rss_repeated_mb` after all the timed runs (V8
 *    collects the earlier runs' garbage lazily); goals 2,000 ms and 500 MB;
 *  - optimality: objectives of the network simplex, the baseline and HiGHS (the LP of
 *    matchingLinearProgram, written independently of the network; its optimum is integral) on
 *    BENCH_MATCHING_HIGHS_TEAMS (500, 1000, 2000, 3000 teams × 1,000 resources) easy and tight,
 *    and of the network simplex and the baseline at 10,000: `optimality_gap` is the largest
 *    |difference| (0 when every objective agrees exactly), `highs_instances` how many HiGHS solved,
 *    `certificate_violations_10000` the optimality conditions (bounds, conservation, complementary
 *    slackness of the final potentials) the simplex fails at 10,000 teams, warm and cold (0: proven optimal),
 *    `highs_3000_tight_ms` its time on the largest;
 *  - `load_average_1m` at the end: the machine is shared, so read the times with it.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { optimalityViolations } from '../libs/hackathons/src/matching/flow-network.js';
import { greedyInitialFlow } from '../libs/hackathons/src/matching/matching-initial-flow.js';
import { generateMatchingProblem, type MatchingInstanceOptions } from '../libs/hackathons/src/matching/matching-instances.js';
import { buildMatchingNetwork } from '../libs/hackathons/src/matching/matching-network.js';
import { solveMatching, type SolveMatchingOptions } from '../libs/hackathons/src/matching/matching-solver.js';
import { networkSimplexCirculation } from '../libs/hackathons/src/matching/network-simplex.js';
import { highsMatchingObjective, loadHighs } from './lib/highs.js';
import { median, round } from './lib/stats.js';

const TEAMS = 10_000;
const RESOURCES = 1_000;
const CANDIDATES = 20;
const RUNS = Number(process.env.BENCH_MATCHING_RUNS ?? 5);
const HIGHS_TEAMS = (process.env.BENCH_MATCHING_HIGHS_TEAMS ?? '500,1000,2000,3000').split(',').map(Number);
const SEEDS = { easy: 20261129, tight: 20261130 } as const;
type Scenario = keyof typeof SEEDS;

const log = (message: string) => console.error(`[bench matching] ${message}`);

interface ChildResult {
  /** Optimality conditions the network simplex's final flow and potentials fail (0 proves optimality). */
  certificateViolations: number;
  firstMs: number;
  medianMs: number;
  /** The same in CPU time of the process (user + system; V8's GC helper threads included). */
  firstCpuMs: number;
  medianCpuMs: number;
  objective: number;
  pivots: number;
  /** Maximum resident set size after the first call (one job's peak), and after every run (garbage not yet collected included). */
  firstRssMb: number;
  maxRssMb: number;
}

const instance = (tightness: Scenario, teams: number): MatchingInstanceOptions => ({
  seed: SEEDS[tightness] + teams,
  teams,
  resources: RESOURCES,
  candidatesPerTeam: CANDIDATES,
  tightness,
});

/** In a child process: generate one instance, solve it `runs` times after the first call, print the figures. */
function child(tightness: Scenario, mode: string, runs: number): void {
  const problem = generateMatchingProblem(instance(tightness, TEAMS));
  const options: SolveMatchingOptions =
    mode === 'baseline' ? { algorithm: 'successive-shortest-paths' } : mode === 'cold' ? { coldStart: true } : {};
  const cpuMs = () => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  let started = performance.now();
  let cpuStarted = cpuMs();
  const first = solveMatching(problem, options);
  const firstMs = performance.now() - started;
  const firstCpuMs = cpuMs() - cpuStarted;
  const firstRssMb = process.resourceUsage().maxRSS / 1024;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    cpuStarted = cpuMs();
    const solution = solveMatching(problem, options);
    times.push(performance.now() - started);
    cpuTimes.push(cpuMs() - cpuStarted);
    if (solution.objective !== first.objective) throw new Error('two runs on the same instance disagree');
  }
  let certificateViolations = 0;
  if (mode !== 'baseline') {
    // outside the timed calls: the simplex's final potentials must prove its flow optimal
    const net = buildMatchingNetwork(problem);
    const flow = networkSimplexCirculation(net.network, mode === 'cold' ? undefined : greedyInitialFlow(net));
    certificateViolations = optimalityViolations(net.network, flow.flow, flow.potential!);
    if (-flow.cost !== first.objective) throw new Error('the network simplex cost and the solution objective disagree');
  }
  const result: ChildResult = {
    certificateViolations,
    firstMs,
    medianMs: median(times),
    firstCpuMs,
    medianCpuMs: median(cpuTimes),
    objective: first.objective,
    pivots: first.stats.iterations,
    firstRssMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(result));
}

function runChild(tightness: Scenario, mode: 'simplex' | 'baseline' | 'cold', runs: number): ChildResult {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', tightness, mode, String(runs)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const result = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
  log(
    `${tightness} ${mode}: first ${result.firstMs.toFixed(0)} ms (${result.firstCpuMs.toFixed(0)} ms CPU), ` +
      `median ${result.medianMs.toFixed(0)} ms (${result.medianCpuMs.toFixed(0)} ms CPU), ` +
      `${result.pivots} pivots/rounds, objective ${result.objective}, ` +
      `max RSS ${result.firstRssMb.toFixed(0)} MB after one call, ${result.maxRssMb.toFixed(0)} MB after all`,
  );
  return result;
}

async function main(): Promise<void> {
  const out: Record<string, number> = {};
  let gap = 0;
  let peakRss = 0;
  let peakRssRepeated = 0;
  let violations = 0;
  for (const tightness of ['easy', 'tight'] as const) {
    const simplex = runChild(tightness, 'simplex', RUNS);
    const baseline = runChild(tightness, 'baseline', 3);
    const cold = runChild(tightness, 'cold', 3);
    gap = Math.max(gap, Math.abs(simplex.objective - baseline.objective), Math.abs(simplex.objective - cold.objective));
    violations += simplex.certificateViolations + cold.certificateViolations;
    peakRss = Math.max(peakRss, simplex.firstRssMb);
    peakRssRepeated = Math.max(peakRssRepeated, simplex.maxRssMb);
    out[`${tightness}_${TEAMS}_ms`] = round(simplex.medianMs, 1);
    out[`${tightness}_${TEAMS}_first_ms`] = round(simplex.firstMs, 1);
    out[`baseline_${tightness}_${TEAMS}_ms`] = round(baseline.medianMs, 1);
    out[`ratio_${tightness}_vs_baseline`] = round(simplex.medianMs / baseline.medianMs, 3);
    out[`${tightness}_${TEAMS}_cpu_ms`] = round(simplex.medianCpuMs, 1);
    out[`${tightness}_${TEAMS}_first_cpu_ms`] = round(simplex.firstCpuMs, 1);
    out[`baseline_${tightness}_${TEAMS}_cpu_ms`] = round(baseline.medianCpuMs, 1);
    out[`ratio_${tightness}_vs_baseline_cpu`] = round(simplex.medianCpuMs / baseline.medianCpuMs, 3);
    out[`cold_start_${tightness}_${TEAMS}_ms`] = round(cold.medianMs, 1);
    out[`${tightness}_${TEAMS}_pivots`] = simplex.pivots;
    out[`cold_start_${tightness}_${TEAMS}_pivots`] = cold.pivots;
  }

  log('loading HiGHS');
  const highs = await loadHighs();
  let highsInstances = 0;
  for (const teams of HIGHS_TEAMS) {
    for (const tightness of ['easy', 'tight'] as const) {
      const problem = generateMatchingProblem(instance(tightness, teams));
      const simplex = solveMatching(problem).objective;
      const baseline = solveMatching(problem, { algorithm: 'successive-shortest-paths' }).objective;
      const lp = highsMatchingObjective(highs, problem);
      highsInstances++;
      const instanceGap = Math.max(Math.abs(simplex - lp.objective), Math.abs(simplex - baseline));
      gap = Math.max(gap, instanceGap);
      log(`${teams} teams ${tightness}: simplex ${simplex}, baseline ${baseline}, HiGHS ${lp.objective} (${lp.ms.toFixed(0)} ms), gap ${instanceGap}`);
      if (teams === Math.max(...HIGHS_TEAMS) && tightness === 'tight') out[`highs_${teams}_tight_ms`] = round(lp.ms, 1);
    }
  }
  out.optimality_gap = gap;
  out.certificate_violations_10000 = violations;
  out.highs_instances = highsInstances;
  out.peak_rss_mb = round(peakRss, 1);
  out.peak_rss_repeated_mb = round(peakRssRepeated, 1);
  out.goal_ms = 2000;
  out.goal_rss_mb = 500;
  out.load_average_1m = round(loadavg()[0], 2);
  console.log(JSON.stringify(out));
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as Scenario, process.argv[4], Number(process.argv[5]));
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('[bench matching] failed:', error);
      process.exit(1);
    },
  );
}
