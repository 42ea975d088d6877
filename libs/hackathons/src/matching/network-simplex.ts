import type { FlowNetwork, FlowResult } from './flow-network.js';
import { treeFromFlow, type SpanningTree } from './spanning-tree.js';

const STATE_UPPER = -1;
const STATE_TREE = 0;
const STATE_LOWER = 1;
const DIR_UP = 1; // the node's tree arc goes from the node to its parent
const DIR_DOWN = -1;

/**
 * Minimum-cost circulation (every node's supply is 0; arcs have lower bound 0) by the primal
 * network simplex method with block search pivoting, after LEMON's NetworkSimplex (Kovács,
 * "Minimum-cost flow algorithms: an experimental evaluation", 2015): a spanning tree kept as
 * parent / thread / subtree-size arrays, an artificial root joined to every node by a zero-cost
 * arc, the strongly feasible tree rule against cycling, and pivots that scan the arcs in blocks
 * of ⌈√arcs⌉ and take the most negative reduced cost of the first block that has one.
 *
 * Exact for integer data (all arithmetic stays on integers below 2^53, which the caller checks);
 * deterministic (arcs are scanned in index order). Memory O(nodes + arcs) in typed arrays.
 * `initialFlow`, when given, must be a feasible circulation whose arcs strictly between their
 * bounds form no cycle (a basic solution); the method starts from it instead of the zero flow.
 * @returns an optimal circulation (an all-zero flow when no cycle has negative cost).
 * @throws Error when a negative cycle has unlimited capacity (an unbounded instance).
 */
export function networkSimplexCirculation(network: FlowNetwork, initialFlow?: Float64Array): FlowResult {
  const n = network.nodeCount;
  const m = network.arcCount;
  const all = m + n;
  const root = n;
  const source = new Int32Array(all);
  const target = new Int32Array(all);
  const cap = new Float64Array(all);
  const cost = new Float64Array(all);
  const flow = new Float64Array(all);
  const state = new Int8Array(all);
  source.set(network.tail);
  target.set(network.head);
  cap.set(network.capacity);
  cost.set(network.cost);
  const tree: SpanningTree = {
    parent: new Int32Array(n + 1),
    pred: new Int32Array(n + 1),
    thread: new Int32Array(n + 1),
    revThread: new Int32Array(n + 1),
    succNum: new Int32Array(n + 1),
    lastSucc: new Int32Array(n + 1),
    predDir: new Int8Array(n + 1),
    pi: new Float64Array(n + 1),
  };
  const { parent, pred, thread, revThread, succNum, lastSucc, predDir, pi } = tree;
  const dirtyRevs = new Int32Array(n + 1);
  for (let u = 0, e = m; u !== n; u++, e++) {
    cap[e] = Infinity;
    state[e] = STATE_TREE;
    source[e] = u;
    target[e] = root;
  }
  if (initialFlow) {
    flow.set(initialFlow);
    treeFromFlow(n, m, source, target, cap, cost, flow, state, tree);
  } else {
    state.fill(STATE_LOWER, 0, m);
    parent[root] = -1;
    pred[root] = -1;
    thread[root] = 0;
    revThread[0] = root;
    succNum[root] = n + 1;
    lastSucc[root] = root - 1;
    for (let u = 0; u !== n; u++) {
      parent[u] = root;
      pred[u] = m + u;
      thread[u] = u + 1;
      revThread[u + 1] = u;
      succNum[u] = 1;
      lastSucc[u] = u;
      predDir[u] = DIR_UP;
    }
  }

  const blockSize = Math.max(10, Math.ceil(Math.sqrt(m)));
  let nextArc = 0;
  let inArc = 0;
  let uOut = 0;
  let iterations = 0;

  for (;;) {
    // --- entering arc: block search
    let min = 0;
    let cnt = blockSize;
    let e = nextArc;
    let found = false;
    for (let scanned = 0; scanned < m; scanned++) {
      const c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
      if (c < min) {
        min = c;
        inArc = e;
      }
      e++;
      if (e === m) e = 0;
      if (--cnt === 0) {
        if (min < 0) {
          found = true;
          break;
        }
        cnt = blockSize;
      }
    }
    if (!found) {
      if (min >= 0) break;
    }
    nextArc = e;
    iterations++;

    // --- join node: where the two tree paths from the entering arc's ends meet
    let join = source[inArc];
    for (let v = target[inArc]; join !== v; ) {
      if (succNum[join] < succNum[v]) join = parent[join];
      else v = parent[v];
    }

    // --- leaving arc (the last blocking arc in the cycle's direction from the join node)
    let first: number;
    let second: number;
    if (state[inArc] === STATE_LOWER) {
      first = source[inArc];
      second = target[inArc];
    } else {
      first = target[inArc];
      second = source[inArc];
    }
    let delta = cap[inArc];
    let result = 0;
    for (let u = first; u !== join; u = parent[u]) {
      const a = pred[u];
      const d = predDir[u] === DIR_DOWN ? cap[a] - flow[a] : flow[a];
      if (d < delta) {
        delta = d;
        uOut = u;
        result = 1;
      }
    }
    for (let u = second; u !== join; u = parent[u]) {
      const a = pred[u];
      const d = predDir[u] === DIR_UP ? cap[a] - flow[a] : flow[a];
      if (d <= delta) {
        delta = d;
        uOut = u;
        result = 2;
      }
    }
    const uIn = result === 1 ? first : second;
    const vIn = result === 1 ? second : first;
    if (delta === Infinity) throw new Error('min-cost circulation is unbounded: a negative cycle has no capacity limit');
    const change = result !== 0;

    // --- push delta around the cycle
    if (delta > 0) {
      const val = state[inArc] * delta;
      flow[inArc] += val;
      for (let u = source[inArc]; u !== join; u = parent[u]) flow[pred[u]] -= predDir[u] * val;
      for (let u = target[inArc]; u !== join; u = parent[u]) flow[pred[u]] += predDir[u] * val;
    }
    if (!change) {
      state[inArc] = -state[inArc];
      continue;
    }
    state[inArc] = STATE_TREE;
    state[pred[uOut]] = flow[pred[uOut]] === 0 ? STATE_LOWER : STATE_UPPER;

    // --- update the spanning tree: the subtree under uOut is re-hung from vIn through uIn
    const oldRevThread = revThread[uOut];
    const oldSuccNum = succNum[uOut];
    const oldLastSucc = lastSucc[uOut];
    const vOut = parent[uOut];

    if (uIn === uOut) {
      parent[uIn] = vIn;
      pred[uIn] = inArc;
      predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
      if (thread[vIn] !== uOut) {
        let after = thread[oldLastSucc];
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
        after = thread[vIn];
        thread[vIn] = uOut;
        revThread[uOut] = vIn;
        thread[oldLastSucc] = after;
        revThread[after] = oldLastSucc;
      }
    } else {
      const threadContinue = oldRevThread === vIn ? thread[oldLastSucc] : thread[vIn];
      let stem = uIn;
      let parStem = vIn;
      let nextStem: number;
      let last = lastSucc[uIn];
      let before: number;
      let after = thread[last];
      thread[vIn] = uIn;
      let dirty = 0;
      dirtyRevs[dirty++] = vIn;
      while (stem !== uOut) {
        nextStem = parent[stem];
        thread[last] = nextStem;
        dirtyRevs[dirty++] = last;
        before = revThread[stem];
        thread[before] = after;
        revThread[after] = before;
        parent[stem] = parStem;
        parStem = stem;
        stem = nextStem;
        last = lastSucc[stem] === lastSucc[parStem] ? revThread[parStem] : lastSucc[stem];
        after = thread[last];
      }
      parent[uOut] = parStem;
      thread[last] = threadContinue;
      revThread[threadContinue] = last;
      lastSucc[uOut] = last;
      if (oldRevThread !== vIn) {
        thread[oldRevThread] = after;
        revThread[after] = oldRevThread;
      }
      for (let i = 0; i < dirty; i++) {
        const u = dirtyRevs[i];
        revThread[thread[u]] = u;
      }
      let tmpSc = 0;
      const tmpLs = lastSucc[uOut];
      for (let u = uOut, p = parent[u]; u !== uIn; u = p, p = parent[u]) {
        pred[u] = pred[p];
        predDir[u] = -predDir[p];
        tmpSc += succNum[u] - succNum[p];
        succNum[u] = tmpSc;
        lastSucc[p] = tmpLs;
      }
      pred[uIn] = inArc;
      predDir[uIn] = uIn === source[inArc] ? DIR_UP : DIR_DOWN;
      succNum[uIn] = oldSuccNum;
    }

    const upLimitOut = lastSucc[join] === vIn ? join : -1;
    const lastSuccOut = lastSucc[uOut];
    for (let u = vIn; u !== -1 && lastSucc[u] === vIn; u = parent[u]) lastSucc[u] = lastSuccOut;
    if (join !== oldRevThread && vIn !== oldRevThread) {
      for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]) lastSucc[u] = oldRevThread;
    } else if (lastSuccOut !== oldLastSucc) {
      for (let u = vOut; u !== upLimitOut && lastSucc[u] === oldLastSucc; u = parent[u]) lastSucc[u] = lastSuccOut;
    }
    for (let u = vIn; u !== join; u = parent[u]) succNum[u] += oldSuccNum;
    for (let u = vOut; u !== join; u = parent[u]) succNum[u] -= oldSuccNum;

    // --- potentials of the moved subtree
    const sigma = pi[vIn] - pi[uIn] - predDir[uIn] * cost[inArc];
    const end = thread[lastSucc[uIn]];
    for (let u = uIn; u !== end; u = thread[u]) pi[u] += sigma;
  }

  const out = flow.slice(0, m);
  let total = 0;
  for (let a = 0; a < m; a++) total += cost[a] * out[a];
  return { flow: out, cost: total, iterations, potential: pi.slice(0, n) };
}
