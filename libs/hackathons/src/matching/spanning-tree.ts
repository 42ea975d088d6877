/** The network simplex's spanning tree basis over nodes 0..n−1 and the artificial root n. */
export interface SpanningTree {
  parent: Int32Array;
  /** The tree arc joining a node to its parent. */
  pred: Int32Array;
  /** Preorder successor (a cyclic list through the root) and its inverse. */
  thread: Int32Array;
  revThread: Int32Array;
  /** Subtree size and the last node of the subtree in thread order. */
  succNum: Int32Array;
  lastSucc: Int32Array;
  /** +1 when the tree arc goes from the node to its parent, −1 when from the parent to the node. */
  predDir: Int8Array;
  /** Node potentials: every tree arc has reduced cost `cost + pi[tail] − pi[head]` = 0. */
  pi: Float64Array;
}

/**
 * The basis of a feasible circulation `flow` over arcs 0..m−1 (artificial arc m+u joins node u
 * to the root): arcs strictly between their bounds are tree arcs, and each connected component
 * they form hangs from the root by its lowest node's artificial arc (zero flow, pointing to the
 * root, so the tree is strongly feasible). Sets `state` (1 at lower bound, −1 at upper, 0 in the
 * tree) for arcs 0..m−1.
 * @throws Error when the free arcs form a cycle (the flow is not a basic solution).
 */
export function treeFromFlow(
  n: number,
  m: number,
  source: Int32Array,
  target: Int32Array,
  cap: Float64Array,
  cost: Float64Array,
  flow: Float64Array,
  state: Int8Array,
  tree: SpanningTree,
): void {
  const { parent, pred, thread, revThread, succNum, lastSucc, predDir, pi } = tree;
  const root = n;
  // adjacency of the free arcs (CSR)
  const start = new Int32Array(n + 1);
  for (let e = 0; e < m; e++) {
    if (flow[e] > 0 && flow[e] < cap[e]) {
      state[e] = 0;
      start[source[e] + 1]++;
      start[target[e] + 1]++;
    } else {
      state[e] = flow[e] === 0 ? 1 : -1;
    }
  }
  for (let u = 0; u < n; u++) start[u + 1] += start[u];
  const adj = new Int32Array(start[n]);
  const fill = start.slice(0, n);
  for (let e = 0; e < m; e++) {
    if (state[e] !== 0) continue;
    adj[fill[source[e]]++] = e;
    adj[fill[target[e]]++] = e;
  }

  // depth-first preorder from the root
  const order = new Int32Array(n);
  const visited = new Uint8Array(n);
  const stack = new Int32Array(n);
  let count = 0;
  parent[root] = -1;
  pred[root] = -1;
  pi[root] = 0;
  for (let c = 0; c < n; c++) {
    if (visited[c]) continue;
    visited[c] = 1;
    parent[c] = root;
    pred[c] = m + c;
    predDir[c] = 1;
    pi[c] = 0;
    let top = 0;
    stack[top++] = c;
    while (top > 0) {
      const u = stack[--top];
      order[count++] = u;
      // push in reverse so children are visited in arc order
      for (let k = start[u + 1] - 1; k >= start[u]; k--) {
        const e = adj[k];
        if (e === pred[u]) continue;
        const v = source[e] === u ? target[e] : source[e];
        if (visited[v]) throw new Error(`the initial flow is not basic: free arcs form a cycle through arc ${e}`);
        visited[v] = 1;
        parent[v] = u;
        pred[v] = e;
        if (source[e] === v) {
          predDir[v] = 1;
          pi[v] = pi[u] - cost[e];
        } else {
          predDir[v] = -1;
          pi[v] = pi[u] + cost[e];
        }
        stack[top++] = v;
      }
    }
  }
  // a node popped later may have been pushed earlier: preorder needs parents before children,
  // which the stack gives (a child is pushed only after its parent is popped)
  thread[root] = order[0];
  revThread[order[0]] = root;
  for (let i = 0; i < n - 1; i++) {
    thread[order[i]] = order[i + 1];
    revThread[order[i + 1]] = order[i];
  }
  thread[order[n - 1]] = root;
  revThread[root] = order[n - 1];
  const position = new Int32Array(n);
  for (let i = 0; i < n; i++) position[order[i]] = i;
  succNum.fill(1, 0, n);
  for (let i = n - 1; i >= 0; i--) {
    const u = order[i];
    if (parent[u] !== root) succNum[parent[u]] += succNum[u];
  }
  for (let u = 0; u < n; u++) lastSucc[u] = order[position[u] + succNum[u] - 1];
  succNum[root] = n + 1;
  lastSucc[root] = order[n - 1];
}
