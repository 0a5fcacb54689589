/**
 * The dirtying work of a guest: a cumulative count, in bytes, of how much it has dirtied since
 * the migration began (before accounting for pages dirtied twice). It advances with the guest's
 * progress: wall time while it runs, slowed by the CPU throttle, stopped while it is paused, or,
 * for CPU-coupled dirtying with a {@link GuestCpu}, the operations that CPU actually executed.
 *
 * @internal
 */
import type { Resource, Simulation } from "@vx/core";
import type { GuestCpu } from "../guest-cpu.js";
import type { ResolvedVm } from "./resolved.js";

/** Cumulative view of a trace: rate bytes and page-list entries as functions of guest time. */
class TraceClock {
  readonly starts: Float64Array;
  readonly rateAt: Float64Array;
  readonly entriesAt: Float64Array;
  readonly period: number;
  readonly rateTotal: number;
  readonly entriesTotal: number;
  readonly rates: Float64Array;
  readonly lens: Float64Array;
  readonly durs: Float64Array;
  readonly loop: boolean;

  constructor(vm: ResolvedVm) {
    const d = vm.dirty;
    if (d.model !== "trace") throw new Error("not a trace");
    const n = d.trace.intervals.length;
    this.starts = new Float64Array(n);
    this.rateAt = new Float64Array(n);
    this.entriesAt = new Float64Array(n);
    this.rates = new Float64Array(n);
    this.lens = new Float64Array(n);
    this.durs = new Float64Array(n);
    let t = 0;
    let r = 0;
    let e = 0;
    d.trace.intervals.forEach((iv, i) => {
      this.starts[i] = t;
      this.rateAt[i] = r;
      this.entriesAt[i] = e;
      this.durs[i] = iv.durationSeconds;
      if (iv.kind === "rate") {
        this.rates[i] = iv.bytesPerSecond;
        r += iv.bytesPerSecond * iv.durationSeconds;
      } else {
        this.lens[i] = iv.pages.length;
        e += iv.pages.length;
      }
      t += iv.durationSeconds;
    });
    this.period = t;
    this.rateTotal = r;
    this.entriesTotal = e;
    this.loop = d.loop;
  }

  private locate(tau: number): { loops: number; i: number; into: number } {
    let loops = 0;
    let t = tau;
    if (t >= this.period) {
      if (!this.loop) return { loops: 0, i: this.starts.length, into: 0 };
      loops = Math.floor(t / this.period);
      t -= loops * this.period;
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return { loops, i: lo, into: t - this.starts[lo]! };
  }

  rateBytes(tau: number): number {
    const { loops, i, into } = this.locate(tau);
    if (i === this.starts.length) return this.rateTotal;
    return loops * this.rateTotal + this.rateAt[i]! + this.rates[i]! * into;
  }

  entries(tau: number): number {
    const { loops, i, into } = this.locate(tau);
    if (i === this.starts.length) return this.entriesTotal;
    const inside = this.lens[i]! > 0 ? Math.floor((this.lens[i]! * into) / this.durs[i]!) : 0;
    return loops * this.entriesTotal + this.entriesAt[i]! + inside;
  }
}

export class DirtyWork {
  private readonly sim: Simulation;
  private readonly vm: ResolvedVm;
  readonly cpu: GuestCpu | undefined;
  /** Bytes per second of guest progress (rate models), or per operation (CPU-coupled with a CPU). */
  private readonly perUnit: number;
  private readonly usesCpu: boolean;
  private readonly trace: TraceClock | undefined;
  // Anchors: the state at the last change of speed.
  // Fractional numbers start as NaN, then get their value (see Session).
  private tAnchor: number = Number.NaN;
  private tauAnchor: number = Number.NaN;
  private wAnchor: number = Number.NaN;
  private cpuAnchor: number = Number.NaN;
  private throttleValue = 0;
  private stall = 1;
  private paused = false;

  constructor(sim: Simulation, vm: ResolvedVm, cpu: GuestCpu | undefined) {
    this.sim = sim;
    this.vm = vm;
    this.cpu = cpu;
    this.tAnchor = sim.now;
    this.tauAnchor = this.wAnchor = 0;
    const d = vm.dirty;
    this.usesCpu = d.model === "cpu-coupled" && cpu !== undefined;
    this.cpuAnchor = cpu?.work ?? 0;
    this.trace = d.model === "trace" ? new TraceClock(vm) : undefined;
    switch (d.model) {
      case "none":
      case "trace":
        this.perUnit = 0;
        break;
      case "cpu-coupled":
        this.perUnit =
          cpu !== undefined
            ? (d.intensity * d.speedCap) / cpu.coreSpeed
            : d.intensity * d.speedCap * vm.vcpus * vm.cpuShare;
        break;
      default:
        this.perUnit = d.rate;
    }
  }

  /** Guest progress per second of simulated time now. */
  private speed(): number {
    return this.paused ? 0 : (1 - this.throttleValue) * this.stall;
  }

  /** Guest progress in seconds of full-speed execution. */
  progress(): number {
    return this.tauAnchor + this.speed() * (this.sim.now - this.tAnchor);
  }

  /** Cumulative dirtying work in bytes. */
  value(): number {
    if (this.usesCpu) {
      return this.wAnchor + (this.cpu!.work - this.cpuAnchor) * this.perUnit * this.stall;
    }
    // A trace replay in a method of its own: this one stays small enough for V8 to inline
    // cheaply into the callers that read the work every round.
    if (this.trace !== undefined) return this.traceValue(this.trace);
    return this.perUnit * this.progress();
  }

  private traceValue(trace: TraceClock): number {
    const tau = this.progress();
    return trace.rateBytes(tau) + trace.entries(tau) * this.vm.pageBytes;
  }

  private anchor(): void {
    if (this.usesCpu) {
      this.wAnchor = this.value();
      this.cpuAnchor = this.cpu!.work;
    }
    this.tauAnchor = this.progress();
    this.tAnchor = this.sim.now;
  }

  /** Trace replay: cumulative bytes of the rate intervals. */
  traceRateBytes(): number {
    return this.trace?.rateBytes(this.progress()) ?? 0;
  }

  /** Trace replay: cumulative page-list entries replayed. */
  traceEntries(): number {
    return this.trace?.entries(this.progress()) ?? 0;
  }

  /** Dirtying work per second now (0 for traces, whose rate varies). */
  rateNow(): number {
    if (this.usesCpu) return this.cpu!.rate * this.perUnit * this.stall;
    return this.perUnit * this.speed();
  }

  get throttle(): number {
    return this.throttleValue;
  }

  /** Applies a CPU throttle to the guest (and to its CPU load, if it has one). */
  setThrottle(fraction: number): void {
    this.anchor();
    this.throttleValue = fraction;
    this.cpu?.setThrottle(fraction);
  }

  /** Share of time the guest runs between post-copy fault stalls, in [0, 1]. */
  setStall(fraction: number): void {
    if (fraction === this.stall) return;
    this.anchor();
    this.stall = fraction;
  }

  /** The guest stops (stop-and-copy, switch-over). */
  pause(): void {
    this.anchor();
    this.paused = true;
    this.cpu?.suspend();
  }

  /** The guest runs again, on `host` if given. */
  resume(host?: Resource): void {
    this.anchor();
    this.paused = false;
    this.cpu?.resume(host);
  }

  /** True while paused. */
  get isPaused(): boolean {
    return this.paused;
  }
}
