/**
 * A VM's CPU load as an activity on a host's CPU resource of `@vx/core`'s `FluidSystem`, so that
 * CPU contention, throttling and suspension change how much work it executes, and with it how
 * much memory a CPU-coupled guest dirties (as in SimGrid, where a VM is a task on its host's CPU).
 *
 * @module
 */
import { type ActivityStatus, type FluidSink, FluidSystem, type Resource, VxError } from "@vx/core";

/** Options of {@link GuestCpu}. */
export interface GuestCpuOptions {
  /** The host's CPU resource (capacity: cores × core speed, in operations per second). */
  readonly host: Resource;
  /** Speed of one core in operations per second (> 0), e.g. SimGrid's host `speed` in flop/s. */
  readonly coreSpeed: number;
  /** Virtual CPUs (integer ≥ 1). Default 1. */
  readonly vcpus?: number;
  /** Share of its vCPUs the guest's load wants, in (0, 1]. Default 1 (CPU-bound). */
  readonly demand?: number;
  /** A label. Default `"guest"`. */
  readonly name?: string;
}

/**
 * A guest's CPU load running on a host CPU resource: an open-ended fluid activity (it never
 * completes and keeps no event in the simulation's queue) bounded by
 * `vcpus × coreSpeed × demand × (1 − throttle)`, sharing the host max-min fairly with the other
 * guests.
 *
 * Use one per VM whose CPU matters (CPU-coupled dirtying, auto-converge, contention with
 * co-located VMs) and pass it to {@link startMigration}, which suspends it during the downtime,
 * throttles it for auto-converge and moves it to the destination.
 *
 * @example
 * ```ts
 * const cpu = fluid.resource({ name: "h0.cpu", capacity: 32 * 1e9 });
 * const guest = new GuestCpu(fluid, { host: cpu, coreSpeed: 1e9, vcpus: 1 });
 * sim.run({ until: 10 });
 * guest.work; // 1e10 operations: one core for 10 s
 * ```
 */
export class GuestCpu implements FluidSink {
  /** The fluid system it runs on. */
  readonly fluid: FluidSystem;
  /** Core speed in operations per second. */
  readonly coreSpeed: number;
  /** Virtual CPUs. */
  readonly vcpus: number;
  /** Share of its vCPUs the load wants. */
  readonly demand: number;
  /** A label. */
  readonly name: string;
  private _host: Resource;
  /**
   * Starts as NaN, then 0, so that it is a double from the start (see `done`): auto-converge's
   * fractions then change no layout, and the bound computed from it is a double whether or not
   * it is integral, as the bounds of transfers on the same fluid system are (code that V8
   * optimised for integral bounds would be discarded at the first fractional one).
   */
  private _throttle: number = Number.NaN;
  private _suspended = false;
  private _stopped = false;
  private _failed = false;
  /**
   * Operations executed by the load's earlier activities (before a suspension or a move). Starts
   * as NaN, then 0: V8 then lays it out as a double from the start (see `Session` in
   * `internal/session.ts`).
   */
  private done: number = Number.NaN;
  /** The load's fluid activity (no object: this guest is its sink); -1 when none, -2 starting. */
  private slot = -1;

  /**
   * Starts the load now.
   *
   * @param fluid - the fluid system of the host's CPU resource.
   * @param options - host, core speed, vCPUs, demand.
   * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for a `fluid` that is not a
   * `FluidSystem`, a host that is not a resource of it, a core speed ≤ 0, a vCPU count that is
   * not an integer ≥ 1, or a demand outside (0, 1].
   */
  constructor(fluid: FluidSystem, options: GuestCpuOptions) {
    const vcpus = options.vcpus ?? 1;
    const demand = options.demand ?? 1;
    if (!(fluid instanceof FluidSystem)) throw bad("fluid", "expected a FluidSystem");
    if (!fluid._owns(options.host)) {
      throw bad("host", "expected a CPU resource of the same fluid system");
    }
    if (!(options.coreSpeed > 0 && Number.isFinite(options.coreSpeed))) {
      throw bad("coreSpeed", `expected a core speed > 0, got ${String(options.coreSpeed)}`);
    }
    if (!(Number.isInteger(vcpus) && vcpus >= 1)) {
      throw bad("vcpus", `expected an integer ≥ 1, got ${String(vcpus)}`);
    }
    if (!(demand > 0 && demand <= 1)) {
      throw bad("demand", `expected a share in (0, 1], got ${String(demand)}`);
    }
    this.done = this._throttle = 0;
    this.fluid = fluid;
    this.coreSpeed = options.coreSpeed;
    this.vcpus = vcpus;
    this.demand = demand;
    this.name = options.name ?? "guest";
    this._host = options.host;
    this.launch();
  }

  /** The host CPU resource it runs on (or last ran on). */
  get host(): Resource {
    return this._host;
  }

  /** Current CPU throttle, a fraction in [0, 1). */
  get throttle(): number {
    return this._throttle;
  }

  /** True while it executes (not suspended, stopped or failed). */
  get running(): boolean {
    return this.slot >= 0;
  }

  /** True if its host's CPU failed (capacity 0) under it. */
  get failed(): boolean {
    return this._failed;
  }

  /** Operations executed since it started (exact at the current time). */
  get work(): number {
    const slot = this.slot;
    return slot < 0 ? this.done : this.done + this.fluid._done(slot);
  }

  /** Operations per second now (0 while suspended). */
  get rate(): number {
    return this.slot < 0 ? 0 : this.fluid._rate(this.slot);
  }

  /** The most it may execute per second now: vcpus × coreSpeed × demand × (1 − throttle). */
  get bound(): number {
    return this.vcpus * this.coreSpeed * this.demand * (1 - this._throttle);
  }

  /**
   * Throttles the guest (QEMU's `cpu-throttle`): it executes at most `1 − fraction` of its demand.
   *
   * @param fraction - in [0, 1).
   * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` outside [0, 1).
   */
  setThrottle(fraction: number): void {
    if (!(fraction >= 0 && fraction < 1)) {
      throw bad("throttle", `expected a fraction in [0, 1), got ${String(fraction)}`);
    }
    if (fraction === this._throttle) return;
    this._throttle = fraction;
    // The running load keeps its work done and changes its cap in place (no restart).
    if (this.slot >= 0) this.fluid._setBound(this.slot, this.bound);
  }

  /** Stops executing (the VM is paused); {@link GuestCpu.resume} continues. */
  suspend(): void {
    this._suspended = true;
    this.halt();
  }

  /**
   * Continues executing, on `host` if given (after a migration).
   *
   * @param host - the CPU resource to run on from now on; default the current one.
   * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for a host that is not a resource
   * of the guest's fluid system.
   */
  resume(host?: Resource): void {
    if (host !== undefined && !this.fluid._owns(host)) {
      throw bad("host", "expected a CPU resource of the guest's fluid system");
    }
    if (this._stopped) return;
    if (host !== undefined && host !== this._host) {
      this.halt();
      this._host = host;
    }
    this._suspended = false;
    this._failed = false;
    if (this.slot < 0) this.launch();
  }

  /** Stops for good (the VM is gone). */
  stop(): void {
    this._stopped = true;
    this.halt();
  }

  private launch(): void {
    if (this._stopped || this._suspended) return;
    this.slot = -2;
    const slot = this.fluid._startSinked(
      Number.POSITIVE_INFINITY,
      this._host._alone, // a route of the host alone, shared: no array per guest
      this.bound,
      1,
      0,
      this,
    );
    if (this.slot === -2) this.slot = slot; // (a host at zero capacity fails it at once)
  }

  private halt(): void {
    const slot = this.slot;
    if (slot < 0) return;
    this.done += this.fluid._done(slot);
    this.slot = -1;
    this.fluid._cancel(slot);
  }

  /**
   * The load's activity ended: its host failed (an open-ended load never completes).
   *
   * Low-level engine API (`FluidSink` of `@vx/core`).
   */
  _fluidEnd(
    status: ActivityStatus,
    _remaining: number,
    _resource: string | undefined,
    done: number,
  ): void {
    if (this.slot === -1) return; // cancelled by halt()
    this.slot = -1;
    this.done += done;
    if (status === "failed") this._failed = true;
  }
}

function bad(field: string, message: string): VxError {
  return new VxError("VX_MIGRATION_BAD_OPTIONS", message, { path: [field] });
}
