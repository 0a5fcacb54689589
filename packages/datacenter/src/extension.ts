/**
 * The extension seam of the data-center engine: what idle-VM parking, hypervisor upgrade
 * campaigns and disaggregation plug into. An extension is a few lifecycle hooks; each receives
 * a {@link DatacenterContext} that reads the state of hosts and VMs and acts on the same kernel,
 * network and migration model as the rest of the run.
 *
 * @module
 */

import type { Activity, FluidSystem, RandomStream } from "@vx/core";
import type { Route } from "@vx/migration";
import type { MigrationRecord } from "./result.js";
import type { DatacenterSpec } from "./spec.js";

/** A host, as an extension sees it. */
export interface HostState {
  readonly index: number;
  /** Its type's name in the spec. */
  readonly type: string;
  /** Whether it was on at the last processing (it holds VMs, or with CloudSim's rule, is busy). */
  readonly active: boolean;
  /** False while an extension holds it out of service (no VM is placed on it then). */
  readonly inService: boolean;
  /** The VMs on it: resident, leaving and arriving (reserved), in the host's list order. */
  readonly vms: readonly number[];
  /** The VMs migrating into it (their resources are reserved here). */
  readonly incoming: readonly number[];
  /** CPU utilisation at the last processing (0..1). */
  readonly cpuUtilisation: number;
  /** MIPS in all (cores × per-core MIPS). */
  readonly mips: number;
  /** RAM, bytes, and how much of it no VM holds. */
  readonly ramBytes: number;
  readonly ramFreeBytes: number;
}

/** Where a VM is in its life. */
export type VmLifeState =
  | "running"
  /** Deciding, queued or moving: its destination is reserved. */
  | "migrating"
  /** Suspended by an extension: holds no host resource. */
  | "suspended"
  /** Fitted no host at the start. */
  | "unplaced"
  /** Lost (post-copy failure, a host taken out of service with its VMs). */
  | "lost"
  /** Destroyed by CloudSim's `finishIdleVms` quirk. */
  | "finished";

/** A VM, as an extension sees it. */
export interface VmState {
  readonly index: number;
  /** Its type's name in the spec. */
  readonly type: string;
  readonly state: VmLifeState;
  /** Its host (the source while it migrates), or -1. */
  readonly host: number;
  readonly cores: number;
  /** MIPS at 100 % utilisation (cores × per-core MIPS). */
  readonly mips: number;
  readonly ramBytes: number;
  /** CPU utilisation its workload asks for at the last processing (0..1). */
  readonly utilisation: number;
}

/** Options of {@link DatacenterContext.migrate}. */
export interface ContextMigrateOptions {
  /** Called when the migration ends (completed, cancelled, lost, or unfinished at the end of the run). */
  readonly onEnd?: (record: MigrationRecord) => void;
}

/** Options of {@link DatacenterContext.setInService}. */
export interface InServiceOptions {
  /**
   * Taking a host out of service: `"require-empty"` (default) refuses a host that still holds or
   * receives VMs; `"lose"` loses the VMs on it (resident ones are lost, migrations to or from it
   * fail as that host's failure makes them); `"keep"` drains it: its VMs stay and run (and may
   * leave, by an extension's or consolidation's migrations; migrations into it go on), but no
   * new VM is placed, migrated or resumed onto it, so it empties as its VMs leave.
   */
  readonly vms?: "require-empty" | "lose" | "keep";
}

/** Options of {@link DatacenterNetwork.startFlow}. */
export interface FlowOptions {
  /** Source host. */
  readonly from: number;
  /** Destination host (≠ `from`). */
  readonly to: number;
  /** Bytes to send (> 0). */
  readonly bytes: number;
  /** Rate cap, bytes per second. Default none. */
  readonly bound?: number;
  /** A label. */
  readonly name?: string;
  /** Called when the flow ends (completed, or failed with a link). */
  readonly onEnd?: (activity: Activity) => void;
}

/** The network of the run, for extensions that move bytes of their own. */
export interface DatacenterNetwork {
  /** The fluid system every transfer of the run shares. */
  readonly fluid: FluidSystem;
  /** The route between two hosts (a ≠ b). */
  route(a: number, b: number): Route;
  /** Starts a flow between two hosts, metered in the link utilisation metrics. */
  startFlow(options: FlowOptions): Activity;
}

/**
 * What an extension may read and do during a run. Valid only inside the hooks and the callbacks
 * it schedules. A host or VM index that is not an integer in range throws a
 * {@link @vx/core!VxError} `VX_DC_BAD_HOST` or `VX_DC_BAD_VM` (so check `findHost`'s -1 before
 * passing it on).
 */
export interface DatacenterContext {
  /** The validated spec. */
  readonly spec: DatacenterSpec;
  /** Simulated time, seconds. */
  readonly now: number;
  /**
   * Energy the hosts have drawn so far, joules, as the run accounts it (up to the last
   * processing of the hosts). In `end` it is the run's total: the result's `energyKWh` × 3.6 MJ.
   */
  readonly energyJoules: number;
  /** Number of hosts and VMs. */
  readonly hostCount: number;
  readonly vmCount: number;
  /** A host's state now. */
  host(index: number): HostState;
  /** A VM's state now. */
  vm(index: number): VmState;
  /**
   * Runs `callback` after `delay` seconds on the run's kernel.
   *
   * @returns a function that cancels it.
   */
  schedule(delay: number, callback: (time: number) => void): () => void;
  /**
   * A host with room for a VM now (power-aware best fit, never a host out of service, never
   * overloaded by the VM), or -1.
   *
   * @param vm - the VM.
   * @param exclude - hosts not to consider.
   */
  findHost(vm: number, exclude?: (host: number) => boolean): number;
  /**
   * Starts a migration of a running VM to a host with the spec's migration model, on the shared
   * network and under the concurrency limits (it may queue). The destination is reserved at once.
   *
   * @returns false (and nothing happens) when the VM is not running, is migrating, or is on that
   * host, or the host is out of service or lacks room for it.
   */
  migrate(vm: number, host: number, options?: ContextMigrateOptions): boolean;
  /**
   * Takes a host out of service (no placement onto it, drawn as off once empty) or puts it
   * back. With `{ vms: "keep" }` the host drains (see {@link InServiceOptions.vms}).
   *
   * @throws {@link @vx/core!VxError} `VX_DC_HOST_NOT_EMPTY` when taking out a host that holds or
   * receives VMs with `vms: "require-empty"`.
   */
  setInService(host: number, inService: boolean, options?: InServiceOptions): void;
  /**
   * Suspends a running VM: it releases its CPU and RAM on its host, consumes nothing and is not
   * considered by consolidation until resumed.
   *
   * @returns false when the VM is not running (or is migrating).
   */
  suspendVm(vm: number): boolean;
  /**
   * Resumes a suspended VM on `host`, or on the host {@link DatacenterContext.findHost} picks.
   *
   * @returns the host it now runs on, or -1 when none has room (it stays suspended).
   */
  resumeVm(vm: number, host?: number): number;
  /**
   * The CPU utilisation (0..1) a VM's workload asks for at `time` (default now), whatever the
   * VM's state: suspended VMs included. Workloads are traces known for the whole run, so a time
   * ahead of now is allowed (to schedule the event at which a trace crosses a threshold); models
   * must not use it to decide with knowledge of the future.
   *
   * @throws {@link @vx/core!VxError} `VX_CORE_BAD_DELAY` when `time` is not finite or negative.
   */
  workload(vm: number, time?: number): number;
  /**
   * Keeps a host powered on (drawn as active, at its power for its VMs' load, idle power when it
   * holds none) even when it holds no VM, e.g. for the processes of VMs whose memory was swapped
   * out there. Holds count: the host may switch off once every hold is released.
   *
   * @returns a function that releases this hold (calling it again does nothing).
   */
  holdHost(host: number): () => void;
  /** The network (built on first use). */
  readonly network: DatacenterNetwork;
  /** A seeded random stream of this extension (`extensions/<name>/<stream>`). */
  random(stream: string): RandomStream;
  /** Records a point of a series of this extension (`result.extensions[name].series`). */
  record(series: string, value: number): void;
  /** Sets a metric of this extension (`result.extensions[name].metrics`). */
  metric(name: string, value: number): void;
}

/**
 * An extension of the data-center engine: a name and lifecycle hooks, all optional.
 *
 * @typeParam Output - what `end` returns, under `result.extensions[name].output` (plain JSON).
 * @example
 * ```ts
 * let moved = 0;
 * const drain: DatacenterExtension<{ moved: number }> = {
 *   name: "drain",
 *   start(ctx) {
 *     ctx.schedule(3600, () => {
 *       for (const vm of ctx.host(0).vms) {
 *         const to = ctx.findHost(vm, (h) => h === 0);
 *         if (to >= 0 && ctx.migrate(vm, to)) moved++;
 *       }
 *     });
 *   },
 *   end: () => ({ moved }),
 * };
 * runDatacenter(spec, { extensions: [drain] });
 * ```
 */
export interface DatacenterExtension<Output = unknown> {
  /** Its name: the key of its results in `result.extensions`. */
  readonly name: string;
  /** At t = 0, after the initial placement. */
  start?(ctx: DatacenterContext): void;
  /** After each scheduling round (consolidation decided, migrations started). */
  round?(ctx: DatacenterContext): void;
  /** When any migration ends (the run's or an extension's). */
  migrationEnded?(ctx: DatacenterContext, record: MigrationRecord): void;
  /** At the end of the run; what it returns is stored as the extension's output. */
  end?(ctx: DatacenterContext): Output;
}

/** What an extension contributes to the result. */
export interface ExtensionResult {
  /** What its `end` hook returned (`null` without one). */
  readonly output: unknown;
  /** Series it recorded: times and values. */
  readonly series: Readonly<
    Record<string, { readonly time: readonly number[]; readonly value: readonly number[] }>
  >;
  /** Metrics it set. */
  readonly metrics: Readonly<Record<string, number>>;
}
