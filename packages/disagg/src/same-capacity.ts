/**
 * A disaggregated rack of the same total capacity as a clustered data center: each host gives its
 * cores to a compute brick, keeps a share of its RAM on that brick as local memory, and pools the
 * rest into its tray's memory brick; its power splits the same way. Used by
 * {@link disaggComparison} to run the same workload on both designs.
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { BrickGroupInput, FabricInput, RackLayoutInput, TrayInput } from "./layout.js";

/** A host of the clustered data center, as the derivation needs it. */
export interface HostCapacity {
  /** Its type's name (compute bricks of consecutive hosts of one type share a group). */
  readonly type: string;
  /** Cores. */
  readonly cores: number;
  /** RAM, bytes. */
  readonly ramBytes: number;
  /** Watts idle (the SPECpower table at 0 %). */
  readonly idleWatts: number;
  /** Watts at full load (the table at 100 %). */
  readonly peakWatts: number;
}

/**
 * Defaults of the derivation. All three are *assumptions* (no disaggregated product fixes them):
 *
 * - `localMemoryFraction` 0.25: the share of each host's RAM kept on its compute brick (dReDBox's
 *   compute bricks carry a little local DRAM beside the remote banks, Bielski et al., DATE 2018);
 *   rounded down to whole sections.
 * - `computePerTray` 8: compute bricks per tray, each tray with one memory brick pooling the rest
 *   of its hosts' RAM, so with the default 8 fabric ports per brick the memory brick can hold a
 *   circuit to every compute brick of its tray.
 * - `memoryPowerShare` 0.3: the share of a server's power that is its DRAM (CPUs 33 %, DRAM 30 %
 *   of peak power in a Google data center circa 2007: L. A. Barroso, U. Hölzle, *The Datacenter
 *   as a Computer*, Morgan & Claypool, 2009); it moves with the pooled share of the RAM to the
 *   memory brick.
 * - `vcpusPerCore` 1: vCPU slots per core on both sides (no CPU overcommit, the rack's model:
 *   each vCPU holds a core). CloudSim-style scenarios pack VMs by MIPS demand and hold more
 *   vCPUs than cores; give the ratio (OpenStack's `cpu_allocation_ratio`) to compare like with
 *   like.
 */
export const SAME_CAPACITY_DEFAULTS: {
  readonly localMemoryFraction: number;
  readonly computePerTray: number;
  readonly memoryPowerShare: number;
  readonly vcpusPerCore: number;
} = { localMemoryFraction: 0.25, computePerTray: 8, memoryPowerShare: 0.3, vcpusPerCore: 1 };

/** Options of {@link sameCapacityRack}. */
export interface SameCapacityOptions {
  /** Section size of the rack, bytes (local memory is rounded down to whole sections). */
  readonly sectionBytes: number;
  /** Share of each host's RAM kept on its compute brick, 0–1. */
  readonly localMemoryFraction?: number;
  /** Compute bricks (hosts) per tray, ≥ 1. */
  readonly computePerTray?: number;
  /** Share of a host's power drawn by its RAM, 0–1. */
  readonly memoryPowerShare?: number;
  /** vCPU slots per core (a compute brick gets `⌊cores × ratio⌋` cores), ≥ 1. */
  readonly vcpusPerCore?: number;
  /** The fabric (default the rack's defaults). */
  readonly fabric?: FabricInput;
}

/** What {@link sameCapacityRack} derives: the layout and the capacity on both sides. */
export interface SameCapacityRack {
  /** The rack, ready for `parseRackLayout`. */
  readonly layout: RackLayoutInput;
  /** Hosts, trays, compute bricks (one per host) and memory bricks (one per tray with pooled RAM). */
  readonly hosts: number;
  readonly trays: number;
  readonly computeBricks: number;
  readonly memoryBricks: number;
  /** Cores of the hosts. */
  readonly cores: number;
  /** vCPU slots: `⌊cores × vcpusPerCore⌋` per host, the compute bricks' cores. */
  readonly vcpuSlots: number;
  /** The hosts' RAM, bytes (= local + pooled). */
  readonly memoryBytes: number;
  /** RAM kept local on compute bricks, and pooled in memory bricks, bytes. */
  readonly localMemoryBytes: number;
  readonly pooledMemoryBytes: number;
  /**
   * Memory the rack can hand out: whole sections per brick. Less than `memoryBytes` by under one
   * section per memory brick and per host whose RAM is not a whole number of sections.
   */
  readonly usableMemoryBytes: number;
  /** The hosts' power at idle and at full load, and the bricks' (equal: the power is split). */
  readonly idleWatts: number;
  readonly peakWatts: number;
}

/**
 * Derives a disaggregated rack of the same total capacity as a list of hosts.
 *
 * Hosts are taken in order, `computePerTray` to a tray. Host `h` with `c` cores, RAM `R` and power
 * `P0`–`P100` becomes a compute brick with `⌊c·v⌋` cores (`v` vCPUs per core), local memory `L = ⌊f·R / S⌋·S` (`f` the local
 * fraction, `S` the section size) and power `P·(1 − m·(R − L)/R)` (`m` the memory power share);
 * each tray gets one memory brick holding `Σ (R − L)` of its hosts, drawing `Σ P·m·(R − L)/R`.
 * Compute bricks are named `host<i>.<k>` (host `i + k`), memory bricks `t<tray>.memory0`.
 * So cores (vCPU slots), bytes and watts (idle and peak) add up to the hosts' exactly; bricks with nothing
 * allocated are off, as empty hosts are.
 *
 * @param hosts - the clustered data center's hosts, in order.
 * @param options - section size, local fraction, tray size, memory power share, fabric.
 * @returns the layout and the capacities.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for no hosts or an option out of range.
 * @example
 * ```ts
 * const r = sameCapacityRack(
 *   [{ type: "g5", cores: 2, ramBytes: 4 * 2 ** 30, idleWatts: 93.7, peakWatts: 135 }],
 *   { sectionBytes: 2 ** 27 },
 * );
 * r.localMemoryBytes; // 1 GiB: a quarter of 4 GiB, 8 sections
 * r.pooledMemoryBytes; // 3 GiB on the tray's memory brick
 * ```
 */
export function sameCapacityRack(
  hosts: readonly HostCapacity[],
  options: SameCapacityOptions,
): SameCapacityRack {
  const D = SAME_CAPACITY_DEFAULTS;
  const f = options.localMemoryFraction ?? D.localMemoryFraction;
  const perTray = options.computePerTray ?? D.computePerTray;
  const m = options.memoryPowerShare ?? D.memoryPowerShare;
  const ratio = options.vcpusPerCore ?? D.vcpusPerCore;
  const S = options.sectionBytes;
  const bad = (field: string, message: string): VxError =>
    new VxError("VX_DISAGG_BAD_ARGUMENT", message, { path: [field] });
  if (hosts.length === 0)
    throw bad("hosts", "a rack of the same capacity needs at least one host.");
  if (!(f >= 0 && f <= 1)) throw bad("localMemoryFraction", `must be 0–1, got ${f}.`);
  if (!(m >= 0 && m <= 1)) throw bad("memoryPowerShare", `must be 0–1, got ${m}.`);
  if (!(Number.isInteger(perTray) && perTray >= 1)) {
    throw bad("computePerTray", `must be an integer ≥ 1, got ${perTray}.`);
  }
  if (!(ratio >= 1 && ratio <= 64)) throw bad("vcpusPerCore", `must be 1–64, got ${ratio}.`);
  if (!(S > 0 && Number.isFinite(S))) throw bad("sectionBytes", `must be > 0, got ${S}.`);

  const trays: TrayInput[] = [];
  let cores = 0;
  let slots = 0;
  let memoryBytes = 0;
  let localBytes = 0;
  let pooledBytes = 0;
  let usable = 0;
  let memoryBricks = 0;
  let idleWatts = 0;
  let peakWatts = 0;
  for (let first = 0; first < hosts.length; first += perTray) {
    const t = trays.length;
    const bricks: BrickGroupInput[] = [];
    let pooled = 0;
    let memIdle = 0;
    let memPeak = 0;
    let group: { type: string; cores: number; local: number; idle: number; peak: number } | null =
      null;
    let count = 0;
    let groupFirst = first;
    const flush = (): void => {
      if (group === null) return;
      bricks.push({
        kind: "compute",
        count,
        name: `host${groupFirst}.`,
        cores: group.cores,
        localMemory: group.local,
        idleWatts: group.idle,
        peakWatts: group.peak,
      });
    };
    const last = Math.min(hosts.length, first + perTray);
    for (let h = first; h < last; h++) {
      const host = hosts[h] as HostCapacity;
      const R = host.ramBytes;
      const local = Math.floor((f * R) / S) * S;
      const share = R > 0 ? (m * (R - local)) / R : 0;
      const idle = host.idleWatts * (1 - share);
      const peak = host.peakWatts * (1 - share);
      pooled += R - local;
      memIdle += host.idleWatts * share;
      memPeak += host.peakWatts * share;
      const brickCores = Math.floor(host.cores * ratio);
      cores += host.cores;
      slots += brickCores;
      memoryBytes += R;
      localBytes += local;
      usable += local;
      idleWatts += host.idleWatts;
      peakWatts += host.peakWatts;
      const g = group as {
        type: string;
        cores: number;
        local: number;
        idle: number;
        peak: number;
      } | null;
      if (
        g !== null &&
        g.type === host.type &&
        g.cores === brickCores &&
        g.local === local &&
        g.idle === idle &&
        g.peak === peak
      ) {
        count++;
      } else {
        flush();
        groupFirst = h;
        group = { type: host.type, cores: brickCores, local, idle, peak };
        count = 1;
      }
    }
    flush();
    if (pooled > 0) {
      bricks.push({
        kind: "memory",
        name: `t${t}.memory`,
        memory: pooled,
        idleWatts: memIdle,
        peakWatts: memPeak,
      });
      memoryBricks++;
      pooledBytes += pooled;
      usable += Math.floor(pooled / S) * S;
    }
    trays.push({ name: `tray${t}`, bricks });
  }
  return {
    layout: { trays, ...(options.fabric === undefined ? {} : { fabric: options.fabric }) },
    hosts: hosts.length,
    trays: trays.length,
    computeBricks: hosts.length,
    memoryBricks,
    cores,
    vcpuSlots: slots,
    memoryBytes,
    localMemoryBytes: localBytes,
    pooledMemoryBytes: pooledBytes,
    usableMemoryBytes: usable,
    idleWatts,
    peakWatts,
  };
}
