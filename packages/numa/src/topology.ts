/**
 * A NUMA host: nodes with CPUs, memory and local memory bandwidth; the ACPI SLIT distance matrix
 * and the idle access latencies it stands for; interconnect links between nodes with their
 * bandwidth, and the route memory traffic takes over them.
 *
 * @module
 */

import { parseBytes, parseDuration, parseRate, VxError, type VxPath } from "@vx/core";
import { parseCpuList } from "./cpulist.js";
import {
  DDR4_2666_CHANNEL_BYTES_PER_SECOND,
  STREAM_EFFICIENCY,
  UPI_LINK_BYTES_PER_SECOND,
} from "./internal/hardware.js";
import { topologyIndex } from "./internal/routing.js";

/** One NUMA node, as the rest of the package sees it. */
export interface NumaNode {
  /** Dense position in {@link Topology.nodes}: what every API of this package calls a node. */
  readonly index: number;
  /** The node number Linux gives it (`node<id>` in sysfs); equals `index` unless ids are sparse. */
  readonly id: number;
  /** Logical CPU ids (hardware threads, as Linux numbers them), increasing; may be empty. */
  readonly cpus: readonly number[];
  /** Memory attached to the node, bytes. */
  readonly memoryBytes: number;
  /** Sustainable bandwidth of the node's memory controllers, bytes per second (reads and writes together). */
  readonly memoryBandwidthBytesPerSecond: number;
}

/** A full-duplex point-to-point link between two nodes (QPI/UPI, Infinity Fabric, HyperTransport). */
export interface InterconnectLink {
  /** A label for results. */
  readonly name: string;
  /** One end (node index). */
  readonly a: number;
  /** The other end (node index), different from `a`. */
  readonly b: number;
  /** Bandwidth in each direction, bytes per second. */
  readonly bytesPerSecond: number;
}

/** Which figures of a topology were not given and took a documented default. */
export type AssumedFigure = "memoryBandwidth" | "links" | "latency" | "distances";

/** A NUMA host topology: plain, JSON-serialisable data, built by {@link createTopology}. */
export interface Topology {
  /** A label (the preset name, or where it was imported from). */
  readonly name: string;
  /** The nodes, in order of their Linux ids. */
  readonly nodes: readonly NumaNode[];
  /**
   * The SLIT (ACPI System Locality Information Table) as Linux shows it: `distances[i][j]` is
   * the relative cost for a CPU of node `i` to reach memory of node `j`, 10 meaning local.
   */
  readonly distances: readonly (readonly number[])[];
  /** Idle load-to-use latency for a CPU of node `i` reading memory of node `j`, seconds. */
  readonly latencySeconds: readonly (readonly number[])[];
  /** Interconnect links; memory traffic between nodes follows the fewest-hop route over them. */
  readonly links: readonly InterconnectLink[];
  /** Figures that were not in the source and took defaults ({@link TOPOLOGY_DEFAULTS}). */
  readonly assumed: readonly AssumedFigure[];
}

/** One node of a {@link TopologySpec}. */
export interface NodeSpec {
  /** Linux node id; default: its position in the list. */
  readonly id?: number;
  /**
   * Its CPUs: a list of ids, a Linux CPU list (`"0-15,32-47"`), or a count (numbered after the
   * highest id of the nodes before it).
   */
  readonly cpus: readonly number[] | string | number;
  /** Memory: bytes or a size such as `"192GiB"`. */
  readonly memory: number | string;
  /** Local memory bandwidth: bytes/s or a rate such as `"102.4GB/s"`; default {@link TOPOLOGY_DEFAULTS}. */
  readonly memoryBandwidth?: number | string;
}

/** One link of a {@link TopologySpec}. */
export interface LinkSpec {
  /** The two node indices it joins. */
  readonly between: readonly [number, number];
  /** Bandwidth in each direction: bytes/s or a rate such as `"20.8GB/s"`. */
  readonly bandwidth: number | string;
  /** A label; default `link<a>-<b>`. */
  readonly name?: string;
}

/** What {@link createTopology} reads. Quantities are numbers in base units or human strings. */
export interface TopologySpec {
  /** A label; default `"custom"`. */
  readonly name?: string;
  /** The nodes, at least one. */
  readonly nodes: readonly NodeSpec[];
  /** The SLIT matrix (n × n, 10 on the diagonal, 10–254 elsewhere); default 10 local, 20 remote. */
  readonly distances?: readonly (readonly number[])[];
  /** Interconnect links; default a full mesh of links of `linkBandwidth`. */
  readonly links?: readonly LinkSpec[];
  /** Bandwidth of each default mesh link, each direction; default {@link TOPOLOGY_DEFAULTS}. */
  readonly linkBandwidth?: number | string;
  /** Idle local memory latency: seconds or a duration such as `"90ns"`; default {@link TOPOLOGY_DEFAULTS}. */
  readonly localLatency?: number | string;
  /**
   * How much of the SLIT ratio shows up in latency: `latency[i][j] = local × (1 + w × (d/10 − 1))`.
   * Default {@link TOPOLOGY_DEFAULTS}; 1 takes the SLIT at its word.
   */
  readonly slitLatencyWeight?: number;
  /** Explicit latencies (n × n, seconds or durations); override the SLIT-derived ones. */
  readonly latencies?: readonly (readonly (number | string)[])[];
}

/**
 * Defaults for figures a topology source does not give. Every one is an assumption, stated here
 * with its reasoning; presets replace them with the figures of a named machine.
 *
 * - `memoryBandwidthBytesPerSecond`: 68.3 GB/s, four DDR4-2666 channels (4 × 21.33 GB/s peak,
 *   JEDEC JESD79-4) at the 80 % of peak a STREAM-like load sustains (McCalpin's STREAM results
 *   on Xeon servers sit at 75–85 % of peak).
 * - `linkBytesPerSecond`: 20.8 GB/s each way, one Intel UPI link at 10.4 GT/s × 2 bytes
 *   (Intel Xeon Scalable datasheet, vol. 1).
 * - `localLatencySeconds`: 90 ns, idle local DRAM latency of a Skylake-SP Xeon (AnandTech,
 *   "Sizing up servers: Intel's Skylake-SP Xeon versus AMD's EPYC 7000", 2017: 89–98 ns).
 * - `slitLatencyWeight`: 0.6. Firmware writes 20 or 21 for any remote socket, but measured
 *   remote/local latency on two-socket Xeons is about 1.6 (F. Denneman, "NUMA Deep Dive Part 4",
 *   2016: 190 vs 310 cycles, 1.63×); 1 + 0.6 × (2.1 − 1) = 1.66 matches it. The weight is an
 *   assumption fitted to that one measurement.
 * - `remoteDistance`: 20, the SLIT value firmware uses for "remote" when it gives no table.
 */
export const TOPOLOGY_DEFAULTS: {
  readonly memoryBandwidthBytesPerSecond: number;
  readonly linkBytesPerSecond: number;
  readonly localLatencySeconds: number;
  readonly slitLatencyWeight: number;
  readonly remoteDistance: number;
} = {
  memoryBandwidthBytesPerSecond: 4 * DDR4_2666_CHANNEL_BYTES_PER_SECOND * STREAM_EFFICIENCY,
  linkBytesPerSecond: UPI_LINK_BYTES_PER_SECOND,
  localLatencySeconds: 90e-9,
  slitLatencyWeight: 0.6,
  remoteDistance: 20,
};

/**
 * Figures a Linux topology source does not hold, to give instead of the defaults
 * ({@link TOPOLOGY_DEFAULTS}). Quantities are base-unit numbers or human strings.
 */
export interface ImportOptions {
  /** A label; default the folder or file path. */
  readonly name?: string;
  /** Local memory bandwidth of every node. */
  readonly memoryBandwidth?: number | string;
  /** Bandwidth of each link of the assumed full mesh, each direction. */
  readonly linkBandwidth?: number | string;
  /** Idle local memory latency. */
  readonly localLatency?: number | string;
  /** Weight of the SLIT in latencies (see {@link TopologySpec.slitLatencyWeight}). */
  readonly slitLatencyWeight?: number;
}

/** Options of {@link createTopology}. */
export interface CreateTopologyOptions {
  /** Path of the spec inside a larger input (a scenario file), prefixed to error paths. */
  readonly path?: VxPath;
}

function fail(path: VxPath, message: string): never {
  throw new VxError("VX_NUMA_BAD_TOPOLOGY", message, { path });
}

function isInt(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x);
}

function readMatrix<T>(
  value: unknown,
  n: number,
  path: VxPath,
  what: string,
  cell: (x: unknown, at: VxPath, i: number, j: number) => T,
): T[][] {
  if (!Array.isArray(value) || value.length !== n) {
    fail(path, `${what} must be an ${n} × ${n} matrix (one row per node).`);
  }
  return value.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== n) {
      fail([...path, i], `row ${i} of ${what} must have ${n} entries, one per node.`);
    }
    // `cell` gets the matrix's path and builds a cell's path only to report it: a 1024-node
    // SLIT has a million cells.
    return row.map((x: unknown, j) => cell(x, path, i, j));
  });
}

/**
 * Builds and checks a topology from a spec: node CPUs and memory, SLIT distances, latencies,
 * links. Everything omitted takes a documented default ({@link TOPOLOGY_DEFAULTS}) and is listed
 * in {@link Topology.assumed}.
 *
 * Use it for hosts that are neither a preset ({@link presetTopology}) nor imported
 * (`readSysfsTopology` of `@vx/numa/node`, {@link parseNumactlHardware}). Latency from CPU node `i` to memory
 * of node `j` is `localLatency × (1 + w × (d[i][j]/10 − 1))` unless `latencies` gives it.
 *
 * @param spec - nodes, distances, links, latencies.
 * @param options - a path prefix for errors.
 * @returns the topology (plain data).
 * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_TOPOLOGY` with the path of the offending field: no nodes,
 *   a CPU listed twice, a negative size, a distance matrix of the wrong shape or with a diagonal
 *   other than 10 or an entry outside 10–254, a link to an unknown node or to itself, links that
 *   leave a node unreachable; `VX_CORE_BAD_UNIT` for an unreadable quantity.
 * @example
 * ```ts
 * const t = createTopology({
 *   name: "two-node",
 *   nodes: [{ cpus: "0-7", memory: "64GiB" }, { cpus: "8-15", memory: "64GiB" }],
 *   distances: [[10, 21], [21, 10]],
 * });
 * t.latencySeconds[0][1]; // 1.49e-7: 90 ns × 1.66
 * ```
 */
export function createTopology(spec: TopologySpec, options: CreateTopologyOptions = {}): Topology {
  const base = options.path ?? [];
  if (typeof spec !== "object" || spec === null) fail(base, "a topology must be an object.");
  const nodesIn: unknown = spec.nodes;
  if (!Array.isArray(nodesIn) || nodesIn.length === 0) {
    fail([...base, "nodes"], "a topology needs at least one node.");
  }
  const n = nodesIn.length;
  const assumed = new Set<AssumedFigure>();
  const seenCpus = new Map<number, number>();
  const seenIds = new Set<number>();
  let nextCpu = 0;
  const nodes: NumaNode[] = (nodesIn as readonly NodeSpec[]).map((node, index) => {
    const at: VxPath = [...base, "nodes", index];
    if (typeof node !== "object" || node === null) fail(at, "a node must be an object.");
    const id = node.id ?? index;
    if (!isInt(id) || id < 0)
      fail([...at, "id"], `a node id is an integer ≥ 0, got ${String(id)}.`);
    if (seenIds.has(id)) fail([...at, "id"], `node id ${id} is used twice.`);
    seenIds.add(id);
    let cpus: number[];
    const c: unknown = node.cpus;
    if (typeof c === "number") {
      if (!isInt(c) || c < 0) fail([...at, "cpus"], `a CPU count is an integer ≥ 0, got ${c}.`);
      cpus = Array.from({ length: c }, (_, k) => nextCpu + k);
    } else if (typeof c === "string") {
      cpus = parseCpuList(c, [...at, "cpus"]);
    } else if (Array.isArray(c)) {
      cpus = c.map((x: unknown, k) => {
        if (!isInt(x) || x < 0) {
          fail([...at, "cpus", k], `a CPU id is an integer ≥ 0, got ${String(x)}.`);
        }
        return x;
      });
      cpus = [...new Set(cpus)].sort((a, b) => a - b);
    } else {
      fail([...at, "cpus"], "cpus must be a list of CPU ids, a CPU list string or a count.");
    }
    for (const cpu of cpus) {
      const other = seenCpus.get(cpu);
      if (other !== undefined) {
        fail([...at, "cpus"], `CPU ${cpu} is already listed under node ${other}.`);
      }
      seenCpus.set(cpu, index);
      if (cpu + 1 > nextCpu) nextCpu = cpu + 1;
    }
    if (node.memory === undefined) fail([...at, "memory"], "each node needs its memory size.");
    const memoryBytes = parseBytes(node.memory, [...at, "memory"]);
    let memoryBandwidthBytesPerSecond: number;
    if (node.memoryBandwidth === undefined) {
      assumed.add("memoryBandwidth");
      memoryBandwidthBytesPerSecond = TOPOLOGY_DEFAULTS.memoryBandwidthBytesPerSecond;
    } else {
      memoryBandwidthBytesPerSecond = parseRate(node.memoryBandwidth, [...at, "memoryBandwidth"]);
      if (!(memoryBandwidthBytesPerSecond > 0)) {
        fail([...at, "memoryBandwidth"], "memory bandwidth must be > 0.");
      }
    }
    return { index, id, cpus, memoryBytes, memoryBandwidthBytesPerSecond };
  });
  for (let i = 1; i < n; i++) {
    if (nodes[i]!.id <= nodes[i - 1]!.id) {
      fail([...base, "nodes", i, "id"], "list nodes in increasing order of their ids.");
    }
  }

  let distances: number[][];
  if (spec.distances === undefined) {
    if (n > 1) assumed.add("distances");
    distances = nodes.map((_, i) =>
      nodes.map((__, j) => (i === j ? 10 : TOPOLOGY_DEFAULTS.remoteDistance)),
    );
  } else {
    distances = readMatrix(
      spec.distances,
      n,
      [...base, "distances"],
      "distances",
      (x, at, i, j) => {
        if (!isInt(x)) fail([...at, i, j], `a SLIT distance is an integer, got ${String(x)}.`);
        if (i === j && x !== 10)
          fail([...at, i, j], `the distance of a node to itself is 10 (ACPI SLIT), got ${x}.`);
        if (i !== j && (x < 10 || x > 254)) {
          fail(
            [...at, i, j],
            `a SLIT distance between two nodes is 10–254 (255 means unreachable), got ${x}.`,
          );
        }
        return x;
      },
    );
  }

  const w = spec.slitLatencyWeight ?? TOPOLOGY_DEFAULTS.slitLatencyWeight;
  if (!(typeof w === "number" && w >= 0 && w <= 10)) {
    fail(
      [...base, "slitLatencyWeight"],
      `slitLatencyWeight is a number in 0–10, got ${String(w)}.`,
    );
  }
  const local =
    spec.localLatency === undefined
      ? TOPOLOGY_DEFAULTS.localLatencySeconds
      : parseDuration(spec.localLatency, [...base, "localLatency"]);
  if (!(local > 0)) fail([...base, "localLatency"], "the local latency must be > 0.");
  let latencySeconds: number[][];
  if (spec.latencies === undefined) {
    if (spec.localLatency === undefined) assumed.add("latency");
    latencySeconds = distances.map((row) => row.map((d) => local * (1 + w * (d / 10 - 1))));
  } else {
    latencySeconds = readMatrix(
      spec.latencies,
      n,
      [...base, "latencies"],
      "latencies",
      (x, matrix, i, j) => {
        const at = [...matrix, i, j];
        if (typeof x !== "number" && typeof x !== "string") fail(at, "a latency is a duration.");
        const s = parseDuration(x, at);
        if (!(s > 0)) fail(at, "a latency must be > 0.");
        return s;
      },
    );
  }

  let links: InterconnectLink[];
  if (spec.links === undefined) {
    const bw =
      spec.linkBandwidth === undefined
        ? TOPOLOGY_DEFAULTS.linkBytesPerSecond
        : parseRate(spec.linkBandwidth, [...base, "linkBandwidth"]);
    if (!(bw > 0)) fail([...base, "linkBandwidth"], "link bandwidth must be > 0.");
    if (n > 1 && spec.linkBandwidth === undefined) assumed.add("links");
    links = [];
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++)
        links.push({ name: `link${a}-${b}`, a, b, bytesPerSecond: bw });
    }
  } else {
    if (!Array.isArray(spec.links)) fail([...base, "links"], "links must be a list.");
    const names = new Set<string>();
    links = spec.links.map((link, k) => {
      const at: VxPath = [...base, "links", k];
      const between: unknown = link?.between;
      if (!Array.isArray(between) || between.length !== 2) {
        fail([...at, "between"], "a link joins two nodes: between: [a, b].");
      }
      const [a, b] = between as unknown[];
      for (const [pos, end] of [a, b].entries()) {
        if (!isInt(end) || end < 0 || end >= n) {
          fail(
            [...at, "between", pos],
            `a link end is a node index 0–${n - 1}, got ${String(end)}.`,
          );
        }
      }
      if (a === b) fail([...at, "between"], `a link joins two different nodes, got ${a} twice.`);
      const bytesPerSecond = parseRate(link.bandwidth, [...at, "bandwidth"]);
      if (!(bytesPerSecond > 0)) fail([...at, "bandwidth"], "link bandwidth must be > 0.");
      const name = link.name ?? `link${a}-${b}`;
      if (names.has(name)) fail([...at, "name"], `link name "${name}" is used twice.`);
      names.add(name);
      return { name, a: a as number, b: b as number, bytesPerSecond };
    });
  }

  const topology: Topology = {
    name: spec.name ?? "custom",
    nodes,
    distances,
    latencySeconds,
    links,
    assumed: [...assumed].sort(),
  };
  // Every node must reach every other over the links.
  const index = topologyIndex(topology);
  for (let j = 1; j < n; j++) {
    if (index.hops[j] === -1) {
      fail([...base, "links"], `node ${j} cannot be reached from node 0 over the links.`);
    }
  }
  return topology;
}

/**
 * The node a CPU belongs to.
 *
 * @param topology - the host.
 * @param cpu - a Linux CPU id.
 * @returns the node index, or -1 if no node lists that CPU.
 * @example
 * ```ts
 * nodeOfCpu(presetTopology("2-socket"), 20); // 1
 * ```
 */
export function nodeOfCpu(topology: Topology, cpu: number): number {
  return topologyIndex(topology).cpuNode.get(cpu) ?? -1;
}

/**
 * Nodes in order of distance from `from` (itself first; ties by index): the order Linux falls
 * back along when a node's memory is full (its zonelist, built from the SLIT by
 * `build_zonelists()` in `mm/page_alloc.c`).
 *
 * @param topology - the host.
 * @param from - a node index.
 * @returns every node index, nearest first.
 * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_NODE` for an index out of range.
 * @example
 * ```ts
 * nodesByDistance(presetTopology("8-node-epyc"), 5); // [5, 4, 6, 7, 0, 1, 2, 3]
 * ```
 */
export function nodesByDistance(topology: Topology, from: number): readonly number[] {
  checkNode(topology, from, ["from"]);
  return topologyIndex(topology).byDistance(from);
}

/**
 * The directed interconnect channels traffic from node `from` to node `to` crosses, on the
 * fewest-hop route (ties: links in list order). Channel `2k` is link `k` from `a` to `b`,
 * `2k + 1` from `b` to `a`.
 *
 * @param topology - the host.
 * @param from - node index where the data starts.
 * @param to - node index where it goes.
 * @returns channel ids in path order; empty when `from === to`.
 * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_NODE` for an index out of range.
 * @example
 * ```ts
 * linkRoute(presetTopology("2-socket"), 1, 0); // [1]: link 0, from b to a
 * ```
 */
export function linkRoute(topology: Topology, from: number, to: number): readonly number[] {
  checkNode(topology, from, ["from"]);
  checkNode(topology, to, ["to"]);
  return topologyIndex(topology).route(from, to);
}

/**
 * How much slower than local an idle access from CPU node `cpuNode` to memory of `memNode` is.
 *
 * @param topology - the host.
 * @param cpuNode - node of the CPU.
 * @param memNode - node of the memory.
 * @returns `latency[cpuNode][memNode] / latency[cpuNode][cpuNode]` (1 when local).
 * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_NODE` for an index out of range.
 * @example
 * ```ts
 * latencyFactor(presetTopology("2-socket"), 0, 1); // 1.66
 * ```
 */
export function latencyFactor(topology: Topology, cpuNode: number, memNode: number): number {
  checkNode(topology, cpuNode, ["cpuNode"]);
  checkNode(topology, memNode, ["memNode"]);
  const row = topology.latencySeconds[cpuNode]!;
  return row[memNode]! / row[cpuNode]!;
}

/**
 * Totals of a topology: CPUs and memory.
 *
 * @param topology - the host.
 * @returns the number of CPUs and bytes of memory over all nodes.
 * @example
 * ```ts
 * topologyTotals(presetTopology("2-socket")); // { cpus: 64, memoryBytes: 412316860416 }
 * ```
 */
export function topologyTotals(topology: Topology): { cpus: number; memoryBytes: number } {
  let cpus = 0;
  let memoryBytes = 0;
  for (const node of topology.nodes) {
    cpus += node.cpus.length;
    memoryBytes += node.memoryBytes;
  }
  return { cpus, memoryBytes };
}

/**
 * Throws unless `node` is a node index of `topology`.
 *
 * @param topology - the host.
 * @param node - the value to check.
 * @param path - path of the field, for the error.
 * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_NODE`.
 * @example
 * ```ts
 * checkNode(presetTopology("2-socket"), 2, ["node"]); // throws: node is 0–1
 * ```
 */
export function checkNode(topology: Topology, node: number, path: VxPath = ["node"]): void {
  if (!(Number.isInteger(node) && node >= 0 && node < topology.nodes.length)) {
    throw new VxError(
      "VX_NUMA_BAD_NODE",
      `expected a node index 0–${topology.nodes.length - 1}, got ${String(node)}.`,
      { path },
    );
  }
}
