/**
 * The engine of idle parking inside a data-center run: one instance per run, a method per phase
 * (round, park, wake, restore), typed arrays per VM.
 *
 * @internal
 */

import type { DatacenterContext } from "@vx/datacenter";
import type { IdleParameters } from "../parameters.js";
import { IDLE_TECHNIQUES, type IdleTechniqueEntry, sinkCapacity } from "../techniques.js";

const ACTIVE = 0;
const CONVERTING = 1;
const PARKED = 2;
/** A request arrived: restoring as soon as some host has room. */
const WAKING = 3;
const RESTORING = 4;

/** Upper bounds of the first-request wait histogram, seconds (the last bucket is open). */
export const WAIT_BUCKETS: readonly number[] = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 127];

/** Parking state and counters of one run. */
export class Parking {
  private readonly p: IdleParameters;
  private readonly tech: IdleTechniqueEntry;
  private readonly capacity: number;
  private state: Uint8Array = new Uint8Array(0);
  private idleSince: Float64Array = new Float64Array(0);
  private requestAt: Float64Array = new Float64Array(0);
  private waitFrom: Float64Array = new Float64Array(0);
  private armed: Uint8Array = new Uint8Array(0);
  private sinkOf: Int32Array = new Int32Array(0);
  /** Where a swapped-out VM's memory is. */
  private home: Int32Array = new Int32Array(0);
  private holds: ((() => void) | undefined)[] = [];
  /** Proxies in each sink. */
  private readonly sinks: number[] = [];
  private sinksOn = 0;
  private sinkT = 0;
  private sinkJoules = 0;
  /** VMs waiting for room to restore, in arrival order. */
  private waiting: number[] = [];
  private parkedCount = 0;
  private parkedRam = 0;
  private parkedMips = 0;
  private step = 300;

  // Counters.
  parks = 0;
  parkAborted = 0;
  sinkRefusals = 0;
  wakes = 0;
  served = 0;
  failed = 0;
  restoresWaited = 0;
  restoreWaitSeconds = 0;
  requestsDelayed = 0;
  parkedDemandMipsSeconds = 0;
  waitingDemandMipsSeconds = 0;
  readonly waits: number[] = [];

  constructor(p: IdleParameters) {
    this.p = p;
    this.tech = IDLE_TECHNIQUES[p.technique];
    this.capacity = sinkCapacity(p);
  }

  start(ctx: DatacenterContext): void {
    const V = ctx.vmCount;
    this.state = new Uint8Array(V);
    this.idleSince = new Float64Array(V).fill(Number.NaN);
    this.requestAt = new Float64Array(V);
    this.waitFrom = new Float64Array(V).fill(Number.NaN);
    this.armed = new Uint8Array(V);
    this.sinkOf = new Int32Array(V).fill(-1);
    this.home = new Int32Array(V).fill(-1);
    this.holds = new Array<(() => void) | undefined>(V).fill(undefined);
    this.step = ctx.spec.step;
    this.sinkT = ctx.now;
  }

  /** A scheduling round: idleness, look-ahead of parked VMs' traces, retries, series. */
  round(ctx: DatacenterContext): void {
    const t = ctx.now;
    const thr = this.p.threshold;
    if (this.tech.parks) {
      for (let vm = 0; vm < this.state.length; vm++) {
        const s = this.state[vm];
        if (s === ACTIVE) this.checkIdle(ctx, vm, t, thr);
        else if (s === PARKED) {
          const v = ctx.vm(vm);
          this.parkedDemandMipsSeconds += ctx.workload(vm, t) * v.mips * this.step;
          if (this.armed[vm] === 0) this.arm(ctx, vm, t);
        } else if (s === WAKING) {
          this.waitingDemandMipsSeconds += ctx.workload(vm, t) * ctx.vm(vm).mips * this.step;
        }
      }
    }
    this.retry(ctx);
    ctx.record("parkedVms", this.parkedCount);
    ctx.record("releasedRamBytes", this.parkedRam);
    ctx.record("releasedMips", this.parkedMips);
    ctx.record("sinksOn", this.sinksOn);
    ctx.record("waitingRestores", this.waiting.length);
  }

  private checkIdle(ctx: DatacenterContext, vm: number, t: number, thr: number): void {
    const v = ctx.vm(vm);
    if (v.state !== "running" || v.utilisation >= thr) {
      this.idleSince[vm] = Number.NaN;
      return;
    }
    if (Number.isNaN(this.idleSince[vm] as number)) this.idleSince[vm] = t;
    if (t - (this.idleSince[vm] as number) >= this.p.idleAfterSeconds) this.park(ctx, vm);
  }

  // ------------------------------------------------------------------------------------------
  // Parking

  private park(ctx: DatacenterContext, vm: number): void {
    if (this.tech.proxy) {
      const sink = this.sinkSlot(ctx);
      if (sink < 0) {
        this.sinkRefusals++;
        return;
      }
      this.sinkOf[vm] = sink;
    }
    this.state[vm] = CONVERTING;
    const ram = ctx.vm(vm).ramBytes;
    ctx.schedule(this.tech.convertSeconds(this.p, ram), () => this.converted(ctx, vm));
  }

  private converted(ctx: DatacenterContext, vm: number): void {
    const v = ctx.vm(vm);
    const home = v.host;
    if (!ctx.suspendVm(vm)) {
      // Consolidation started moving it meanwhile (or it was lost): it stays as it is.
      this.parkAborted++;
      this.freeSlot(ctx, vm);
      this.state[vm] = ACTIVE;
      this.idleSince[vm] = Number.NaN;
      return;
    }
    if (this.tech.staysOnHost) {
      // Its memory is in that host's swap: the host stays on and the VM resumes there.
      this.home[vm] = home;
      this.holds[vm] = ctx.holdHost(home);
    }
    this.state[vm] = PARKED;
    this.armed[vm] = 0;
    this.parks++;
    this.parkedCount++;
    this.parkedRam += v.ramBytes;
    this.parkedMips += v.mips;
    this.arm(ctx, vm, ctx.now);
  }

  /** A sink with a free proxy slot (switching one more on if needed), or -1. */
  private sinkSlot(ctx: DatacenterContext): number {
    for (let i = 0; i < this.sinks.length; i++) {
      if ((this.sinks[i] as number) < this.capacity) {
        if (this.sinks[i] === 0) this.sinkPower(ctx, 1);
        this.sinks[i] = (this.sinks[i] as number) + 1;
        return i;
      }
    }
    if (this.sinks.length >= this.p.seamless.maxSinks || this.capacity < 1) return -1;
    this.sinkPower(ctx, 1);
    return this.sinks.push(1) - 1;
  }

  private freeSlot(ctx: DatacenterContext, vm: number): void {
    const sink = this.sinkOf[vm] as number;
    if (sink < 0) return;
    this.sinkOf[vm] = -1;
    this.sinks[sink] = (this.sinks[sink] as number) - 1;
    if (this.sinks[sink] === 0) this.sinkPower(ctx, -1);
  }

  private sinkPower(ctx: DatacenterContext, delta: number): void {
    const t = ctx.now;
    this.sinkJoules += this.sinksOn * this.p.seamless.sinkPowerWatts * (t - this.sinkT);
    this.sinkT = t;
    this.sinksOn += delta;
  }

  // ------------------------------------------------------------------------------------------
  // Waking

  /**
   * Looks for the first request of a parked VM in (t, t + step]: where its trace crosses the
   * threshold (linear between the two ends), and schedules the wake there.
   */
  private arm(ctx: DatacenterContext, vm: number, t: number): void {
    const thr = this.p.threshold;
    const u0 = ctx.workload(vm, t);
    if (u0 >= thr) {
      this.armed[vm] = 1;
      this.wake(ctx, vm);
      return;
    }
    const u1 = ctx.workload(vm, t + this.step);
    if (u1 < thr) return;
    this.armed[vm] = 1;
    const at = t + (this.step * (thr - u0)) / (u1 - u0);
    ctx.schedule(Math.max(0, at - ctx.now), () => this.wake(ctx, vm));
  }

  private wake(ctx: DatacenterContext, vm: number): void {
    this.state[vm] = WAKING;
    this.requestAt[vm] = ctx.now;
    this.wakes++;
    this.parkedCount--;
    const v = ctx.vm(vm);
    this.parkedRam -= v.ramBytes;
    this.parkedMips -= v.mips;
    if (!this.restore(ctx, vm)) {
      this.restoresWaited++;
      this.waitFrom[vm] = ctx.now;
      this.waiting.push(vm);
    }
  }

  /** Resumes a waking VM where there is room (its own host for swap); false when none has. */
  private restore(ctx: DatacenterContext, vm: number): boolean {
    const h = this.tech.staysOnHost ? ctx.resumeVm(vm, this.home[vm] as number) : ctx.resumeVm(vm);
    if (h < 0) return false;
    const hold = this.holds[vm];
    if (hold !== undefined) {
      hold();
      this.holds[vm] = undefined;
    }
    this.state[vm] = RESTORING;
    const ram = ctx.vm(vm).ramBytes;
    ctx.schedule(this.tech.restoreSeconds(this.p, ram), () => this.serving(ctx, vm));
    return true;
  }

  private serving(ctx: DatacenterContext, vm: number): void {
    this.freeSlot(ctx, vm);
    const w = this.tech.requestWait(this.p, ctx.now - (this.requestAt[vm] as number));
    if (w === null) this.failed++;
    else {
      this.served++;
      this.waits.push(w);
      if (w > 0) this.requestsDelayed++;
    }
    this.state[vm] = ACTIVE;
    this.idleSince[vm] = Number.NaN;
  }

  /** Restores waiting VMs, oldest first, while hosts have room. */
  retry(ctx: DatacenterContext): void {
    if (this.waiting.length === 0) return;
    const still: number[] = [];
    for (const vm of this.waiting) {
      if (this.restore(ctx, vm)) {
        this.restoreWaitSeconds += ctx.now - (this.waitFrom[vm] as number);
        this.waitFrom[vm] = Number.NaN;
      } else still.push(vm);
    }
    this.waiting = still;
  }

  // ------------------------------------------------------------------------------------------
  // End

  /** Closes the sink energy; returns counts of wakes still pending. */
  end(ctx: DatacenterContext): { pending: number; sinkJoules: number; parkedAtEnd: number } {
    this.sinkPower(ctx, 0);
    let pending = 0;
    for (let vm = 0; vm < this.state.length; vm++) {
      const s = this.state[vm];
      if (s === WAKING || s === RESTORING) pending++;
    }
    return { pending, sinkJoules: this.sinkJoules, parkedAtEnd: this.parkedCount };
  }
}
