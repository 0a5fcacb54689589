/**
 * What a disaggregated rack run returns: plain, JSON-serialisable data (no class instances, no
 * `Infinity` or `NaN`: a figure that does not apply is `null`).
 *
 * @module
 */

import type { TimeSeriesJSON } from "@vx/core";
import type { DeviceKind } from "./layout.js";
import type { EnergyBreakdown } from "./power.js";

/** Why a slot request or a hot-plug could not be met (an outcome, never an error). */
export type RejectReason = "cores" | "memory" | "ports" | "device" | "region";

/** A summary of samples. */
export interface Distribution {
  /** Samples. */
  readonly count: number;
  /** Mean; `null` without samples. */
  readonly mean: number | null;
  /** 95th percentile (linear interpolation); `null` without samples. */
  readonly p95: number | null;
  /** Largest; `null` without samples. */
  readonly max: number | null;
}

/** Time-weighted means over the run, as fractions of the rack's capacity. */
export interface ResourceShares {
  /** CPU cores. */
  readonly cores: number;
  /** Memory (compute bricks' local memory and memory bricks). */
  readonly memory: number;
  /** Device units, by kind (`null` when the rack has none of that kind). */
  readonly devices: Readonly<Record<DeviceKind, number | null>>;
}

/** What happened to one VM. */
export interface VmOutcome {
  /** Its name. */
  readonly name: string;
  /** `running` (to the end of the run), `departed`, or `rejected`. */
  readonly status: "running" | "departed" | "rejected";
  /** Why it was rejected; `null` otherwise. */
  readonly rejectReason: RejectReason | null;
  /** Its compute brick at the end (name); `null` if rejected. */
  readonly computeBrick: string | null;
  /** Time to assemble its slot, seconds; `null` if rejected. */
  readonly assemblySeconds: number | null;
  /** Sections it held at the end (or when it left). */
  readonly sections: number;
  /** Share of those sections not on its compute brick. */
  readonly remoteFraction: number;
  /** Time-weighted mean slowdown over its life (1 = all memory local, no contention); `null` if rejected. */
  readonly slowdown: number | null;
  /** Largest slowdown it saw; `null` if rejected. */
  readonly maxSlowdown: number | null;
  /** Mean latency of its remote device I/O (device plus fabric round trip), seconds; `null` without devices. */
  readonly ioLatencySeconds: number | null;
  /**
   * Time-weighted share of its device I/O demand delivered (each unit serves at most its own
   * bandwidth; the fabric may deliver less); `null` without devices.
   */
  readonly ioBandwidthFraction: number | null;
  /** Hot-plugs that succeeded and failed. */
  readonly hotplugs: { readonly done: number; readonly failed: number };
}

/** Migrations of one kind. */
export interface MigrationSummary {
  /** Started. */
  readonly count: number;
  /** Finished. */
  readonly completed: number;
  /** Could not start or were cut short (no room, no ports, another migration under way, VM left). */
  readonly failed: number;
  /** Bytes moved over the fabric. */
  readonly bytes: number;
  /** Sections moved. */
  readonly sections: number;
  /** Time from decision to end. */
  readonly timeSeconds: Distribution;
  /** Pause of the VM. */
  readonly downtimeSeconds: Distribution;
}

/** One migration, as it happened. */
export interface MigrationRecord {
  /** The VM. */
  readonly vm: string;
  /** Which sense. */
  readonly kind: "compute" | "memory";
  /**
   * `completed`; `in-progress` at the end of the run; or why it did not complete: no
   * destination with room, no free port for its circuits, another migration of the VM under way,
   * the VM left, or a link of its route failed.
   */
  readonly outcome:
    | "completed"
    | "in-progress"
    | "no-destination"
    | "no-ports"
    | "busy"
    | "vm-left"
    | "failed";
  /** From (brick name; for a memory move, the brick that held most of its sections). */
  readonly from: string | null;
  /** To (brick name). */
  readonly to: string | null;
  /** When it was decided, seconds. */
  readonly startSeconds: number;
  /** Decision to end, seconds; `null` if it did not complete. */
  readonly timeSeconds: number | null;
  /** Pause, seconds. */
  readonly downtimeSeconds: number;
  /** Bytes over the fabric. */
  readonly bytes: number;
  /** Sections moved. */
  readonly sections: number;
}

/** The run's figures. */
export interface DisaggSummary {
  /** Simulated seconds. */
  readonly durationSeconds: number;
  /** Section size used, bytes. */
  readonly sectionBytes: number;
  /** The placement policy. */
  readonly policy: string;
  /** Slot requests. */
  readonly requests: number;
  /** Slots assembled. */
  readonly admitted: number;
  /** Requests rejected, by reason. */
  readonly rejected: Readonly<Record<RejectReason, number>>;
  /** Time-weighted share of each resource allocated. */
  readonly utilisation: ResourceShares & {
    /** Memory requested by VMs (before rounding up to sections). */
    readonly memoryRequested: number;
    /** Busy share of all cores (vCPUs × CPU utilisation). */
    readonly cpuBusy: number;
    /** Ports holding a circuit (circuit fabric); `null` on a packet fabric. */
    readonly ports: number | null;
  };
  /**
   * Time-weighted share of each resource stranded: free, but unusable because what it needs
   * beside it is exhausted or unreachable (cores of a brick that can reach no free section;
   * sections and device units that no compute brick with a free core can reach).
   */
  readonly stranded: ResourceShares;
  /** Time-weighted mean of memory allocated but not requested (section rounding), bytes. */
  readonly roundingWasteBytes: number;
  /** Bricks powered: time-weighted mean and peak, and the rack's total. */
  readonly bricksPowered: { readonly mean: number; readonly peak: number; readonly total: number };
  /** Energy over the run, joules, by where it went. */
  readonly energyJoules: EnergyBreakdown;
  /** Time to assemble a slot (decision, circuits, sections mapped, devices attached), seconds. */
  readonly slotAssemblySeconds: Distribution;
  /** Per-VM time-weighted mean slowdown from remote memory, fabric contention and shared regions. */
  readonly slowdown: Distribution;
  /** Remote device I/O latency per VM with devices, seconds. */
  readonly ioLatencySeconds: Distribution;
  /** Memory hot-plug (grow) and unplug (shrink). */
  readonly hotplug: {
    readonly plugs: number;
    readonly unplugs: number;
    readonly failed: number;
    readonly sectionsPlugged: number;
    readonly sectionsUnplugged: number;
    /** Latency of a plug or unplug (circuits and guest-side onlining/offlining), seconds. */
    readonly latencySeconds: Distribution;
  };
  /** Circuits set up over the run (circuit fabric). */
  readonly reconfigurations: number;
  /** Migrations by kind. */
  readonly migrations: { readonly compute: MigrationSummary; readonly memory: MigrationSummary };
  /** Shared regions: per region, the serialisation cost at the end of the run (or last use). */
  readonly sharedRegions: readonly SharedRegionOutcome[];
}

/** A shared region's figures. */
export interface SharedRegionOutcome {
  /** Its name. */
  readonly name: string;
  /** Serialisation method. */
  readonly method: string;
  /** Sections it held while in use (0 if no VM ever attached). */
  readonly sections: number;
  /** Largest number of VMs attached at once. */
  readonly peakAccessors: number;
  /** Largest utilisation of its lock or token (write attempts in flight for `versioned`). */
  readonly peakUtilisation: number;
  /** Whether it was ever saturated. */
  readonly saturated: boolean;
}

/** Time series of the run (step functions, one point per change). */
export interface DisaggSeries {
  /** Bricks powered. */
  readonly bricksPowered: TimeSeriesJSON;
  /** Total power, watts. */
  readonly powerWatts: TimeSeriesJSON;
  /** Share of cores allocated. */
  readonly cores: TimeSeriesJSON;
  /** Share of memory allocated. */
  readonly memory: TimeSeriesJSON;
  /** Running VMs. */
  readonly vms: TimeSeriesJSON;
}

/** The result of a run. */
export interface DisaggResult {
  /** The figures. */
  readonly summary: DisaggSummary;
  /** Per VM, in arrival order. */
  readonly vms: readonly VmOutcome[];
  /** Migrations in the order they were decided. */
  readonly migrations: readonly MigrationRecord[];
  /** Time series; `null` when not recorded. */
  readonly series: DisaggSeries | null;
}
