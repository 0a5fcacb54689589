/**
 * What a pVM sizing run reads: the host, the guests and their I/O demand over time, the pVM
 * policies' settings and the backends' costs. One zod schema ({@link pvmScenarioSectionSchema})
 * turns human input (`"10Gbps"`, `"100ms"`, `"50%"`) into base units and fills every default;
 * the defaults are exported and documented one by one.
 *
 * @module
 */

import {
  bytesSchema,
  durationSchema,
  Gbps,
  GiB,
  MiB,
  ms,
  percentSchema,
  rateSchema,
  seconds,
  us,
} from "@vx/core";
import { TOPOLOGY_PRESETS, type TopologyPresetName, type TopologySpec } from "@vx/numa";
import { z } from "zod";

// ---------------------------------------------------------------------------------------------
// Output types (after validation: base units, defaults filled)

/** Where the host comes from: a preset, an inline spec, or a Linux capture (folder or file path). */
export type TopologySource =
  | TopologyPresetName
  | TopologySpec
  | { readonly sysfs: string }
  | { readonly numactl: string };

/**
 * A guest's I/O demand over time, as a level: the fraction of its peak rates it asks for.
 *
 * - `constant`: always `level`.
 * - `idle`: always 0.
 * - `steps`: `level` of the last step whose time has come (0 before the first).
 * - `random`: a new level uniform in [`min`, `max`] every `everySeconds` (each guest its own draws).
 * - `on-off`: `level` during on periods, 0 during off periods; period lengths exponential with
 *   the given means (each guest its own draws; it starts on with probability on / (on + off)).
 */
export type DemandPattern =
  | { readonly kind: "constant"; readonly level: number }
  | { readonly kind: "idle" }
  | {
      readonly kind: "steps";
      readonly steps: readonly { readonly atSeconds: number; readonly level: number }[];
    }
  | {
      readonly kind: "random";
      readonly min: number;
      readonly max: number;
      readonly everySeconds: number;
    }
  | {
      readonly kind: "on-off";
      readonly level: number;
      readonly meanOnSeconds: number;
      readonly meanOffSeconds: number;
    };

/** Guests of one kind. */
export interface GuestGroup {
  /** Name prefix; guests are `<name>-<i>`. */
  readonly name: string;
  /** How many. */
  readonly count: number;
  /** The node their vCPUs (and so their memory) go on, or `spread`: each on the roomiest node. */
  readonly node: number | "spread";
  /** vCPUs per guest. */
  readonly vcpus: number;
  /** Memory per guest, bytes. */
  readonly memoryBytes: number;
  /** Share of its vCPUs a guest keeps busy with its own work (competes with the pVM for CPUs). */
  readonly cpuUtilisation: number;
  /** Network I/O at level 1: payload bytes/s and packet size (netback work). */
  readonly network: { readonly bytesPerSecond: number; readonly packetBytes: number };
  /** Block I/O at level 1: requests/s and request size (blkback work). */
  readonly block: { readonly requestsPerSecond: number; readonly requestBytes: number };
  /** Emulated-device operations at level 1 (device-model work). */
  readonly deviceModel: { readonly requestsPerSecond: number; readonly requestBytes: number };
  /** The level over time. */
  readonly demand: DemandPattern;
}

/** The static pVM, as `dom0_max_vcpus=<vcpus> dom0_vcpus_pin dom0_mem=<memory>` sizes it. */
export interface StaticPvmSettings {
  /** vCPUs, pinned (dedicated) to CPUs of `nodes`, spread round-robin over them. */
  readonly vcpus: number;
  /** Nodes whose CPUs carry the vCPUs. */
  readonly nodes: readonly number[];
  /** Memory, bytes, all on `memoryNode`, reserved for the whole run. */
  readonly memoryBytes: number;
  /** Node of its memory (and so of every backend buffer). */
  readonly memoryNode: number;
}

/** Closer: a pVM that follows its guests, node by node. */
export interface CloserSettings {
  /** Time from a change of load to the vCPUs and memory following it (hotplug, ballooning). */
  readonly reactionDelaySeconds: number;
  /** How long the load must stay lower before a node's vCPUs and memory shrink (after the delay). */
  readonly shrinkHoldSeconds: number;
  /** vCPUs on a node are sized so the node's backend load keeps them this busy. */
  readonly targetUtilisation: number;
  /** vCPUs always on the home node (the control plane: toolstack, xenstore). */
  readonly minHomeVcpus: number;
  /** Buffer memory reserved beyond what active backends hold, as a fraction of it. */
  readonly bufferHeadroom: number;
  /**
   * Start sized for the initial demand, as if it had lasted forever (the steady state a static
   * pVM is in from the start); false starts from the minimum and grows after the reaction delay.
   */
  readonly warmStart: boolean;
}

/** Settings of the pVM shared by both policies, and each policy's own. */
export interface PvmSettings {
  /** Which policies {@link comparePvmPolicies} runs. */
  readonly policy: "static" | "closer" | "both";
  /** The pVM's home node: Closer's control plane and base memory. */
  readonly homeNode: number;
  /** Node of the NIC (its DMA goes into backend buffers from there). */
  readonly nicNode: number;
  /** Node of the storage controller (DMA for block and device-model I/O). */
  readonly storageNode: number;
  /** Memory the pVM uses whatever its load (kernel, toolstack, xenstored), bytes. */
  readonly baseMemoryBytes: number;
  /** Slots of each backend's ring: bounds the requests in flight, so the worst latency. */
  readonly ringSlots: number;
  /** Guest vCPUs one CPU may carry (overcommit) when placing guests. */
  readonly vcpusPerCpu: number;
  /** The static pVM. */
  readonly static: StaticPvmSettings;
  /** Closer. */
  readonly closer: CloserSettings;
}

/** The cost of one backend's work item (a packet, a request). */
export interface TaskCost {
  /** CPU time per item with all memory local, seconds. */
  readonly cpuSecondsPerItem: number;
  /** Buffer memory an active backend of this kind holds, bytes. */
  readonly bufferBytes: number;
  /** Share of `cpuSecondsPerItem` stalled on memory (stretches with remote latency). */
  readonly memoryStallFraction: number;
  /** Share of those stalls on the pVM's buffers (the rest on the guest's memory: rings, grants). */
  readonly bufferShare: number;
  /** Bytes of descriptors and headers touched per item besides the payload. */
  readonly metadataBytes: number;
}

/** Costs of the three kinds of backend work. */
export interface BackendCosts {
  /** Network backend, per packet. */
  readonly netback: TaskCost;
  /** Block backend, per request. */
  readonly blkback: TaskCost;
  /** Device model (QEMU), per emulated operation. */
  readonly deviceModel: TaskCost;
  /** One core's local memcpy rate (grant copies), bytes/s; remote copies are slower by the latency factor. */
  readonly copyBytesPerSecond: number;
}

/** A validated pVM scenario: base units, every default filled. */
export interface PvmScenario {
  /** The host. */
  readonly topology: TopologySource;
  /** Simulated time, seconds. */
  readonly durationSeconds: number;
  /** Model step: demand is constant over a step and policies act on step boundaries, seconds. */
  readonly stepSeconds: number;
  /** Spacing of the output series, seconds (a multiple of the step). */
  readonly sampleSeconds: number;
  /** Seed of the random demand patterns. */
  readonly seed: number;
  /** The guests. */
  readonly guests: readonly GuestGroup[];
  /** The pVM. */
  readonly pvm: PvmSettings;
  /** Backend costs. */
  readonly backends: BackendCosts;
}

// ---------------------------------------------------------------------------------------------
// Input types (what a scenario file or a caller writes)

/** A quantity as a number in base units or a human string (`"10Gbps"`, `"100ms"`, `"4GiB"`). */
export type QuantityInput = number | string;

/** Input form of {@link DemandPattern}: durations and levels as numbers or strings (`"50%"`). */
export type DemandPatternInput =
  | { readonly kind: "constant"; readonly level?: QuantityInput }
  | { readonly kind: "idle" }
  | {
      readonly kind: "steps";
      readonly steps: readonly { readonly at: QuantityInput; readonly level: QuantityInput }[];
    }
  | {
      readonly kind: "random";
      readonly min?: QuantityInput;
      readonly max?: QuantityInput;
      readonly every?: QuantityInput;
    }
  | {
      readonly kind: "on-off";
      readonly level?: QuantityInput;
      readonly meanOn: QuantityInput;
      readonly meanOff: QuantityInput;
    };

/** Input form of {@link GuestGroup}. */
export interface GuestGroupInput {
  readonly name?: string;
  readonly count?: number;
  readonly node?: number | "spread";
  readonly vcpus?: number;
  readonly memory?: QuantityInput;
  readonly cpuUtilisation?: QuantityInput;
  readonly network?: { readonly rate?: QuantityInput; readonly packet?: QuantityInput };
  readonly block?: { readonly iops?: number; readonly request?: QuantityInput };
  readonly deviceModel?: { readonly iops?: number; readonly request?: QuantityInput };
  readonly demand?: DemandPatternInput;
}

/** Input form of {@link TaskCost}. */
export interface TaskCostInput {
  readonly cpuPerItem?: QuantityInput;
  readonly buffer?: QuantityInput;
  readonly memoryStallFraction?: QuantityInput;
  readonly bufferShare?: QuantityInput;
  readonly metadata?: QuantityInput;
}

/** Input form of {@link PvmSettings}. */
export interface PvmSettingsInput {
  readonly policy?: "static" | "closer" | "both";
  readonly homeNode?: number;
  readonly nicNode?: number;
  readonly storageNode?: number;
  readonly baseMemory?: QuantityInput;
  readonly ringSlots?: number;
  readonly vcpusPerCpu?: number;
  readonly static?: {
    readonly vcpus?: number;
    readonly nodes?: readonly number[];
    readonly memory?: QuantityInput;
    readonly memoryNode?: number;
  };
  readonly closer?: {
    readonly reactionDelay?: QuantityInput;
    readonly shrinkHold?: QuantityInput;
    readonly targetUtilisation?: QuantityInput;
    readonly minHomeVcpus?: number;
    readonly bufferHeadroom?: QuantityInput;
    readonly warmStart?: boolean;
  };
}

/** Input form of {@link BackendCosts}. */
export interface BackendCostsInput {
  readonly netback?: TaskCostInput;
  readonly blkback?: TaskCostInput;
  readonly deviceModel?: TaskCostInput;
  readonly copyRate?: QuantityInput;
}

/** Input form of {@link PvmScenario}: the `numa` section of a vx scenario file. */
export interface PvmScenarioInput {
  readonly topology?: TopologySource | string;
  readonly duration?: QuantityInput;
  readonly step?: QuantityInput;
  readonly sample?: QuantityInput;
  readonly seed?: number;
  readonly guests: readonly GuestGroupInput[];
  readonly pvm?: PvmSettingsInput;
  readonly backends?: BackendCostsInput;
}

// ---------------------------------------------------------------------------------------------
// Defaults

/**
 * Default backend costs. No published figures were found for these on a NUMA host (*inferred*);
 * each is a parameter, and docs/numa-pvm.md gives the reasoning:
 *
 * - netback: 2 µs of CPU per packet (a single-queue netback thread moves about 5 Gbit/s of
 *   1500-byte packets on one core, the limit that motivated multi-queue netback), 2 MiB of
 *   buffers (two rings of 256 slots of 4 KiB pages), half of its time stalled on memory, half of
 *   the stalls on its own buffers, 256 bytes of descriptors per packet.
 * - blkback: 6 µs per request, 1.375 MiB of buffers (32 requests × 11 segments × 4 KiB, the
 *   blkif ring with persistent grants), the same memory shares, 512 bytes of metadata.
 * - deviceModel: 20 µs per emulated operation (a VM exit to QEMU and back), 32 MiB (a QEMU
 *   process's working set), 30 % stalled on memory, 512 bytes of metadata.
 * - copyBytesPerSecond: 6 GB/s, one core's local memcpy on a Skylake-class server.
 */
export const BACKEND_DEFAULTS: BackendCosts = {
  netback: {
    cpuSecondsPerItem: us(2),
    bufferBytes: MiB(2),
    memoryStallFraction: 0.5,
    bufferShare: 0.5,
    metadataBytes: 256,
  },
  blkback: {
    cpuSecondsPerItem: us(6),
    bufferBytes: 32 * 11 * 4096,
    memoryStallFraction: 0.5,
    bufferShare: 0.5,
    metadataBytes: 512,
  },
  deviceModel: {
    cpuSecondsPerItem: us(20),
    bufferBytes: MiB(32),
    memoryStallFraction: 0.3,
    bufferShare: 0.5,
    metadataBytes: 512,
  },
  copyBytesPerSecond: 6e9,
};

/**
 * Default pVM settings. The static pVM follows a typical boot line
 * (`dom0_max_vcpus=8 dom0_vcpus_pin dom0_mem=7G`), on node 0. Closer's figures are *inferred*:
 * 100 ms to react (a vCPU hotplug plus a balloon adjustment, driven by a monitor sampling every
 * few tens of ms), 1 s of hold before shrinking (to avoid flapping), vCPUs sized for 80 % busy,
 * one vCPU always on the home node, 25 % buffer headroom, a warm start (sized for the initial
 * demand, as the static pVM is from the start). 512 MiB base memory (kernel, xenstored,
 * toolstack), 256-slot rings (netif and blkif default), guests overcommitted up to 4 vCPUs per
 * CPU.
 */
export const PVM_DEFAULTS: Omit<PvmSettings, "policy"> = {
  homeNode: 0,
  nicNode: 0,
  storageNode: 0,
  baseMemoryBytes: MiB(512),
  ringSlots: 256,
  vcpusPerCpu: 4,
  static: { vcpus: 8, nodes: [0], memoryBytes: GiB(7), memoryNode: 0 },
  closer: {
    reactionDelaySeconds: ms(100),
    shrinkHoldSeconds: seconds(1),
    targetUtilisation: 0.8,
    minHomeVcpus: 1,
    bufferHeadroom: 0.25,
    warmStart: true,
  },
};

/** Default guest: 2 vCPUs, 4 GiB, 10 % busy with its own work, 1 Gbit/s of network I/O at level 1, constant demand. */
export const GUEST_DEFAULTS: Omit<GuestGroup, "name" | "count" | "node"> = {
  vcpus: 2,
  memoryBytes: GiB(4),
  cpuUtilisation: 0.1,
  network: { bytesPerSecond: Gbps(1), packetBytes: 1500 },
  block: { requestsPerSecond: 0, requestBytes: 4096 },
  deviceModel: { requestsPerSecond: 0, requestBytes: 4096 },
  demand: { kind: "constant", level: 1 },
};

// ---------------------------------------------------------------------------------------------
// The schema

const nodeIndex = z.int().min(0);
const fraction = (): z.ZodType<number, number | string> => percentSchema({ min: 0, max: 1 });

const topologySpecSchema = z.strictObject({
  name: z.string().optional(),
  nodes: z
    .array(
      z.strictObject({
        id: z.int().min(0).optional(),
        cpus: z.union([z.int().min(0), z.string(), z.array(z.int().min(0))]),
        memory: bytesSchema(),
        memoryBandwidth: rateSchema({ allowZero: false }).optional(),
      }),
    )
    .min(1),
  distances: z.array(z.array(z.int())).optional(),
  links: z
    .array(
      z.strictObject({
        between: z.tuple([nodeIndex, nodeIndex]),
        bandwidth: rateSchema({ allowZero: false }),
        name: z.string().optional(),
      }),
    )
    .optional(),
  linkBandwidth: rateSchema({ allowZero: false }).optional(),
  localLatency: durationSchema({ allowZero: false }).optional(),
  slitLatencyWeight: z.number().min(0).max(10).optional(),
  latencies: z.array(z.array(durationSchema({ allowZero: false }))).optional(),
});

const demandSchema = z
  .discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("constant"), level: fraction().default(1) }),
    z.strictObject({ kind: z.literal("idle") }),
    z.strictObject({
      kind: z.literal("steps"),
      steps: z.array(z.strictObject({ at: durationSchema(), level: fraction() })).min(1),
    }),
    z.strictObject({
      kind: z.literal("random"),
      min: fraction().default(0),
      max: fraction().default(1),
      every: durationSchema({ allowZero: false }).default(ms(10)),
    }),
    z.strictObject({
      kind: z.literal("on-off"),
      level: fraction().default(1),
      meanOn: durationSchema({ allowZero: false }),
      meanOff: durationSchema({ allowZero: false }),
    }),
  ])
  .transform((d): DemandPattern => {
    switch (d.kind) {
      case "steps":
        return { kind: "steps", steps: d.steps.map((x) => ({ atSeconds: x.at, level: x.level })) };
      case "random":
        return { kind: "random", min: d.min, max: d.max, everySeconds: d.every };
      case "on-off":
        return {
          kind: "on-off",
          level: d.level,
          meanOnSeconds: d.meanOn,
          meanOffSeconds: d.meanOff,
        };
      default:
        return d;
    }
  });

const G = GUEST_DEFAULTS;

const guestSchema = z
  .strictObject({
    name: z.string().min(1).default("guest"),
    count: z.int().min(1).max(100_000).default(1),
    node: z.union([nodeIndex, z.literal("spread")]).default("spread"),
    vcpus: z.int().min(1).max(1024).default(G.vcpus),
    memory: bytesSchema().default(G.memoryBytes),
    cpuUtilisation: fraction().default(G.cpuUtilisation),
    network: z
      .strictObject({
        rate: rateSchema().default(G.network.bytesPerSecond),
        packet: bytesSchema({ min: 64, max: "64KiB" }).default(G.network.packetBytes),
      })
      .prefault({}),
    block: z
      .strictObject({
        iops: z.number().min(0).default(G.block.requestsPerSecond),
        request: bytesSchema({ min: 512, max: "4MiB" }).default(G.block.requestBytes),
      })
      .prefault({}),
    deviceModel: z
      .strictObject({
        iops: z.number().min(0).default(G.deviceModel.requestsPerSecond),
        request: bytesSchema({ max: "4MiB" }).default(G.deviceModel.requestBytes),
      })
      .prefault({}),
    demand: demandSchema.prefault({ kind: "constant" }),
  })
  .transform(
    (g): GuestGroup => ({
      name: g.name,
      count: g.count,
      node: g.node,
      vcpus: g.vcpus,
      memoryBytes: g.memory,
      cpuUtilisation: g.cpuUtilisation,
      network: { bytesPerSecond: g.network.rate, packetBytes: g.network.packet },
      block: { requestsPerSecond: g.block.iops, requestBytes: g.block.request },
      deviceModel: { requestsPerSecond: g.deviceModel.iops, requestBytes: g.deviceModel.request },
      demand: g.demand,
    }),
  );

function taskSchema(d: TaskCost) {
  return z
    .strictObject({
      cpuPerItem: durationSchema({ allowZero: false }).default(d.cpuSecondsPerItem),
      buffer: bytesSchema().default(d.bufferBytes),
      memoryStallFraction: fraction().default(d.memoryStallFraction),
      bufferShare: fraction().default(d.bufferShare),
      metadata: bytesSchema().default(d.metadataBytes),
    })
    .prefault({})
    .transform(
      (t): TaskCost => ({
        cpuSecondsPerItem: t.cpuPerItem,
        bufferBytes: t.buffer,
        memoryStallFraction: t.memoryStallFraction,
        bufferShare: t.bufferShare,
        metadataBytes: t.metadata,
      }),
    );
}

const P = PVM_DEFAULTS;

const pvmSchema = z
  .strictObject({
    policy: z.enum(["static", "closer", "both"]).default("both"),
    homeNode: nodeIndex.default(P.homeNode),
    nicNode: nodeIndex.default(P.nicNode),
    storageNode: nodeIndex.default(P.storageNode),
    baseMemory: bytesSchema().default(P.baseMemoryBytes),
    ringSlots: z.int().min(1).max(65_536).default(P.ringSlots),
    vcpusPerCpu: z.int().min(1).max(64).default(P.vcpusPerCpu),
    static: z
      .strictObject({
        vcpus: z.int().min(1).max(4096).default(P.static.vcpus),
        nodes: z
          .array(nodeIndex)
          .min(1)
          .default([...P.static.nodes]),
        memory: bytesSchema({ allowZero: false }).default(P.static.memoryBytes),
        memoryNode: nodeIndex.default(P.static.memoryNode),
      })
      .prefault({}),
    closer: z
      .strictObject({
        reactionDelay: durationSchema().default(P.closer.reactionDelaySeconds),
        shrinkHold: durationSchema().default(P.closer.shrinkHoldSeconds),
        targetUtilisation: percentSchema({ allowZero: false, max: 1 }).default(
          P.closer.targetUtilisation,
        ),
        minHomeVcpus: z.int().min(1).max(4096).default(P.closer.minHomeVcpus),
        bufferHeadroom: percentSchema({ max: "1000%" }).default(P.closer.bufferHeadroom),
        warmStart: z.boolean().default(P.closer.warmStart),
      })
      .prefault({}),
  })
  .prefault({})
  .transform(
    (p): PvmSettings => ({
      policy: p.policy,
      homeNode: p.homeNode,
      nicNode: p.nicNode,
      storageNode: p.storageNode,
      baseMemoryBytes: p.baseMemory,
      ringSlots: p.ringSlots,
      vcpusPerCpu: p.vcpusPerCpu,
      static: {
        vcpus: p.static.vcpus,
        nodes: p.static.nodes,
        memoryBytes: p.static.memory,
        memoryNode: p.static.memoryNode,
      },
      closer: {
        reactionDelaySeconds: p.closer.reactionDelay,
        shrinkHoldSeconds: p.closer.shrinkHold,
        targetUtilisation: p.closer.targetUtilisation,
        minHomeVcpus: p.closer.minHomeVcpus,
        bufferHeadroom: p.closer.bufferHeadroom,
        warmStart: p.closer.warmStart,
      },
    }),
  );

const backendsSchema = z
  .strictObject({
    netback: taskSchema(BACKEND_DEFAULTS.netback),
    blkback: taskSchema(BACKEND_DEFAULTS.blkback),
    deviceModel: taskSchema(BACKEND_DEFAULTS.deviceModel),
    copyRate: rateSchema({ allowZero: false }).default(BACKEND_DEFAULTS.copyBytesPerSecond),
  })
  .prefault({})
  .transform(
    (b): BackendCosts => ({
      netback: b.netback,
      blkback: b.blkback,
      deviceModel: b.deviceModel,
      copyBytesPerSecond: b.copyRate,
    }),
  );

const scenarioSchema = z
  .strictObject({
    topology: z
      .union([
        z.enum(TOPOLOGY_PRESETS as [TopologyPresetName, ...TopologyPresetName[]]),
        z.strictObject({ sysfs: z.string().min(1) }),
        z.strictObject({ numactl: z.string().min(1) }),
        topologySpecSchema,
      ])
      .default("2-socket"),
    duration: durationSchema({ allowZero: false, max: "1d" }).default(seconds(10)),
    step: durationSchema({ min: "1us", max: "10s" }).default(ms(10)),
    sample: durationSchema({ allowZero: false }).default(ms(100)),
    seed: z.int().default(1),
    guests: z.array(guestSchema).min(1),
    pvm: pvmSchema,
    backends: backendsSchema,
  })
  .transform(
    (s): PvmScenario => ({
      topology: s.topology as TopologySource,
      durationSeconds: s.duration,
      stepSeconds: s.step,
      sampleSeconds: s.sample,
      seed: s.seed,
      guests: s.guests,
      pvm: s.pvm,
      backends: s.backends,
    }),
  );

/**
 * The `numa` section of a vx scenario file: a NUMA host, its guests and their I/O demand, and the
 * pVM policies to compare. Validate with `parseWith` from @vx/core (or let
 * {@link comparePvmPolicies} do it); the output is a {@link PvmScenario}.
 *
 * Input keys are plain (`duration`, `memory`, `rate`, `reactionDelay`); quantities are numbers in
 * base units or strings (`"10s"`, `"4GiB"`, `"10Gbps"`, `"100ms"`, `"50%"`); every field but
 * `guests` has a default ({@link PVM_DEFAULTS}, {@link GUEST_DEFAULTS},
 * {@link BACKEND_DEFAULTS}). Node indices are checked against the topology when the run starts.
 *
 * @example
 * ```ts
 * const scenario = parseWith(pvmScenarioSectionSchema, {
 *   topology: "2-socket",
 *   duration: "5s",
 *   guests: [{ count: 4, node: 1, network: { rate: "10Gbps" } }],
 *   pvm: { policy: "both", closer: { reactionDelay: "50ms" } },
 * }, { what: "numa section", path: ["numa"] });
 * ```
 */
export const pvmScenarioSectionSchema: z.ZodType<PvmScenario, PvmScenarioInput> =
  scenarioSchema as z.ZodType<PvmScenario, PvmScenarioInput>;
