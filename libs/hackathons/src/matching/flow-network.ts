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
}

/** Σ cost × flow over every arc. */
export function flowCost(network: FlowNetwork, flow: Float64Array): number {
  let total = 0;
  for (let e = 0; e < network.arcCount; e++) total += network.cost[e] * flow[e];
  return total;
}
