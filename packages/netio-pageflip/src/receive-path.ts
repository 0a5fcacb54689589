/**
 * One run of the receive path: a NIC, the pVM's backend and a guest's frontend with one
 * delivery path, over simulated time, sampled at a fixed interval.
 *
 * @module
 */

import { Simulation } from "@vx/core";
import type { Topology } from "@vx/numa";
import { createTopology, presetTopology } from "@vx/numa";
import type { AccessCostModel } from "./access-cost.js";
import { numaAccessCostModel } from "./access-cost.js";
import { GUEST, ReceiveEngine } from "./internal/engine.js";
import type {
  DeliveryPath,
  PageflipModelOptions,
  PageflipOptions,
  PageflipOptionsInput,
} from "./options.js";
import { parsePageflipOptions } from "./options.js";

/** What a run needs beyond its options. */
export interface PageflipRunExtras {
  /**
   * The access-cost model for the guest workload's slowdown and the locality factor of per-byte
   * costs. Default: {@link numaAccessCostModel} on the run's host (its `@vx/numa` preset, or a
   * topology built from its distances and `access.slitLatencyWeight`), with
   * `access.memoryStallFraction`.
   */
  readonly accessCost?: AccessCostModel | undefined;
}

/**
 * The outputs over time, one entry per sample (the first at t = 0). Rates and per-packet costs
 * are over the interval ending at the sample (0 at t = 0).
 */
export interface PageflipSamples {
  /** Sample times, seconds. */
  readonly time: number[];
  /** Packets the guest has received (consumed), cumulative. */
  readonly packets: number[];
  /** Packets dropped (any cause), cumulative. */
  readonly dropped: number[];
  /** Packets per second the guest received over the interval. */
  readonly packetsPerSecond: number[];
  /** Bits per second the guest received over the interval. */
  readonly bitsPerSecond: number[];
  /** Fraction of the guest's memory (pages it owns) not on its node. */
  readonly remoteFraction: number[];
  /** Bytes of the guest's memory not on its node. */
  readonly remoteBytes: number[];
  /** Fraction of the guest workload's in-use pages not on its node. */
  readonly workloadRemoteFraction: number[];
  /** Slowdown of a memory-bound workload in the guest (1 = all local). */
  readonly slowdown: number[];
  /** pVM cycles per packet delivered over the interval. */
  readonly pvmCyclesPerPacket: number[];
  /** Guest cycles per packet received over the interval. */
  readonly guestCyclesPerPacket: number[];
  /** Fraction of the pVM's CPU budget used over the interval. */
  readonly pvmUtilisation: number[];
  /** Fraction of the guest's CPU budget used over the interval. */
  readonly guestUtilisation: number[];
}

/** Totals and end state of a run. */
export interface PageflipSummary {
  /** Simulated seconds. */
  readonly durationSeconds: number;
  /** Packets that arrived at the NIC. */
  readonly packetsOffered: number;
  /** Packets the pVM put in the ring. */
  readonly packetsDelivered: number;
  /** Packets the guest received. */
  readonly packetsReceived: number;
  /** Packets dropped, by cause: pVM out of CPU, ring full (guest too slow), no free page. */
  readonly dropped: {
    readonly pvmCpu: number;
    readonly ringFull: number;
    readonly noMemory: number;
  };
  /** Page flips performed. */
  readonly flips: number;
  /** Mean packets per second received by the guest. */
  readonly packetsPerSecond: number;
  /** Mean bits per second received by the guest. */
  readonly bitsPerSecond: number;
  /** Mean pVM cycles per packet delivered. */
  readonly pvmCyclesPerPacket: number;
  /** Mean guest cycles per packet received. */
  readonly guestCyclesPerPacket: number;
  /** Fraction of the pVM's CPU budget used. */
  readonly pvmUtilisation: number;
  /** Fraction of the guest's CPU budget used. */
  readonly guestUtilisation: number;
  /** Fraction of the guest's memory not on its node at the end. */
  readonly remoteFraction: number;
  /** Bytes of the guest's memory not on its node at the end. */
  readonly remoteBytes: number;
  /** Largest `remoteBytes` seen at a sample. */
  readonly maxRemoteBytes: number;
  /** Fraction of the guest workload's pages not on its node at the end. */
  readonly workloadRemoteFraction: number;
  /** Slowdown of a memory-bound guest workload at the end. */
  readonly slowdown: number;
  /** The guest's pages on each node at the end. */
  readonly guestPagesPerNode: number[];
}

/** The result of one run: plain, JSON-serialisable data. */
export interface PageflipResult {
  /** The delivery path. */
  readonly path: DeliveryPath;
  /** Totals and end state. */
  readonly summary: PageflipSummary;
  /** Outputs over time. */
  readonly samples: PageflipSamples;
}

const COLUMNS = [
  "time",
  "packets",
  "dropped",
  "packetsPerSecond",
  "bitsPerSecond",
  "remoteFraction",
  "remoteBytes",
  "workloadRemoteFraction",
  "slowdown",
  "pvmCyclesPerPacket",
  "guestCyclesPerPacket",
  "pvmUtilisation",
  "guestUtilisation",
] as const satisfies readonly (keyof PageflipSamples)[];

/** Drives an engine through the kernel: one event per batch, a sample every interval. */
class Run {
  readonly engine: ReceiveEngine;
  private readonly o: PageflipModelOptions;
  private readonly access: AccessCostModel;
  private readonly sim: Simulation;
  private readonly columns: Float64Array[];
  private readonly sliceMax: number;
  private readonly intervals: number;
  private sampleCount = 0;
  private interval = 0;
  private slice = 0;
  private slices = 1;
  private intervalStart = 0;
  private dt = 0;
  private maxRemoteBytes = 0;
  // Counters at the previous sample.
  private lastConsumed = 0;
  private lastDelivered = 0;
  private lastPvmCycles = 0;
  private lastGuestCycles = 0;
  private lastPvmBudget = 0;
  private lastGuestBudget = 0;

  constructor(
    sim: Simulation,
    o: PageflipModelOptions,
    path: DeliveryPath,
    access: AccessCostModel,
  ) {
    this.sim = sim;
    this.o = o;
    this.access = access;
    this.engine = new ReceiveEngine(o, path, access);
    const pps = o.offeredBytesPerSecond / o.packetBytes;
    // A batch every batchInterval, or per packet when packets are rarer than that (so a run with
    // few packets costs few events), and small enough that one batch fills at most half the
    // ring, so the ring (not the batching) limits how far the guest may lag.
    this.sliceMax =
      pps > 0
        ? Math.min(
            o.sampleIntervalSeconds,
            Math.max(o.batchIntervalSeconds, 1 / pps),
            o.ringSlots / (2 * pps),
          )
        : o.sampleIntervalSeconds;
    this.intervals = Math.max(1, Math.ceil(o.durationSeconds / o.sampleIntervalSeconds - 1e-9));
    this.columns = COLUMNS.map(() => new Float64Array(this.intervals + 1));
  }

  start(): void {
    this.sample(0);
    this.planInterval();
    this.sim.scheduleAt(this.intervalStart + this.dt, Run.step, this);
  }

  private planInterval(): void {
    const o = this.o;
    this.intervalStart = this.interval * o.sampleIntervalSeconds;
    const end = Math.min((this.interval + 1) * o.sampleIntervalSeconds, o.durationSeconds);
    const length = end - this.intervalStart;
    this.slices = Math.max(1, Math.ceil(length / this.sliceMax - 1e-9));
    this.dt = length / this.slices;
    this.slice = 0;
  }

  private static step(run: Run): void {
    run.engine.runSlice(run.dt);
    run.slice++;
    if (run.slice === run.slices) {
      run.sample(run.sim.now);
      run.interval++;
      if (run.interval === run.intervals) return;
      run.planInterval();
    }
    run.sim.scheduleAt(run.intervalStart + (run.slice + 1) * run.dt, Run.step, run);
  }

  private sample(time: number): void {
    const e = this.engine;
    const o = this.o;
    const i = this.sampleCount++;
    const frames = e.frames;
    const guestPages = frames.countOwned(GUEST);
    const remotePages = guestPages - frames.countOwned(GUEST, o.guest.node);
    const remoteBytes = remotePages * o.pageBytes;
    if (remoteBytes > this.maxRemoteBytes) this.maxRemoteBytes = remoteBytes;
    let workload = 0;
    for (let n = 0; n < o.host.nodes; n++) workload += e.workloadPages[n]!;
    const workloadLocal = e.workloadPages[o.guest.node]!;
    const seconds = i === 0 ? 0 : time - (this.sampleTimes()[i - 1] ?? 0);
    const consumed = e.consumed - this.lastConsumed;
    const delivered = e.delivered - this.lastDelivered;
    const pvmBudget = e.pvmBudgetCycles - this.lastPvmBudget;
    const guestBudget = e.guestBudgetCycles - this.lastGuestBudget;
    const values: Record<(typeof COLUMNS)[number], number> = {
      time,
      packets: e.consumed,
      dropped: e.droppedPvmCpu + e.droppedRingFull + e.droppedNoMemory,
      packetsPerSecond: seconds > 0 ? consumed / seconds : 0,
      bitsPerSecond: seconds > 0 ? (consumed * o.packetBytes * 8) / seconds : 0,
      remoteFraction: guestPages > 0 ? remotePages / guestPages : 0,
      remoteBytes,
      workloadRemoteFraction: workload > 0 ? (workload - workloadLocal) / workload : 0,
      slowdown: this.access.slowdown(o.guest.node, e.workloadPages),
      pvmCyclesPerPacket: delivered > 0 ? (e.pvmCycles - this.lastPvmCycles) / delivered : 0,
      guestCyclesPerPacket: consumed > 0 ? (e.guestCycles - this.lastGuestCycles) / consumed : 0,
      pvmUtilisation: pvmBudget > 0 ? (e.pvmCycles - this.lastPvmCycles) / pvmBudget : 0,
      guestUtilisation: guestBudget > 0 ? (e.guestCycles - this.lastGuestCycles) / guestBudget : 0,
    };
    for (let c = 0; c < COLUMNS.length; c++) this.columns[c]![i] = values[COLUMNS[c]!];
    this.lastConsumed = e.consumed;
    this.lastDelivered = e.delivered;
    this.lastPvmCycles = e.pvmCycles;
    this.lastGuestCycles = e.guestCycles;
    this.lastPvmBudget = e.pvmBudgetCycles;
    this.lastGuestBudget = e.guestBudgetCycles;
  }

  private sampleTimes(): Float64Array {
    return this.columns[0]!;
  }

  result(): PageflipResult {
    const e = this.engine;
    const o = this.o;
    const n = this.sampleCount;
    const samples = Object.fromEntries(
      COLUMNS.map((name, c) => [name, Array.from(this.columns[c]!.subarray(0, n))]),
    ) as unknown as PageflipSamples;
    const last = (column: keyof PageflipSamples): number => samples[column][n - 1] ?? 0;
    const duration = last("time");
    const guestPagesPerNode: number[] = [];
    for (let node = 0; node < o.host.nodes; node++) {
      guestPagesPerNode.push(e.frames.countOwned(GUEST, node));
    }
    return {
      path: e.path,
      summary: {
        durationSeconds: duration,
        packetsOffered: e.offered,
        packetsDelivered: e.delivered,
        packetsReceived: e.consumed,
        dropped: {
          pvmCpu: e.droppedPvmCpu,
          ringFull: e.droppedRingFull,
          noMemory: e.droppedNoMemory,
        },
        flips: e.flips,
        packetsPerSecond: duration > 0 ? e.consumed / duration : 0,
        bitsPerSecond: duration > 0 ? (e.consumed * o.packetBytes * 8) / duration : 0,
        pvmCyclesPerPacket: e.delivered > 0 ? e.pvmCycles / e.delivered : 0,
        guestCyclesPerPacket: e.consumed > 0 ? e.guestCycles / e.consumed : 0,
        pvmUtilisation: e.pvmBudgetCycles > 0 ? e.pvmCycles / e.pvmBudgetCycles : 0,
        guestUtilisation: e.guestBudgetCycles > 0 ? e.guestCycles / e.guestBudgetCycles : 0,
        remoteFraction: last("remoteFraction"),
        remoteBytes: last("remoteBytes"),
        maxRemoteBytes: this.maxRemoteBytes,
        workloadRemoteFraction: last("workloadRemoteFraction"),
        slowdown: last("slowdown"),
        guestPagesPerNode,
      },
      samples,
    };
  }
}

/** The `@vx/numa` topology of validated options: the preset, or one built from the distances. */
export function hostTopology(o: PageflipModelOptions): Topology {
  if (o.host.preset !== undefined) return presetTopology(o.host.preset);
  return createTopology({
    name: "pageflip-host",
    nodes: o.host.distances.map(() => ({ cpus: 0, memory: 0 })),
    distances: o.host.distances,
    slitLatencyWeight: o.access.slitLatencyWeight,
  });
}

/** The default access-cost model for validated options. */
export function defaultAccessCost(o: PageflipModelOptions): AccessCostModel {
  return numaAccessCostModel(hostTopology(o), {
    memoryStallFraction: o.access.memoryStallFraction,
  });
}

/**
 * Runs one path on validated options; `simulatePageflip` and `comparePaths` call it.
 *
 * @internal
 */
export function runValidated(
  o: PageflipModelOptions,
  path: DeliveryPath,
  access: AccessCostModel,
  inspect?: (engine: ReceiveEngine) => void,
): PageflipResult {
  const sim = new Simulation();
  const run = new Run(sim, o, path, access);
  run.start();
  sim.run();
  inspect?.(run.engine);
  return run.result();
}

/**
 * Simulates the receive path of one guest with one delivery path and returns its outputs over
 * time: the fraction of the guest's memory that is remote, packets and bits per second received
 * within the CPU budgets, CPU cycles per packet in the pVM and the guest, and the slowdown of a
 * memory-bound workload in the guest.
 *
 * Page level: every machine frame of the guest and the pVM is tracked (owner, node, free or in
 * use), so a 60 s run at 10 Gbit/s of 1500-byte packets performs 50 million flips. Packets are
 * handled in batches (one kernel event per backend batch), each a tight loop over typed arrays.
 * Nothing random: the same options give the same result, byte for byte.
 *
 * Sources: page flipping, its NUMA drift and the two mitigations: Mvondo Djob's PhD thesis
 * (Université Grenoble Alpes, 2020) and INFOCOM 2019; the flip and copy mechanics: Linux-Xen `drivers/xen/netback/
 * netback.c` (`net_rx_action`: a batch of `GNTTABOP_transfer` with one TLB flush; `alloc_mfn`).
 *
 * @param options - the model's parameters and the path (see {@link PageflipOptionsInput}).
 * @param extras - another access-cost model, if any.
 * @returns plain data: the path, a summary and the samples.
 * @throws {@link @vx/core!VxError} `VX_PAGEFLIP_INVALID_OPTIONS` for bad options (a ring of 0 slots, a
 *   negative rate, a packet larger than a page with a flipping path, …), before anything runs.
 * @example
 * ```ts
 * const r = simulatePageflip({ path: "flip", offeredRate: "10Gbps", duration: "5s" });
 * r.summary.remoteFraction; // 0.56: more than half the guest's memory drifted to the pVM's node
 * ```
 */
export function simulatePageflip(
  options: PageflipOptionsInput = {},
  extras: PageflipRunExtras = {},
): PageflipResult {
  const o: PageflipOptions = parsePageflipOptions(options);
  return runValidated(o, o.path, extras.accessCost ?? defaultAccessCost(o));
}
