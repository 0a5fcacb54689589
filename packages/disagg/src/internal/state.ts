/**
 * The rack engine's per-VM, per-region and per-plan state (internal).
 *
 * @module
 */

import type { Activity } from "@vx/core";
import type { MigrationRecord, RejectReason } from "../result.js";
import type { SharedRegionSpec, VmRequest } from "../workload.js";
import { type BufferPool, IdSet, NumList } from "./sets.js";
import type { PairFlow } from "./traffic.js";

/** Where a VM is in its life. */
export type VmStatus = "waiting" | "running" | "departed" | "rejected";

/** A migration under way. */
export interface MigrationState {
  readonly kind: "compute" | "memory";
  readonly record: MutableMigration;
  /** Compute: the destination; memory: the destination holder. */
  readonly to: number;
  /** Compute: targets of the new brick (circuits opened from it). */
  newTargets: Map<number, number> | undefined;
  /** Circuits opened only for the transfer, as pairs. */
  readonly temp: [number, number][];
  /** Memory: sections reserved on the destination, in copy order. */
  readonly reserved: number[];
  /** Memory: indices in `vm.sections` of the sections to move, in copy order. */
  readonly moving: number[];
  next: number;
  activity: Activity | undefined;
  handle: number;
}

/** A migration record, filled in as it goes. */
export interface MutableMigration {
  vm: string;
  kind: "compute" | "memory";
  outcome: MigrationRecord["outcome"];
  from: string | null;
  to: string | null;
  startSeconds: number;
  timeSeconds: number | null;
  downtimeSeconds: number;
  bytes: number;
  sections: number;
}

/** A VM's state in the rack. */
export class VmState {
  status: VmStatus = "waiting";
  rejectReason: RejectReason | null = null;
  compute = -1;
  /** Section ids it uses. */
  readonly sections: NumList;
  /** Sections per holder. */
  readonly holderCount: Map<number, number> = new Map<number, number>();
  /** Circuit reasons per target brick (circuits join `compute` and each key). */
  targets: Map<number, number> = new Map<number, number>();
  /** Device brick per device demand. */
  devices: number[] = [];
  /** Regions it is attached to. */
  readonly regions: number[] = [];
  /** Shared-region factor per region. */
  readonly sharedFactor: Map<number, number> = new Map<number, number>();
  cpuUtilisation: number;
  requestedBytes: number;
  /** Its memory traffic: the pairs it loads and how much on each (parallel lists). */
  readonly memPairs: PairFlow[] = [];
  readonly memAmounts: number[] = [];
  /** Its device traffic, likewise. */
  readonly ioPairs: PairFlow[] = [];
  readonly ioAmounts: number[] = [];
  latencySlowdown = 1;
  slowdown = 1;
  maxSlowdown = 1;
  slowdownAcc = 0;
  ioFraction = 1;
  ioCap = 1;
  ioAcc = 0;
  endSections = 0;
  endRemote = 0;
  lastT = 0;
  startT = 0;
  endT = 0;
  assemblySeconds: number | null = null;
  ioLatencySeconds: number | null = null;
  hotplugsDone = 0;
  hotplugsFailed = 0;
  migration: MigrationState | undefined = undefined;
  pendingResize: number | undefined = undefined;
  /**
   * @param index - its index in the engine.
   * @param req - its request.
   * @param pool - arrays for its section list.
   */
  constructor(
    readonly index: number,
    readonly req: VmRequest,
    pool?: BufferPool,
  ) {
    this.sections = new NumList(8, pool);
    this.cpuUtilisation = req.cpuUtilisation;
    this.requestedBytes = req.memoryBytes;
  }
}

/** A shared region's state. */
export class RegionState {
  readonly sections: number[] = [];
  readonly holderCount: Map<number, number> = new Map<number, number>();
  home = -1;
  readonly users: Set<number> = new Set<number>();
  peakAccessors = 0;
  allocatedSections = 0;
  peakUtilisation = 0;
  saturated = false;
  constructor(
    readonly index: number,
    readonly spec: SharedRegionSpec,
  ) {}
}

/**
 * A plan for taking sections, devices and circuits from one compute brick. One plan is reused
 * for every try (per-brick tallies in typed arrays, work sets that clear without allocating).
 */
export class Plan {
  /** (holder, sections) pairs for the VM. */
  readonly takes: number[] = [];
  /** Per region to allocate: (holder, sections) pairs. */
  readonly regionTakes: Map<number, number[]> = new Map<number, number[]>();
  /** Device brick per device demand. */
  readonly devices: number[] = [];
  /** Targets that need a new circuit from the compute brick. */
  readonly newTargets: IdSet;
  portBlocked = false;
  compute = -1;
  private readonly tallied: IdSet;
  private readonly sectionTally: Float64Array;
  private readonly unitTally: Float64Array;

  /** @param bricks - bricks in the rack. */
  constructor(bricks: number) {
    this.newTargets = new IdSet(bricks);
    this.tallied = new IdSet(bricks);
    this.sectionTally = new Float64Array(bricks);
    this.unitTally = new Float64Array(bricks);
  }

  /** Sections planned on a brick so far. */
  planned(b: number): number {
    return this.tallied.has(b) ? this.sectionTally[b]! : 0;
  }

  /** Units planned on a device brick so far. */
  units(b: number): number {
    return this.tallied.has(b) ? this.unitTally[b]! : 0;
  }

  /** Adds to the sections and units planned on a brick. */
  tally(b: number, sections: number, units: number): void {
    if (this.tallied.add(b)) {
      this.sectionTally[b] = 0;
      this.unitTally[b] = 0;
    }
    this.sectionTally[b]! += sections;
    this.unitTally[b]! += units;
  }

  /** Empties the plan for another compute brick. */
  reset(compute: number): this {
    this.compute = compute;
    this.takes.length = 0;
    if (this.regionTakes.size > 0) this.regionTakes.clear();
    this.devices.length = 0;
    this.newTargets.clear();
    this.tallied.clear();
    this.portBlocked = false;
    return this;
  }
}
