/**
 * Where each pVM policy wins: a sweep of static vs Closer over guest load and I/O load, for a
 * given remote-latency ratio and memory-stall share, each cell classified by what both policies
 * give the guests (I/O served, and CPU for their own work).
 *
 * @module
 */

import { parseWith, percentSchema, rateSchema, VxError } from "@vx/core";
import { presetTopology, TOPOLOGY_PRESETS, type TopologyPresetName } from "@vx/numa";
import { z } from "zod";
import { BACKEND_DEFAULTS, type PvmScenarioInput, type QuantityInput } from "./config.js";
import type { PvmRunResult } from "./result.js";
import { comparePvmPolicies } from "./simulate.js";

/** Which policy a cell of the map goes to. */
export type PolicyMapWinner =
  /** Closer gives the guests more I/O or more CPU, and less of neither. */
  | "closer"
  /** The static pVM gives more of one, and less of neither. */
  | "static"
  /** Both within the tolerance on both. */
  | "tie"
  /** Closer serves more I/O but leaves the guests less CPU for their own work. */
  | "closer-more-io"
  /** The static pVM serves more I/O but leaves the guests less CPU. */
  | "static-more-io";

/** What one policy gave the guests in one cell. */
export interface PolicyMapOutcome {
  /** I/O served, bytes/s. */
  readonly throughputBytesPerSecond: number;
  /** Share of the I/O asked for that was served. */
  readonly servedFraction: number;
  /** CPUs the guests' own work got. */
  readonly guestCpuServed: number;
  /** Share of the CPU the guests' own work asked for that it got. */
  readonly guestCpuServedFraction: number;
}

/** One cell: a guest load and an I/O load. */
export interface PolicyMapCell {
  /** Each guest's own CPU utilisation. */
  readonly guestLoad: number;
  /** Each guest's network I/O, bytes/s. */
  readonly ioBytesPerSecond: number;
  /** The static pVM's outcome. */
  readonly static: PolicyMapOutcome;
  /** Closer's outcome. */
  readonly closer: PolicyMapOutcome;
  /** Who wins. */
  readonly winner: PolicyMapWinner;
}

/** The result of {@link mapPolicies}: plain JSON. */
export interface PolicyMap {
  /** The host preset the map was drawn on. */
  readonly topology: TopologyPresetName;
  /** Remote/local memory latency used for every remote pair of nodes. */
  readonly remoteLatencyRatio: number;
  /** Share of netback's per-packet CPU time stalled on memory. */
  readonly memoryStallFraction: number;
  /** Guests on the host. */
  readonly guests: number;
  /** Where they are: `spread` or a node index. */
  readonly guestNode: number | "spread";
  /** The guest loads swept (columns). */
  readonly guestLoads: number[];
  /** The I/O loads swept, bytes/s per guest (rows). */
  readonly ioBytesPerSecond: number[];
  /** Every cell, guest load varying fastest. */
  readonly cells: PolicyMapCell[];
}

/** Input of {@link mapPolicies}: every field has a default ({@link POLICY_MAP_DEFAULTS}). */
export interface PolicyMapOptions {
  /** Host preset; default `2-socket`. */
  readonly topology?: TopologyPresetName;
  /** Remote/local latency for every remote pair (≥ 1); default the preset's (1.66 on `2-socket`). */
  readonly remoteLatencyRatio?: number;
  /** Share of netback's CPU time stalled on memory (0–1 or `"50%"`); default 0.5. */
  readonly memoryStallFraction?: QuantityInput;
  /** Guests, 1 vCPU and 1 GiB each; default 16. */
  readonly guests?: number;
  /** Where the guests go: `spread` over the nodes (default) or one node index. */
  readonly guestNode?: number | "spread";
  /** Guest loads (each guest's own CPU utilisation, 0–1); default 0, 0.1, …, 0.9. */
  readonly guestLoads?: readonly number[];
  /** Network I/O per guest (bytes/s or `"2Gbps"`); default 0.5 to 5 Gbit/s. */
  readonly ioLoads?: readonly QuantityInput[];
  /** Simulated time of each run; default 1 s (demand is constant, so the steady state). */
  readonly durationSeconds?: number;
  /** Relative difference below which two outcomes count as equal; default 1 %. */
  readonly tolerance?: number;
}

/**
 * Defaults of {@link mapPolicies}: a 2-socket host, 16 one-vCPU guests spread over it, guest loads
 * 0–90 %, I/O loads 0.5–5 Gbit/s per guest, netback's stall share as {@link BACKEND_DEFAULTS},
 * 1 s per run, 1 % tolerance.
 */
export const POLICY_MAP_DEFAULTS: {
  readonly topology: TopologyPresetName;
  readonly memoryStallFraction: number;
  readonly guests: number;
  readonly guestNode: number | "spread";
  readonly guestLoads: readonly number[];
  readonly ioBytesPerSecond: readonly number[];
  readonly durationSeconds: number;
  readonly tolerance: number;
} = {
  topology: "2-socket",
  memoryStallFraction: BACKEND_DEFAULTS.netback.memoryStallFraction,
  guests: 16,
  guestNode: "spread",
  guestLoads: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  ioBytesPerSecond: [0.5, 1, 2, 3, 4, 5].map((g) => (g * 1e9) / 8),
  durationSeconds: 1,
  tolerance: 0.01,
};

const D = POLICY_MAP_DEFAULTS;

const optionsSchema = z.strictObject({
  topology: z
    .enum(TOPOLOGY_PRESETS as [TopologyPresetName, ...TopologyPresetName[]])
    .default(D.topology),
  remoteLatencyRatio: z.number().min(1).max(10).optional(),
  memoryStallFraction: percentSchema({ min: 0, max: 1 }).default(D.memoryStallFraction),
  guests: z.int().min(1).max(4096).default(D.guests),
  guestNode: z.union([z.int().min(0), z.literal("spread")]).default(D.guestNode),
  guestLoads: z
    .array(z.number().min(0).max(1))
    .min(1)
    .max(100)
    .default([...D.guestLoads]),
  ioLoads: z
    .array(rateSchema({ allowZero: false }))
    .min(1)
    .max(100)
    .default([...D.ioBytesPerSecond]),
  durationSeconds: z.number().positive().max(60).default(D.durationSeconds),
  tolerance: z.number().min(0).max(0.5).default(D.tolerance),
});

function outcome(r: PvmRunResult): PolicyMapOutcome {
  const s = r.summary;
  return {
    throughputBytesPerSecond: s.throughputBytesPerSecond,
    servedFraction: s.servedFraction,
    guestCpuServed: s.guestCpuServedMean,
    guestCpuServedFraction: s.guestCpuServedFraction,
  };
}

/** -1, 0 or 1: whether `closer` is below, level with or above `fixed`, within `tolerance`. */
function compare(fixed: number, closer: number, tolerance: number): number {
  const top = Math.max(Math.abs(fixed), Math.abs(closer));
  if (top === 0) return 0;
  const d = (closer - fixed) / top;
  return d > tolerance ? 1 : d < -tolerance ? -1 : 0;
}

/**
 * Classifies a cell: a policy wins when it gives the guests more I/O or more CPU for their own
 * work and less of neither; when each gives more of one, the cell is a trade-off named after the
 * one serving more I/O.
 *
 * @param fixed - the static pVM's outcome.
 * @param closer - Closer's outcome.
 * @param tolerance - relative difference below which two figures are equal.
 * @returns the winner.
 * @example
 * ```ts
 * const a = { throughputBytesPerSecond: 1, servedFraction: 1, guestCpuServed: 1, guestCpuServedFraction: 1 };
 * classifyCell(a, { ...a, throughputBytesPerSecond: 2 }, 0.01); // "closer"
 * ```
 */
export function classifyCell(
  fixed: PolicyMapOutcome,
  closer: PolicyMapOutcome,
  tolerance: number,
): PolicyMapWinner {
  const io = compare(fixed.throughputBytesPerSecond, closer.throughputBytesPerSecond, tolerance);
  const cpu = compare(fixed.guestCpuServed, closer.guestCpuServed, tolerance);
  if (io === 0 && cpu === 0) return "tie";
  if (io >= 0 && cpu >= 0) return "closer";
  if (io <= 0 && cpu <= 0) return "static";
  return io > 0 ? "closer-more-io" : "static-more-io";
}

/**
 * The host preset with every remote latency set to `ratio` × the local one (bandwidths, links and
 * SLIT kept), as an inline topology for a pVM scenario.
 *
 * @param preset - the host.
 * @param ratio - remote/local latency (≥ 1).
 * @returns the scenario's `topology` value.
 */
function withRemoteRatio(
  preset: TopologyPresetName,
  ratio: number,
): NonNullable<PvmScenarioInput["topology"]> {
  const t = presetTopology(preset);
  return {
    name: `${preset}, remote ${ratio}× local`,
    nodes: t.nodes.map((node) => ({
      cpus: [...node.cpus],
      memory: node.memoryBytes,
      memoryBandwidth: node.memoryBandwidthBytesPerSecond,
    })),
    distances: t.distances.map((row) => [...row]),
    links: t.links.map((l) => ({ between: [l.a, l.b] as const, bandwidth: l.bytesPerSecond })),
    latencies: t.latencySeconds.map((row, i) =>
      row.map((_, j) => (i === j ? row[i]! : row[i]! * ratio)),
    ),
  };
}

/**
 * Sweeps static vs Closer over guest load × I/O load on one host, for one remote-latency ratio
 * and one memory-stall share, and says who wins each cell (see {@link classifyCell}).
 *
 * Use it to map where Closer's locality and elastic sizing beat a statically sized pVM, and where
 * charging the backend work to the guests it serves (Closer) costs more than it gains against a
 * static pVM whose dedicated vCPUs sit outside the guests' accounting. Each cell is a pair of
 * {@link comparePvmPolicies} runs with constant demand.
 *
 * @param options - the sweep (every field has a default: {@link POLICY_MAP_DEFAULTS}).
 * @returns the cells, guest load varying fastest (plain JSON).
 * @throws {@link @vx/core!VxError} `VX_PVM_BAD_MAP` naming the invalid option (path `[option]`).
 * @example
 * ```ts
 * const map = mapPolicies({ remoteLatencyRatio: 1, guestLoads: [0.1, 0.9], ioLoads: ["2Gbps"] });
 * map.cells.map((c) => c.winner); // e.g. ["closer", "static"]
 * ```
 */
export function mapPolicies(options: PolicyMapOptions = {}): PolicyMap {
  const o = parseWith(optionsSchema, options, { code: "VX_PVM_BAD_MAP", what: "policy map" });
  const host = presetTopology(o.topology);
  const local = host.latencySeconds[0]![0]!;
  const presetRatio = host.nodes.length > 1 ? host.latencySeconds[0]![1]! / local : 1;
  const ratio = o.remoteLatencyRatio ?? presetRatio;
  if (o.guestNode !== "spread" && o.guestNode >= host.nodes.length) {
    throw new VxError(
      "VX_PVM_BAD_MAP",
      `host "${o.topology}" has nodes 0–${host.nodes.length - 1}; got guestNode ${o.guestNode}.`,
      { path: ["guestNode"] },
    );
  }
  if (host.nodes.length === 1 && ratio !== 1) {
    throw new VxError(
      "VX_PVM_BAD_MAP",
      `host "${o.topology}" has one node: there is no remote latency to set; use a multi-node host.`,
      { path: ["remoteLatencyRatio"] },
    );
  }
  const topology =
    o.remoteLatencyRatio === undefined ? o.topology : withRemoteRatio(o.topology, ratio);
  const cells: PolicyMapCell[] = [];
  for (const io of o.ioLoads) {
    for (const load of o.guestLoads) {
      const [fixed, closer] = comparePvmPolicies({
        topology,
        duration: o.durationSeconds,
        guests: [
          {
            name: "guest",
            count: o.guests,
            node: o.guestNode,
            vcpus: 1,
            memory: "1GiB",
            cpuUtilisation: load,
            network: { rate: io },
          },
        ],
        backends: { netback: { memoryStallFraction: o.memoryStallFraction } },
      }).results as [PvmRunResult, PvmRunResult];
      const s = outcome(fixed);
      const c = outcome(closer);
      cells.push({
        guestLoad: load,
        ioBytesPerSecond: io,
        static: s,
        closer: c,
        winner: classifyCell(s, c, o.tolerance),
      });
    }
  }
  return {
    topology: o.topology,
    remoteLatencyRatio: ratio,
    memoryStallFraction: o.memoryStallFraction,
    guests: o.guests,
    guestNode: o.guestNode,
    guestLoads: [...o.guestLoads],
    ioBytesPerSecond: [...o.ioLoads],
    cells,
  };
}
