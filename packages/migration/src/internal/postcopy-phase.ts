/**
 * The post-copy phase (Hines & Gopalan, VEE 2009; QEMU `postcopy-ram`): the VM stops on the
 * source, its CPU state crosses (the downtime), and it runs on the destination while the pages
 * it still needs arrive, each exactly once, by two paths sharing one stream:
 *
 * - demand paging: a touch on a missing page is a network fault; the vCPU stalls one round trip
 *   plus the page's transfer time;
 * - background push from the pivot on, which pre-paging moves just past each faulting address
 *   (enlightened post-copy, Abe et al. VEE 2016: the working set first, free pages never).
 *
 * Touches are the dirtying model's page stream on the destination (times `accessFactor`). Ticks
 * advance both paths; the stall of a tick's faults slows the guest during the next tick. At fluid
 * level a touch faults with the probability that its class's untouched pages are still missing,
 * so fault counts are expectations (fractional).
 *
 * @internal
 */
import { classDirty } from "./dirty-plan.js";
import type { RoundRules } from "./page-memory.js";
import type { Session } from "./session.js";

export interface PostcopyMode {
  /** Free pages are never sent (enlightened). */
  readonly skipFree: boolean;
  /** The working set is pushed first (enlightened). */
  readonly hotFirst: boolean;
  /** Pre-copy rounds ran before (hybrid): only stale pages are needed. */
  readonly afterPrecopy: boolean;
}

export class PostcopyPhase {
  private readonly s: Session;
  private readonly mode: PostcopyMode;
  private start0 = 0;
  private amount = 0;
  private zeroAmount = 0;
  private roundPages = 0;
  private wSwitch = 0;
  private running = false;
  private step = 0.01;
  private stallDebt = 0;
  private faultsSeen = 0;
  /** Transfer bytes per RAM byte of the needed pages (zero-page flags are smaller). */
  private scale = 1;
  private readonly needed: Float64Array;
  private readonly touched: Float64Array;
  private readonly resumeCb = (): void => this.resume();
  private readonly finishCb = (): void => this.complete();

  constructor(s: Session, mode: PostcopyMode) {
    this.s = s;
    this.mode = mode;
    this.needed = new Float64Array(s.dplan.classes.length);
    this.touched = new Float64Array(s.dplan.classes.length);
  }

  private rules(): RoundRules {
    const q = this.s.plan.qemu;
    return {
      zeroDetection: q.zeroPageDetection,
      zeroPageBytes: q.zeroPageBytes,
      cachePages: 0,
      deltaBytes: 0,
      cacheInsert: false,
    };
  }

  start(): void {
    const s = this.s;
    const sim = s.sim;
    if (!s.work.isPaused) s.pauseVm();
    s.stage = "switching";
    s.switchAt = sim.now - s.t0;
    this.start0 = sim.now;
    const rules = this.rules();
    let bytes: number;
    let zeroBytes = 0;
    const page = s.page;
    if (page !== undefined) {
      s.syncPages();
      page.pivotOnFault = s.plan.postcopy.prepaging;
      const set = page.beginPostcopy(
        this.mode.skipFree,
        this.mode.hotFirst,
        rules,
        s.work.value(),
        s.work.traceRateBytes(),
      );
      bytes = set.bytes;
      zeroBytes = set.zeroBytes;
      this.roundPages = set.pages;
    } else {
      const classes = s.dplan.classes;
      let ram = 0;
      const w = s.work.value() - s.wSync;
      for (let c = 0; c < classes.length; c++) {
        const k = classes[c]!;
        const x = this.mode.afterPrecopy
          ? classDirty(k, w, s.P)
          : this.mode.skipFree && k.part === "free"
            ? 0
            : k.bytes;
        this.needed[c] = x;
        ram += x;
      }
      const zeroPages =
        !this.mode.afterPrecopy && rules.zeroDetection ? s.dplan.zeroBytes / s.P : 0;
      zeroBytes = zeroPages * rules.zeroPageBytes;
      bytes = ram - zeroPages * s.P + zeroBytes;
      this.scale = ram > 0 ? bytes / ram : 1;
      this.roundPages = ram / s.P;
    }
    this.amount = bytes;
    this.zeroAmount = zeroBytes;
    s.zeroBytes += zeroBytes;
    s.fullBytes += bytes - zeroBytes;
    s.point(bytes);
    s.transfer(bytes, this.cap(), 1, 0);
    // The CPU state crosses; then the VM runs on the destination.
    const cap = s.capacity();
    const stateTime = s.plan.postcopy.cpuStateBytes > 0 ? s.plan.postcopy.cpuStateBytes / cap : 0;
    sim.schedule(s.latency + stateTime, this.resumeCb);
    const rate = Math.min(this.cap(), cap);
    this.step = s.tickFor(bytes / (rate > 0 ? rate : 1));
    s.scheduleTick(this.step);
  }

  private resume(): void {
    const s = this.s;
    if (s.stage !== "switching") return;
    s.stage = "postcopy";
    s.resumeVm(true);
    this.wSwitch = s.work.value();
    if (s.page !== undefined) s.page.resetDirty(this.wSwitch, s.work.traceRateBytes());
    this.running = true;
  }

  /** One step: faults from the touches since the last step, then the push. */
  tick(): void {
    const s = this.s;
    if (s.stage === "done") return;
    const sent = s.progress();
    const page = s.page;
    const P = s.P;
    if (this.running) {
      if (page !== undefined) {
        const f = s.plan.postcopy.accessFactor;
        if (f === 1) s.syncPages();
        else {
          const w = this.wSwitch + (s.work.value() - this.wSwitch) * f;
          page.update(w, s.work.traceRateBytes(), s.work.traceEntries());
        }
        s.faults = page.faults;
        s.faultBytes = page.faultBytes;
      } else {
        const w = (s.work.value() - this.wSwitch) * s.plan.postcopy.accessFactor;
        const classes = s.dplan.classes;
        for (let c = 0; c < classes.length; c++) {
          const k = classes[c]!;
          const t = classDirty(k, w, P);
          const dt = t - this.touched[c]!;
          if (dt <= 0) continue;
          const untouched = k.bytes - this.touched[c]!;
          let f = untouched > 0 ? (dt * this.needed[c]!) / untouched : 0;
          if (f > this.needed[c]!) f = this.needed[c]!;
          this.needed[c]! -= f;
          this.touched[c] = t;
          s.faults += f / P;
          s.faultBytes += f * this.scale;
        }
      }
      const fresh = s.faults - this.faultsSeen;
      this.faultsSeen = s.faults;
      if (fresh > 0) {
        const rate = s.transferRate();
        const bw = rate > 0 ? rate : s.capacity();
        const cost = s.rtt + P / bw;
        this.stallDebt += fresh * cost;
        s.stallSeconds += fresh * cost;
      }
    }
    // The push gets what the stream sent beyond the faulted pages.
    const budget = sent - s.pushedBytes - s.faultBytes;
    if (budget > 0) this.pushBytes(budget);
    // The stall slows the guest during the next step.
    const step = this.step;
    const stalled = Math.min(this.stallDebt, step);
    this.stallDebt -= stalled;
    s.work.setStall(1 - stalled / step);
    s.scheduleTick(step);
  }

  private pushBytes(budget: number): void {
    const s = this.s;
    const page = s.page;
    if (page !== undefined) {
      s.pushedBytes += page.push(budget);
      return;
    }
    const classes = s.dplan.classes;
    const needed = this.needed;
    let left = budget / this.scale;
    if (this.mode.hotFirst) {
      for (let c = 0; c < classes.length && left > 0; c++) {
        if (classes[c]!.part !== "hot") continue;
        const x = Math.min(left, needed[c]!);
        needed[c]! -= x;
        left -= x;
        s.pushedBytes += x * this.scale;
      }
    }
    let total = 0;
    for (let c = 0; c < classes.length; c++) total += needed[c]!;
    if (total <= 0 || left <= 0) return;
    const share = Math.min(1, left / total);
    for (let c = 0; c < classes.length; c++) {
      const x = needed[c]! * share;
      needed[c]! -= x;
      s.pushedBytes += x * this.scale;
    }
  }

  /** `max-postcopy-bandwidth`, or the cap set while it runs. */
  cap(): number {
    return this.s.maxBandwidthOverride ?? this.s.plan.postcopy.maxBandwidth;
  }

  /** The stream was interrupted with `bytes` not sent: take them off the counts. */
  unsent(bytes: number): void {
    const s = this.s;
    const total = this.amount;
    if (!(bytes > 0) || !(total > 0)) return;
    const f = bytes < total ? bytes / total : 1;
    const zero = this.zeroAmount;
    s.zeroBytes -= zero * f;
    s.fullBytes -= (total - zero) * f;
  }

  /** The stream finished: every needed page is at the destination. */
  done(): void {
    const s = this.s;
    s.cancelTick();
    if (this.running) this.tick();
    s.cancelTick();
    const rest = this.amount - s.pushedBytes - s.faultBytes;
    if (s.page !== undefined) s.pushedBytes += s.page.push(Number.POSITIVE_INFINITY);
    else if (rest > 0) {
      s.pushedBytes += rest;
      this.needed.fill(0);
    }
    s.work.setStall(1);
    s.record("postcopy", this.start0, this.amount, this.roundPages, 0, 0, s.work.throttle);
    s.point(0);
    // The last byte arrives one latency later; the source frees the VM's memory then.
    s.sim.schedule(s.latency, this.finishCb);
  }

  private complete(): void {
    const s = this.s;
    if (s.stage === "done") return;
    if (s.stage === "switching") this.resume();
    s.memoryFreed = s.sim.now - s.t0;
    s.finish("completed", "the VM runs on the destination; every page crossed once");
  }
}
