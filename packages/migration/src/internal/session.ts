/**
 * What every migration engine shares: its world (simulation, fluid system, route, guest CPU),
 * the dirtying work, the memory state at its fidelity, transfers as fluid activities, ticks,
 * failure handling and the recording of the result.
 *
 * An engine is an actor driven by callbacks: one bound callback per migration for its transfers
 * and one for its ticks, no allocation per tick.
 *
 * @internal
 */
import {
  type ActivityStatus,
  createRandom,
  type FluidSink,
  type FluidSystem,
  formatBytes,
  formatDuration,
  type Resource,
  type Simulation,
} from "@vx/core";
import type { GuestCpu } from "../guest-cpu.js";
import { imageFor } from "../memory.js";
import type { MigrationOutcome, MigrationResult, RoundPhase, ThrottleStep } from "../result.js";
import { type Route, routeCapacity } from "../route.js";
import { type DeadlineGroup, deadlinesOf, type TimeCapped } from "./deadlines.js";
import { type DirtyPlan, dirtyPlan, planDirty } from "./dirty-plan.js";
import { RoundLog, SeriesLog } from "./log.js";
import { PageMemory } from "./page-memory.js";
import type { ResolvedPlan } from "./resolved.js";
import { DirtyWork } from "./work.js";

const plans = new WeakMap<ResolvedPlan, DirtyPlan>();

/** Most ticks of one phase (page level, Xen's skip rule, post-copy) before it ends or times out. */
const MAX_TICKS = 20_000;

/** The dirty classes of a plan, built once and shared by its migrations. */
function planFor(plan: ResolvedPlan): DirtyPlan {
  let d = plans.get(plan);
  if (d === undefined) {
    d = dirtyPlan(plan.vm);
    plans.set(plan, d);
  }
  return d;
}

export interface SessionInit {
  readonly sim: Simulation;
  readonly fluid: FluidSystem;
  readonly plan: ResolvedPlan;
  readonly route: Route;
  readonly name: string;
  readonly cpu: GuestCpu | undefined;
  readonly destinationCpu: Resource | undefined;
  readonly onEnd: ((result: MigrationResult) => void) | undefined;
}

/** Where the VM is, for failure semantics. */
export type Stage =
  | "precopy"
  | "stop-and-copy"
  | "switching"
  | "postcopy"
  /** The VM already runs on the destination; only bookkeeping is left (failures change nothing). */
  | "completing"
  | "done";

export type FailureTarget = "link" | "source" | "destination";

/** The kernel calls these with the session as argument: no closure per migration. */
const onTick = (s: Session): void => s._tick();

export abstract class Session implements FluidSink, TimeCapped {
  readonly sim: Simulation;
  readonly fluid: FluidSystem;
  readonly plan: ResolvedPlan;
  readonly route: Route;
  readonly name: string;
  readonly destinationCpu: Resource | undefined;
  readonly onEnd: ((result: MigrationResult) => void) | undefined;
  readonly t0: number;
  readonly work: DirtyWork;
  readonly dplan: DirtyPlan;
  readonly page: PageMemory | undefined;
  readonly P: number;
  readonly latency: number;
  readonly rtt: number;
  stage: Stage = "precopy";

  // The current transfer: a fluid activity without an object (the session is its sink).
  /** Its slot in the fluid system; -1 when there is none, -2 while it is being started. */
  private slot = -1;
  // Numeric fields that most migrations set to fractions after they started begin as NaN (those
  // that count from zero are zeroed in the constructor): V8 lays a field out by the first value
  // stored in it, and a field that starts as the small integer 0 and later holds 17.18 changes
  // the layout of the class, so that every live object of it (thousands of migrations in a storm)
  // is laid out again when next touched, at about a microsecond each. A fraction costs a small
  // allocation per field and object, so fields that few migrations use (post-copy's) start as 0.
  // Measured on the 1,000-host storm.
  /** Bytes the current transfer was started with. */
  transferAmount: number = Number.NaN;
  private tickHandle = -1;
  /** @internal the time-cap group it is registered in (see ./deadlines.ts) */
  _deadlineGroup: DeadlineGroup | undefined = undefined;
  /** @internal */
  _deadlineIndex = 0;

  // Recording.
  readonly rounds: RoundLog;
  fullBytes: number = Number.NaN;
  deltaBytes = 0;
  zeroBytes = 0;
  private series: SeriesLog | undefined = undefined;
  private throttleSteps: ThrottleStep[] | undefined = undefined;
  downtime: number = Number.NaN;
  pausedAt: number = Number.NaN;
  expectedDowntime: number | null = null;
  cpuReleased: number | null = null;
  memoryFreed: number | null = null;
  switchAt: number | null = null;
  faults = 0;
  stallSeconds = 0;
  faultBytes = 0;
  pushedBytes = 0;
  result: MigrationResult | undefined = undefined;
  /** The public handle, told when the migration ends. */
  handle: { _ended(result: MigrationResult): void } | undefined = undefined;

  constructor(init: SessionInit) {
    this.sim = init.sim;
    this.fluid = init.fluid;
    this.plan = init.plan;
    this.route = init.route;
    this.name = init.name;
    this.destinationCpu = init.destinationCpu;
    this.onEnd = init.onEnd;
    this.t0 = init.sim.now;
    this.transferAmount = this.fullBytes = this.downtime = this.wSync = 0;
    this.rounds = new RoundLog(init.plan.roundRecords);
    const vm = init.plan.vm;
    this.P = vm.pageBytes;
    this.work = new DirtyWork(init.sim, vm, init.cpu);
    this.dplan = planFor(init.plan);
    this.latency = init.route.latencySeconds ?? 0;
    this.rtt = init.plan.rtt ?? 2 * this.latency;
    if (init.plan.fidelity === "page") {
      const image = imageFor(vm, init.plan.seed, init.name);
      const rng = createRandom(init.plan.seed).stream(`pages/${init.name}`);
      this.page = new PageMemory(vm, image, this.dplan, rng, init.plan.roundBitmaps);
    } else {
      this.page = undefined;
    }
  }

  /** Arms the time cap, then starts the engine (called once, at the current time). */
  begin(): void {
    deadlinesOf(this.sim).add(this, this.t0 + this.plan.maxTime);
    this.start();
  }

  /** Starts the engine. */
  abstract start(): void;
  /** The current transfer completed (its bytes: `transferAmount`). */
  protected abstract transferDone(): void;
  /** A tick (page level, Xen's skip rule, post-copy faults). */
  protected tick(): void {}

  /** @internal the kernel's tick callback (a function of the session, no closure per session). */
  _tick(): void {
    this.tickHandle = -1;
    if (this.stage !== "done") this.tick();
  }

  // ---- helpers for engines ---------------------------------------------------------------------

  /** Starts a transfer of `amount` bytes over the route; ends in transferDone or fail(). */
  transfer(amount: number, bound: number, weight: number, latency: number): void {
    let b = bound;
    const rb = this.route.bound;
    if (rb !== undefined && rb < b) b = rb;
    this.transferAmount = amount;
    this.slot = -2;
    const slot = this.fluid._startSinked(
      amount,
      this.route.resources,
      b,
      weight * (this.route.weight ?? 1),
      latency,
      this,
    );
    // A transfer that ended at once (a route at zero capacity) has been handled already.
    if (this.slot === -2) this.slot = slot;
  }

  /** The fluid system tells the end of the current transfer. */
  _fluidEnd(status: ActivityStatus, remaining: number, resource: string | undefined): void {
    if (this.slot === -1) return; // stopped by the session itself
    this.slot = -1;
    if (status === "failed") {
      this.unsent(remaining);
      this.fail("link", resource ?? "a link");
    } else if (status === "completed") this.transferDone();
  }

  /** Rate of the current transfer now (0 when there is none). */
  transferRate(): number {
    const slot = this.slot;
    return slot < 0 ? 0 : this.fluid._rate(slot);
  }

  /** Bytes of the current transfer not sent yet (0 when there is none). */
  transferLeft(): number {
    const slot = this.slot;
    return slot < 0 ? 0 : this.fluid._remaining(slot);
  }

  /** Stops the current transfer; returns the bytes it had not sent (0 when there is none). */
  stopTransfer(): number {
    const slot = this.slot;
    if (slot < 0) return 0;
    const left = this.fluid._remaining(slot);
    this.slot = -1;
    this.fluid._cancel(slot);
    return left;
  }

  /** A rate cap set while the migration runs (`Migration.setMaxBandwidth`), bytes/s. */
  maxBandwidthOverride: number | undefined = undefined;

  /**
   * The cap a transfer of the current phase gets (the engine's rule with the override), or
   * `undefined` when the strategy has no stream to cap.
   */
  protected currentCap(): number | undefined {
    return undefined;
  }

  /** Sets the stream's rate cap now; the transfer in flight is re-capped in place. */
  setMaxBandwidth(rate: number): boolean {
    if (this.stage === "done" || this.currentCap() === undefined) return false;
    this.maxBandwidthOverride = rate;
    const cap = this.currentCap();
    if (cap !== undefined) this.rebound(cap);
    return true;
  }

  /** Changes the rate cap of the current transfer in place (no restart), if there is one. */
  rebound(bound: number): void {
    const slot = this.slot;
    if (slot < 0) return;
    let b = bound;
    const rb = this.route.bound;
    if (rb !== undefined && rb < b) b = rb;
    if (b === Number.POSITIVE_INFINITY && this.route.resources.length === 0) return;
    this.fluid._setBound(slot, b);
  }

  /** Bytes of the current transfer sent so far (0 when there is none). */
  progress(): number {
    const slot = this.slot;
    return slot < 0 ? 0 : this.transferAmount - this.fluid._remaining(slot);
  }

  scheduleTick(delay: number): void {
    if (this.tickHandle >= 0) this.sim.cancel(this.tickHandle);
    this.tickHandle = this.sim.schedule(delay, onTick, this);
  }

  cancelTick(): void {
    if (this.tickHandle >= 0) this.sim.cancel(this.tickHandle);
    this.tickHandle = -1;
  }

  /** The tick step for a phase expected to last `seconds`. */
  tickFor(seconds: number): number {
    // However long the phase, at most MAX_TICKS steps until it ends or the time cap strikes:
    // the cost follows events, not simulated seconds.
    const span = seconds < this.plan.maxTime ? seconds : this.plan.maxTime;
    const floor = span / MAX_TICKS;
    const t = this.plan.tick;
    let s = t !== undefined ? t : seconds / 200;
    if (t === undefined) s = s < 1e-3 ? 1e-3 : s > 0.1 ? 0.1 : s;
    return s > floor ? s : floor;
  }

  /** The route's bottleneck rate, for estimates. */
  capacity(): number {
    return routeCapacity(this.route);
  }

  /** Brings the page-level dirty bitmap up to now (no-op at fluid level). */
  syncPages(): void {
    const page = this.page;
    if (page === undefined) return;
    page.update(this.work.value(), this.work.traceRateBytes(), this.work.traceEntries());
  }

  /** Fluid level: work at the last sync. */
  wSync: number = Number.NaN;

  /** Bytes dirtied since the last sync. */
  dirtySinceSync(): number {
    if (this.page !== undefined) return this.page.dirtyPages * this.P;
    return planDirty(this.dplan, this.work.value() - this.wSync, this.P);
  }

  setThrottle(value: number): void {
    this.work.setThrottle(value);
    (this.throttleSteps ??= []).push({ atSeconds: this.sim.now - this.t0, value });
  }

  /** The VM stops running (downtime starts). */
  pauseVm(): void {
    this.work.pause();
    this.pausedAt = this.sim.now;
    if (this.cpuReleased === null) this.cpuReleased = this.sim.now - this.t0;
  }

  /** The VM runs again, on the destination if `there`. */
  resumeVm(there: boolean): void {
    if (!Number.isNaN(this.pausedAt)) this.downtime += this.sim.now - this.pausedAt;
    this.pausedAt = Number.NaN;
    this.work.resume(there ? this.destinationCpu : undefined);
  }

  record(
    phase: RoundPhase,
    start: number,
    bytes: number,
    pages: number,
    dirtyBytes: number,
    skippedBytes: number,
    throttle: number,
  ): void {
    this.rounds.push(
      phase,
      start - this.t0,
      this.sim.now - start,
      bytes,
      pages,
      dirtyBytes,
      skippedBytes,
      throttle,
    );
  }

  sentTotal(): number {
    return this.fullBytes + this.deltaBytes + this.zeroBytes;
  }

  point(remaining: number): void {
    if (!this.plan.series) return;
    (this.series ??= new SeriesLog()).point(this.sim.now - this.t0, this.sentTotal(), remaining);
  }

  // ---- failures ----------------------------------------------------------------------------------

  /** Stops the engine's own timers and state when the migration is interrupted. */
  protected onStop(): void {}

  /** The bytes of the current transfer that were not sent (it was interrupted). */
  protected unsent(_bytes: number): void {}

  /** The time cap: a migration still running after `limits.maxTime` stops there. */
  timeUp(): void {
    if (this.stage === "done" || this.stage === "completing") return;
    const stage = this.stage;
    const left = this.transferLeft();
    this.stopActivity();
    this.onStop();
    const cap = formatDuration(this.plan.maxTime);
    if (stage === "postcopy" || stage === "switching") {
      this.work.setStall(1);
      this.finish(
        "did-not-converge",
        `post-copy had not finished at the time cap (${cap}): the VM runs on the destination and ${formatBytes(left)} of its memory was still on the source`,
      );
      return;
    }
    if (this.work.isPaused) this.resumeVm(false);
    this.finish(
      "did-not-converge",
      stage === "stop-and-copy"
        ? `the time cap (${cap}) struck during the stop-and-copy; the VM resumes on the source`
        : `no switch-over within the time cap (${cap}); the VM keeps running on the source`,
    );
  }

  /** A failure in the simulated world: what it means depends on where the VM is. */
  fail(target: FailureTarget, what: string): void {
    if (this.stage === "done" || this.stage === "completing") return;
    const stage = this.stage;
    this.stopActivity();
    this.onStop();
    if (stage === "postcopy" || stage === "switching") {
      if (target === "link" && this.plan.postcopy.recovery) {
        this.work.pause();
        this.finish("paused", `${what} failed during post-copy; postcopy-recovery can resume it`);
      } else {
        this.work.cpu?.stop();
        this.finish(
          "vm-lost",
          `the ${target === "link" ? `link ${what}` : target} failed during post-copy`,
        );
      }
      return;
    }
    if (target === "source") {
      this.work.cpu?.stop();
      this.finish("vm-lost", "the source host failed while the VM ran there");
      return;
    }
    if (this.work.isPaused) this.resumeVm(false);
    this.finish(
      "aborted",
      `the ${target === "link" ? `link ${what}` : "destination host"} failed; the VM keeps running on the source`,
    );
  }

  /** Cancels the migration (pre-copy only). */
  cancel(): boolean {
    if (this.stage === "done" || this.stage === "postcopy" || this.stage === "switching")
      return false;
    this.stopActivity();
    this.onStop();
    if (this.work.isPaused) this.resumeVm(false);
    this.finish("aborted", "cancelled; the VM keeps running on the source");
    return true;
  }

  private stopActivity(): void {
    this.cancelTick();
    const left = this.stopTransfer();
    if (left > 0) this.unsent(left);
  }

  /** Ends the migration and builds its result. */
  finish(outcome: MigrationOutcome, reason: string): void {
    if (this.stage === "done") return;
    this.stage = "done";
    this.cancelTick();
    this._deadlineGroup?.registry.remove(this);
    if (!Number.isNaN(this.pausedAt) && outcome !== "completed") {
      this.downtime += this.sim.now - this.pausedAt;
      this.pausedAt = Number.NaN;
    }
    const now = this.sim.now;
    const page = this.page;
    const skipFree = this.skipsFree();
    const result: MigrationResult = {
      name: this.name,
      strategy: this.plan.strategy,
      fidelity: this.plan.fidelity,
      outcome,
      reason,
      startSeconds: this.t0,
      totalTimeSeconds: now - this.t0,
      downtimeSeconds: this.downtime,
      expectedDowntimeSeconds: this.expectedDowntime,
      bytesSent: {
        total: this.sentTotal(),
        fullPages: this.fullBytes,
        deltas: this.deltaBytes,
        zeroPageFlags: this.zeroBytes,
      },
      rounds: this.rounds.toRecords(),
      roundCount: this.rounds.length,
      omittedRounds: this.rounds.omittedRounds(),
      postcopy: {
        switchSeconds: this.switchAt,
        faults: this.faults,
        stallSeconds: this.stallSeconds,
        faultBytes: this.faultBytes,
        pushedBytes: this.pushedBytes,
      },
      sourceCpuReleasedSeconds:
        outcome === "completed" || outcome === "paused" ? this.cpuReleased : null,
      sourceMemoryFreedSeconds:
        outcome === "completed" ? (this.memoryFreed ?? now - this.t0) : null,
      finalThrottle: this.work.throttle,
      throttleSteps: this.throttleSteps ?? [],
      pages:
        page === undefined
          ? null
          : {
              pages: page.n,
              sent: page.sentPages,
              lost: page.lostPages(skipFree),
              duplicated: page.duplicated,
              redundant: page.redundant,
              faulted: page.faults,
            },
      series: this.series?.columns() ?? { timesSeconds: [], bytesSent: [], remainingBytes: [] },
    };
    this.result = result;
    this.handle?._ended(result);
    this.onEnd?.(result);
  }

  /** Whether this strategy leaves the guest's free pages behind. */
  skipsFree(): boolean {
    const s = this.plan.strategy;
    if (s === "postcopy-enlightened") return true;
    if (s === "precopy-qemu" || s === "hybrid") return this.plan.qemu.freePageHinting;
    return false;
  }
}
