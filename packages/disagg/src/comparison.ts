/**
 * The clustered data center against a disaggregated rack of the same total capacity, on the same
 * workload, in one `@vx/datacenter` run: a {@link DatacenterExtension} that derives the rack from
 * the run's hosts ({@link sameCapacityRack}), admits the run's VMs to it when the run starts,
 * mirrors every VM's CPU demand at every scheduling round, and measures the clustered side at the
 * same rounds. Its output puts both side by side: stranded cores and memory, hosts and bricks
 * powered, energy, slowdown, migrations.
 *
 * @module
 */

import {
  FluidSystem,
  parseWith,
  percentSchema,
  rateSchema,
  Simulation,
  VxError,
  type VxIssue,
  type VxPath,
} from "@vx/core";
import type { DatacenterContext, DatacenterExtension, HostTypeSpec } from "@vx/datacenter";
import { z } from "zod";
import { ClusterTracker } from "./internal/cluster-tracker.js";
import { type FabricInput, fabricInputSchema, parseRackLayout } from "./layout.js";
import type { EnergyBreakdown } from "./power.js";
import { DisaggregatedRack } from "./rack.js";
import type { DisaggSummary, Distribution, RejectReason } from "./result.js";
import { type HostCapacity, SAME_CAPACITY_DEFAULTS, sameCapacityRack } from "./same-capacity.js";
import { type RackSettings, type RackSettingsInput, rackSettingsSchema } from "./settings.js";
import { REMOTE_MEMORY_DEFAULTS } from "./slowdown.js";
import { parseWorkload, type VmRequestInput } from "./workload.js";

/**
 * Defaults of the comparison: the derivation's ({@link SAME_CAPACITY_DEFAULTS}) and the VMs'
 * memory behaviour on the rack, which a clustered spec does not state. A VM stalls 20 % of its
 * run time on memory when all of it is local ({@link REMOTE_MEMORY_DEFAULTS}) and moves 250 MB/s
 * of memory traffic per vCPU (the synthetic mixes' figure): both *assumptions*, set per VM type.
 */
export const COMPARISON_DEFAULTS: {
  readonly localMemoryFraction: number;
  readonly computePerTray: number;
  readonly memoryPowerShare: number;
  readonly vcpusPerCore: number;
  readonly memoryStallFraction: number;
  readonly memoryBytesPerSecondPerVcpu: number;
} = {
  ...SAME_CAPACITY_DEFAULTS,
  memoryStallFraction: REMOTE_MEMORY_DEFAULTS.memoryStallFraction,
  memoryBytesPerSecondPerVcpu: 250e6,
};

/** Memory behaviour of the VMs of one type on the rack. */
export interface VmMemoryBehaviour {
  /** Share of run time stalled on memory when all of it is local, 0–1. */
  readonly memoryStallFraction: number;
  /** Memory traffic per vCPU, bytes per second. */
  readonly memoryBytesPerSecondPerVcpu: number;
}

/** Input form of {@link ComparisonOptions}: the `disagg` section of a scenario file. */
export interface ComparisonInput {
  /** Share of each host's RAM kept on its compute brick. Default 25 %. */
  readonly localMemory?: number | string;
  /** Compute bricks (hosts) per tray. Default 8. */
  readonly computePerTray?: number;
  /** Share of a host's power that its RAM draws. Default 30 %. */
  readonly memoryPowerShare?: number | string;
  /** vCPU slots per core on both sides (CPU overcommit). Default 1. */
  readonly vcpusPerCore?: number;
  /** Default memory behaviour of every VM. */
  readonly memoryStallFraction?: number | string;
  readonly memoryBandwidthPerVcpu?: number | string;
  /** Memory behaviour by VM type name (overrides the two above). */
  readonly vmTypes?: Readonly<
    Record<
      string,
      {
        readonly memoryStallFraction?: number | string;
        readonly memoryBandwidthPerVcpu?: number | string;
      }
    >
  >;
  /** The rack's fabric (`@vx/disagg`'s defaults: an optical circuit switch, 8 × 25 Gbit/s). */
  readonly fabric?: FabricInput;
  /** The rack's settings: orchestrator policy, section size, timings, power-off of idle bricks. */
  readonly settings?: RackSettingsInput;
}

/** A validated comparison. */
export interface ComparisonOptions {
  readonly localMemoryFraction: number;
  readonly computePerTray: number;
  readonly memoryPowerShare: number;
  readonly vcpusPerCore: number;
  /** Memory behaviour of VMs whose type is not in `vmTypes`. */
  readonly vm: VmMemoryBehaviour;
  /** Memory behaviour by VM type name. */
  readonly vmTypes: Readonly<Record<string, VmMemoryBehaviour>>;
  readonly fabric: FabricInput;
  readonly settings: RackSettings;
}

const D = COMPARISON_DEFAULTS;
const fraction = (d: number): z.ZodDefault<z.ZodType<number, number | string>> =>
  percentSchema({ max: 1 }).default(d);
const bandwidth = (): z.ZodType<number, number | string> => rateSchema({ max: "1TB/s" });

const schema = z
  .strictObject({
    localMemory: fraction(D.localMemoryFraction),
    computePerTray: z.int().min(1).max(1024).default(D.computePerTray),
    memoryPowerShare: fraction(D.memoryPowerShare),
    vcpusPerCore: z.number().min(1).max(64).default(D.vcpusPerCore),
    memoryStallFraction: percentSchema({ max: 0.99 }).default(D.memoryStallFraction),
    memoryBandwidthPerVcpu: bandwidth().default(D.memoryBytesPerSecondPerVcpu),
    vmTypes: z
      .record(
        z.string().min(1),
        z.strictObject({
          memoryStallFraction: percentSchema({ max: 0.99 }).optional(),
          memoryBandwidthPerVcpu: bandwidth().optional(),
        }),
      )
      .default({}),
    fabric: fabricInputSchema,
    settings: rackSettingsSchema,
  })
  .prefault({ fabric: undefined, settings: undefined })
  .transform((s): ComparisonOptions => {
    const vm = {
      memoryStallFraction: s.memoryStallFraction,
      memoryBytesPerSecondPerVcpu: s.memoryBandwidthPerVcpu,
    };
    const vmTypes: Record<string, VmMemoryBehaviour> = {};
    for (const [name, t] of Object.entries(s.vmTypes)) {
      vmTypes[name] = {
        memoryStallFraction: t.memoryStallFraction ?? vm.memoryStallFraction,
        memoryBytesPerSecondPerVcpu: t.memoryBandwidthPerVcpu ?? vm.memoryBytesPerSecondPerVcpu,
      };
    }
    return {
      localMemoryFraction: s.localMemory,
      computePerTray: s.computePerTray,
      memoryPowerShare: s.memoryPowerShare,
      vcpusPerCore: s.vcpusPerCore,
      vm,
      vmTypes,
      fabric: s.fabric,
      settings: s.settings,
    };
  });

/** The schema of the comparison (the `disagg` section). Validate with {@link parseComparison}. */
export const comparisonSchema: z.ZodType<ComparisonOptions, ComparisonInput | undefined> =
  schema as unknown as z.ZodType<ComparisonOptions, ComparisonInput | undefined>;

/**
 * Validates a comparison and fills its defaults.
 *
 * @param input - the section as written.
 * @param path - where it sits in a larger input, for errors.
 * @returns the options.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_COMPARISON` listing every bad field with its path.
 * @example
 * ```ts
 * parseComparison({ localMemory: "50%", settings: { policy: "locality-aware" } }).localMemoryFraction; // 0.5
 * ```
 */
export function parseComparison(input: ComparisonInput = {}, path: VxPath = []): ComparisonOptions {
  return parseWith(comparisonSchema, input, {
    code: "VX_DISAGG_BAD_COMPARISON",
    what: "disaggregated comparison",
    path,
  });
}

/** The clustered data center's host types and hosts, as a spec states them. */
export interface ClusterHosts {
  readonly hostTypes: Readonly<Record<string, HostTypeSpec>>;
  readonly hosts: readonly { readonly type: string; readonly count: number }[];
}

/**
 * The hosts of a spec in run order (groups in order, each `count` times), as
 * {@link sameCapacityRack} takes them.
 *
 * @param spec - host types and host groups.
 * @returns one entry per host.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_ARGUMENT` for a group naming an unknown type.
 */
export function hostCapacities(spec: ClusterHosts): HostCapacity[] {
  const out: HostCapacity[] = [];
  spec.hosts.forEach((g, i) => {
    const t = spec.hostTypes[g.type];
    if (t === undefined) {
      throw new VxError("VX_DISAGG_BAD_ARGUMENT", `host type "${g.type}" is not defined.`, {
        path: ["hosts", i, "type"],
      });
    }
    const entry: HostCapacity = {
      type: g.type,
      cores: t.cores,
      ramBytes: t.ram,
      idleWatts: t.power[0] ?? 0,
      peakWatts: t.power[t.power.length - 1] ?? 0,
    };
    for (let k = 0; k < g.count; k++) out.push(entry);
  });
  return out;
}

/**
 * Checks that the rack derived from a spec's hosts can be built (e.g. a brick of more sections
 * than the rack allows, with a tiny section size), before anything runs.
 *
 * @param spec - host types and host groups.
 * @param options - the validated comparison.
 * @returns the problems found (empty when the rack builds), paths relative to the section.
 */
export function checkComparison(spec: ClusterHosts, options: ComparisonOptions): VxIssue[] {
  try {
    const derived = derive(spec, options);
    const sim = new Simulation();
    new DisaggregatedRack(
      { sim, fluid: new FluidSystem(sim) },
      parseRackLayout(derived.layout),
      options.settings,
    );
    return [];
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    return error.issues.map((i) => ({ ...i, path: i.path }));
  }
}

function derive(spec: ClusterHosts, o: ComparisonOptions): ReturnType<typeof sameCapacityRack> {
  return sameCapacityRack(hostCapacities(spec), {
    sectionBytes: o.settings.sectionBytes,
    localMemoryFraction: o.localMemoryFraction,
    computePerTray: o.computePerTray,
    memoryPowerShare: o.memoryPowerShare,
    vcpusPerCore: o.vcpusPerCore,
    fabric: o.fabric,
  });
}

/** One side of the comparison. */
export interface ComparisonSide {
  /** VMs running from the start (placed on a host, admitted to a slot). */
  readonly placed: number;
  /** VMs that found no room at the start (unplaced, rejected). */
  readonly refused: number;
  /** Time-weighted shares: cores reserved by vCPUs, memory held by VMs. */
  readonly reservedCores: number;
  readonly reservedMemory: number;
  /** Time-weighted shares of cores and memory free but stranded. */
  readonly strandedCores: number;
  readonly strandedMemory: number;
  /** Units powered (hosts; compute and memory bricks): mean and peak, and how many there are. */
  readonly poweredMean: number;
  readonly poweredPeak: number;
  readonly units: number;
  /** Energy, joules. */
  readonly energyJoules: number;
  /** Slowdown of the VMs (time-weighted per VM): 1 on the clustered side (all memory local). */
  readonly slowdown: Distribution;
  /** Migrations that ended during the run (and those that completed). */
  readonly migrations: number;
  readonly migrationsCompleted: number;
}

/** The output of {@link disaggComparison}. */
export interface DisaggComparison {
  /** The capacity both sides have, and how the rack holds it ({@link sameCapacityRack}). */
  readonly capacity: {
    readonly hosts: number;
    readonly cores: number;
    readonly vcpuSlots: number;
    readonly memoryBytes: number;
    readonly trays: number;
    readonly computeBricks: number;
    readonly memoryBricks: number;
    readonly localMemoryBytes: number;
    readonly pooledMemoryBytes: number;
    readonly usableMemoryBytes: number;
    readonly sectionBytes: number;
  };
  /** VMs of the run (the same on both sides). */
  readonly vms: number;
  readonly clustered: ComparisonSide;
  readonly disaggregated: ComparisonSide & {
    /** Refusals by reason. */
    readonly rejected: Readonly<Record<RejectReason, number>>;
    /** Energy by compute, memory, devices, fabric. */
    readonly energy: EnergyBreakdown;
    /** Circuits set up. */
    readonly reconfigurations: number;
  };
  /** The rack's whole summary. */
  readonly rack: DisaggSummary;
}

/**
 * The comparison as a data-center extension: add it to `runDatacenter(spec, { extensions })`
 * (or write a `disagg:` section in a `vx run` scenario).
 *
 * The rack runs on a kernel of its own, advanced in lockstep with the run's: at the start the
 * run's VMs (vCPUs = cores, memory = RAM, in VM order) ask it for slots, and at every scheduling
 * round each VM's CPU demand (the same workload's) is set on its slot; a VM the run finishes
 * (CloudSim's `finishIdleVms` quirk) leaves the rack at that round. The clustered side is read
 * at the same instants. The run itself is untouched: its result is the same with or without the
 * extension. At every round it records the rack's bricks powered (series `bricksPowered`).
 *
 * Cores are counted in vCPU slots (`vcpusPerCore` per core) on both sides.
 * Stranding: on the clustered side, a host's free cores are stranded while its free RAM is below
 * the smallest VM's, and its free RAM while its free cores are below the smallest VM's vCPUs
 * (reservations, as Pond counts stranded memory: Li et al., ASPLOS 2023); on the rack, the
 * rack's own rule (a free core that reaches no free section, a free section no core with a free
 * core can reach). Migrations: the run's consolidation; the rack never needs one to free a brick.
 *
 * @param options - a validated comparison ({@link parseComparison}).
 * @returns the extension (`name: "disagg"`); its output is a {@link DisaggComparison}.
 * @example
 * ```ts
 * const r = runDatacenter(spec, { extensions: [disaggComparison(parseComparison())] });
 * const cmp = r.extensions?.disagg?.output as DisaggComparison;
 * cmp.clustered.strandedMemory; cmp.disaggregated.strandedMemory;
 * ```
 */
export function disaggComparison(
  options: ComparisonOptions,
): DatacenterExtension<DisaggComparison> {
  return new Comparison(options).extension();
}

/** The comparison's state during a run. */
class Comparison {
  private readonly o: ComparisonOptions;
  private sim: Simulation | undefined;
  private rack: DisaggregatedRack | undefined;
  private tracker: ClusterTracker | undefined;
  private derived: ReturnType<typeof sameCapacityRack> | undefined;
  private names: string[] = [];
  private util: Float64Array = new Float64Array(0);
  /** VMs the run finished (CloudSim's `finishIdleVms`), which have left the rack too. */
  private gone: Uint8Array = new Uint8Array(0);
  private placed = 0;
  private unplaced = 0;
  private migrations = 0;
  private completed = 0;

  constructor(options: ComparisonOptions) {
    this.o = options;
  }

  extension(): DatacenterExtension<DisaggComparison> {
    return {
      name: "disagg",
      start: (ctx) => this.start(ctx),
      round: (ctx) => this.round(ctx),
      migrationEnded: (_ctx, record) => {
        this.migrations++;
        if (record.outcome === "completed") this.completed++;
      },
      end: (ctx) => this.end(ctx),
    };
  }

  private start(ctx: DatacenterContext): void {
    const o = this.o;
    this.derived = derive(ctx.spec, o);
    const sim = new Simulation();
    this.sim = sim;
    this.rack = new DisaggregatedRack(
      { sim, fluid: new FluidSystem(sim) },
      parseRackLayout(this.derived.layout, ["disagg"]),
      o.settings,
    );
    const n = ctx.vmCount;
    const vms: VmRequestInput[] = [];
    this.util = new Float64Array(n);
    this.gone = new Uint8Array(n);
    this.names = [];
    let minCores = Number.POSITIVE_INFINITY;
    let minRam = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const vm = ctx.vm(i);
      const b = o.vmTypes[vm.type] ?? o.vm;
      const u = clamp01(vm.utilisation);
      this.util[i] = u;
      const busy = this.busy(u);
      const name = `vm${i}`;
      this.names.push(name);
      vms.push({
        name,
        vcpus: vm.cores,
        memory: vm.ramBytes,
        cpuUtilisation: busy,
        memoryStallFraction: b.memoryStallFraction,
        memoryBandwidth: b.memoryBytesPerSecondPerVcpu * vm.cores,
      });
      if (vm.cores < minCores) minCores = vm.cores;
      if (vm.ramBytes < minRam) minRam = vm.ramBytes;
      if (vm.state === "unplaced") this.unplaced++;
      else this.placed++;
    }
    this.rack.schedule(parseWorkload({ vms }, ["disagg", "vms"]));
    const cores = new Int32Array(ctx.hostCount);
    const ram = new Float64Array(ctx.hostCount);
    for (let h = 0; h < ctx.hostCount; h++) {
      const t = ctx.spec.hostTypes[ctx.host(h).type];
      cores[h] = Math.floor((t?.cores ?? 0) * o.vcpusPerCore);
      ram[h] = t?.ram ?? 0;
    }
    this.tracker = new ClusterTracker(
      cores,
      ram,
      Number.isFinite(minCores) ? minCores : 1,
      Number.isFinite(minRam) ? minRam : 0,
      ctx.now,
    );
    this.tracker.sample(ctx, ctx.now);
  }

  /**
   * A VM's busy share of its vCPU slots: its utilisation × vCPUs per core (capped at 1), so that a
   * brick's busy share is Σ vCPUs × utilisation / cores, as on a host.
   */
  private busy(u: number): number {
    return Math.min(1, u * this.o.vcpusPerCore);
  }

  private round(ctx: DatacenterContext): void {
    const rack = this.rack as DisaggregatedRack;
    (this.sim as Simulation).run({ until: ctx.now });
    for (let i = 0; i < this.util.length; i++) {
      if (this.gone[i] === 1) continue;
      const vm = ctx.vm(i);
      if (vm.state === "finished") {
        this.gone[i] = 1;
        rack.depart(this.names[i] as string);
        continue;
      }
      const u = clamp01(vm.utilisation);
      if (u !== this.util[i]) {
        this.util[i] = u;
        rack.setCpuUtilisation(this.names[i] as string, this.busy(u));
      }
    }
    (this.tracker as ClusterTracker).sample(ctx, ctx.now);
    let bricks = 0;
    for (let b = 0; b < rack.layout.bricks.length; b++) if (rack.powered(b)) bricks++;
    ctx.record("bricksPowered", bricks);
  }

  private end(ctx: DatacenterContext): DisaggComparison {
    const rack = this.rack as DisaggregatedRack;
    const d = this.derived as ReturnType<typeof sameCapacityRack>;
    (this.sim as Simulation).run({ until: ctx.now });
    const c = (this.tracker as ClusterTracker).finish(ctx.now);
    const r = rack.result().summary;
    const refused =
      r.rejected.cores +
      r.rejected.memory +
      r.rejected.ports +
      r.rejected.device +
      r.rejected.region;
    const ones: Distribution = {
      count: this.placed,
      mean: this.placed > 0 ? 1 : null,
      p95: this.placed > 0 ? 1 : null,
      max: this.placed > 0 ? 1 : null,
    };
    const migrations = r.migrations.compute.count + r.migrations.memory.count;
    return {
      capacity: {
        hosts: d.hosts,
        cores: d.cores,
        vcpuSlots: d.vcpuSlots,
        memoryBytes: d.memoryBytes,
        trays: d.trays,
        computeBricks: d.computeBricks,
        memoryBricks: d.memoryBricks,
        localMemoryBytes: d.localMemoryBytes,
        pooledMemoryBytes: d.pooledMemoryBytes,
        usableMemoryBytes: d.usableMemoryBytes,
        sectionBytes: r.sectionBytes,
      },
      vms: this.util.length,
      clustered: {
        placed: this.placed,
        refused: this.unplaced,
        reservedCores: c.reservedCores,
        reservedMemory: c.reservedMemory,
        strandedCores: c.strandedCores,
        strandedMemory: c.strandedMemory,
        poweredMean: c.poweredMean,
        poweredPeak: c.poweredPeak,
        units: d.hosts,
        energyJoules: ctx.energyJoules,
        slowdown: ones,
        migrations: this.migrations,
        migrationsCompleted: this.completed,
      },
      disaggregated: {
        placed: r.admitted,
        refused,
        rejected: r.rejected,
        reservedCores: r.utilisation.cores,
        reservedMemory: r.utilisation.memory,
        strandedCores: r.stranded.cores,
        strandedMemory: r.stranded.memory,
        poweredMean: r.bricksPowered.mean,
        poweredPeak: r.bricksPowered.peak,
        units: d.computeBricks + d.memoryBricks,
        energyJoules: r.energyJoules.total,
        energy: r.energyJoules,
        slowdown: r.slowdown,
        migrations,
        migrationsCompleted: r.migrations.compute.completed + r.migrations.memory.completed,
        reconfigurations: r.reconfigurations,
      },
      rack: r,
    };
  }
}

function clamp01(u: number): number {
  return u < 0 ? 0 : u > 1 ? 1 : u;
}
