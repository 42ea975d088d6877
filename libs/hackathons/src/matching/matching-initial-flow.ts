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
  const order: number[][] = [];
  for (let t = 0; t < net.teamCount; t++) {
    const ks: number[] = [];
    for (let k = net.teamStart[t]; k < net.teamStart[t + 1]; k++) if (net.candidateArc[k] >= 0) ks.push(k);
    ks.sort((a, b) => net.candidateUtility[b] - net.candidateUtility[a] || a - b);
    order.push(ks);
  }
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
    for (const k of order[t]) if (take(k)) break;
  }
  // then every other candidate, most useful first over all teams (stable: team order within a utility)
  const rest: number[] = [];
  for (let t = 0; t < net.teamCount; t++) {
    for (const k of order[t]) if (flow[net.candidateArc[k]] === 0 && net.candidateUtility[k] > 0) rest.push(k);
  }
  rest.sort((a, b) => net.candidateUtility[b] - net.candidateUtility[a] || a - b);
  for (const k of rest) take(k);
  let total = 0;
  for (let t = 0; t < net.teamCount; t++) {
    let out = 0;
    for (const k of order[t]) out += flow[net.candidateArc[k]];
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
