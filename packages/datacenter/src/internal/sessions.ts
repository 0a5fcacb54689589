/**
 * Real migrations in the data center: each one an `@vx/migration` session on the route between
 * its hosts in the run's fluid network, its dirtying coupled to the CPU the VM executes (a
 * `GuestCpu` on a private CPU resource whose capacity follows the VM's allocation on its host,
 * step by step), so auto-converge throttling and the downtime show as CPU the VM did not get.
 *
 * @internal
 */

import type { FluidSystem, Resource, Simulation } from "@vx/core";
import {
  GuestCpu,
  type Migration,
  type MigrationOptions,
  type MigrationPlan,
  type MigrationResult,
  prepareMigration,
  startMigration,
  type VmOptions,
} from "@vx/migration";
import { MIGRATION_MODELS, type MigrationSpec } from "../migration-models.js";
import type { VmTypeSpec } from "../spec.js";
import type { Topology } from "./topology.js";
import type { World } from "./world.js";

/** A migration speed no link reaches: SimGrid's "no cap" as a finite rate. */
const UNCAPPED = 1e15;

/** The smallest capacity of a VM's CPU resource, as a share of its MIPS (0 would fail its load). */
const CPU_FLOOR = 1e-9;

/** What the engine learns when a session ends. */
export interface SessionEnd {
  readonly result: MigrationResult;
  /** MIPS·s the VM was allocated but did not execute during the migration (downtime, throttle). */
  readonly lostMipsSeconds: number;
}

interface Running {
  readonly record: number;
  readonly migration: Migration;
  readonly cpu: GuestCpu;
  readonly resource: Resource;
  capacity: number;
  since: number;
  expected: number;
}

/**
 * The `@vx/migration` options of a VM type under a migration spec.
 *
 * @param spec - the spec's `migration` (not `cloudsim`).
 * @param type - the VM type.
 * @returns the VM and migration options of its plan.
 */
export function sessionOptions(
  spec: MigrationSpec,
  type: VmTypeSpec,
): { readonly vm: VmOptions; readonly options: MigrationOptions } {
  const vm: VmOptions = {
    ram: type.ram,
    vcpus: type.cores,
    dirty:
      type.dirtyRate > 0
        ? {
            model: "cpu-coupled",
            intensity: 1,
            speedCap: type.dirtyRate,
            workingSetCap: type.workingSet,
          }
        : { model: "none" },
  };
  const strategy = MIGRATION_MODELS[spec.model].strategy;
  if (strategy === undefined || spec.model === "cloudsim") {
    throw new Error("the cloudsim model has no session");
  }
  const limits = { maxTime: spec.completionTimeoutPerGiB * (type.ram / 2 ** 30) };
  const base = { strategy, limits, series: false } as const;
  switch (spec.model) {
    case "precopy":
      return {
        vm,
        options: {
          ...base,
          qemu: {
            downtimeLimit: spec.downtimeLimit,
            maxBandwidth: spec.maxBandwidth,
            autoConverge: spec.autoConverge,
            multifd: spec.multifd,
            multifdChannels: spec.multifdChannels,
            xbzrle: spec.xbzrle,
            xbzrleCacheSize: spec.xbzrleCacheSize,
          },
        },
      };
    case "precopy-simgrid":
      return {
        vm,
        options: {
          ...base,
          simgrid: {
            speedCap: spec.maxBandwidth === "unlimited" ? UNCAPPED : spec.maxBandwidth,
            maxDowntime: spec.maxDowntime,
          },
        },
      };
    case "postcopy":
      return {
        vm,
        options: {
          ...base,
          postcopy: {
            recovery: spec.recovery,
            ...(spec.maxBandwidth === "unlimited" ? {} : { maxBandwidth: spec.maxBandwidth }),
          },
        },
      };
    case "hybrid":
      return {
        vm,
        options: {
          ...base,
          qemu: { downtimeLimit: spec.downtimeLimit, maxBandwidth: spec.maxBandwidth },
          hybrid: { precopyRounds: spec.precopyRounds },
          postcopy: { recovery: spec.recovery },
        },
      };
  }
}

/** Runs the real migrations of a data center. */
export class SessionDriver {
  private readonly sim: Simulation;
  private readonly fluid: FluidSystem;
  private readonly world: World;
  private readonly net: Topology;
  private readonly plans: (MigrationPlan | undefined)[];
  private readonly spec: MigrationSpec;
  private readonly types: readonly VmTypeSpec[];
  private readonly cpus: (Resource | undefined)[];
  private readonly running: Map<number, Running> = new Map();
  private readonly onEnd: (record: number, end: SessionEnd) => void;

  constructor(options: {
    readonly sim: Simulation;
    readonly world: World;
    readonly net: Topology;
    readonly spec: MigrationSpec;
    readonly types: readonly VmTypeSpec[];
    readonly onEnd: (record: number, end: SessionEnd) => void;
  }) {
    this.sim = options.sim;
    this.world = options.world;
    this.net = options.net;
    this.fluid = options.net.fluid;
    this.spec = options.spec;
    this.types = options.types;
    this.plans = new Array<MigrationPlan | undefined>(options.types.length).fill(undefined);
    this.cpus = new Array<Resource | undefined>(options.world.vms).fill(undefined);
    this.onEnd = options.onEnd;
  }

  private plan(type: number): MigrationPlan {
    let p = this.plans[type];
    if (p === undefined) {
      const { vm, options } = sessionOptions(this.spec, this.types[type] as VmTypeSpec);
      p = prepareMigration(vm, options);
      this.plans[type] = p;
    }
    return p;
  }

  private cpuCapacity(vm: number): number {
    const w = this.world;
    const floor = CPU_FLOOR * (w.vmMips[vm] as number);
    const alloc = w.vmAlloc[vm] as number;
    return alloc > floor ? alloc : floor;
  }

  /** Starts migrating `vm` from `from` to `to` now, as log record `record`. */
  start(record: number, vm: number, from: number, to: number): void {
    const w = this.world;
    const now = this.sim.now;
    const capacity = this.cpuCapacity(vm);
    let resource = this.cpus[vm];
    if (resource === undefined) {
      resource = this.fluid.resource({ name: `vm${vm}.cpu`, capacity });
      this.cpus[vm] = resource;
    } else {
      this.fluid.setCapacity(resource, capacity);
    }
    const cpu = new GuestCpu(this.fluid, {
      host: resource,
      coreSpeed: w.vmMipsPerCore[vm] as number,
      vcpus: w.vmCores[vm] as number,
      name: `vm${vm}`,
    });
    const state: { running: Running | undefined } = { running: undefined };
    const migration = startMigration(
      { sim: this.sim, fluid: this.fluid },
      this.plan(w.vmType[vm] as number),
      {
        route: this.net.route(from, to),
        name: `vm${vm}`,
        cpu,
        onEnd: (result) => {
          const r = state.running;
          if (r !== undefined) this.ended(vm, r, result);
        },
      },
    );
    const running: Running = {
      record,
      migration,
      cpu,
      resource,
      capacity,
      since: now,
      expected: 0,
    };
    state.running = running;
    this.running.set(vm, running);
    // An instantaneous end (a zero-byte VM) has already happened.
    const r = migration.result;
    if (r !== undefined) this.ended(vm, running, r);
  }

  private ended(vm: number, r: Running, result: MigrationResult): void {
    if (this.running.get(vm) !== r) return;
    this.running.delete(vm);
    const now = this.sim.now;
    r.expected += r.capacity * (now - r.since);
    const lost = r.expected - r.cpu.work;
    r.cpu.stop();
    this.onEnd(r.record, { result, lostMipsSeconds: lost > 0 ? lost : 0 });
  }

  /** The VM's allocation changed (a processing): its CPU resource follows it. */
  update(vm: number): void {
    const r = this.running.get(vm);
    if (r === undefined) return;
    const capacity = this.cpuCapacity(vm);
    if (capacity === r.capacity) return;
    const now = this.sim.now;
    r.expected += r.capacity * (now - r.since);
    r.since = now;
    r.capacity = capacity;
    this.fluid.setCapacity(r.resource, capacity);
  }

  /** The VMs migrating now. */
  get active(): IterableIterator<number> {
    return this.running.keys();
  }

  /** Fails the migration of `vm` as `target`'s failure makes it (see `Migration.fail`). */
  fail(vm: number, target: "source" | "destination"): void {
    this.running.get(vm)?.migration.fail(target);
  }

  /** Log records of the migrations still running. */
  unfinished(): number[] {
    const out: number[] = [];
    for (const r of this.running.values()) out.push(r.record);
    return out;
  }
}
