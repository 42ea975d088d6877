import type { FlowNetwork, FlowResult } from './flow-network.js';

/**
 * Minimum-cost flow from `s` to `t` of whatever value is cheapest (flow is sent only while a
 * path of negative cost remains), by successive shortest paths with node potentials — the
 * primal-dual variant: Bellman–Ford for the first potentials (costs may be negative; the network
 * must have no negative cycle), then rounds of Dijkstra on reduced costs (stopped when `t` is
 * settled), a potential update, and as many augmentations along zero-reduced-cost paths as a
 * depth-first search with current-arc pointers finds.
 *
 * The baseline the network simplex solver is measured and checked against. Exact for integer
 * data; deterministic (arcs are scanned in index order).
 */
export function successiveShortestPaths(network: FlowNetwork, s: number, t: number): FlowResult {
  const n = network.nodeCount;
  const m = network.arcCount;
  const { tail, head, capacity, cost } = network;
  const flow = new Float64Array(m);

  // residual adjacency in CSR: slot = 2e (forward, from tail) or 2e+1 (backward, from head)
  const start = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    start[tail[e] + 1]++;
    start[head[e] + 1]++;
  }
  for (let u = 0; u < n; u++) start[u + 1] += start[u];
  const slots = new Int32Array(2 * m);
  const fill = start.slice(0, n);
  for (let e = 0; e < m; e++) {
    slots[fill[tail[e]]++] = 2 * e;
    slots[fill[head[e]]++] = 2 * e + 1;
  }

  // initial potentials: shortest distances from s (Bellman–Ford; one pass on a topological arc order)
  const pi = new Float64Array(n).fill(Infinity);
  pi[s] = 0;
  for (let pass = 0; pass < n; pass++) {
    let changed = false;
    for (let e = 0; e < m; e++) {
      if (capacity[e] > 0 && pi[tail[e]] + cost[e] < pi[head[e]]) {
        pi[head[e]] = pi[tail[e]] + cost[e];
        changed = true;
      }
    }
    if (!changed) break;
    if (pass === n - 1) throw new Error('the network has a negative cycle');
  }
  if (pi[t] === Infinity) return { flow, cost: 0, iterations: 0 };
  for (let u = 0; u < n; u++) if (pi[u] === Infinity) pi[u] = pi[t];

  const dist = new Float64Array(n);
  const heap = new Int32Array(n);
  const heapPos = new Int32Array(n);
  const done = new Uint8Array(n);
  const current = new Int32Array(n);
  const dead = new Uint8Array(n);
  const onPath = new Uint8Array(n);
  const pathNode = new Int32Array(n + 1);
  const pathSlot = new Int32Array(n + 1);
  let iterations = 0;

  const residual = (slot: number) => ((slot & 1) === 0 ? capacity[slot >> 1] - flow[slot >> 1] : flow[slot >> 1]);
  const other = (slot: number) => ((slot & 1) === 0 ? head[slot >> 1] : tail[slot >> 1]);
  const reducedCost = (slot: number, u: number, v: number) =>
    ((slot & 1) === 0 ? cost[slot >> 1] : -cost[slot >> 1]) + pi[u] - pi[v];

  for (;;) {
    // Dijkstra on reduced costs (indexed binary heap), until t is settled
    dist.fill(Infinity);
    done.fill(0);
    heapPos.fill(-1);
    let size = 0;
    const push = (v: number, d: number) => {
      dist[v] = d;
      let i = heapPos[v];
      if (i < 0) {
        i = size++;
        heap[i] = v;
      }
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (dist[heap[p]] <= d) break;
        heap[i] = heap[p];
        heapPos[heap[i]] = i;
        i = p;
      }
      heap[i] = v;
      heapPos[v] = i;
    };
    const pop = (): number => {
      const top = heap[0];
      heapPos[top] = -1;
      const last = heap[--size];
      if (size > 0) {
        let i = 0;
        const d = dist[last];
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          if (c + 1 < size && dist[heap[c + 1]] < dist[heap[c]]) c++;
          if (dist[heap[c]] >= d) break;
          heap[i] = heap[c];
          heapPos[heap[i]] = i;
          i = c;
        }
        heap[i] = last;
        heapPos[last] = i;
      }
      return top;
    };
    push(s, 0);
    while (size > 0) {
      const u = pop();
      done[u] = 1;
      if (u === t) break;
      for (let k = start[u]; k < start[u + 1]; k++) {
        const slot = slots[k];
        const v = other(slot);
        if (done[v] || residual(slot) <= 0) continue;
        const d = dist[u] + reducedCost(slot, u, v);
        if (d < dist[v]) push(v, d);
      }
    }
    if (!done[t]) break;
    const reach = dist[t];
    for (let u = 0; u < n; u++) pi[u] += Math.min(dist[u], reach);
    if (pi[t] - pi[s] >= 0) break; // the cheapest path no longer pays
    iterations++;

    // augment along zero-reduced-cost paths (depth-first, current-arc pointers)
    for (let u = 0; u < n; u++) current[u] = start[u];
    dead.fill(0);
    let depth = 0;
    pathNode[0] = s;
    onPath[s] = 1;
    while (depth >= 0) {
      const u = pathNode[depth];
      if (u === t) {
        let bottleneck = Infinity;
        for (let i = 0; i < depth; i++) bottleneck = Math.min(bottleneck, residual(pathSlot[i]));
        for (let i = 0; i < depth; i++) {
          const slot = pathSlot[i];
          flow[slot >> 1] += (slot & 1) === 0 ? bottleneck : -bottleneck;
        }
        for (let i = 1; i <= depth; i++) onPath[pathNode[i]] = 0;
        depth = 0;
        continue;
      }
      let advanced = false;
      while (current[u] < start[u + 1]) {
        const slot = slots[current[u]];
        const v = other(slot);
        if (!dead[v] && !onPath[v] && residual(slot) > 0 && reducedCost(slot, u, v) === 0) {
          pathSlot[depth] = slot;
          pathNode[++depth] = v;
          onPath[v] = 1;
          advanced = true;
          break;
        }
        current[u]++;
      }
      if (!advanced) {
        dead[u] = 1;
        onPath[u] = 0;
        depth--;
        if (depth >= 0) current[pathNode[depth]]++;
      }
    }
  }

  let total = 0;
  for (let e = 0; e < m; e++) total += cost[e] * flow[e];
  return { flow, cost: total, iterations };
}
