/**
 * Fluid resource sharing: resources with a capacity (a link, a set of CPU cores, a memory
 * controller) shared max-min fairly by activities (a transfer over a route, a computation), each an
 * amount of work with an optional rate bound and a weight.
 *
 * Rates are recomputed incrementally: a change (an activity starting or ending, a capacity
 * changing, an activity's bound or weight changing in place as with SimGrid's
 * `s4u::Activity::set_bound`) re-solves only the region it can affect, found by growing the region
 * until every activity outside it still satisfies the max-min bottleneck condition (Bertsekas &
 * Gallager, *Data Networks*, 2nd ed., §6.5.2: an allocation is max-min fair iff every flow crosses a
 * saturated link on which no other flow gets more). Cost grows with the number of changes and the size of the
 * region they touch, never with the bytes moved or the size of the whole system. The model is the
 * one SimGrid validated for TCP-like sharing (Velho et al., ACM TOMACS 23(4), 2013) without its
 * TCP-specific corrections, which belong in the network models that use it.
 *
 * @module
 */

import { VxError, type VxPath } from "./errors.js";
import { MinHeap } from "./internal/min-heap.js";
import { Awaitable, type Simulation } from "./kernel.js";

/** How an activity ended. */
export type ActivityStatus = "completed" | "failed" | "cancelled";

/** The outcome an activity resolves with; activities never throw. */
export interface ActivityOutcome {
  /** `completed`: all work done; `failed`: a resource it crossed dropped to zero capacity; `cancelled`: its owner cancelled it. */
  readonly status: ActivityStatus;
  /** Simulated time it ended, in seconds. */
  readonly time: number;
  /** Work left when it ended (0 when completed). */
  readonly remaining: number;
  /** For `failed`: the name of the resource that failed. */
  readonly resource?: string;
}

/** Options of {@link FluidSystem.resource}. */
export interface ResourceOptions {
  /** A label for results and errors. Default `resource-<id>`. */
  readonly name?: string;
  /** Work per second it serves in total (bytes/s for a link, operations/s for CPUs); ≥ 0. */
  readonly capacity: number;
}

/** Options of {@link FluidSystem.start}. */
export interface ActivityOptions {
  /**
   * Work to do: bytes to transfer, operations to compute; ≥ 0. `Infinity` makes it open-ended:
   * it runs at its share until it is cancelled or a resource it crosses fails, never completes,
   * and keeps no event in the simulation's queue (a VM's CPU load, a constant background flow).
   */
  readonly amount: number;
  /** The resources it crosses, all at the same rate (a route); may be empty if `bound` is set. */
  readonly resources: readonly Resource[];
  /** Maximum rate (work per second), e.g. a migration's bandwidth cap or one core's speed. Default unbounded. */
  readonly bound?: number;
  /** Share relative to others on the same bottleneck (max-min with weights): rate = weight × level. Default 1. */
  readonly weight?: number;
  /** Seconds before the work starts flowing (a route's latency). Default 0. */
  readonly latency?: number;
  /** A label. Default `activity-<id>`. */
  readonly name?: string;
  /** Called synchronously when it ends (the hot-path alternative to waiting on it). */
  readonly onEnd?: (activity: Activity) => void;
}

/**
 * Receives the end of an activity started without an {@link Activity} object
 * (`FluidSystem._startSinked`): what an engine running thousands of transfers implements.
 *
 * Low-level engine API, used by `@vx/migration`: stable within a minor version.
 */
export interface FluidSink {
  /**
   * Called synchronously when the activity ends; `remaining` is 0 when completed (`Infinity` for
   * an open-ended one), `done` the work it did.
   */
  _fluidEnd(
    status: ActivityStatus,
    remaining: number,
    resource: string | undefined,
    done: number,
  ): void;
}

/** Options of {@link FluidSystem}. */
export interface FluidOptions {
  /**
   * Relative tolerance of the max-min checks (saturation and equal shares). Default 1e-9: far
   * above float rounding, far below any effect on results.
   */
  readonly tolerance?: number;
}

/** A resource with a capacity, shared max-min fairly by the activities crossing it. */
export class Resource {
  /** Dense index in its system. */
  readonly id: number;
  /** A label for results. */
  readonly name: string;
  /** @internal */
  readonly _system: FluidSystem;
  /**
   * A route of this resource alone, one array shared by every activity that crosses only it (a
   * guest's CPU load), so that starting one allocates no route. Never modify it.
   *
   * Low-level engine API (used by `@vx/migration`).
   */
  readonly _alone: readonly Resource[];

  /** @internal */
  constructor(system: FluidSystem, id: number, name: string) {
    this._system = system;
    this.id = id;
    this.name = name;
    this._alone = [this];
  }

  /** Capacity in work per second. */
  get capacity(): number {
    return this._system._capacity(this.id);
  }

  /** Sum of the rates of the activities crossing it, as of the last settled instant. */
  get load(): number {
    return this._system._load(this.id);
  }

  /** `load / capacity` (0 for a zero-capacity resource). */
  get utilisation(): number {
    const c = this.capacity;
    return c > 0 ? this.load / c : 0;
  }

  /** Activities crossing it now. */
  get activityCount(): number {
    return this._system._count(this.id);
  }
}

/**
 * An amount of work crossing one or more resources. Wait on it in a process
 * (`const outcome = yield* activity`) or pass `onEnd`.
 */
export class Activity extends Awaitable<ActivityOutcome> {
  /** Sequence number in its system (unique, increasing). */
  readonly id: number;
  /** A label. */
  readonly name: string;
  /** Work it was started with. */
  readonly amount: number;
  /** When it was started. */
  readonly startTime: number;
  /** @internal slot in the system's arrays, -1 once ended */
  _slot: number;
  /** @internal */
  readonly _system: FluidSystem;
  /** @internal */
  _onEnd: ((activity: Activity) => void) | undefined;
  /** @internal work done, once ended (NaN before) */
  _done: number = Number.NaN;

  /** @internal */
  constructor(
    system: FluidSystem,
    id: number,
    slot: number,
    name: string,
    amount: number,
    onEnd: ((activity: Activity) => void) | undefined,
  ) {
    super(system.sim);
    this._system = system;
    this.id = id;
    this._slot = slot;
    this.name = name;
    this.amount = amount;
    this.startTime = system.sim.now;
    this._onEnd = onEnd;
  }

  /** Current rate in work per second (0 before its latency elapsed and after it ended). */
  get rate(): number {
    return this._slot < 0 ? 0 : this._system._rate(this._slot);
  }

  /** Work left now. */
  get remaining(): number {
    if (this._slot < 0) return this._value?.remaining ?? 0;
    return this._system._remaining(this._slot);
  }

  /** Work done so far (for an open-ended activity, the measure of its progress). */
  get workDone(): number {
    if (this._slot < 0) return this._done;
    return this._system._done(this._slot);
  }

  /** When it ended (NaN while running). */
  get endTime(): number {
    const outcome = this._value;
    return outcome === undefined ? Number.NaN : outcome.time;
  }

  /** The outcome, once ended. */
  get outcome(): ActivityOutcome | undefined {
    return this._value;
  }

  /** Its rate bound in work per second (`Infinity` when unbounded); NaN once it has ended. */
  get bound(): number {
    return this._slot < 0 ? Number.NaN : this._system._bound(this._slot);
  }

  /** Its weight on a shared bottleneck; NaN once it has ended. */
  get weight(): number {
    return this._slot < 0 ? Number.NaN : this._system._weight(this._slot);
  }

  /**
   * Changes its rate bound now, in place (SimGrid's `s4u::Activity::set_bound`): the work done so
   * far is kept, the rates of the activities the change can reach are re-solved at the end of
   * the instant, and its completion moves with its new rate. Use it for a rate cap that changes
   * while the work runs (QEMU's `max-bandwidth` set on a running migration, a CPU throttle)
   * instead of cancelling and starting a new activity.
   *
   * Raising the bound of an activity held back by a saturated resource, or lowering it to a value
   * still above its rate, changes no rate and re-solves nothing.
   *
   * @param bound - the new bound, > 0; `Infinity` removes it (not allowed for an activity that
   * crosses no resource).
   * @returns false if it had already ended (nothing changes).
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` (path `["bound"]`) for a bound ≤ 0 or NaN,
   * or `Infinity` on an activity without resources.
   * @example
   * ```ts
   * const a = fluid.start({ amount: 10, resources: [link] }); // 10 units on a 10/s link
   * sim.schedule(0.5, () => a.setBound(2.5)); // 5 left at 2.5/s: ends at 2.5 s
   * ```
   */
  setBound(bound: number): boolean {
    if (this._slot < 0) return false;
    this._system._setBound(this._slot, bound);
    return true;
  }

  /**
   * Changes its weight now, in place: its share on a bottleneck becomes `weight × level`; the
   * rates the change can reach are re-solved at the end of the instant.
   *
   * @param weight - the new weight, a finite number > 0.
   * @returns false if it had already ended (nothing changes).
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` (path `["weight"]`) for a weight that is
   * not a finite number > 0.
   * @example
   * ```ts
   * a.setWeight(3); // now takes three shares of its bottleneck for every one of a weight-1 peer
   * ```
   */
  setWeight(weight: number): boolean {
    if (this._slot < 0) return false;
    this._system._setWeight(this._slot, weight);
    return true;
  }

  /**
   * Stops it now; its outcome is `cancelled` and the capacity it held is shared out again.
   *
   * @returns false if it had already ended.
   */
  cancel(): boolean {
    if (this._slot < 0) return false;
    this._system._end(this._slot, "cancelled", undefined);
    return true;
  }
}

// Offsets in an activity's record.
const A_RATE = 0;
const A_NEW = 1;
const A_WEIGHT = 2;
const A_BOUND = 3;
const A_IN_S = 4;
const A_FIXED = 5;
const A_BOTTLENECK = 6;
const A_REMAINING = 7;
// Offsets in a resource's record. R_MAX (verify) reuses R_REM (fill): fill recomputes it first.
const R_CAP = 0;
const R_LOAD = 1;
const R_TOP = 2;
const R_IN_SUB = 3;
const R_IN_REGION = 4;
const R_REM = 5;
const R_MAX = 5;
const R_WSUM = 6;
const R_NEW_LOAD = 7;

const FREE = 0;
const LATENT = 1;
const ACTIVE = 2;

/**
 * Resources and the activities sharing them, driven by a {@link Simulation}.
 *
 * @example
 * ```ts
 * const sim = new Simulation();
 * const fluid = new FluidSystem(sim);
 * const uplink = fluid.resource({ name: "uplink", capacity: Gbps(1) });
 * const a = fluid.start({ amount: MB(100), resources: [uplink] });
 * const b = fluid.start({ amount: MB(50), resources: [uplink] });
 * sim.run(); // b ends at 0.8 s (500 Mbit/s each), a at 1.2 s (alone at 1 Gbit/s)
 * ```
 */
export class FluidSystem {
  /** The simulation whose clock and queue it uses. */
  readonly sim: Simulation;
  private readonly tol: number;

  // Resources.
  private resources: Resource[] = [];
  private R: Float64Array<ArrayBuffer> = new Float64Array(8 * 64);
  private resFlows: number[][] = [];
  private resDirty = new Int32Array(64);
  /** Per resource: the mark of the last route checked for duplicates that listed it. */
  private resMark = new Int32Array(64);
  private markStamp = 1;

  // Activities, by slot: an Activity, or a sink for the activities started without one.
  private acts: (Activity | undefined)[] = [];
  private sinks: (FluidSink | undefined)[] = [];
  /**
   * The solver's hot data, one 64-byte record per activity slot (A) and per resource (R), so a
   * visit costs one cache line. Offsets: see the `A_*` and `R_*` constants.
   */
  private A: Float64Array<ArrayBuffer> = new Float64Array(8 * 64);
  private actState = new Uint8Array(64);
  private actLast = new Float64Array(64);
  private actHandle = new Float64Array(64);
  /** Work each slot's activity started with (`Infinity`: open-ended). */
  private actAmount = new Float64Array(64);
  /** Open-ended activities: work done up to `actLast` (finite ones: amount − remaining). */
  private actDone = new Float64Array(64);
  /**
   * Routes of all slots in one store: slot s's route (resource ids) is `routeStore[actOff[s] ..
   * actOff[s] + actLen[s])`, and `posStore` at the same indices holds the activity's position in
   * each of those resources' lists. A slot keeps its segment (`actCap[s]` entries) for the next
   * activity that reuses it, so starting an activity allocates nothing once slots are warm.
   */
  private routeStore = new Int32Array(256);
  private posStore = new Int32Array(256);
  private routeTop = 0;
  private actOff = new Int32Array(64);
  private actCap = new Int32Array(64);
  private actLen = new Int32Array(64);
  private scratch = new Int32Array(8);
  /**
   * The slot of the sinked activity whose sink is being told it completed, kept on its resources
   * for the sink's next activity on the same route (see `restart`); -1 otherwise.
   */
  private ending = -1;
  private freeSlots: number[] = [];
  private slotCount = 0;
  private nextId = 0;
  private activeCount = 0;

  // Settling.
  private dirty: number[] = [];
  private spareDirty: number[] = [];
  private dirtyEpoch = 1;
  private settleScheduled = false;
  private epoch = 0;
  private readonly heap = new MinHeap();
  private region: number[] = [];
  private sub: number[] = [];
  private members: number[] = [];
  private recomputes = 0;
  private regionFlowTotal = 0;

  private readonly completeCb = (slot: number): void => this.complete(slot);
  private readonly enterCb = (slot: number): void => this.enter(slot);
  private readonly settleCb = (): void => this.settle();

  /**
   * @param sim - the simulation that drives it.
   * @param options - solver tolerance.
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` for a tolerance outside (0, 1e-3].
   */
  constructor(sim: Simulation, options: FluidOptions = {}) {
    this.sim = sim;
    const tol = options.tolerance ?? 1e-9;
    if (!(tol > 0 && tol <= 1e-3)) {
      throw new VxError("VX_CORE_INVALID_ARGUMENT", "tolerance must be in (0, 1e-3].", {
        path: ["tolerance"],
      });
    }
    this.tol = tol;
  }

  /** Activities started and not yet ended (including those still in their latency). */
  get activityCount(): number {
    return this.activeCount;
  }

  /** Counters of the solver's work: region solves, and activities re-solved in total. */
  get stats(): { readonly solves: number; readonly activitiesSolved: number } {
    return { solves: this.recomputes, activitiesSolved: this.regionFlowTotal };
  }

  /**
   * Adds a resource.
   *
   * @param options - name and capacity.
   * @returns the resource.
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` for a negative or non-finite capacity.
   */
  resource(options: ResourceOptions): Resource {
    checkCapacity(options.capacity, ["capacity"]);
    const id = this.resources.length;
    if (id === this.resDirty.length) this.growResources();
    const r = new Resource(this, id, options.name ?? `resource-${id}`);
    this.resources.push(r);
    this.R[8 * id + R_CAP] = options.capacity;
    this.resFlows.push([]);
    return r;
  }

  /**
   * Starts an activity now. Its rate is settled at the end of the current instant, together with
   * every other change made at this time.
   *
   * @param options - amount, route, bound, weight, latency.
   * @returns the activity.
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` for a negative amount, a weight ≤ 0, a
   * bound ≤ 0, a resource of another system or listed twice, or no resource and no bound.
   */
  start(options: ActivityOptions): Activity {
    const slot = this.open(
      options.amount,
      options.resources,
      options.bound ?? Number.POSITIVE_INFINITY,
      options.weight ?? 1,
      options.latency ?? 0,
    );
    const id = this.nextId++;
    const activity = new Activity(
      this,
      id,
      slot,
      options.name ?? `activity-${id}`,
      options.amount,
      options.onEnd,
    );
    this.acts[slot] = activity;
    this.launch(slot, options.latency ?? 0);
    return activity;
  }

  /**
   * Starts an activity that has no {@link Activity} object: its end is reported to `sink`. For
   * engines that run thousands of transfers one after another (a migration's rounds) and keep
   * their own state; arguments and checks as for {@link FluidSystem.start}. Use the returned slot
   * with `_remaining`, `_rate`, `_cancel` and `_setBound` until the sink is told it ended, never
   * after. Started from the sink's `_fluidEnd` of a completed activity, on the same route and with
   * no latency, the new activity takes the old one's place and keeps its rate when its bound and
   * weight are the same (no solve; see `restart`).
   *
   * Low-level engine API (used by `@vx/migration`).
   */
  _startSinked(
    amount: number,
    resources: readonly Resource[],
    bound: number,
    weight: number,
    latency: number,
    sink: FluidSink,
  ): number {
    const e = this.ending;
    if (e >= 0 && latency === 0 && amount > 0 && this.sameRoute(e, resources)) {
      return this.restart(e, amount, bound, weight, sink);
    }
    const slot = this.open(amount, resources, bound, weight, latency);
    this.nextId++;
    this.sinks[slot] = sink;
    this.launch(slot, latency);
    return slot;
  }

  /**
   * Starts the next activity of a sink in the slot of the one that just completed (its sink is
   * being told, see `complete`), on the same route, with no latency: a migration's
   * next round, a CPU load's next stretch. The slot stays on its resources' lists, so the flows
   * crossing them are the same as a moment before; with the same bound and weight, the max-min
   * allocation is the same too (it depends on routes, bounds, weights and capacities, not on the
   * work left), and the activity keeps its rate with no solve. A new bound or weight is applied
   * in place, as `_setBound` and `_setWeight` do.
   */
  private restart(
    slot: number,
    amount: number,
    bound: number,
    weight: number,
    sink: FluidSink,
  ): number {
    this.checkArgs(amount, bound, weight, 0, this.actLen[slot]!);
    this.ending = -1;
    this.nextId++;
    this.sinks[slot] = sink;
    const A = this.A;
    A[8 * slot + A_REMAINING] = amount;
    this.actAmount[slot] = amount;
    this.actDone[slot] = 0;
    this.actLast[slot] = this.sim.now;
    // The usual case (a migration's next round) keeps both: no call, no second check.
    if (weight !== A[8 * slot + A_WEIGHT]) this._setWeight(slot, weight);
    if (bound !== A[8 * slot + A_BOUND]) this._setBound(slot, bound);
    // Unless a change now awaits this instant's solve (whose commit schedules it), it ends
    // when its work is done at its rate.
    const off = this.actOff[slot]!;
    const n = this.actLen[slot]!;
    if (this.actHandle[slot]! < 0 && !this.routeDirty(off, n)) {
      const rate = A[8 * slot + A_RATE]!;
      if (rate > 0) {
        if (amount < Number.POSITIVE_INFINITY) {
          this.actHandle[slot] = this.sim.schedule(amount / rate, this.completeCb, slot);
        }
      } else {
        for (let k = 0; k < n; k++) this.markDirty(this.routeStore[off + k]!);
      }
    }
    return slot;
  }

  /** Whether `resources` is the route of `slot`, resource for resource. */
  private sameRoute(slot: number, resources: readonly Resource[]): boolean {
    const n = resources.length;
    if (n !== this.actLen[slot]) return false;
    const off = this.actOff[slot]!;
    for (let k = 0; k < n; k++) {
      const r = resources[k];
      if (!this._owns(r) || r.id !== this.routeStore[off + k]) {
        return false;
      }
    }
    return true;
  }

  /** Low-level engine API: whether `r` is a resource of this system. */
  _owns(r: unknown): r is Resource {
    return r instanceof Resource && r._system === this;
  }

  /** Low-level engine API: cancels a sinked activity (its sink is told, with status `cancelled`). */
  _cancel(slot: number): void {
    this._end(slot, "cancelled", undefined);
  }

  /** Checks an activity's arguments and takes a slot for it (not yet running). */
  private open(
    amount: number,
    resources: readonly Resource[],
    bound: number,
    weight: number,
    latency: number,
  ): number {
    const n = resources.length;
    this.checkArgs(amount, bound, weight, latency, n);
    if (n > this.scratch.length) this.scratch = new Int32Array(2 * n);
    const ids = this.scratch;
    const mark = this.freshMark();
    for (let k = 0; k < n; k++) {
      const r = resources[k]!;
      if (!this._owns(r)) {
        bad("this resource belongs to another FluidSystem (or is not a resource).", [
          "resources",
          k,
        ]);
      }
      // A mark per resource rather than a scan of the ids before it: the same code runs for
      // every resource of every route, so V8's code compiled from one-resource routes (a host's
      // guests) does not give way at the first longer one (a migration's).
      if (this.resMark[r.id] === mark) {
        bad(`resource "${r.name}" is listed twice.`, ["resources", k]);
      }
      this.resMark[r.id] = mark;
      ids[k] = r.id;
    }

    const slot = this.allocSlot();
    // Each slot keeps its segment of the route store for the next activity that reuses it.
    let off = this.actOff[slot]!;
    if (this.actCap[slot]! < n) {
      const cap = n < 2 ? 2 : n;
      off = this.reserveRoute(cap);
      this.actOff[slot] = off;
      this.actCap[slot] = cap;
    }
    const store = this.routeStore;
    for (let k = 0; k < n; k++) store[off + k] = ids[k]!;
    this.actLen[slot] = n;
    const A = this.A;
    A[8 * slot + A_WEIGHT] = weight;
    A[8 * slot + A_BOUND] = bound;
    A[8 * slot + A_REMAINING] = amount;
    this.actAmount[slot] = amount;
    this.actDone[slot] = 0;
    A[8 * slot + A_RATE] = 0;
    A[8 * slot + A_BOTTLENECK] = -1;
    this.actLast[slot] = this.sim.now;
    this.actHandle[slot] = -1;
    this.activeCount++;
    return slot;
  }

  /** A mark no resource carries yet (for one operation's "seen it already" test). */
  private freshMark(): number {
    if (++this.markStamp === 0x3fffffff) {
      this.resMark.fill(0);
      this.markStamp = 1;
    }
    return this.markStamp;
  }

  /** Checks an activity's amount, bound, weight and latency (`n`: resources on its route). */
  private checkArgs(
    amount: number,
    bound: number,
    weight: number,
    latency: number,
    n: number,
  ): void {
    if (!(amount >= 0)) {
      bad(`amount must be a number ≥ 0 (or Infinity), got ${String(amount)}.`, ["amount"]);
    }
    if (!(weight > 0 && weight < Number.POSITIVE_INFINITY)) {
      bad(`weight must be a finite number > 0, got ${String(weight)}.`, ["weight"]);
    }
    if (!(bound > 0)) bad(`bound must be > 0 (or omitted), got ${String(bound)}.`, ["bound"]);
    if (!(latency >= 0 && latency < Number.POSITIVE_INFINITY)) {
      bad(`latency must be a finite number ≥ 0 seconds, got ${String(latency)}.`, ["latency"]);
    }
    if (n === 0 && bound === Number.POSITIVE_INFINITY) {
      bad("an activity needs at least one resource or a finite bound.", ["resources"]);
    }
  }

  /** Lets the work flow now, or after the latency. */
  private launch(slot: number, latency: number): void {
    if (latency > 0) {
      this.actState[slot] = LATENT;
      this.actHandle[slot] = this.sim.schedule(latency, this.enterCb, slot);
    } else {
      this.enter(slot);
    }
  }

  /**
   * Changes a resource's capacity now. A capacity of zero fails every activity crossing it (their
   * outcome is `failed`, naming the resource); activities started on it while it is at zero fail
   * at once.
   *
   * @param resource - the resource.
   * @param capacity - new capacity, ≥ 0.
   * @throws {@link VxError} `VX_CORE_INVALID_ARGUMENT` for a negative or non-finite capacity.
   */
  setCapacity(resource: Resource, capacity: number): void {
    checkCapacity(capacity, ["capacity"]);
    const r = resource.id;
    this.R[8 * r + R_CAP] = capacity;
    if (capacity === 0) {
      const flows = this.resFlows[r]!;
      while (flows.length > 0) this._end(flows[flows.length - 1]!, "failed", resource.name);
    }
    this.markDirty(r);
  }

  // ---- in-place changes of an activity ---------------------------------------------------------

  /** Low-level engine API: see {@link Activity.setBound}. */
  _setBound(slot: number, bound: number): void {
    const n = this.actLen[slot]!;
    if (!(bound > 0))
      bad(`bound must be > 0 (or Infinity for none), got ${String(bound)}.`, ["bound"]);
    if (n === 0 && bound === Number.POSITIVE_INFINITY) {
      bad("an activity that crosses no resource needs a finite bound.", ["bound"]);
    }
    const A = this.A;
    const old = A[8 * slot + A_BOUND]!;
    if (bound === old) return;
    A[8 * slot + A_BOUND] = bound;
    if (this.actState[slot] !== ACTIVE) return; // latent: enter() reads the new bound
    if (n === 0) {
      this.rerate(slot, bound); // runs at its bound alone
      return;
    }
    const off = this.actOff[slot]!;
    const route = this.routeStore;
    if (this.routeDirty(off, n)) return; // re-solved at the end of this instant anyway
    const rate = A[8 * slot + A_RATE]!;
    // Held by a saturated resource (its recorded bottleneck) and still under the new bound: the
    // max-min condition holds for everyone as it is, so nothing changes.
    if (A[8 * slot + A_BOTTLENECK]! >= 0 && bound >= rate) return;
    // At its bound on resources that stay unsaturated either way: it just runs at the new bound.
    if (A[8 * slot + A_BOTTLENECK]! < 0 && bound < Number.POSITIVE_INFINITY) {
      const delta = bound - rate;
      const slack = 1 - this.tol;
      let fits = true;
      for (let k = 0; k < n && fits; k++) {
        const r = route[off + k]!;
        const load = this.R[8 * r + R_LOAD]!;
        const cap = this.R[8 * r + R_CAP]! * slack;
        if (load >= cap || load + delta >= cap) fits = false;
      }
      if (fits) {
        const level = bound / A[8 * slot + A_WEIGHT]!;
        for (let k = 0; k < n; k++) {
          const r = route[off + k]!;
          this.R[8 * r + R_LOAD] = this.R[8 * r + R_LOAD]! + delta;
          if (level > this.R[8 * r + R_TOP]!) this.R[8 * r + R_TOP] = level;
        }
        this.rerate(slot, bound);
        return;
      }
    }
    for (let k = 0; k < n; k++) this.markDirty(route[off + k]!);
  }

  /**
   * Gives an active activity a new rate now: advances its work at the old rate and moves its
   * completion (none at rate 0).
   */
  private rerate(slot: number, rate: number): void {
    this.advance(slot);
    this.A[8 * slot + A_RATE] = rate;
    const h = this.actHandle[slot]!;
    if (h >= 0) this.sim.cancel(h);
    this.actHandle[slot] =
      rate > 0 ? this.scheduleEnd(slot, this.A[8 * slot + A_REMAINING]!, rate) : -1;
  }

  /** Schedules the completion of `left` work at `rate` (> 0); none for an open-ended activity. */
  private scheduleEnd(slot: number, left: number, rate: number): number {
    return left < Number.POSITIVE_INFINITY
      ? this.sim.schedule(left / rate, this.completeCb, slot)
      : -1;
  }

  /** @internal see {@link Activity.setWeight}. */
  _setWeight(slot: number, weight: number): void {
    if (!(weight > 0 && weight < Number.POSITIVE_INFINITY)) {
      bad(`weight must be a finite number > 0, got ${String(weight)}.`, ["weight"]);
    }
    const A = this.A;
    if (A[8 * slot + A_WEIGHT] === weight) return;
    A[8 * slot + A_WEIGHT] = weight;
    if (this.actState[slot] !== ACTIVE) return;
    const route = this.routeStore;
    const off = this.actOff[slot]!;
    const n = this.actLen[slot]!;
    for (let k = 0; k < n; k++) this.markDirty(route[off + k]!);
  }

  /** Whether a resource of the route already awaits this instant's solve. */
  private routeDirty(off: number, n: number): boolean {
    const route = this.routeStore;
    for (let k = 0; k < n; k++) {
      if (this.resDirty[route[off + k]!] === this.dirtyEpoch) return true;
    }
    return false;
  }

  /** Brings an activity's remaining work up to now at its current rate. */
  private advance(slot: number): void {
    const now = this.sim.now;
    const worked = this.A[8 * slot + A_RATE]! * (now - this.actLast[slot]!);
    let left = this.A[8 * slot + A_REMAINING]! - worked;
    if (left === Number.POSITIVE_INFINITY) this.actDone[slot] = this.actDone[slot]! + worked;
    else if (left < 0) left = 0;
    this.A[8 * slot + A_REMAINING] = left;
    this.actLast[slot] = now;
  }

  // ---- internal accessors -------------------------------------------------------------------

  /** @internal */
  _capacity(r: number): number {
    return this.R[8 * r + R_CAP]!;
  }
  /** @internal */
  _load(r: number): number {
    return this.R[8 * r + R_LOAD]!;
  }
  /** @internal */
  _count(r: number): number {
    return this.resFlows[r]!.length;
  }
  /** @internal */
  _bound(slot: number): number {
    return this.A[8 * slot + A_BOUND]!;
  }
  /** @internal */
  _weight(slot: number): number {
    return this.A[8 * slot + A_WEIGHT]!;
  }
  /** Low-level engine API. */
  _rate(slot: number): number {
    return this.A[8 * slot + A_RATE]!;
  }
  /** Low-level engine API: work done so far by the activity in `slot`. */
  _done(slot: number): number {
    const amount = this.actAmount[slot]!;
    if (amount < Number.POSITIVE_INFINITY) return amount - this._remaining(slot);
    return this.actDone[slot]! + this.A[8 * slot + A_RATE]! * (this.sim.now - this.actLast[slot]!);
  }
  /** Low-level engine API. */
  _remaining(slot: number): number {
    const left =
      this.A[8 * slot + A_REMAINING]! -
      this.A[8 * slot + A_RATE]! * (this.sim.now - this.actLast[slot]!);
    return left > 0 ? left : 0;
  }

  /** @internal ends an activity that is latent or active. */
  _end(slot: number, status: ActivityStatus, resource: string | undefined): void {
    if (slot === this.ending) {
      // Ended again while its sink is told it completed (a resource of its route failed in that
      // callback): it leaves its resources now; its sink has been told already.
      this.ending = -1;
      this.detach(slot);
      this.freeSlot(slot);
      return;
    }
    const activity = this.acts[slot];
    const remaining = status === "completed" ? 0 : this._remaining(slot);
    const done = status === "completed" ? this.actAmount[slot]! : this._done(slot);
    const h = this.actHandle[slot]!;
    if (h >= 0) this.sim.cancel(h);
    if (this.actState[slot] === ACTIVE) this.detach(slot);
    if (activity === undefined) {
      // A sinked activity: no object, no outcome; its owner is told.
      const sink = this.sinks[slot]!;
      this.sinks[slot] = undefined;
      this.freeSlot(slot);
      sink._fluidEnd(status, remaining, resource, done);
      return;
    }
    this.freeSlot(slot);
    activity._slot = -1;
    activity._done = done;
    const outcome: ActivityOutcome =
      resource === undefined
        ? { status, time: this.sim.now, remaining }
        : { status, time: this.sim.now, remaining, resource };
    activity._succeed(outcome);
    activity._onEnd?.(activity);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  private enter(slot: number): void {
    this.actHandle[slot] = -1;
    const route = this.routeStore;
    const off = this.actOff[slot]!;
    const routeLen = this.actLen[slot]!;
    // A zero-capacity resource fails the activity at once.
    for (let k = 0; k < routeLen; k++) {
      const r = route[off + k]!;
      if (this.R[8 * r + R_CAP] === 0) {
        // Not attached to any resource yet, so it ends without detaching.
        this.actState[slot] = LATENT;
        this._end(slot, "failed", this.resources[r]!.name);
        return;
      }
    }
    this.actLast[slot] = this.sim.now;
    if (this.A[8 * slot + A_REMAINING] === 0) {
      // Nothing to do: ends at this instant without taking a share.
      this.actState[slot] = LATENT;
      this.actHandle[slot] = this.sim.schedule(0, this.completeCb, slot);
      return;
    }
    this.actState[slot] = ACTIVE;
    if (routeLen === 0) {
      // Bounded activity with no shared resource: runs at its bound.
      const rate = this.A[8 * slot + A_BOUND]!;
      this.A[8 * slot + A_RATE] = rate;
      this.actHandle[slot] = this.scheduleEnd(slot, this.A[8 * slot + A_REMAINING]!, rate);
      return;
    }
    const A = this.A;
    const R = this.R;
    const bound = A[8 * slot + A_BOUND]!;
    const slack = 1 - this.tol;
    // Admission without a solve: a bounded activity that fits under every resource of its route
    // leaves them unsaturated, and an unsaturated resource is nobody's bottleneck, so everyone
    // keeps their rate and the newcomer runs at its bound (e.g. a guest's CPU load on a host with
    // cores to spare). Resources already awaiting this instant's solve take the usual path.
    let fits = bound < Number.POSITIVE_INFINITY;
    for (let k = 0; k < routeLen && fits; k++) {
      const r = route[off + k]!;
      if (
        this.resDirty[r] === this.dirtyEpoch ||
        R[8 * r + R_LOAD]! + bound >= R[8 * r + R_CAP]! * slack
      ) {
        fits = false;
      }
    }
    const pos = this.posStore;
    for (let k = 0; k < routeLen; k++) {
      const r = route[off + k]!;
      const list = this.resFlows[r]!;
      pos[off + k] = list.length;
      list.push(slot);
      if (!fits) this.markDirty(r);
    }
    if (!fits) return;
    const level = bound / A[8 * slot + A_WEIGHT]!;
    for (let k = 0; k < routeLen; k++) {
      const r = route[off + k]!;
      R[8 * r + R_LOAD] = R[8 * r + R_LOAD]! + bound;
      if (level > R[8 * r + R_TOP]!) R[8 * r + R_TOP] = level;
    }
    A[8 * slot + A_RATE] = bound;
    A[8 * slot + A_BOTTLENECK] = -1;
    this.actHandle[slot] = this.scheduleEnd(slot, A[8 * slot + A_REMAINING]!, bound);
  }

  private complete(slot: number): void {
    this.actHandle[slot] = -1;
    // The hot path (a sinked activity ends, its engine starts the next one): a small function of
    // its own, which V8 optimises early, rather than a branch of _end.
    if (this.acts[slot] === undefined && this.actState[slot] === ACTIVE && this.ending < 0) {
      this.completeSinked(slot);
    } else {
      this._end(slot, "completed", undefined);
    }
  }

  /**
   * A sinked activity completed: it stays on its resources while its sink is told, so that the
   * sink's next activity on the same route can take its place (see restart()); if the sink starts
   * none there, it leaves them after.
   */
  private completeSinked(slot: number): void {
    const sink = this.sinks[slot]!;
    this.sinks[slot] = undefined;
    this.ending = slot;
    try {
      sink._fluidEnd("completed", 0, undefined, this.actAmount[slot]!);
    } finally {
      // Also when the sink threw: the slot must not stay reserved for a restart.
      if (this.ending === slot) {
        this.ending = -1;
        this.detach(slot);
        this.freeSlot(slot);
      }
    }
  }

  /** Removes an active activity from its resources' lists. */
  private detach(slot: number): void {
    const route = this.routeStore;
    const pos = this.posStore;
    const off = this.actOff[slot]!;
    const routeLen = this.actLen[slot]!;
    const rate = this.A[8 * slot + A_RATE]!;
    for (let k = 0; k < routeLen; k++) {
      const r = route[off + k]!;
      const list = this.resFlows[r]!;
      const i = pos[off + k]!;
      const last = list.pop()!;
      if (last !== slot) {
        list[i] = last;
        const loff = this.actOff[last]!;
        const lend = loff + this.actLen[last]!;
        for (let j = loff; j < lend; j++) {
          if (route[j] === r) {
            pos[j] = i;
            break;
          }
        }
      }
      const load = this.R[8 * r + R_LOAD]!;
      this.R[8 * r + R_LOAD] = list.length === 0 ? 0 : load - rate;
      // Leaving an unsaturated resource changes nobody's rate: none has it as bottleneck.
      if (this.resDirty[r] === this.dirtyEpoch || load >= this.R[8 * r + R_CAP]! * (1 - this.tol)) {
        this.markDirty(r);
      }
    }
    this.A[8 * slot + A_RATE] = 0;
  }

  private markDirty(r: number): void {
    if (this.resDirty[r] === this.dirtyEpoch) return;
    this.resDirty[r] = this.dirtyEpoch;
    this.dirty.push(r);
    if (!this.settleScheduled) {
      this.settleScheduled = true;
      this.sim.schedule(0, this.settleCb);
    }
  }

  // ---- the incremental max-min solver ---------------------------------------------------------

  /**
   * Re-solves the rates of the region that the changes of this instant can affect.
   *
   * 1. The region starts as the dirty resources; S is every activity crossing a region resource,
   *    and `sub` every resource S crosses.
   * 2. Progressive filling (water-filling) solves S on `sub`, with the activities outside S held at
   *    their current rates (they reduce the capacity left on boundary resources).
   * 3. Every activity of S and every outside activity on a boundary resource must keep a
   *    bottleneck: its bound, or a saturated resource where no activity has a higher share. Those
   *    that do not bring their resources into the region, and the solve repeats.
   * When no violation is left, every activity satisfies the max-min condition: the allocation is
   * the unique max-min fair one.
   */
  private settle(): void {
    this.settleScheduled = false;
    // Swap the dirty lists: changes made while solving (none today) would land in the other one.
    const dirty = this.dirty;
    this.dirty = this.spareDirty;
    this.spareDirty = dirty;
    this.dirtyEpoch++;
    if (dirty.length === 0) return;
    const dirtyCount = dirty.length;
    this.recomputes++;
    const epoch = ++this.epoch;
    const region = this.region;
    const sub = this.sub;
    const members = this.members;
    region.length = 0;
    sub.length = 0;
    members.length = 0;
    for (let i = 0; i < dirtyCount; i++) {
      const r = dirty[i]!;
      this.R[8 * r + R_IN_REGION] = epoch;
      region.push(r);
    }
    dirty.length = 0;
    let scanned = 0;
    const route = this.routeStore;
    for (;;) {
      // Grow S and sub from the region resources not yet scanned.
      for (; scanned < region.length; scanned++) {
        const flows = this.resFlows[region[scanned]!]!;
        for (let i = 0; i < flows.length; i++) {
          const a = flows[i]!;
          if (this.A[8 * a + A_IN_S] === epoch) continue;
          this.A[8 * a + A_IN_S] = epoch;
          members.push(a);
          const off = this.actOff[a]!;
          const end = off + this.actLen[a]!;
          for (let k = off; k < end; k++) {
            const r = route[k]!;
            if (this.R[8 * r + R_IN_SUB] !== epoch) {
              this.R[8 * r + R_IN_SUB] = epoch;
              sub.push(r);
            }
          }
        }
      }
      if (members.length === 0) break;
      this.fill(epoch);
      // Violators whose resources are all in the region already are tolerance-level
      // disagreements: verify() reports no growth and the solution stands.
      if (!this.verify(epoch)) break;
    }
    this.regionFlowTotal += members.length;
    this.commit(epoch);
  }

  /** Progressive filling of S (members) over sub. Writes actNew and actBottleneck. */
  private fill(epoch: number): void {
    const sub = this.sub;
    const members = this.members;
    const R = this.R;
    const heap = this.heap;
    heap.clear();
    for (let i = 0; i < sub.length; i++) {
      const r = sub[i]!;
      let left = this.R[8 * r + R_CAP]!;
      let w = 0;
      const flows = this.resFlows[r]!;
      for (let j = 0; j < flows.length; j++) {
        const a = flows[j]!;
        if (this.A[8 * a + A_IN_S] === epoch) w += this.A[8 * a + A_WEIGHT]!;
        else left -= this.A[8 * a + A_RATE]!;
      }
      R[8 * r + R_REM] = left > 0 ? left : 0;
      R[8 * r + R_WSUM] = w;
      if (w > 0) heap.push(R[8 * r + R_REM]! / w, r);
    }
    const fixedStamp = epoch;
    for (let i = 0; i < members.length; i++) {
      const a = members[i]!;
      this.A[8 * a + A_FIXED] = 0;
      const b = this.A[8 * a + A_BOUND]!;
      if (b < Number.POSITIVE_INFINITY) heap.push(b / this.A[8 * a + A_WEIGHT]!, -1 - a);
    }
    let left = members.length;
    while (left > 0 && heap.size > 0) {
      const item = heap.pop();
      const level = heap.poppedKey;
      if (item < 0) {
        const a = -1 - item;
        if (this.A[8 * a + A_FIXED] === fixedStamp) continue;
        this.fix(a, this.A[8 * a + A_BOUND]!, -1, fixedStamp);
        left--;
        continue;
      }
      const r = item;
      const w = R[8 * r + R_WSUM]!;
      if (w <= 0 || R[8 * r + R_REM]! / w !== level) continue; // stale entry
      const flows = this.resFlows[r]!;
      for (let j = 0; j < flows.length; j++) {
        const a = flows[j]!;
        if (this.A[8 * a + A_IN_S] !== epoch || this.A[8 * a + A_FIXED] === fixedStamp) continue;
        this.fix(a, this.A[8 * a + A_WEIGHT]! * level, r, fixedStamp);
        left--;
      }
      R[8 * r + R_WSUM] = 0;
    }
  }

  private fix(a: number, rate: number, bottleneck: number, stamp: number): void {
    this.A[8 * a + A_FIXED] = stamp;
    this.A[8 * a + A_NEW] = rate;
    this.A[8 * a + A_BOTTLENECK] = bottleneck;
    const w = this.A[8 * a + A_WEIGHT]!;
    const route = this.routeStore;
    const off = this.actOff[a]!;
    const end = off + this.actLen[a]!;
    const R = this.R;
    for (let k = off; k < end; k++) {
      const r = route[k]!;
      const ws = R[8 * r + R_WSUM]! - w;
      const left = R[8 * r + R_REM]! - rate;
      R[8 * r + R_REM] = left > 0 ? left : 0;
      if (ws > 1e-12 * w) {
        R[8 * r + R_WSUM] = ws;
        if (r !== bottleneck) this.heap.push(R[8 * r + R_REM]! / ws, r);
      } else {
        R[8 * r + R_WSUM] = 0;
      }
    }
  }

  /** Checks the bottleneck condition; grows the region with violators. Returns true if it grew. */
  private verify(epoch: number): boolean {
    const sub = this.sub;
    const tol = this.tol;
    const R = this.R;
    for (let i = 0; i < sub.length; i++) {
      const r = sub[i]!;
      const flows = this.resFlows[r]!;
      let load = 0;
      let top = 0;
      for (let j = 0; j < flows.length; j++) {
        const a = flows[j]!;
        const rate =
          this.A[8 * a + A_IN_S] === epoch ? this.A[8 * a + A_NEW]! : this.A[8 * a + A_RATE]!;
        load += rate;
        const lvl = rate / this.A[8 * a + A_WEIGHT]!;
        if (lvl > top) top = lvl;
      }
      R[8 * r + R_NEW_LOAD] = load;
      R[8 * r + R_MAX] = top;
    }
    const regionSize = this.region.length;
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const a = members[i]!;
      if (!this.hasBottleneck(a, this.A[8 * a + A_NEW]!, epoch, tol)) this.grow(a);
    }
    for (let i = 0; i < sub.length; i++) {
      const r = sub[i]!;
      if (this.R[8 * r + R_IN_REGION] === epoch) continue;
      const flows = this.resFlows[r]!;
      for (let j = 0; j < flows.length; j++) {
        const a = flows[j]!;
        if (this.A[8 * a + A_IN_S] === epoch) continue;
        const b = this.A[8 * a + A_BOTTLENECK]!;
        // Its recorded bottleneck lies outside sub: untouched by this change, still valid.
        if (b >= 0 && this.R[8 * b + R_IN_SUB] !== epoch) continue;
        if (!this.hasBottleneck(a, this.A[8 * a + A_RATE]!, epoch, tol)) this.grow(a);
      }
    }
    return this.region.length > regionSize;
  }

  private hasBottleneck(a: number, rate: number, epoch: number, tol: number): boolean {
    const bound = this.A[8 * a + A_BOUND]!;
    if (rate >= bound * (1 - tol)) {
      this.A[8 * a + A_BOTTLENECK] = -1;
      return true;
    }
    const w = this.A[8 * a + A_WEIGHT]!;
    const lvl = rate / w;
    const route = this.routeStore;
    const off = this.actOff[a]!;
    const end = off + this.actLen[a]!;
    for (let k = off; k < end; k++) {
      const r = route[k]!;
      let load: number;
      let top: number;
      if (this.R[8 * r + R_IN_SUB] === epoch) {
        load = this.R[8 * r + R_NEW_LOAD]!;
        top = this.R[8 * r + R_MAX]!;
      } else {
        // Untouched by this change: its load and top share are those of its last solve.
        load = this.R[8 * r + R_LOAD]!;
        top = this.R[8 * r + R_TOP]!;
      }
      const cap = this.R[8 * r + R_CAP]!;
      if (load >= cap * (1 - tol) && lvl >= top * (1 - tol)) {
        this.A[8 * a + A_BOTTLENECK] = r;
        return true;
      }
    }
    return false;
  }

  private grow(a: number): void {
    const route = this.routeStore;
    const off = this.actOff[a]!;
    const end = off + this.actLen[a]!;
    const epoch = this.epoch;
    for (let k = off; k < end; k++) {
      const r = route[k]!;
      if (this.R[8 * r + R_IN_REGION] !== epoch) {
        this.R[8 * r + R_IN_REGION] = epoch;
        this.region.push(r);
      }
    }
  }

  /** Applies the new rates of S: advance remaining work, reschedule completions. */
  private commit(epoch: number): void {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const a = members[i]!;
      const nr = this.A[8 * a + A_NEW]!;
      const old = this.A[8 * a + A_RATE]!;
      if (nr !== old || this.actHandle[a]! < 0) this.rerate(a, nr);
    }
    const sub = this.sub;
    for (let i = 0; i < sub.length; i++) {
      const r = sub[i]!;
      if (this.R[8 * r + R_IN_SUB] === epoch) {
        this.R[8 * r + R_LOAD] = this.R[8 * r + R_NEW_LOAD]!;
        this.R[8 * r + R_TOP] = this.R[8 * r + R_MAX]!;
      }
    }
  }

  // ---- storage ------------------------------------------------------------------------------

  private allocSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.slotCount++;
    if (slot === this.actState.length) this.growActivities();
    this.acts.push(undefined);
    this.sinks.push(undefined);
    return slot;
  }

  /** Takes `n` entries at the end of the route store (growing it) and returns their offset. */
  private reserveRoute(n: number): number {
    const off = this.routeTop;
    const top = off + n;
    if (top > this.routeStore.length) {
      let size = this.routeStore.length * 2;
      while (size < top) size *= 2;
      this.routeStore = grow(this.routeStore, new Int32Array(size));
      this.posStore = grow(this.posStore, new Int32Array(size));
    }
    this.routeTop = top;
    return off;
  }

  private freeSlot(slot: number): void {
    this.actState[slot] = FREE;
    this.acts[slot] = undefined;
    this.actLen[slot] = 0;
    this.A[8 * slot + A_RATE] = 0;
    this.actHandle[slot] = -1;
    this.A[8 * slot + A_BOTTLENECK] = -1;
    this.A[8 * slot + A_IN_S] = 0;
    this.freeSlots.push(slot);
    this.activeCount--;
  }

  private growActivities(): void {
    const n = this.actState.length * 2;
    this.A = grow(this.A, new Float64Array(8 * n));
    this.actState = grow(this.actState, new Uint8Array(n));
    this.actLast = grow(this.actLast, new Float64Array(n));
    this.actHandle = grow(this.actHandle, new Float64Array(n));
    this.actAmount = grow(this.actAmount, new Float64Array(n));
    this.actDone = grow(this.actDone, new Float64Array(n));
    this.actLen = grow(this.actLen, new Int32Array(n));
    this.actOff = grow(this.actOff, new Int32Array(n));
    this.actCap = grow(this.actCap, new Int32Array(n));
  }

  private growResources(): void {
    const n = this.resDirty.length * 2;
    this.R = grow(this.R, new Float64Array(8 * n));
    this.resDirty = grow(this.resDirty, new Int32Array(n));
    this.resMark = grow(this.resMark, new Int32Array(n));
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function bad(message: string, path: VxPath): never {
  throw new VxError("VX_CORE_INVALID_ARGUMENT", message, { path });
}

function checkCapacity(capacity: number, path: VxPath): void {
  if (!(capacity >= 0 && capacity < Number.POSITIVE_INFINITY)) {
    bad(`capacity must be a finite number ≥ 0, got ${String(capacity)}.`, path);
  }
}
