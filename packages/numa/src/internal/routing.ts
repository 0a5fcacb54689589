/**
 * Derived lookups of a topology (CPU → node, nearest-first node orders, link routes), built once
 * per topology object and cached; node orders and routes are computed per source node on first
 * use, so building a topology costs one breadth-first search (its reachability check), linear in
 * the number of links, however many nodes it has.
 *
 * @module
 */

import type { Topology } from "../topology.js";

const cache = new WeakMap<Topology, TopologyIndex>();

/** Lookups derived from a topology. */
export class TopologyIndex {
  /** CPU id → node index. */
  readonly cpuNode: ReadonlyMap<number, number>;
  /** Hops from node 0 (-1 when unreachable). */
  readonly hops: Int32Array;
  private readonly topology: Topology;
  private readonly n: number;
  /** Adjacency in CSR form: the channels leaving node `u` are `adjChannel[adjStart[u] .. adjStart[u + 1])`. */
  private readonly adjStart: Int32Array;
  private readonly adjNode: Int32Array;
  private readonly adjChannel: Int32Array;
  private readonly orders: (readonly number[] | undefined)[];
  private readonly routeRows: ((readonly number[])[] | undefined)[];

  constructor(topology: Topology) {
    this.topology = topology;
    const n = topology.nodes.length;
    this.n = n;
    const cpuNode = new Map<number, number>();
    for (const node of topology.nodes) for (const cpu of node.cpus) cpuNode.set(cpu, node.index);
    this.cpuNode = cpuNode;
    // Links in list order at each end, so that ties in the search go to the first listed link.
    const degree = new Int32Array(n + 1);
    for (const link of topology.links) {
      degree[link.a + 1]!++;
      degree[link.b + 1]!++;
    }
    for (let u = 0; u < n; u++) degree[u + 1]! += degree[u]!;
    this.adjStart = degree.slice();
    const fill = degree.slice(0, n);
    this.adjNode = new Int32Array(2 * topology.links.length);
    this.adjChannel = new Int32Array(2 * topology.links.length);
    topology.links.forEach((link, k) => {
      const atA = fill[link.a]!++;
      this.adjNode[atA] = link.b;
      this.adjChannel[atA] = 2 * k;
      const atB = fill[link.b]!++;
      this.adjNode[atB] = link.a;
      this.adjChannel[atB] = 2 * k + 1;
    });
    this.orders = new Array<readonly number[] | undefined>(n);
    this.routeRows = new Array<(readonly number[])[] | undefined>(n);
    this.hops = n === 0 ? new Int32Array(0) : this.search(0).hops;
  }

  /** Every node, nearest to `from` first (SLIT distance, then index); `from` itself first. */
  byDistance(from: number): readonly number[] {
    const hit = this.orders[from];
    if (hit !== undefined) return hit;
    const row = this.topology.distances[from]!;
    const order = Array.from({ length: this.n }, (_, j) => j).sort((a, b) => {
      if (a === from) return -1;
      if (b === from) return 1;
      return row[a]! - row[b]! || a - b;
    });
    this.orders[from] = order;
    return order;
  }

  /** Directed channel ids (2k: link k a→b, 2k+1: b→a) on the fewest-hop route from → to. */
  route(from: number, to: number): readonly number[] {
    let rows = this.routeRows[from];
    if (rows === undefined) {
      rows = this.search(from).routes();
      this.routeRows[from] = rows;
    }
    return rows[to]!;
  }

  /** Breadth-first search from `from`; ties go to links in list order. */
  private search(from: number): { hops: Int32Array; routes: () => (readonly number[])[] } {
    const n = this.n;
    const hops = new Int32Array(n).fill(-1);
    const via = new Int32Array(n).fill(-1); // channel used to reach the node
    const prev = new Int32Array(n).fill(-1);
    const queue = new Int32Array(n);
    let tail = 0;
    hops[from] = 0;
    queue[tail++] = from;
    for (let head = 0; head < tail; head++) {
      const u = queue[head]!;
      for (let e = this.adjStart[u]!; e < this.adjStart[u + 1]!; e++) {
        const v = this.adjNode[e]!;
        if (hops[v] !== -1) continue;
        hops[v] = hops[u]! + 1;
        via[v] = this.adjChannel[e]!;
        prev[v] = u;
        queue[tail++] = v;
      }
    }
    const routes = (): (readonly number[])[] => {
      const out: (readonly number[])[] = [];
      for (let to = 0; to < n; to++) {
        const path: number[] = [];
        for (let v = to; v !== from && hops[v]! > 0; v = prev[v]!) path.push(via[v]!);
        out.push(path.reverse());
      }
      return out;
    };
    return { hops, routes };
  }
}

/**
 * @param topology - a topology built by `createTopology`.
 * @returns its derived lookups (cached per object).
 */
export function topologyIndex(topology: Topology): TopologyIndex {
  let index = cache.get(topology);
  if (index === undefined) {
    index = new TopologyIndex(topology);
    cache.set(topology, index);
  }
  return index;
}
