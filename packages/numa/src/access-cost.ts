/**
 * The access-cost model: what a memory-bound workload loses when its pages are not on the node of
 * its CPUs. Closed form, for one workload alone on the host; {@link MemoryFabric} adds contention
 * with other traffic.
 *
 * @module
 */

import { VxError, type VxPath } from "@vx/core";
import { topologyIndex } from "./internal/routing.js";
import { checkNode, type Topology } from "./topology.js";

/** What {@link accessCost} reads. */
export interface AccessCostOptions {
  /** Where the workload's CPUs are: a node index, or weights per node (its vCPUs per node). */
  readonly cpuNode: number | ArrayLike<number>;
  /** Where its pages are: pages (or any weights) per node. Accesses are spread evenly over pages. */
  readonly pages: ArrayLike<number>;
  /**
   * Fraction of its run time stalled on memory when everything is local, 0–1; default 1 (fully
   * memory-bound: pointer chasing, streaming beyond the caches). A compute-bound workload is 0.
   */
  readonly memoryStallFraction?: number;
  /** Memory traffic it makes when all local and alone, bytes/s; default unbounded (report the fabric's peak). */
  readonly bytesPerSecond?: number;
  /** Share of its traffic that is writes (data from the CPU to the memory), 0–1; default 0. */
  readonly writeFraction?: number;
}

/** The cost of a placement, from {@link accessCost}. */
export interface AccessCost {
  /** Share of accesses that go to another node than the CPU's. */
  readonly remoteFraction: number;
  /** Mean idle latency of its accesses, seconds. */
  readonly latencySeconds: number;
  /** Mean idle latency the same CPUs would see with all pages local, seconds. */
  readonly localLatencySeconds: number;
  /** `latencySeconds / localLatencySeconds` (≥ 1 on sane topologies). */
  readonly latencyFactor: number;
  /**
   * Time per unit of work relative to all-local: `(1 − s) + s × latencyFactor` for stall
   * fraction `s` (the CPI-stack view: only the stalled share stretches with latency).
   */
  readonly slowdown: number;
  /** `1 / slowdown`: its throughput relative to all-local. */
  readonly throughputFactor: number;
  /** Most traffic the memory controllers and links can carry for this access mix, alone on the host, bytes/s. */
  readonly peakBytesPerSecond: number;
  /** Traffic it sustains alone: `min(bytesPerSecond × throughputFactor, peakBytesPerSecond)`. */
  readonly bytesPerSecond: number;
}

function bad(message: string, path: VxPath): never {
  throw new VxError("VX_NUMA_BAD_ARGUMENT", message, { path });
}

function weightsOf(
  topology: Topology,
  value: number | ArrayLike<number>,
  path: VxPath,
): Float64Array {
  const n = topology.nodes.length;
  const w = new Float64Array(n);
  if (typeof value === "number") {
    checkNode(topology, value, path);
    w[value] = 1;
    return w;
  }
  if (value === null || typeof value !== "object" || value.length !== n) {
    bad(`give ${n} values, one per node.`, path);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = value[i]!;
    if (!(Number.isFinite(x) && x >= 0))
      bad(`expected a finite number ≥ 0, got ${String(x)}.`, [...path, i]);
    sum += x;
  }
  if (!(sum > 0)) bad("at least one value must be > 0.", path);
  for (let i = 0; i < n; i++) w[i] = value[i]! / sum;
  return w;
}

/**
 * The latency, slowdown and bandwidth of a memory-bound workload given where its CPUs and pages
 * are, alone on the host.
 *
 * Use it wherever a model needs "how much does remote memory cost": a guest whose pages drifted
 * (page flipping), a pVM whose buffers sit on another node, a VM after a migration. Latency is
 * the page-weighted mean of the topology's latency matrix; the slowdown stretches only the
 * stalled share of run time (a fully memory-bound workload with `s = 1` runs `latencyFactor`
 * times slower: with a fixed number of misses in flight, Little's law makes a core's bandwidth
 * inversely proportional to latency). The peak is the largest rate for which no memory
 * controller or interconnect channel on the routes is over capacity. For contention with other
 * traffic, put the same traffic on a {@link MemoryFabric}.
 *
 * @param topology - the host.
 * @param options - CPU and page placement, stall fraction, traffic.
 * @returns the cost.
 * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` for weights of the wrong length, negative or all
 *   zero, or a stall or write fraction outside 0–1; `VX_NUMA_BAD_NODE` for a node out of range.
 * @example
 * ```ts
 * const host = presetTopology("2-socket");
 * const c = accessCost(host, { cpuNode: 0, pages: [1, 1] }); // half the pages remote
 * c.remoteFraction; // 0.5
 * c.latencyFactor; // 1.33: (1 + 1.66) / 2
 * ```
 */
export function accessCost(topology: Topology, options: AccessCostOptions): AccessCost {
  const n = topology.nodes.length;
  const w = weightsOf(topology, options.cpuNode, ["cpuNode"]);
  const p = weightsOf(topology, options.pages, ["pages"]);
  const s = options.memoryStallFraction ?? 1;
  if (!(s >= 0 && s <= 1))
    bad(`memoryStallFraction is 0–1, got ${String(s)}.`, ["memoryStallFraction"]);
  const wf = options.writeFraction ?? 0;
  if (!(wf >= 0 && wf <= 1)) bad(`writeFraction is 0–1, got ${String(wf)}.`, ["writeFraction"]);
  const demand = options.bytesPerSecond ?? Number.POSITIVE_INFINITY;
  if (!(demand >= 0)) bad(`bytesPerSecond must be ≥ 0, got ${String(demand)}.`, ["bytesPerSecond"]);

  let latency = 0;
  let local = 0;
  let remote = 0;
  for (let c = 0; c < n; c++) {
    if (w[c] === 0) continue;
    const row = topology.latencySeconds[c]!;
    local += w[c]! * row[c]!;
    for (let m = 0; m < n; m++) {
      latency += w[c]! * p[m]! * row[m]!;
      if (m !== c) remote += w[c]! * p[m]!;
    }
  }
  const latencyFactor = latency / local;
  const slowdown = 1 - s + s * latencyFactor;

  // Load per unit of traffic on each controller and directed channel.
  const index = topologyIndex(topology);
  const controller = new Float64Array(n);
  const channel = new Float64Array(2 * topology.links.length);
  for (let c = 0; c < n; c++) {
    for (let m = 0; m < n; m++) {
      const f = w[c]! * p[m]!;
      if (f === 0) continue;
      controller[m]! += f;
      for (const ch of index.route(m, c)) channel[ch]! += f * (1 - wf);
      for (const ch of index.route(c, m)) channel[ch]! += f * wf;
    }
  }
  let peak = Number.POSITIVE_INFINITY;
  for (let m = 0; m < n; m++) {
    if (controller[m]! > 0)
      peak = Math.min(peak, topology.nodes[m]!.memoryBandwidthBytesPerSecond / controller[m]!);
  }
  topology.links.forEach((link, k) => {
    for (const ch of [2 * k, 2 * k + 1]) {
      if (channel[ch]! > 0) peak = Math.min(peak, link.bytesPerSecond / channel[ch]!);
    }
  });
  return {
    remoteFraction: remote,
    latencySeconds: latency,
    localLatencySeconds: local,
    latencyFactor,
    slowdown,
    throughputFactor: 1 / slowdown,
    peakBytesPerSecond: peak,
    bytesPerSecond: Math.min(demand / slowdown, peak),
  };
}
