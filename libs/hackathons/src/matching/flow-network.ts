/**
 * A directed network for min-cost flow, in parallel typed arrays (arc `e` goes from `tail[e]` to
 * `head[e]`, carries 0..`capacity[e]` units at `cost[e]` per unit). Capacities and costs are
 * integers held in float64 (exact below 2^53); the builders check the bound.
 */
export interface FlowNetwork {
  nodeCount: number;
  arcCount: number;
  tail: Int32Array;
  head: Int32Array;
  capacity: Float64Array;
  cost: Float64Array;
}

/** An optimal flow: units on each arc, total cost, and how many pivots or augmentations it took. */
export interface FlowResult {
  flow: Float64Array;
  cost: number;
  iterations: number;
  /** Node potentials proving optimality (see {@link optimalityViolations}), when the algorithm keeps them. */
  potential?: Float64Array;
}

/** Σ cost × flow over every arc. */
export function flowCost(network: FlowNetwork, flow: Float64Array): number {
  let total = 0;
  for (let e = 0; e < network.arcCount; e++) total += network.cost[e] * flow[e];
  return total;
}

/**
 * How many conditions an optimal circulation must meet fail for `flow` and `potential`: each arc
 * within its bounds, each node's inflow equal to its outflow, and complementary slackness on the
 * reduced cost `cost + potential[tail] − potential[head]` (≥ 0 on an arc at 0, ≤ 0 at capacity,
 * = 0 in between). 0 proves the circulation is a minimum-cost one (linear programming duality).
 */
export function optimalityViolations(network: FlowNetwork, flow: Float64Array, potential: Float64Array): number {
  let violations = 0;
  const balance = new Float64Array(network.nodeCount);
  for (let e = 0; e < network.arcCount; e++) {
    const x = flow[e];
    const cap = network.capacity[e];
    if (x < 0 || x > cap || !Number.isInteger(x)) violations++;
    balance[network.tail[e]] -= x;
    balance[network.head[e]] += x;
    const reduced = network.cost[e] + potential[network.tail[e]] - potential[network.head[e]];
    if ((x < cap && reduced < 0) || (x > 0 && reduced > 0)) violations++;
  }
  for (let u = 0; u < network.nodeCount; u++) if (balance[u] !== 0) violations++;
  return violations;
}
