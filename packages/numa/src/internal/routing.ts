/**
 * Derived lookups of a topology (CPU → node, nearest-first node orders, link routes), computed
 * once per topology object and cached.
 *
 * @module
 */

import type { Topology } from "../topology.js";

/** Lookups derived from a topology. */
export interface TopologyIndex {
  /** CPU id → node index. */
  readonly cpuNode: ReadonlyMap<number, number>;
  /** For each node, every node nearest first (SLIT distance, then index). */
  readonly byDistance: readonly (readonly number[])[];
  /** Hops from node 0 (-1 when unreachable). */
  readonly hops: Int32Array;
  /** `routes[from * n + to]`: directed channel ids (2k: link k a→b, 2k+1: b→a). */
  readonly routes: readonly (readonly number[])[];
}

const cache = new WeakMap<Topology, TopologyIndex>();

/** Fewest-hop routes from `from` by breadth-first search; ties go to links in list order. */
function bfs(topology: Topology, from: number): { hops: Int32Array; routes: number[][] } {
  const n = topology.nodes.length;
  const hops = new Int32Array(n).fill(-1);
  const via = new Int32Array(n).fill(-1); // channel used to reach the node
  const prev = new Int32Array(n).fill(-1);
  hops[from] = 0;
  const queue = [from];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    topology.links.forEach((link, k) => {
      let v = -1;
      let channel = -1;
      if (link.a === u) {
        v = link.b;
        channel = 2 * k;
      } else if (link.b === u) {
        v = link.a;
        channel = 2 * k + 1;
      }
      if (v >= 0 && hops[v] === -1) {
        hops[v] = hops[u]! + 1;
        via[v] = channel;
        prev[v] = u;
        queue.push(v);
      }
    });
  }
  const routes: number[][] = [];
  for (let to = 0; to < n; to++) {
    const path: number[] = [];
    for (let v = to; v !== from && hops[v]! > 0; v = prev[v]!) path.push(via[v]!);
    routes.push(path.reverse());
  }
  return { hops, routes };
}

/**
 * @param topology - a topology built by `createTopology`.
 * @returns its derived lookups (cached per object).
 */
export function topologyIndex(topology: Topology): TopologyIndex {
  const hit = cache.get(topology);
  if (hit !== undefined) return hit;
  const n = topology.nodes.length;
  const cpuNode = new Map<number, number>();
  for (const node of topology.nodes) for (const cpu of node.cpus) cpuNode.set(cpu, node.index);
  const byDistance: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = topology.distances[i]!;
    byDistance.push(
      Array.from({ length: n }, (_, j) => j).sort((a, b) => {
        if (a === i) return -1;
        if (b === i) return 1;
        return row[a]! - row[b]! || a - b;
      }),
    );
  }
  const routes: (readonly number[])[] = [];
  let hops: Int32Array = new Int32Array(n);
  for (let from = 0; from < n; from++) {
    const r = bfs(topology, from);
    if (from === 0) hops = r.hops;
    routes.push(...r.routes);
  }
  const index: TopologyIndex = { cpuNode, byDistance, hops, routes };
  cache.set(topology, index);
  return index;
}
