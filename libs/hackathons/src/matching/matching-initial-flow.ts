import type { MatchingNetwork } from './matching-network.js';

/**
 * A feasible starting circulation for the network simplex, close to the optimum: first each
 * team (input order) takes its most useful candidate with capacity left, as much of it as fits;
 * then every other candidate worth something is taken, most useful first over all teams. Every arc is then at 0 or its
 * capacity except the arc that exhausts a resource (one per resource), the teams' further-units
 * arcs, the arcs of resources not exhausted and the sink → source arc — and those never form a
 * cycle, so they extend to a spanning tree basis (networkSimplexCirculation checks this).
 */
export function greedyInitialFlow(net: MatchingNetwork): Float64Array {
  const { network } = net;
  const flow = new Float64Array(network.arcCount);
  const left = new Float64Array(net.resourceCount);
  for (let r = 0; r < net.resourceCount; r++) if (net.resourceArc[r] >= 0) left[r] = network.capacity[net.resourceArc[r]];
  // open candidates by utility (highest first), grouped order among equals: a counting sort over
  // the few distinct utilities, then the same order team by team (CSR)
  const candidateCount = net.candidateArc.length;
  const seen = new Set<number>();
  for (let k = 0; k < candidateCount; k++) seen.add(net.candidateUtility[k]);
  const distinct = [...seen].sort((a, b) => b - a);
  const bucketOf = new Map(distinct.map((u, i) => [u, i]));
  const bucketStart = new Int32Array(distinct.length + 1);
  const teamStart = new Int32Array(net.teamCount + 1);
  for (let k = 0; k < candidateCount; k++) {
    if (net.candidateArc[k] < 0) continue;
    bucketStart[bucketOf.get(net.candidateUtility[k])! + 1]++;
    teamStart[net.candidateTeam[k] + 1]++;
  }
  for (let b = 0; b < distinct.length; b++) bucketStart[b + 1] += bucketStart[b];
  for (let t = 0; t < net.teamCount; t++) teamStart[t + 1] += teamStart[t];
  const byUtility = new Int32Array(bucketStart[distinct.length]);
  for (let k = 0; k < candidateCount; k++) {
    if (net.candidateArc[k] >= 0) byUtility[bucketStart[bucketOf.get(net.candidateUtility[k])!]++] = k;
  }
  const teamOrder = new Int32Array(byUtility.length);
  const teamFill = teamStart.slice(0, net.teamCount);
  for (const k of byUtility) teamOrder[teamFill[net.candidateTeam[k]]++] = k;

  const take = (k: number): boolean => {
    const r = net.candidateResource[k];
    if (left[r] <= 0) return false;
    const a = net.candidateArc[k];
    const units = Math.min(network.capacity[a], left[r]);
    flow[a] = units;
    left[r] -= units;
    return true;
  };
  for (let t = 0; t < net.teamCount; t++) {
    for (let j = teamStart[t]; j < teamStart[t + 1]; j++) if (take(teamOrder[j])) break;
  }
  // then every other candidate worth something, most useful first over all teams
  for (const k of byUtility) {
    if (flow[net.candidateArc[k]] === 0 && net.candidateUtility[k] > 0) take(k);
  }
  const teamOut = new Float64Array(net.teamCount);
  for (const k of byUtility) teamOut[net.candidateTeam[k]] += flow[net.candidateArc[k]];
  let total = 0;
  for (let t = 0; t < net.teamCount; t++) {
    let out = teamOut[t];
    if (out === 0) continue;
    total += out;
    if (net.teamFirstArc[t] >= 0) {
      flow[net.teamFirstArc[t]] = 1;
      out -= 1;
    }
    if (out > 0) flow[net.teamFurtherArc[t]] = out;
  }
  for (let r = 0; r < net.resourceCount; r++) {
    if (net.resourceArc[r] >= 0) flow[net.resourceArc[r]] = network.capacity[net.resourceArc[r]] - left[r];
  }
  flow[net.returnArc] = total;
  return flow;
}
