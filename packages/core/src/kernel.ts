/**
 * The discrete-event kernel: a clock, a time-ordered queue with deterministic tie-breaking,
 * callbacks for hot paths and processes written as generators for readable models.
 *
 * The design follows SimPy's small kernel (an environment owning a heap ordered by time and
 * insertion sequence; a process is itself an event that others can wait on) with OpenDC's habit of
 * handing models a narrow scheduling interface rather than a global.
 *
 * @module
 */

import { VxError } from "./errors.js";
import { type Callback, EventQueue } from "./internal/event-queue.js";

/** Handle of a scheduled callback, for {@link Simulation.cancel}. */
export type EventHandle = number;

/** What a process may yield: anything that can be waited on. */
export type Yieldable = Awaitable<unknown>;

/**
 * The generator type of a process body that finishes with a `T`.
 *
 * @example
 * ```ts
 * function* worker(sim: Simulation): ProcessBody<number> {
 *   yield sim.timeout(5);
 *   return 42;
 * }
 * ```
 */
export type ProcessBody<T> = Generator<Yieldable, T, unknown>;

const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;

/** How an awaitable ended, for {@link Awaitable.state}. */
export type AwaitableState = "pending" | "succeeded" | "failed";

type Waiter = Process<unknown> | ((source: Awaitable<unknown>) => void);

/**
 * Something a process can wait on: a timeout, another process, a fluid activity, a manual
 * {@link Signal}, or a combination ({@link Simulation.anyOf}, {@link Simulation.allOf}).
 *
 * `yield x` waits and evaluates to `unknown`; `yield* x` waits and evaluates to the typed result.
 */
export abstract class Awaitable<T> {
  /** The simulation this belongs to. */
  readonly sim: Simulation;
  /** @internal */
  _state: number = PENDING;
  /** @internal */
  _value: T | undefined = undefined;
  /** @internal */
  _error: unknown = undefined;
  /** @internal single waiter fast path */
  _waiter: Waiter | undefined = undefined;
  /** @internal further waiters */
  _waiters: Waiter[] | undefined = undefined;

  /** @param sim - the owning simulation. */
  constructor(sim: Simulation) {
    this.sim = sim;
  }

  /** Whether it has ended, and how. */
  get state(): AwaitableState {
    return this._state === PENDING ? "pending" : this._state === SUCCEEDED ? "succeeded" : "failed";
  }

  /** True once it has succeeded or failed. */
  get triggered(): boolean {
    return this._state !== PENDING;
  }

  /** The result; `undefined` until it has succeeded. */
  get value(): T | undefined {
    return this._value;
  }

  /**
   * Waits inside a process and returns the typed result: `const r = yield* activity`.
   *
   * @returns a one-step generator that yields this awaitable.
   */
  *[Symbol.iterator](): Generator<Yieldable, T, unknown> {
    return (yield this) as T;
  }

  /**
   * Calls `callback` once this has ended (at once, if it already has). For model code that
   * prefers callbacks to processes; the callback runs inside the kernel's event loop.
   *
   * @param callback - receives this awaitable.
   */
  onEnd(callback: (source: this) => void): void {
    if (this._state !== PENDING) {
      this.sim.schedule(0, callback as (arg: this) => void, this);
      return;
    }
    this._addWaiter(callback as (source: Awaitable<unknown>) => void);
  }

  /** @internal */
  _addWaiter(waiter: Waiter): void {
    if (this._waiter === undefined) this._waiter = waiter;
    else if (this._waiters === undefined) this._waiters = [waiter];
    else this._waiters.push(waiter);
  }

  /** @internal */
  _removeWaiter(waiter: Waiter): void {
    if (this._waiter === waiter) {
      this._waiter = this._waiters?.shift();
      return;
    }
    const list = this._waiters;
    if (list === undefined) return;
    const i = list.indexOf(waiter);
    if (i >= 0) list.splice(i, 1);
  }

  /**
   * Ends this awaitable with a value and wakes its waiters through the queue, at the current time,
   * in the order they started waiting.
   *
   * @internal
   */
  _succeed(value: T): void {
    if (this._state !== PENDING) return;
    this._state = SUCCEEDED;
    this._value = value;
    this._wake(false);
  }

  /** @internal */
  _fail(error: unknown): void {
    if (this._state !== PENDING) return;
    this._state = FAILED;
    this._error = error;
    this._wake(false);
  }

  /** @internal wakes waiters; `direct` resumes them now (only from a top-level kernel event). */
  _wake(direct: boolean): void {
    const first = this._waiter;
    if (first === undefined) return;
    this._waiter = undefined;
    const rest = this._waiters;
    this._waiters = undefined;
    const sim = this.sim;
    if (direct) {
      wakeOne(first, this);
      if (rest !== undefined) for (const w of rest) sim.schedule(0, wakeLater, [w, this] as const);
      return;
    }
    sim.schedule(0, wakeLater, [first, this] as const);
    if (rest !== undefined) for (const w of rest) sim.schedule(0, wakeLater, [w, this] as const);
  }
}

function wakeOne(waiter: Waiter, source: Awaitable<unknown>): void {
  if (typeof waiter === "function") waiter(source);
  // A process interrupted after this wake-up was queued no longer waits on `source`.
  else if (waiter._target === source) waiter._resumeFrom(source);
}

function wakeLater(pair: readonly [Waiter, Awaitable<unknown>]): void {
  wakeOne(pair[0], pair[1]);
}

/** A delay: succeeds `delay` seconds after it was created, with an optional value. */
export class Timeout<T = undefined> extends Awaitable<T> {
  /** @internal */
  _handle: EventHandle;
  /** When it fires, in simulated seconds. */
  readonly at: number;

  /**
   * @param sim - the owning simulation.
   * @param delay - seconds from now, ≥ 0.
   * @param value - the result it succeeds with.
   */
  constructor(sim: Simulation, delay: number, value: T) {
    super(sim);
    this.at = sim.now + delay;
    this._value = value;
    this._handle = sim.schedule(delay, fireTimeout, this as Timeout<unknown>);
  }
}

function fireTimeout(t: Timeout<unknown>): void {
  t._state = SUCCEEDED;
  t._wake(true);
}

/**
 * An event that model code triggers by hand: a signal between processes.
 *
 * @example
 * ```ts
 * const ready = sim.signal<string>();
 * sim.process(function* () { const who = yield* ready; console.log(who); }());
 * sim.schedule(3, () => ready.succeed("link up"));
 * ```
 */
export class Signal<T = undefined> extends Awaitable<T> {
  /**
   * Succeeds the signal; waiters resume at the current time. Does nothing if it already ended.
   *
   * @param value - the result waiters receive.
   */
  succeed(value: T): void {
    this._succeed(value);
  }

  /**
   * Fails the signal; waiters resume with `error` thrown at their `yield`.
   *
   * @param error - what waiters receive.
   */
  fail(error: unknown): void {
    this._fail(error);
  }
}

/**
 * Thrown into a process at its current `yield` when another part of the model calls
 * {@link Process.interrupt}: a fault, a cancellation, a preemption.
 */
export class Interrupt extends Error {
  /** What the interrupter passed: why the process was interrupted. */
  override readonly cause: unknown;

  /** @param cause - why the process was interrupted. */
  constructor(cause: unknown) {
    super(`process interrupted: ${String(cause)}`);
    this.name = "Interrupt";
    this.cause = cause;
  }

  /**
   * True when `value` is an {@link Interrupt} (from any copy of this package).
   *
   * @param value - anything caught.
   * @returns whether it is an interrupt.
   */
  static isInstance(value: unknown): value is Interrupt {
    return value instanceof Error && value.name === "Interrupt" && "cause" in value;
  }
}

/**
 * A running generator: resumes when what it yielded ends; is itself awaitable and succeeds with the
 * generator's return value, or fails with what it threw.
 */
export class Process<T> extends Awaitable<T> {
  /** A label for traces and errors. */
  readonly name: string;
  /** @internal */
  _gen: ProcessBody<T>;
  /** @internal what it waits on now */
  _target: Awaitable<unknown> | undefined = undefined;
  /** @internal a pending resume scheduled through the queue */
  _resumeHandle: EventHandle = -1;

  /**
   * @param sim - the owning simulation.
   * @param body - the started generator.
   * @param name - a label.
   */
  constructor(sim: Simulation, body: ProcessBody<T>, name: string) {
    super(sim);
    this._gen = body;
    this.name = name;
    this._resumeHandle = sim.schedule(0, startProcess, this as Process<unknown>);
  }

  /** True while the generator has not finished. */
  get alive(): boolean {
    return this._state === PENDING;
  }

  /**
   * Throws an {@link Interrupt} carrying `cause` into the process at its current `yield`, at the
   * current simulated time. It stops waiting on what it waited for. A process that does not catch
   * the interrupt ends as failed with it (an outcome, not a crash of the run).
   *
   * @param cause - why (a fault, a cancellation).
   * @returns false if the process had already finished.
   */
  interrupt(cause?: unknown): boolean {
    if (this._state !== PENDING) return false;
    const target = this._target;
    if (target !== undefined) {
      target._removeWaiter(this as Process<unknown>);
      this._target = undefined;
      if (target instanceof Timeout && target._waiter === undefined && target._state === PENDING) {
        this.sim.cancel(target._handle);
      }
    }
    if (this._resumeHandle >= 0) {
      this.sim.cancel(this._resumeHandle);
      this._resumeHandle = -1;
    }
    this._resumeHandle = this.sim.schedule(0, throwInterrupt, [this, cause] as const);
    return true;
  }

  /** @internal */
  _resumeFrom(source: Awaitable<unknown>): void {
    this._target = undefined;
    if (source._state === SUCCEEDED) this._step(source._value, false);
    else this._step(source._error, true);
  }

  /** @internal */
  _step(input: unknown, isError: boolean): void {
    const gen = this._gen;
    for (;;) {
      let r: IteratorResult<Yieldable, T>;
      try {
        r = isError ? gen.throw(input) : gen.next(input);
      } catch (error) {
        this._end(error);
        return;
      }
      if (r.done === true) {
        this._succeed(r.value);
        return;
      }
      const target = r.value;
      const sim = this.sim;
      if (target === sim._sleepToken) {
        // sim.sleep(dt): resume this process after dt, with no object allocated for the wait.
        const handle = sim._scheduleSleep(this as Process<unknown>);
        if (handle >= 0) {
          this._resumeHandle = handle;
          return;
        }
        input = new VxError(
          "VX_CORE_BAD_YIELD",
          `process "${this.name}" yielded a sleep that was already used; yield sim.sleep(dt) directly, once (use sim.timeout(dt) to keep or share a delay).`,
        );
        isError = true;
        continue;
      }
      if (!(target instanceof Awaitable)) {
        input = new VxError(
          "VX_CORE_BAD_YIELD",
          `process "${this.name}" yielded ${describe(target)}; yield sim.timeout(...), a process, an activity, a signal or sim.anyOf/allOf(...).`,
        );
        isError = true;
        continue;
      }
      if (target._state === PENDING) {
        this._target = target;
        target._addWaiter(this as Process<unknown>);
        return;
      }
      // Already ended: continue at once with its result.
      if (target._state === SUCCEEDED) {
        input = target._value;
        isError = false;
      } else {
        input = target._error;
        isError = true;
      }
    }
  }

  /** @internal */
  _end(error: unknown): void {
    if (this._waiter === undefined && !Interrupt.isInstance(error)) {
      this._state = FAILED;
      this._error = error;
      this.sim._unhandled(this as Process<unknown>, error);
      return;
    }
    this._fail(error);
  }
}

function resumeAfterSleep(p: Process<unknown>): void {
  p._resumeHandle = -1;
  p._step(undefined, false);
}

/** The one awaitable `sim.sleep()` returns: only a process yielding it at once may use it. */
class SleepToken extends Awaitable<undefined> {
  override _addWaiter(): void {
    throw new VxError(
      "VX_CORE_BAD_SLEEP",
      "sim.sleep(dt) can only be yielded directly by a process; use sim.timeout(dt) with anyOf/allOf/onEnd.",
    );
  }
}

function startProcess(p: Process<unknown>): void {
  p._resumeHandle = -1;
  p._step(undefined, false);
}

function throwInterrupt(pair: readonly [Process<unknown>, unknown]): void {
  const p = pair[0];
  p._resumeHandle = -1;
  p._step(new Interrupt(pair[1]), true);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value)})`;
  return `${typeof value} ${String(value)}`;
}

/** Result of {@link Simulation.anyOf}: which awaitable ended first and its value. */
export interface AnyOfResult {
  /** Index in the list given to `anyOf`. */
  readonly index: number;
  /** Its value. */
  readonly value: unknown;
}

class AnyOf extends Awaitable<AnyOfResult> {
  constructor(sim: Simulation, items: readonly Yieldable[]) {
    super(sim);
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item._state !== PENDING) {
        if (item._state === SUCCEEDED) this._succeed({ index: i, value: item._value });
        else this._fail(item._error);
        return;
      }
    }
    items.forEach((item, index) => {
      item._addWaiter((source) => {
        if (source._state === SUCCEEDED) this._succeed({ index, value: source._value });
        else this._fail(source._error);
      });
    });
  }
}

class AllOf extends Awaitable<unknown[]> {
  constructor(sim: Simulation, items: readonly Yieldable[]) {
    super(sim);
    const values: unknown[] = new Array(items.length);
    let left = items.length;
    if (left === 0) {
      this._succeed(values);
      return;
    }
    items.forEach((item, index) => {
      const done = (source: Awaitable<unknown>): void => {
        if (source._state === FAILED) {
          this._fail(source._error);
          return;
        }
        values[index] = source._value;
        if (--left === 0) this._succeed(values);
      };
      if (item._state !== PENDING) done(item);
      else item._addWaiter(done);
    });
  }
}

/** Options of {@link Simulation.run}. */
export interface RunOptions {
  /**
   * Stop condition: a time in seconds (every event at or before it runs, then the clock is set to
   * it), or a predicate checked after each event (the run stops once it returns true).
   * Without it the run goes on until no event is left.
   */
  readonly until?: number | ((sim: Simulation) => boolean) | undefined;
}

/** What {@link Simulation.run} reports. */
export interface RunSummary {
  /** Events processed by this call. */
  readonly events: number;
  /** The clock when it returned. */
  readonly now: number;
  /** Why it stopped. */
  readonly reason: "empty" | "time" | "condition";
}

/**
 * A discrete-event simulation: the clock and the event queue.
 *
 * Ties at the same time run in insertion order. Nothing reads the wall clock: a run depends only on
 * its inputs.
 *
 * @example
 * ```ts
 * const sim = new Simulation();
 * sim.schedule(2, (msg) => console.log(sim.now, msg), "hello"); // callback, hot path
 * sim.process(function* () {
 *   yield sim.timeout(1);
 *   console.log("process at", sim.now);
 * }());
 * sim.run();
 * ```
 */
export class Simulation {
  private readonly queue: EventQueue = new EventQueue();
  /**
   * Starts as NaN, then 0 (in the constructor): V8 then lays it out as a double from the start.
   * Starting from the integer 0, the first fractional time would change the layout of the
   * simulation object and discard the optimised code of every function that read the clock.
   */
  private clock: number = Number.NaN;
  private processed = 0;
  private failure: { error: unknown } | undefined = undefined;
  private processCount = 0;

  /** A simulation at time 0 with nothing scheduled. */
  constructor() {
    this.clock = 0;
  }

  /** The current simulated time in seconds. */
  get now(): number {
    return this.clock;
  }

  /** Events waiting in the queue. */
  get pending(): number {
    return this.queue.size;
  }

  /** Events processed since the simulation was created. */
  get eventsProcessed(): number {
    return this.processed;
  }

  /** Time of the next event, `Infinity` when none is left. */
  peek(): number {
    return this.queue.peekTime();
  }

  /**
   * Runs `callback(arg)` after `delay` seconds. The fast path for models: no allocation beyond the
   * queue entry when `arg` is an existing object or a number.
   *
   * @param delay - seconds from now, finite and ≥ 0.
   * @param callback - what to run.
   * @param arg - passed to `callback`.
   * @returns a handle for {@link Simulation.cancel}.
   * @throws {@link VxError} `VX_CORE_BAD_DELAY` when `delay` is negative, NaN or infinite.
   */
  schedule<A>(delay: number, callback: (arg: A) => void, arg?: A): EventHandle {
    if (!(delay >= 0 && delay < Number.POSITIVE_INFINITY)) {
      throw new VxError(
        "VX_CORE_BAD_DELAY",
        `cannot schedule an event ${String(delay)} s from now; use a finite delay ≥ 0.`,
        { path: ["delay"] },
      );
    }
    return this.queue.push(this.clock + delay, callback as Callback, arg);
  }

  /**
   * Runs `callback(arg)` at an absolute simulated time.
   *
   * @param time - seconds, not before now.
   * @param callback - what to run.
   * @param arg - passed to `callback`.
   * @returns a handle for {@link Simulation.cancel}.
   * @throws {@link VxError} `VX_CORE_BAD_DELAY` when `time` is in the past or not finite.
   */
  scheduleAt<A>(time: number, callback: (arg: A) => void, arg?: A): EventHandle {
    if (!(time >= this.clock && time < Number.POSITIVE_INFINITY)) {
      throw new VxError(
        "VX_CORE_BAD_DELAY",
        `cannot schedule an event at t = ${String(time)} s when the clock is at ${this.clock} s; use a finite time ≥ now.`,
        { path: ["time"] },
      );
    }
    return this.queue.push(time, callback as Callback, arg);
  }

  /**
   * Cancels a scheduled callback.
   *
   * @param handle - from {@link Simulation.schedule}.
   * @returns true if it was pending and will not run; false if it already ran or was cancelled.
   */
  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  /**
   * An awaitable that succeeds `delay` seconds from now.
   *
   * @param delay - seconds, finite and ≥ 0.
   * @param value - the value it succeeds with.
   * @returns the timeout.
   * @throws {@link VxError} `VX_CORE_BAD_DELAY` for a negative or non-finite delay.
   */
  timeout<T = undefined>(delay: number, value?: T): Timeout<T> {
    return new Timeout<T>(this, delay, value as T);
  }

  /**
   * The fast way for a process to wait: `yield sim.sleep(dt)` resumes it `dt` seconds later and
   * allocates nothing (the process itself is scheduled). Use it in hot loops; use
   * {@link Simulation.timeout} when the delay must be kept, shared, raced with `anyOf` or given a
   * value.
   *
   * @param delay - seconds, finite and ≥ 0.
   * @returns a token that the calling process must yield at once.
   * @throws {@link VxError} `VX_CORE_BAD_DELAY` for a negative or non-finite delay.
   * @example
   * ```ts
   * sim.process(function* () {
   *   for (;;) {
   *     yield sim.sleep(rng.exponential(1));
   *     arrivals++;
   *   }
   * }());
   * ```
   */
  sleep(delay: number): Awaitable<undefined> {
    if (!(delay >= 0 && delay < Number.POSITIVE_INFINITY)) {
      throw new VxError(
        "VX_CORE_BAD_DELAY",
        `cannot sleep ${String(delay)} s; use a finite delay ≥ 0.`,
        { path: ["delay"] },
      );
    }
    this.sleepDelay = delay;
    return this._sleepToken;
  }

  /** @internal */
  readonly _sleepToken: Awaitable<undefined> = new SleepToken(this);
  private sleepDelay: number = Number.NaN;

  /**
   * @internal schedules the resumption of a process that yielded the sleep token, with the delay
   * `sleep()` validated; -1 when the token was yielded without a fresh `sleep()` call.
   */
  _scheduleSleep(p: Process<unknown>): EventHandle {
    const d = this.sleepDelay;
    if (!(d >= 0)) return -1;
    this.sleepDelay = Number.NaN;
    return this.queue.push(this.clock + d, resumeAfterSleep as Callback, p);
  }

  /**
   * Starts a process from a generator. It begins at the current time, after the events already
   * queued for this instant.
   *
   * @param body - a started generator, e.g. `worker(sim, 3)`.
   * @param name - a label for errors.
   * @returns the process, which can be waited on and interrupted.
   */
  process<T>(body: ProcessBody<T>, name?: string): Process<T> {
    this.processCount++;
    return new Process(this, body, name ?? `process-${this.processCount}`);
  }

  /**
   * A signal that model code succeeds or fails by hand.
   *
   * @returns a pending signal.
   */
  signal<T = undefined>(): Signal<T> {
    return new Signal<T>(this);
  }

  /**
   * Succeeds when the first of `items` ends (fails if that one failed).
   *
   * @param items - awaitables to race.
   * @returns the index and value of the first to end.
   */
  anyOf(items: readonly Yieldable[]): Awaitable<AnyOfResult> {
    return new AnyOf(this, items);
  }

  /**
   * Succeeds when all `items` have succeeded, with their values in order; fails at the first
   * failure.
   *
   * @param items - awaitables to wait for.
   * @returns their values.
   */
  allOf(items: readonly Yieldable[]): Awaitable<unknown[]> {
    return new AllOf(this, items);
  }

  /**
   * Processes the next event.
   *
   * @returns false if the queue was empty.
   */
  step(): boolean {
    const q = this.queue;
    if (q.size === 0) return false;
    this.clock = q.peekTime();
    const slot = q.popSlot();
    const cb = q.callbackOf(slot) as (arg: unknown) => void;
    const arg = q.argOf(slot);
    q.release(slot);
    this.processed++;
    cb(arg);
    this.rethrow();
    return true;
  }

  /**
   * Runs events in time order until the queue is empty, a time, or a condition.
   *
   * @param options - when to stop.
   * @returns how many events ran, the clock, and why it stopped.
   * @throws {@link VxError} `VX_CORE_BAD_UNTIL` when `until` is a time before now or NaN.
   * @throws what a callback threw, or what a process threw when nothing waited on it (model bugs).
   */
  run(options: RunOptions = {}): RunSummary {
    const until = options.until;
    const q = this.queue;
    const start = this.processed;
    const condition = typeof until === "function" ? until : undefined;
    const timed = until !== undefined && condition === undefined;
    let limit = Number.POSITIVE_INFINITY;
    if (timed) {
      if (!((until as number) >= this.clock)) {
        throw new VxError(
          "VX_CORE_BAD_UNTIL",
          `cannot run until t = ${String(until)} s: the clock is already at ${this.clock} s.`,
          { path: ["until"] },
        );
      }
      limit = until as number;
    }
    // The body of step(), inline: one call fewer per event on the kernel's hottest loop.
    while (q.size > 0) {
      const t = q.peekTime();
      if (t > limit) break;
      this.clock = t;
      const slot = q.popSlot();
      const cb = q.callbackOf(slot) as (arg: unknown) => void;
      const arg = q.argOf(slot);
      q.release(slot);
      this.processed++;
      cb(arg);
      if (this.failure !== undefined) this.rethrow();
      if (condition?.(this)) {
        return { events: this.processed - start, now: this.clock, reason: "condition" };
      }
    }
    if (timed) {
      this.clock = limit;
      return { events: this.processed - start, now: this.clock, reason: "time" };
    }
    return { events: this.processed - start, now: this.clock, reason: "empty" };
  }

  /** @internal a process failed and nothing waits on it: surface it from run(). */
  _unhandled(process: Process<unknown>, error: unknown): void {
    if (this.failure === undefined) {
      this.failure = {
        error:
          error instanceof Error
            ? error
            : new Error(`process "${process.name}" threw ${String(error)}`),
      };
    }
  }

  private rethrow(): void {
    const f = this.failure;
    if (f === undefined) return;
    this.failure = undefined;
    throw f.error;
  }
}
