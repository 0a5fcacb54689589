/**
 * What remote memory costs an application: a latency term (the CPI-stack view: only the share of
 * run time stalled on memory stretches with latency) and a bandwidth term (when the fabric gives
 * the remote traffic less than it asks, the work that needs it waits).
 *
 * @module
 */

import { VxError, type VxPath } from "@vx/core";
import { TOPOLOGY_DEFAULTS } from "@vx/numa";

/** What {@link remoteMemorySlowdown} reads. */
export interface RemoteMemoryOptions {
  /** Share of the application's memory accesses that go to remote sections, 0–1. */
  readonly remoteFraction: number;
  /** Latency a remote access adds to a local one: the fabric's round trip, seconds. */
  readonly addedLatencySeconds: number;
  /** Idle latency of a local access, seconds. Default {@link REMOTE_MEMORY_DEFAULTS}. */
  readonly localLatencySeconds?: number;
  /** Share of run time stalled on memory with all memory local, 0–1. Default {@link REMOTE_MEMORY_DEFAULTS}. */
  readonly memoryStallFraction?: number;
  /**
   * Share of its remote traffic the fabric delivers, (0, 1]: 1 when no port or circuit on its
   * routes is oversubscribed. Default 1.
   */
  readonly bandwidthFraction?: number;
}

/** The cost of remote memory, from {@link remoteMemorySlowdown}. */
export interface RemoteMemoryCost {
  /** Mean access latency over local latency: `1 + remoteFraction × added / local`. */
  readonly latencyFactor: number;
  /** Time per unit of work from latency alone: `(1 − s) + s × latencyFactor`. */
  readonly latencySlowdown: number;
  /** Extra factor from bandwidth: `1 / bandwidthFraction`. */
  readonly bandwidthSlowdown: number;
  /** Time per unit of work relative to all-local memory: `latencySlowdown × bandwidthSlowdown`. */
  readonly slowdown: number;
}

/**
 * Defaults of the remote-memory model.
 *
 * - `localLatencySeconds`: 90 ns, idle local DRAM latency (the `@vx/numa` default: AnandTech,
 *   "Sizing up servers: Intel's Skylake-SP Xeon versus AMD's EPYC 7000", 2017: 89–98 ns).
 * - `memoryStallFraction`: 0.2 (*assumption*: a fifth of a typical cloud VM's cycles stalled on
 *   DRAM; set 1 for a memory-bound kernel such as STREAM, 0 for a compute-bound one).
 * - `memoryBytesPerSecond`: 1 GB/s of memory traffic per VM at full speed (*assumption*).
 * - `writeFraction`: 0.3 of that traffic is writes (*assumption*: read-to-write ratios of 2:1 to
 *   3:1 are common; STREAM's triad is 2:1).
 */
export const REMOTE_MEMORY_DEFAULTS: {
  readonly localLatencySeconds: number;
  readonly memoryStallFraction: number;
  readonly memoryBytesPerSecond: number;
  readonly writeFraction: number;
} = {
  localLatencySeconds: TOPOLOGY_DEFAULTS.localLatencySeconds,
  memoryStallFraction: 0.2,
  memoryBytesPerSecond: 1e9,
  writeFraction: 0.3,
};

function bad(message: string, path: VxPath): never {
  throw new VxError("VX_DISAGG_BAD_ARGUMENT", message, { path });
}

/**
 * The slowdown of an application whose memory is partly remote.
 *
 * Latency: accesses are spread evenly over the application's sections, so a share
 * `remoteFraction` of them pays the fabric's round trip on top of the DRAM access at the memory
 * brick; only the stalled share `s` of run time stretches with latency (with a fixed number of
 * misses in flight, Little's law makes the memory throughput of a core inversely proportional to
 * latency), as `@vx/numa`'s `accessCost` does for NUMA nodes. Bandwidth: if the fabric delivers
 * only a fraction `f` of the remote traffic the application asks for at its latency-limited
 * pace, the work that needs it proceeds at `f` of that pace, a roofline (Williams, Waterman &
 * Patterson, CACM 52(4), 2009) in which the fabric is the roof.
 *
 * Where it loses: with added latency `Δ` ≈ 1 µs against 90 ns local, `latencyFactor` reaches 12
 * for an all-remote VM, so a VM stalled 20 % of the time on memory runs 3.2 times slower; only
 * local memory or a small remote share keeps disaggregation cheap. dReDBox measured a throughput
 * penalty as low as 55 % for bandwidth-adversarial benchmarks on all-remote memory (Syrivelis et
 * al., SAMOS 2017).
 *
 * @param options - remote share, added latency, stall fraction, delivered share of bandwidth.
 * @returns the cost.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for a fraction outside its range or a
 *   negative latency.
 * @example
 * ```ts
 * const c = remoteMemorySlowdown({ remoteFraction: 1, addedLatencySeconds: 1e-6 });
 * c.latencyFactor; // 12.1: (90 + 1000) / 90
 * c.slowdown; // 3.22: 0.8 + 0.2 × 12.1
 * ```
 */
export function remoteMemorySlowdown(options: RemoteMemoryOptions): RemoteMemoryCost {
  const r = options.remoteFraction;
  const added = options.addedLatencySeconds;
  const local = options.localLatencySeconds ?? REMOTE_MEMORY_DEFAULTS.localLatencySeconds;
  const s = options.memoryStallFraction ?? REMOTE_MEMORY_DEFAULTS.memoryStallFraction;
  const f = options.bandwidthFraction ?? 1;
  if (!(r >= 0 && r <= 1)) bad(`remoteFraction is 0–1, got ${String(r)}.`, ["remoteFraction"]);
  if (!(added >= 0 && added < Number.POSITIVE_INFINITY)) {
    bad(`addedLatencySeconds must be finite and ≥ 0, got ${String(added)}.`, [
      "addedLatencySeconds",
    ]);
  }
  if (!(local > 0 && local < Number.POSITIVE_INFINITY)) {
    bad(`localLatencySeconds must be > 0, got ${String(local)}.`, ["localLatencySeconds"]);
  }
  if (!(s >= 0 && s <= 1))
    bad(`memoryStallFraction is 0–1, got ${String(s)}.`, ["memoryStallFraction"]);
  if (!(f > 0 && f <= 1))
    bad(`bandwidthFraction is in (0, 1], got ${String(f)}.`, ["bandwidthFraction"]);
  return slowdownOf(r, added, local, s, f);
}

/**
 * The latency term of {@link remoteMemorySlowdown} without checks or allocation, for hot paths
 * (the rack engine evaluates it at every change of a VM's placement).
 *
 * @internal
 */
export function latencySlowdownOf(
  remoteFraction: number,
  addedLatencySeconds: number,
  localLatencySeconds: number,
  stall: number,
): number {
  const latencyFactor = 1 + (remoteFraction * addedLatencySeconds) / localLatencySeconds;
  return 1 - stall + stall * latencyFactor;
}

function slowdownOf(
  remoteFraction: number,
  addedLatencySeconds: number,
  localLatencySeconds: number,
  stall: number,
  bandwidthFraction: number,
): RemoteMemoryCost {
  const latencyFactor = 1 + (remoteFraction * addedLatencySeconds) / localLatencySeconds;
  const latencySlowdown = latencySlowdownOf(
    remoteFraction,
    addedLatencySeconds,
    localLatencySeconds,
    stall,
  );
  const bandwidthSlowdown = 1 / bandwidthFraction;
  return {
    latencyFactor,
    latencySlowdown,
    bandwidthSlowdown,
    slowdown: latencySlowdown * bandwidthSlowdown,
  };
}
