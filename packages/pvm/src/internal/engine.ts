/**
 * The step engine behind `simulatePvm`: guests' demand, the pVM's pools and placement, CPU shares,
 * memory traffic on the fabric, and the metrics, advanced one step at a time over typed arrays.
 *
 * {@link PvmEngine} holds the run's state; one step runs its phases in order:
 * {@link PvmEngine.readDemand} → {@link PvmEngine.controlCloser} (Closer only: the controller with
 * its dead time) → {@link PvmEngine.shareCpu} (per-pool max-min shares, then each node's CPUs
 * shared among its guests, with Closer's backend work charged to the guests it serves) →
 * {@link PvmEngine.loadFabric} (served items and their memory traffic on the fabric; the fluid
 * solver runs only when something is oversubscribed) → {@link PvmEngine.readFabric} →
 * {@link PvmEngine.record} (metrics). {@link PvmEngine.result} assembles the plain-JSON result.
 *
 * Naming: a *task* is one guest's backend of one kind (netback, blkback, device model); a *group*
 * is the set of tasks whose guest lives on one node (its home node), placed alike; a *pool* is the
 * pVM's vCPUs on one node.
 *
 * @module
 */

import {
  createRandom,
  FluidSystem,
  formatBytes,
  Simulation,
  type TimeSeriesJSON,
  VxError,
  type VxPath,
} from "@vx/core";
import { CpuLedger, MemoryFabric, MemoryLedger, nodesByDistance, type Topology } from "@vx/numa";
import type { PvmScenario, TaskCost } from "../config.js";
import type { GuestResult, PvmPolicy, PvmRunResult, PvmSeries, PvmSummary } from "../result.js";
import { type LevelSource, levelSource } from "./demand.js";
import { LogHistogram } from "./log-histogram.js";
import { waterfill } from "./waterfill.js";

const KINDS = ["netback", "blkback", "deviceModel"] as const;
const PAGE_BYTES = 4096;

/** Indices of the run totals in {@link PvmEngine}'s `totals` (typed, so stores do not box). */
const T_DEMAND = 0;
const T_SERVED = 1;
const T_LATENCY = 2;
const T_LATENCY_WEIGHT = 3;
const T_ACCESS = 4;
const T_REMOTE = 5;
const T_CPU_USED = 6;
const T_CPU_HELD = 7;
const T_CPU_HELD_MAX = 8;
const T_MEM_USED = 9;
const T_MEM_HELD = 10;
const T_MEM_HELD_MAX = 11;
const T_SHORT_STEPS = 12;
const T_SATURATED_STEPS = 13;
const T_GUEST_CPU_DEMAND = 14;
const T_GUEST_CPU_SERVED = 15;
const TOTALS = 16;

function doesNotFit(path: VxPath, message: string): never {
  throw new VxError("VX_PVM_DOES_NOT_FIT", message, { path });
}

/** Inputs of {@link runPvm}. */
export interface EngineInput {
  readonly scenario: PvmScenario;
  readonly topology: Topology;
  readonly policy: PvmPolicy;
  /** Path prefix of the scenario, for errors. */
  readonly path: VxPath;
}

/** Per-sample sums, one typed array per series. */
class Samples {
  readonly time: Float64Array;
  readonly steps: Float64Array;
  readonly demand: Float64Array;
  readonly served: Float64Array;
  readonly latency: Float64Array;
  readonly latencyWeight: Float64Array;
  readonly access: Float64Array;
  readonly remote: Float64Array;
  readonly cpuUsed: Float64Array;
  readonly cpuHeld: Float64Array;
  readonly memUsed: Float64Array;
  readonly memHeld: Float64Array;
  readonly guestCpuServed: Float64Array;
  /** vCPUs held per node: `[sample * nodes + node]`. */
  readonly vcpus: Float64Array;

  constructor(
    readonly count: number,
    nodes: number,
  ) {
    this.time = new Float64Array(count);
    this.steps = new Float64Array(count);
    this.demand = new Float64Array(count);
    this.served = new Float64Array(count);
    this.latency = new Float64Array(count);
    this.latencyWeight = new Float64Array(count);
    this.access = new Float64Array(count);
    this.remote = new Float64Array(count);
    this.cpuUsed = new Float64Array(count);
    this.cpuHeld = new Float64Array(count);
    this.memUsed = new Float64Array(count);
    this.memHeld = new Float64Array(count);
    this.guestCpuServed = new Float64Array(count);
    this.vcpus = new Float64Array(count * nodes);
  }
}

/**
 * One policy's run over a scenario. Construct (places the pVM's memory and the guests, builds the
 * tasks, sizes the static pVM or Closer's start), then {@link PvmEngine.run}.
 */
export class PvmEngine {
  private readonly scenario: PvmScenario;
  private readonly topology: Topology;
  private readonly policy: PvmPolicy;
  private readonly path: VxPath;
  private readonly closer: boolean;
  /** Number of NUMA nodes. */
  private readonly nodes: number;
  private readonly stepSeconds: number;
  private readonly steps: number;
  private readonly stepsPerSample: number;

  private readonly sim = new Simulation();
  private readonly fabric: MemoryFabric;
  private readonly memory: MemoryLedger;
  private readonly pvmDomain: number;
  /** `latencyFactor[cpu * nodes + mem]`: latency from a CPU of `cpu` to memory of `mem`, over local. */
  private readonly latencyFactor: Float64Array;

  // ---- guests ----
  private readonly guestNames: string[] = [];
  /** Node holding most of each guest's vCPUs. */
  private readonly guestHome: number[] = [];
  private readonly guestLevelSource: LevelSource[] = [];
  /** Nodes holding each guest's memory, and the share on each. */
  private readonly guestMemoryNodes: number[][] = [];
  private readonly guestMemoryShares: number[][] = [];
  /** `guestMemoryLatency[guest * nodes + cpu]`: mean latency factor from `cpu` to the guest's memory. */
  private readonly guestMemoryLatency: Float64Array;
  /** Each guest's vCPUs: its allocated CPU capacity. */
  private readonly guestVcpus: number[] = [];
  /** CPUs each guest's own work asks for (`vcpus × cpuUtilisation`). */
  private readonly guestOwnCpu: number[] = [];
  /** Guests grouped by home node: `guestsByHome[guestStart[h] .. guestStart[h + 1])`. */
  private readonly guestStart: Int32Array;
  private readonly guestsByHome: Int32Array;
  /** CPUs of each node the guests (and, under Closer, the pVM work charged to them) share. */
  private readonly guestCapacityOnNode: Float64Array;
  private readonly guestCount: number;

  // ---- tasks ----
  private readonly taskCount: number;
  private readonly taskGuest: Int32Array;
  private readonly taskKind: Int32Array;
  /** Items per second at level 1. */
  private readonly taskPeakItems: Float64Array;
  private readonly taskItemBytes: Float64Array;
  private readonly taskHome: Int32Array;
  /** Node of the device whose DMA fills the task's buffers. */
  private readonly taskDeviceNode: Int32Array;
  private readonly taskMetadataBytes: Float64Array;
  private readonly taskBufferBytes: Float64Array;
  /** Node of the guest's memory when it is all on one node, else -1 (use guestMemoryNodes/Shares). */
  private readonly taskMemoryNode: Int32Array;
  private readonly kindCost: TaskCost[];
  private readonly copySecondsPerByte: number;
  /** Tasks grouped by their guest's home node: `tasksByHome[groupStart[h] .. groupStart[h + 1])`. */
  private readonly groupStart: Int32Array;
  private readonly tasksByHome: Int32Array;
  /** CPU seconds per item with the current placement. */
  private readonly itemSeconds: Float64Array;
  /** CPU seconds per item with CPU and buffers on the guest's home node (what Closer sizes for). */
  private readonly itemSecondsLocal: Float64Array;

  // ---- placement of each group's work ----
  /** `groupCpuWeight[h * nodes + c]`: share of group h's work run on node c's vCPUs. */
  private readonly groupCpuWeight: Float64Array;
  /** `groupBufferWeight[h * nodes + m]`: share of group h's buffers on node m. */
  private readonly groupBufferWeight: Float64Array;
  /** `groupBufferLatency[h * nodes + c]`: mean latency factor from node c to group h's buffers. */
  private readonly groupBufferLatency: Float64Array;

  // ---- the pVM ----
  /** vCPUs held per node (each node's pool capacity). */
  private readonly vcpusOnNode: Float64Array;
  /** Pool (node) serving each group. */
  private readonly poolOfGroup: Int32Array;
  /** Closer: buffer pages held per node. */
  private readonly bufferPagesOnNode: Float64Array;
  /** Closer: share of group h's buffers held on h (the rest lives in the home node's base memory). */
  private readonly bufferLocalShare: Float64Array;
  /** Closer: most vCPUs the pVM may hold on a node (its CPUs). */
  private readonly vcpuLimitOnNode: Float64Array;
  /** Nodes by distance from each node (the pool fallback order). */
  private readonly nodesByDistanceFrom: (readonly number[])[];

  // ---- Closer's controller: applied(j) = max of desired over [j − delay − hold, j − delay] ----
  private readonly delaySteps: number;
  private readonly holdSteps: number;
  private readonly windowLength: number;
  /** Desired vCPUs and buffer pages per node, a ring of the last `windowLength` steps. */
  private readonly desiredVcpus: Float64Array;
  private readonly desiredPages: Float64Array;
  private readonly neededBufferBytes: Float64Array;
  /** Sliding-window maxima of the desired values and the step each came from. */
  private readonly windowMaxVcpus: Float64Array;
  private readonly windowMaxPages: Float64Array;
  private readonly windowMaxVcpusAt: Float64Array;
  private readonly windowMaxPagesAt: Float64Array;
  private lastStepSeen = -1;

  // ---- per-step state ----
  private step = 0;
  private fabricPending = false;
  private readonly guestLevel: Float64Array;
  /** Items per second asked. */
  private readonly itemDemand: Float64Array;
  /** CPU asked, capped at one vCPU (one backend thread). */
  private readonly cpuWant: Float64Array;
  private readonly cpuGranted: Float64Array;
  /** Items per second served before the fabric's cut. */
  private readonly itemsServed: Float64Array;
  private readonly poolTasks: Int32Array;
  private readonly poolBusy: Float64Array;
  /** Per guest: the backend CPU its pools granted, what it asks of its node, what it gets. */
  private readonly guestBackendCpu: Float64Array;
  private readonly guestCpuWant: Float64Array;
  private readonly guestCpuGrant: Float64Array;
  /** Per guest: the share of its (own + charged backend) demand its node gave it. */
  private readonly guestCpuShare: Float64Array;
  /** Per guest: CPUs its own work got this step. */
  private readonly guestOwnServed: Float64Array;
  /** `dmaBytes[h * nodes + k]`: bytes/s group h's devices on node k write into its buffers. */
  private readonly dmaBytes: Float64Array;
  /** `guestWriteBytes[h * nodes + m]`: bytes/s group h's copies write into guest memory on node m. */
  private readonly guestWriteBytes: Float64Array;
  private readonly groupBytes: Float64Array;
  private readonly groupMetadata: Float64Array;
  /** Share of its traffic each group got from the fabric this step. */
  private readonly fabricShare: Float64Array;

  // ---- accumulators ----
  private readonly latencyHistogram = new LogHistogram();
  private readonly guestDemand: Float64Array;
  private readonly guestServed: Float64Array;
  private readonly guestLatency: Float64Array;
  private readonly guestLatencyWeight: Float64Array;
  private readonly guestCpuServedSum: Float64Array;
  private readonly totals = new Float64Array(TOTALS);
  private readonly samples: Samples;

  constructor(input: EngineInput) {
    const { scenario, topology, policy } = input;
    this.scenario = scenario;
    this.topology = topology;
    this.policy = policy;
    this.path = input.path;
    this.closer = policy === "closer";
    const n = topology.nodes.length;
    this.nodes = n;
    this.stepSeconds = scenario.stepSeconds;
    this.steps = Math.max(1, Math.round(scenario.durationSeconds / this.stepSeconds));
    this.stepsPerSample = Math.max(1, Math.round(scenario.sampleSeconds / this.stepSeconds));

    this.fabric = new MemoryFabric(new FluidSystem(this.sim), topology);
    this.memory = new MemoryLedger(topology, { clock: this.sim, pageBytes: PAGE_BYTES });
    this.latencyFactor = new Float64Array(n * n);
    for (let c = 0; c < n; c++) {
      const row = topology.latencySeconds[c]!;
      for (let m = 0; m < n; m++) this.latencyFactor[c * n + m] = row[m]! / row[c]!;
    }

    this.pvmDomain = this.memory.addDomain("pvm");
    this.reservePvmMemory();

    const memoryLatency: number[] = [];
    const tasks = this.placeGuests(memoryLatency);
    this.guestCount = this.guestNames.length;
    this.guestMemoryLatency = Float64Array.from(memoryLatency);
    this.guestStart = new Int32Array(n + 1);
    for (const h of this.guestHome) this.guestStart[h + 1]!++;
    for (let h = 0; h < n; h++) this.guestStart[h + 1]! += this.guestStart[h]!;
    this.guestsByHome = new Int32Array(this.guestCount);
    {
      const fill = this.guestStart.slice(0, n);
      this.guestHome.forEach((h, g) => {
        this.guestsByHome[fill[h]!++] = g;
      });
    }
    this.guestCapacityOnNode = Float64Array.from(topology.nodes, (node) => node.cpus.length);

    // Tasks, flat, so the per-step loops touch only typed arrays.
    const T = tasks.length;
    this.taskCount = T;
    this.kindCost = KINDS.map((k) => scenario.backends[k]);
    this.copySecondsPerByte = 1 / scenario.backends.copyBytesPerSecond;
    const pvm = scenario.pvm;
    const deviceNode = [pvm.nicNode, pvm.storageNode, pvm.storageNode];
    this.taskGuest = Int32Array.from(tasks, (t) => t.guest);
    this.taskKind = Int32Array.from(tasks, (t) => t.kind);
    this.taskPeakItems = Float64Array.from(tasks, (t) => t.peakItems);
    this.taskItemBytes = Float64Array.from(tasks, (t) => t.itemBytes);
    this.taskHome = Int32Array.from(tasks, (t) => this.guestHome[t.guest]!);
    this.taskDeviceNode = Int32Array.from(tasks, (t) => deviceNode[t.kind]!);
    this.taskMetadataBytes = Float64Array.from(tasks, (t) => this.kindCost[t.kind]!.metadataBytes);
    this.taskBufferBytes = Float64Array.from(tasks, (t) => this.kindCost[t.kind]!.bufferBytes);
    this.taskMemoryNode = Int32Array.from(tasks, (t) =>
      this.guestMemoryNodes[t.guest]!.length === 1 ? this.guestMemoryNodes[t.guest]![0]! : -1,
    );
    this.groupStart = new Int32Array(n + 1);
    for (let t = 0; t < T; t++) this.groupStart[this.taskHome[t]! + 1]!++;
    for (let h = 0; h < n; h++) this.groupStart[h + 1]! += this.groupStart[h]!;
    this.tasksByHome = new Int32Array(T);
    {
      const fill = this.groupStart.slice(0, n);
      for (let t = 0; t < T; t++) this.tasksByHome[fill[this.taskHome[t]!]!++] = t;
    }

    this.groupCpuWeight = new Float64Array(n * n);
    this.groupBufferWeight = new Float64Array(n * n);
    this.groupBufferLatency = new Float64Array(n * n);
    this.itemSeconds = new Float64Array(T);
    this.itemSecondsLocal = new Float64Array(T);
    this.computeLocalCosts();

    this.vcpusOnNode = new Float64Array(n);
    this.poolOfGroup = new Int32Array(n);
    this.bufferPagesOnNode = new Float64Array(n);
    this.bufferLocalShare = new Float64Array(n).fill(1);
    this.vcpuLimitOnNode = new Float64Array(n);
    this.nodesByDistanceFrom = Array.from({ length: n }, (_, h) => nodesByDistance(topology, h));

    const cs = pvm.closer;
    this.delaySteps = Math.round(cs.reactionDelaySeconds / this.stepSeconds);
    this.holdSteps = Math.round(cs.shrinkHoldSeconds / this.stepSeconds);
    this.windowLength = this.delaySteps + this.holdSteps + 1;
    this.desiredVcpus = new Float64Array(this.windowLength * n);
    this.desiredPages = new Float64Array(this.windowLength * n);
    this.neededBufferBytes = new Float64Array(n);
    this.windowMaxVcpus = new Float64Array(n).fill(-1);
    this.windowMaxPages = new Float64Array(n).fill(-1);
    this.windowMaxVcpusAt = new Float64Array(n).fill(-1);
    this.windowMaxPagesAt = new Float64Array(n).fill(-1);
    if (this.closer) this.startCloser();
    else this.placeStaticPvm();

    const G = this.guestCount;
    this.guestLevel = new Float64Array(G);
    this.itemDemand = new Float64Array(T);
    this.cpuWant = new Float64Array(T);
    this.cpuGranted = new Float64Array(T);
    this.itemsServed = new Float64Array(T);
    this.poolTasks = new Int32Array(T);
    this.poolBusy = new Float64Array(n);
    this.guestBackendCpu = new Float64Array(G);
    this.guestCpuWant = new Float64Array(G);
    this.guestCpuGrant = new Float64Array(G);
    this.guestCpuShare = new Float64Array(G);
    this.guestOwnServed = new Float64Array(G);
    this.dmaBytes = new Float64Array(n * n);
    this.guestWriteBytes = new Float64Array(n * n);
    this.groupBytes = new Float64Array(n);
    this.groupMetadata = new Float64Array(n);
    this.fabricShare = new Float64Array(n);
    this.guestDemand = new Float64Array(G);
    this.guestServed = new Float64Array(G);
    this.guestLatency = new Float64Array(G);
    this.guestLatencyWeight = new Float64Array(G);
    this.guestCpuServedSum = new Float64Array(G);
    this.samples = new Samples(Math.ceil(this.steps / this.stepsPerSample), n);
  }

  private at(...p: (string | number)[]): VxPath {
    return [...this.path, ...p];
  }

  // ---------------------------------------------------------------------------------------------
  // Setup

  /** The pVM's memory, reserved at boot before any guest starts. */
  private reservePvmMemory(): void {
    const pvm = this.scenario.pvm;
    const [bytes, node, where] = this.closer
      ? [pvm.baseMemoryBytes, pvm.homeNode, this.at("pvm", "baseMemory")]
      : [pvm.static.memoryBytes, pvm.static.memoryNode, this.at("pvm", "static", "memory")];
    const r = this.memory.allocate(this.pvmDomain, bytes, { kind: "bind", nodes: [node] });
    if (r.shortfallPages > 0) {
      doesNotFit(
        where,
        `the pVM's ${formatBytes(bytes)} do not fit on node ${node} (${formatBytes(this.topology.nodes[node]!.memoryBytes)}).`,
      );
    }
  }

  /**
   * Places every guest's vCPUs and memory, records its home node, memory spread and demand
   * source, and returns its tasks (one per backend kind with work to do).
   */
  private placeGuests(
    memoryLatency: number[],
  ): { guest: number; kind: number; peakItems: number; itemBytes: number }[] {
    const n = this.nodes;
    const pvm = this.scenario.pvm;
    const guestCpus = new CpuLedger(this.topology, { vcpusPerCpu: pvm.vcpusPerCpu });
    const root = createRandom(this.scenario.seed);
    const tasks: { guest: number; kind: number; peakItems: number; itemBytes: number }[] = [];
    this.scenario.guests.forEach((group, gi) => {
      for (let i = 0; i < group.count; i++) {
        const g = this.guestNames.length;
        const name = `${group.name}-${i}`;
        this.guestNames.push(name);
        const placed = guestCpus.place(
          name,
          group.vcpus,
          group.node === "spread"
            ? { kind: "node-local" }
            : { kind: "node-local", node: group.node },
        );
        if (placed.unplaced > 0) {
          doesNotFit(
            this.at("guests", gi, "count"),
            `guest ${name} needs ${group.vcpus} vCPUs but the host's CPUs are full at ${pvm.vcpusPerCpu} vCPUs per CPU; use fewer guests or raise pvm.vcpusPerCpu.`,
          );
        }
        let home = 0;
        for (let m = 1; m < n; m++) if (placed.perNode[m]! > placed.perNode[home]!) home = m;
        this.guestHome.push(home);
        this.guestVcpus.push(group.vcpus);
        this.guestOwnCpu.push(group.vcpus * group.cpuUtilisation);
        const domain = this.memory.addDomain(name);
        const r = this.memory.allocate(
          domain,
          group.memoryBytes,
          { kind: "first-touch" },
          { cpuNode: [...placed.perNode] },
        );
        if (r.shortfallPages > 0) {
          doesNotFit(
            this.at("guests", gi, "memory"),
            `guest ${name} (${formatBytes(group.memoryBytes)}) does not fit: the host's memory is full; use fewer or smaller guests.`,
          );
        }
        const pages = this.memory.domainPages(domain);
        const total = this.memory.totalPages(domain);
        const memNodes: number[] = [];
        const memShares: number[] = [];
        for (let m = 0; m < n; m++) {
          if (pages[m]! > 0) {
            memNodes.push(m);
            memShares.push(pages[m]! / total);
          }
        }
        if (total === 0) {
          memNodes.push(home);
          memShares.push(1);
        }
        this.guestMemoryNodes.push(memNodes);
        this.guestMemoryShares.push(memShares);
        for (let c = 0; c < n; c++) {
          let s = 0;
          for (let q = 0; q < memNodes.length; q++) {
            s += memShares[q]! * this.latencyFactor[c * n + memNodes[q]!]!;
          }
          memoryLatency.push(s);
        }
        this.guestLevelSource.push(levelSource(group.demand, root.stream(`guest/${g}`)));
        const peaks = [
          group.network.bytesPerSecond / group.network.packetBytes,
          group.block.requestsPerSecond,
          group.deviceModel.requestsPerSecond,
        ];
        const sizes = [
          group.network.packetBytes,
          group.block.requestBytes,
          group.deviceModel.requestBytes,
        ];
        for (let k = 0; k < 3; k++) {
          if (peaks[k]! > 0) {
            tasks.push({ guest: g, kind: k, peakItems: peaks[k]!, itemBytes: sizes[k]! });
          }
        }
      }
    });
    return tasks;
  }

  /**
   * CPU seconds per item of task `t` (of group `h`) with the CPU weights `cpuWeight[h * n + c]`
   * and the buffer latencies `bufferLatency[h * n + c]`: the stalled share of the item's CPU time
   * stretched by the latency to the buffers and to the guest's memory, plus the grant copy.
   */
  private itemCost(
    t: number,
    h: number,
    cpuWeight: Float64Array,
    bufferLatency: Float64Array,
  ): number {
    const n = this.nodes;
    const g = this.taskGuest[t]!;
    const kc = this.kindCost[this.taskKind[t]!]!;
    const stall = kc.memoryStallFraction;
    const onBuffers = kc.bufferShare;
    const copy = this.taskItemBytes[t]! * this.copySecondsPerByte;
    let sum = 0;
    for (let c = 0; c < n; c++) {
      const w = cpuWeight[h * n + c]!;
      if (w === 0) continue;
      const lb = bufferLatency[h * n + c]!;
      const lg = this.guestMemoryLatency[g * n + c]!;
      sum +=
        w *
        (kc.cpuSecondsPerItem * (1 - stall + stall * (onBuffers * lb + (1 - onBuffers) * lg)) +
          (copy * (lb + lg)) / 2);
    }
    return sum;
  }

  /** The all-local cost of every task: CPU and buffers on the guest's home node. */
  private computeLocalCosts(): void {
    const n = this.nodes;
    const cpuWeight = new Float64Array(n * n);
    const bufferLatency = new Float64Array(n * n);
    for (let h = 0; h < n; h++) {
      cpuWeight[h * n + h] = 1;
      for (let c = 0; c < n; c++) bufferLatency[h * n + c] = this.latencyFactor[c * n + h]!;
    }
    for (let t = 0; t < this.taskCount; t++) {
      this.itemSecondsLocal[t] = this.itemCost(t, this.taskHome[t]!, cpuWeight, bufferLatency);
    }
  }

  /** Recomputes group h's buffer latencies and its tasks' item costs after a placement change. */
  private updateGroup(h: number): void {
    const n = this.nodes;
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let m = 0; m < n; m++) {
        s += this.groupBufferWeight[h * n + m]! * this.latencyFactor[c * n + m]!;
      }
      this.groupBufferLatency[h * n + c] = s;
    }
    for (let i = this.groupStart[h]!; i < this.groupStart[h + 1]!; i++) {
      const t = this.tasksByHome[i]!;
      this.itemSeconds[t] = this.itemCost(t, h, this.groupCpuWeight, this.groupBufferLatency);
    }
  }

  /** The static pVM: dedicated vCPUs spread over its nodes, one pool, buffers on its memory node. */
  private placeStaticPvm(): void {
    const n = this.nodes;
    const st = this.scenario.pvm.static;
    const r = new CpuLedger(this.topology).place("pvm", st.vcpus, {
      kind: "spread",
      nodes: st.nodes,
    });
    if (r.unplaced > 0) {
      doesNotFit(
        this.at("pvm", "static", "vcpus"),
        `${st.vcpus} dedicated vCPUs do not fit on the CPUs of nodes ${st.nodes.join(", ")}.`,
      );
    }
    for (let m = 0; m < n; m++) {
      this.vcpusOnNode[m] = r.perNode[m]!;
      // Pinned and dedicated (`dom0_vcpus_pin`): the guests share what is left of the node.
      this.guestCapacityOnNode[m] = Math.max(0, this.guestCapacityOnNode[m]! - r.perNode[m]!);
    }
    for (let h = 0; h < n; h++) {
      this.poolOfGroup[h] = 0; // a single pool
      for (let c = 0; c < n; c++) this.groupCpuWeight[h * n + c] = this.vcpusOnNode[c]! / st.vcpus;
      this.groupBufferWeight[h * n + st.memoryNode] = 1;
      this.updateGroup(h);
    }
  }

  /**
   * Closer's start: the control-plane vCPUs on the home node (dedicated, so taken from what the
   * guests share there); each node's vCPU limit is its CPU count, since the CPU time backend vCPUs
   * use is charged to the guests they serve rather than set aside.
   */
  private startCloser(): void {
    const n = this.nodes;
    const pvm = this.scenario.pvm;
    for (let m = 0; m < n; m++) this.vcpuLimitOnNode[m] = this.topology.nodes[m]!.cpus.length;
    this.guestCapacityOnNode[pvm.homeNode]! -= pvm.closer.minHomeVcpus;
    this.vcpusOnNode[pvm.homeNode] = pvm.closer.minHomeVcpus;
    this.assignPools();
  }

  /**
   * Closer: each group runs on its own node's pool (or the nearest node that has vCPUs), with its
   * buffers on its node (the share not yet granted there lives in the home node's base memory).
   */
  private assignPools(): void {
    const n = this.nodes;
    const home = this.scenario.pvm.homeNode;
    for (let h = 0; h < n; h++) {
      let pool = h;
      if (this.vcpusOnNode[h] === 0) {
        for (const m of this.nodesByDistanceFrom[h]!) {
          if (this.vcpusOnNode[m]! > 0) {
            pool = m;
            break;
          }
        }
      }
      let dirty = this.poolOfGroup[h] !== pool;
      this.poolOfGroup[h] = pool;
      const local = this.bufferLocalShare[h]!;
      for (let m = 0; m < n; m++) {
        const buffer = m === h ? (h === home ? 1 : local) : m === home ? 1 - local : 0;
        if (this.groupBufferWeight[h * n + m] !== buffer) {
          this.groupBufferWeight[h * n + m] = buffer;
          dirty = true;
        }
        const cpu = m === pool ? 1 : 0;
        if (this.groupCpuWeight[h * n + m] !== cpu) {
          this.groupCpuWeight[h * n + m] = cpu;
          dirty = true;
        }
      }
      if (dirty) this.updateGroup(h);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The run

  /**
   * Runs every step on the kernel and assembles the result.
   *
   * @returns the plain-JSON result.
   */
  run(): PvmRunResult {
    this.sim.scheduleAt(0, PvmEngine.tick, this);
    this.sim.run();
    return this.result();
  }

  /** One step: the phases up to the fabric, then (after the fabric settles) the readout. */
  private static tick(engine: PvmEngine): void {
    engine.readDemand();
    if (engine.closer) engine.controlCloser();
    engine.shareCpu();
    engine.loadFabric();
    if (engine.fabricPending) engine.sim.schedule(0, PvmEngine.readout, engine);
    else PvmEngine.readout(engine);
  }

  private static readout(engine: PvmEngine): void {
    engine.readFabric();
    engine.record();
    engine.step++;
    if (engine.step < engine.steps) {
      engine.sim.scheduleAt(engine.step * engine.stepSeconds, PvmEngine.tick, engine);
    }
  }

  /** Phase 1: each guest's level now, and each task's items per second. */
  private readDemand(): void {
    const now = this.step * this.stepSeconds;
    for (let g = 0; g < this.guestCount; g++)
      this.guestLevel[g] = this.guestLevelSource[g]!.at(now);
    for (let t = 0; t < this.taskCount; t++) {
      this.itemDemand[t] = this.guestLevel[this.taskGuest[t]!]! * this.taskPeakItems[t]!;
    }
  }

  /**
   * Phase 2 (Closer): desired vCPUs and buffer pages per node from this step's demand (sized with
   * the all-local cost), applied after the dead time as the maximum over the hold window; buffer
   * pages granted or returned through the ledger; pools reassigned when a node's vCPUs appear or
   * vanish or its buffers move.
   */
  private controlCloser(): void {
    const n = this.nodes;
    const pvm = this.scenario.pvm;
    const cs = pvm.closer;
    const slot = this.step % this.windowLength;
    const headroom = 1 + cs.bufferHeadroom;
    this.neededBufferBytes.fill(0);
    for (let h = 0; h < n; h++) {
      let cpu = 0;
      let buffers = 0;
      for (let i = this.groupStart[h]!; i < this.groupStart[h + 1]!; i++) {
        const t = this.tasksByHome[i]!;
        const d = this.itemDemand[t]!;
        if (d <= 0) continue;
        const c = d * this.itemSecondsLocal[t]!;
        cpu += c < 1 ? c : 1;
        buffers += this.taskBufferBytes[t]!;
      }
      this.neededBufferBytes[h] = buffers;
      let want = Math.ceil(cpu / cs.targetUtilisation - 1e-9);
      if (h === pvm.homeNode && want < cs.minHomeVcpus) want = cs.minHomeVcpus;
      this.desiredVcpus[slot * n + h] = want;
      this.desiredPages[slot * n + h] = Math.ceil((buffers * headroom) / PAGE_BYTES);
    }
    let poolsChanged = false;
    // Warm start: before the run, the demand is taken to have been the initial one forever.
    const last = cs.warmStart
      ? Math.max(0, this.step - this.delaySteps)
      : this.step - this.delaySteps;
    const first = Math.max(0, last - this.holdSteps);
    const entered = last > this.lastStepSeen;
    for (let h = 0; h < n; h++) {
      let cpu = h === pvm.homeNode ? cs.minHomeVcpus : 0;
      let pages = 0;
      if (last >= 0) {
        this.updateWindow(h, first, last, entered);
        cpu = this.windowMaxVcpus[h]!;
        pages = this.windowMaxPages[h]!;
      }
      if (cpu > this.vcpuLimitOnNode[h]!) cpu = this.vcpuLimitOnNode[h]!;
      if (this.vcpusOnNode[h] !== cpu) {
        if ((this.vcpusOnNode[h] === 0) !== (cpu === 0)) poolsChanged = true;
        this.vcpusOnNode[h] = cpu;
      }
      const have = this.bufferPagesOnNode[h]!;
      if (pages > have) {
        this.bufferPagesOnNode[h] =
          have +
          this.memory.allocatePages(this.pvmDomain, pages - have, { kind: "bind", nodes: [h] })
            .allocatedPages;
      } else if (pages < have) {
        this.bufferPagesOnNode[h] = have - this.memory.freePages(this.pvmDomain, have - pages, h);
      }
      const need = this.neededBufferBytes[h]!;
      const local = need > 0 ? Math.min(1, (this.bufferPagesOnNode[h]! * PAGE_BYTES) / need) : 1;
      if (local !== this.bufferLocalShare[h]) {
        this.bufferLocalShare[h] = local;
        poolsChanged = true;
      }
    }
    if (last > this.lastStepSeen) this.lastStepSeen = last;
    if (poolsChanged) this.assignPools();
  }

  /**
   * The window maxima of node h over steps [first, last]: updated as entries come in, rescanned
   * only when the maximum leaves the window.
   */
  private updateWindow(h: number, first: number, last: number, entered: boolean): void {
    const n = this.nodes;
    const L = this.windowLength;
    if (entered) {
      const s = (last % L) * n + h;
      if (this.desiredVcpus[s]! >= this.windowMaxVcpus[h]!) {
        this.windowMaxVcpus[h] = this.desiredVcpus[s]!;
        this.windowMaxVcpusAt[h] = last;
      }
      if (this.desiredPages[s]! >= this.windowMaxPages[h]!) {
        this.windowMaxPages[h] = this.desiredPages[s]!;
        this.windowMaxPagesAt[h] = last;
      }
    }
    if (this.windowMaxVcpusAt[h]! < first || this.windowMaxPagesAt[h]! < first) {
      this.windowMaxVcpus[h] = -1;
      this.windowMaxPages[h] = -1;
      for (let i = first; i <= last; i++) {
        const s = (i % L) * n + h;
        if (this.desiredVcpus[s]! >= this.windowMaxVcpus[h]!) {
          this.windowMaxVcpus[h] = this.desiredVcpus[s]!;
          this.windowMaxVcpusAt[h] = i;
        }
        if (this.desiredPages[s]! >= this.windowMaxPages[h]!) {
          this.windowMaxPages[h] = this.desiredPages[s]!;
          this.windowMaxPagesAt[h] = i;
        }
      }
    }
  }

  /**
   * Phase 3: CPU. Max-min shares in each pool, each backend thread using at most one vCPU; then
   * each node's CPUs shared max-min among its guests ({@link PvmEngine.shareNodes}).
   */
  private shareCpu(): void {
    const n = this.nodes;
    for (let t = 0; t < this.taskCount; t++) {
      const c = this.itemDemand[t]! * this.itemSeconds[t]!;
      this.cpuWant[t] = c < 1 ? c : 1;
    }
    if (!this.closer) {
      this.poolBusy[0] = waterfill(
        this.tasksByHome,
        0,
        this.taskCount,
        this.cpuWant,
        this.cpuGranted,
        this.scenario.pvm.static.vcpus,
      );
      this.shareNodes();
      return;
    }
    for (let p = 0; p < n; p++) {
      if (this.vcpusOnNode[p] === 0) continue;
      let count = 0;
      for (let h = 0; h < n; h++) {
        if (this.poolOfGroup[h] !== p) continue;
        for (let i = this.groupStart[h]!; i < this.groupStart[h + 1]!; i++) {
          this.poolTasks[count++] = this.tasksByHome[i]!;
        }
      }
      if (count > 0) {
        waterfill(this.poolTasks, 0, count, this.cpuWant, this.cpuGranted, this.vcpusOnNode[p]!);
      }
    }
    this.shareNodes();
    // What each pool is busy with once the guests' shares have cut the backend work charged to them.
    this.poolBusy.fill(0);
    for (let t = 0; t < this.taskCount; t++) {
      const a = this.cpuGranted[t]! * this.guestCpuShare[this.taskGuest[t]!]!;
      this.cpuGranted[t] = a;
      this.poolBusy[this.poolOfGroup[this.taskHome[t]!]!]! += a;
    }
  }

  /**
   * Each node's CPUs (less the pVM's dedicated vCPUs there) shared max-min among the guests whose
   * home it is, each asking at most its vCPUs (its allocated capacity).
   *
   * - static: a guest asks for its own work; the pVM's work runs on its dedicated vCPUs, outside
   *   the guests' accounting.
   * - Closer: the pVM's work for a guest runs on the guest's node and is charged to the guest
   *   (the CPU time its backends were granted counts against its capacity and its share), so a
   *   guest asks for its own work plus its backends'; what it gets is split between the two in
   *   proportion, and `guestCpuShare` scales its backends' grants.
   */
  private shareNodes(): void {
    const n = this.nodes;
    const G = this.guestCount;
    const backend = this.guestBackendCpu;
    backend.fill(0);
    if (this.closer) {
      for (let t = 0; t < this.taskCount; t++) backend[this.taskGuest[t]!]! += this.cpuGranted[t]!;
    }
    for (let g = 0; g < G; g++) {
      const total = this.guestOwnCpu[g]! + backend[g]!;
      const cap = this.guestVcpus[g]!;
      this.guestCpuWant[g] = total < cap ? total : cap;
    }
    for (let h = 0; h < n; h++) {
      const start = this.guestStart[h]!;
      const end = this.guestStart[h + 1]!;
      if (start === end) continue;
      waterfill(
        this.guestsByHome,
        start,
        end,
        this.guestCpuWant,
        this.guestCpuGrant,
        this.guestCapacityOnNode[h]!,
      );
    }
    for (let g = 0; g < G; g++) {
      const total = this.guestOwnCpu[g]! + backend[g]!;
      const share = total > 0 ? this.guestCpuGrant[g]! / total : 1;
      this.guestCpuShare[g] = share;
      this.guestOwnServed[g] = this.guestOwnCpu[g]! * share;
    }
  }

  /**
   * Phase 4: served items and the memory traffic they make, summed per group: device DMA into the
   * buffers, the copy's reads of them and its writes to the guest's memory; put on the fabric.
   */
  private loadFabric(): void {
    const n = this.nodes;
    const dma = this.dmaBytes;
    const guestWrites = this.guestWriteBytes;
    dma.fill(0);
    guestWrites.fill(0);
    this.groupBytes.fill(0);
    this.groupMetadata.fill(0);
    for (let t = 0; t < this.taskCount; t++) {
      const a = this.cpuGranted[t]!;
      const r = a > 0 ? a / this.itemSeconds[t]! : 0;
      this.itemsServed[t] = r;
      if (r === 0) continue;
      const h = this.taskHome[t]!;
      const bytes = r * this.taskItemBytes[t]!;
      dma[h * n + this.taskDeviceNode[t]!]! += bytes;
      this.groupBytes[h]! += bytes;
      this.groupMetadata[h]! += r * this.taskMetadataBytes[t]!;
      const mem = this.taskMemoryNode[t]!;
      if (mem >= 0) guestWrites[h * n + mem]! += bytes;
      else {
        const g = this.taskGuest[t]!;
        const nodes = this.guestMemoryNodes[g]!;
        const shares = this.guestMemoryShares[g]!;
        for (let q = 0; q < nodes.length; q++)
          guestWrites[h * n + nodes[q]!]! += bytes * shares[q]!;
      }
    }
    const fabric = this.fabric;
    fabric.clearDemands();
    for (let h = 0; h < n; h++) {
      if (this.groupBytes[h] === 0) continue;
      for (let m = 0; m < n; m++) {
        const bm = this.groupBufferWeight[h * n + m]!;
        if (bm === 0) continue;
        for (let k = 0; k < n; k++) {
          const d = dma[h * n + k]!;
          if (d > 0) fabric.addDemand(1, k, m, d * bm);
        }
        for (let c = 0; c < n; c++) {
          const wc = this.groupCpuWeight[h * n + c]!;
          if (wc > 0) fabric.addDemand(0, c, m, this.groupBytes[h]! * wc * bm);
        }
      }
      for (let c = 0; c < n; c++) {
        const wc = this.groupCpuWeight[h * n + c]!;
        if (wc === 0) continue;
        for (let m = 0; m < n; m++) {
          const x = guestWrites[h * n + m]!;
          if (x > 0) fabric.addDemand(1, c, m, x * wc);
        }
      }
    }
    this.fabricPending = this.fabric.commit();
  }

  /** Phase 5: the share of its traffic each group got: the least over the classes it uses. */
  private readFabric(): void {
    const n = this.nodes;
    const saturated = this.fabricPending;
    if (saturated) this.totals[T_SATURATED_STEPS]!++;
    for (let h = 0; h < n; h++) {
      let f = 1;
      if (saturated && this.groupBytes[h]! > 0) {
        for (let m = 0; m < n; m++) {
          const bm = this.groupBufferWeight[h * n + m]!;
          if (bm === 0) continue;
          for (let k = 0; k < n; k++) {
            if (this.dmaBytes[h * n + k]! > 0) f = Math.min(f, this.fabric.fractionAt(1, k, m));
          }
          for (let c = 0; c < n; c++) {
            if (this.groupCpuWeight[h * n + c]! > 0) {
              f = Math.min(f, this.fabric.fractionAt(0, c, m));
            }
          }
        }
        for (let c = 0; c < n; c++) {
          if (this.groupCpuWeight[h * n + c] === 0) continue;
          for (let m = 0; m < n; m++) {
            if (this.guestWriteBytes[h * n + m]! > 0) {
              f = Math.min(f, this.fabric.fractionAt(1, c, m));
            }
          }
        }
      }
      this.fabricShare[h] = f;
    }
  }

  /** Phase 6: this step's figures into the run totals, the per-guest sums and the sample. */
  private record(): void {
    const n = this.nodes;
    const pvm = this.scenario.pvm;
    const dt = this.stepSeconds;
    let stepDemand = 0;
    let stepServed = 0;
    let stepLatency = 0;
    let stepLatencyWeight = 0;
    let cpuUsed = 0;
    let memUsed = pvm.baseMemoryBytes;
    for (let t = 0; t < this.taskCount; t++) {
      const d = this.itemDemand[t]!;
      if (d <= 0) continue;
      const g = this.taskGuest[t]!;
      const h = this.taskHome[t]!;
      const r = this.itemsServed[t]! * this.fabricShare[h]!;
      const bytes = this.taskItemBytes[t]!;
      stepDemand += d * bytes;
      stepServed += r * bytes;
      this.guestDemand[g]! += d * bytes;
      this.guestServed[g]! += r * bytes;
      cpuUsed += r * this.itemSeconds[t]!;
      memUsed += this.taskBufferBytes[t]!;
      if (r <= 0) continue;
      const latency = this.itemLatency(t, h, d, r);
      const w = r * dt;
      this.latencyHistogram.add(latency, w);
      stepLatency += latency * w;
      stepLatencyWeight += w;
      this.guestLatency[g]! += latency * w;
      this.guestLatencyWeight[g]! += w;
    }
    let guestCpuDemand = 0;
    let guestCpuServed = 0;
    for (let g = 0; g < this.guestCount; g++) {
      guestCpuDemand += this.guestOwnCpu[g]!;
      guestCpuServed += this.guestOwnServed[g]!;
      this.guestCpuServedSum[g]! += this.guestOwnServed[g]!;
    }
    const { access, remote } = this.remoteAccesses();
    let cpuHeld = 0;
    for (let m = 0; m < n; m++) cpuHeld += this.vcpusOnNode[m]!;
    let memHeld: number;
    if (this.closer) {
      let pages = 0;
      for (let m = 0; m < n; m++) pages += this.bufferPagesOnNode[m]!;
      memHeld = pvm.baseMemoryBytes + pages * PAGE_BYTES;
    } else {
      memHeld = pvm.static.memoryBytes;
    }
    const totals = this.totals;
    if (memUsed > memHeld * (1 + 1e-12)) totals[T_SHORT_STEPS]!++;
    totals[T_DEMAND]! += stepDemand;
    totals[T_SERVED]! += stepServed;
    totals[T_LATENCY]! += stepLatency;
    totals[T_LATENCY_WEIGHT]! += stepLatencyWeight;
    totals[T_ACCESS]! += access;
    totals[T_REMOTE]! += remote;
    totals[T_CPU_USED]! += cpuUsed;
    totals[T_CPU_HELD]! += cpuHeld;
    totals[T_MEM_USED]! += memUsed;
    totals[T_MEM_HELD]! += memHeld;
    totals[T_GUEST_CPU_DEMAND]! += guestCpuDemand;
    totals[T_GUEST_CPU_SERVED]! += guestCpuServed;
    if (cpuHeld > totals[T_CPU_HELD_MAX]!) totals[T_CPU_HELD_MAX] = cpuHeld;
    if (memHeld > totals[T_MEM_HELD_MAX]!) totals[T_MEM_HELD_MAX] = memHeld;
    const s = this.samples;
    const i = Math.floor(this.step / this.stepsPerSample);
    if (s.steps[i] === 0) s.time[i] = this.step * dt;
    s.steps[i]!++;
    s.demand[i]! += stepDemand;
    s.served[i]! += stepServed;
    s.latency[i]! += stepLatency;
    s.latencyWeight[i]! += stepLatencyWeight;
    s.access[i]! += access;
    s.remote[i]! += remote;
    s.cpuUsed[i]! += cpuUsed;
    s.cpuHeld[i]! += cpuHeld;
    s.memUsed[i]! += memUsed;
    s.memHeld[i]! += memHeld;
    s.guestCpuServed[i]! += guestCpuServed;
    for (let m = 0; m < n; m++) s.vcpus[i * n + m]! += this.vcpusOnNode[m]!;
  }

  /**
   * Latency of an item of task t through its backend: a full ring's (Little's law) when the task
   * is served less than it asks or its pool is saturated, else an M/M/1 queue's at the pool's
   * utilisation, capped at the full ring's.
   */
  private itemLatency(t: number, h: number, asked: number, served: number): number {
    const pvm = this.scenario.pvm;
    const pool = this.closer ? this.poolOfGroup[h]! : 0;
    const capacity = this.closer ? this.vcpusOnNode[pool]! : pvm.static.vcpus;
    const rho = this.poolBusy[pool]! / capacity;
    const ring = pvm.ringSlots / served;
    if (served < asked * (1 - 1e-9) || rho >= 1 - 1e-9) return ring;
    const latency = this.itemSeconds[t]! / (1 - rho);
    return latency > ring ? ring : latency;
  }

  /**
   * Bytes the pVM's vCPUs touched this step and how many were remote: reading buffers, writing
   * guest memory, and metadata (half in each).
   */
  private remoteAccesses(): { access: number; remote: number } {
    const n = this.nodes;
    let access = 0;
    let remote = 0;
    for (let h = 0; h < n; h++) {
      const f = this.fabricShare[h]!;
      const read = this.groupBytes[h]! * f;
      if (read === 0) continue;
      let localRead = 0;
      let written = 0;
      let localWrite = 0;
      for (let c = 0; c < n; c++) {
        const wc = this.groupCpuWeight[h * n + c]!;
        localRead += wc * this.groupBufferWeight[h * n + c]!;
        localWrite += wc * this.guestWriteBytes[h * n + c]!;
      }
      for (let m = 0; m < n; m++) written += this.guestWriteBytes[h * n + m]!;
      const meta = this.groupMetadata[h]! * f;
      const remoteWriteShare = written > 0 ? 1 - localWrite / written : 0;
      access += read + written * f + meta;
      remote +=
        read * (1 - localRead) +
        written * f * remoteWriteShare +
        (meta / 2) * (1 - localRead + remoteWriteShare);
    }
    return { access, remote };
  }

  // ---------------------------------------------------------------------------------------------
  // Result

  /** Assembles the plain-JSON result from the totals, samples and per-guest sums. */
  private result(): PvmRunResult {
    const n = this.nodes;
    const steps = this.steps;
    const totals = this.totals;
    const nz = (x: number): number => x + 0;
    const orNull = (x: number): number | null => (Number.isFinite(x) ? nz(x) : null);
    const s = this.samples;
    const series: PvmSeries = {
      time: [],
      demandBytesPerSecond: [],
      throughputBytesPerSecond: [],
      meanLatencySeconds: [],
      remoteAccessFraction: [],
      cpuUsed: [],
      cpuReserved: [],
      memoryUsedBytes: [],
      memoryReservedBytes: [],
      guestCpuServed: [],
      vcpusPerNode: [],
    };
    for (let i = 0; i < s.count; i++) {
      const k = s.steps[i]!;
      series.time.push(nz(s.time[i]!));
      series.demandBytesPerSecond.push(nz(s.demand[i]! / k));
      series.throughputBytesPerSecond.push(nz(s.served[i]! / k));
      series.meanLatencySeconds.push(
        s.latencyWeight[i]! > 0 ? nz(s.latency[i]! / s.latencyWeight[i]!) : null,
      );
      series.remoteAccessFraction.push(s.access[i]! > 0 ? nz(s.remote[i]! / s.access[i]!) : 0);
      series.cpuUsed.push(nz(s.cpuUsed[i]! / k));
      series.cpuReserved.push(nz(s.cpuHeld[i]! / k));
      series.memoryUsedBytes.push(nz(s.memUsed[i]! / k));
      series.memoryReservedBytes.push(nz(s.memHeld[i]! / k));
      series.guestCpuServed.push(nz(s.guestCpuServed[i]! / k));
      series.vcpusPerNode.push(Array.from({ length: n }, (_, m) => nz(s.vcpus[i * n + m]! / k)));
    }
    const guests: GuestResult[] = this.guestNames.map((name, g) => ({
      name,
      node: this.guestHome[g]!,
      demandBytesPerSecond: nz(this.guestDemand[g]! / steps),
      throughputBytesPerSecond: nz(this.guestServed[g]! / steps),
      meanLatencySeconds:
        this.guestLatencyWeight[g]! > 0
          ? nz(this.guestLatency[g]! / this.guestLatencyWeight[g]!)
          : null,
      cpuDemand: nz(this.guestOwnCpu[g]!),
      cpuServed: nz(this.guestCpuServedSum[g]! / steps),
    }));
    const summary: PvmSummary = {
      policy: this.policy,
      topology: this.topology.name,
      guests: this.guestCount,
      simulatedSeconds: nz(steps * this.stepSeconds),
      demandBytesPerSecond: nz(totals[T_DEMAND]! / steps),
      throughputBytesPerSecond: nz(totals[T_SERVED]! / steps),
      servedFraction: totals[T_DEMAND]! > 0 ? nz(totals[T_SERVED]! / totals[T_DEMAND]!) : 1,
      meanLatencySeconds:
        totals[T_LATENCY_WEIGHT]! > 0 ? nz(totals[T_LATENCY]! / totals[T_LATENCY_WEIGHT]!) : null,
      p50LatencySeconds: orNull(this.latencyHistogram.quantile(0.5)),
      p99LatencySeconds: orNull(this.latencyHistogram.quantile(0.99)),
      remoteAccessFraction: totals[T_ACCESS]! > 0 ? nz(totals[T_REMOTE]! / totals[T_ACCESS]!) : 0,
      cpuUsedMean: nz(totals[T_CPU_USED]! / steps),
      cpuReservedMean: nz(totals[T_CPU_HELD]! / steps),
      cpuIdleReservedMean: nz(Math.max(0, totals[T_CPU_HELD]! - totals[T_CPU_USED]!) / steps),
      cpuReservedMax: nz(totals[T_CPU_HELD_MAX]!),
      memoryUsedMeanBytes: nz(totals[T_MEM_USED]! / steps),
      memoryReservedMeanBytes: nz(totals[T_MEM_HELD]! / steps),
      memoryIdleReservedMeanBytes: nz(
        Math.max(0, totals[T_MEM_HELD]! - totals[T_MEM_USED]!) / steps,
      ),
      memoryReservedMaxBytes: nz(totals[T_MEM_HELD_MAX]!),
      memoryShortFraction: nz(totals[T_SHORT_STEPS]! / steps),
      fabricSaturatedFraction: nz(totals[T_SATURATED_STEPS]! / steps),
      guestCpuDemandMean: nz(totals[T_GUEST_CPU_DEMAND]! / steps),
      guestCpuServedMean: nz(totals[T_GUEST_CPU_SERVED]! / steps),
      guestCpuServedFraction:
        totals[T_GUEST_CPU_DEMAND]! > 0
          ? nz(totals[T_GUEST_CPU_SERVED]! / totals[T_GUEST_CPU_DEMAND]!)
          : 1,
    };
    const pvmPagesPerNode: TimeSeriesJSON[] = this.memory.history(this.pvmDomain);
    this.memory.check();
    return { summary, series, guests, pvmPagesPerNode, pageBytes: PAGE_BYTES };
  }
}

/**
 * Runs one policy over the scenario.
 *
 * @param input - the validated scenario, its host, the policy and the error path prefix.
 * @returns the run's plain-JSON result.
 */
export function runPvm(input: EngineInput): PvmRunResult {
  return new PvmEngine(input).run();
}
