/**
 * The round machinery of iterative pre-copy (Clark et al., NSDI 2005; QEMU `migration/ram.c`):
 * round 0 sends the whole image, each later round the pages dirtied during the previous one,
 * then the VM pauses and the last dirty pages go in the stop-and-copy. Rules (rate of each round,
 * when to stop, what to skip) come from the subclass.
 *
 * Fluid level: a round's bytes come from the dirty functions of the classes; page level: from
 * the bitmaps, with ticks interleaving the send cursor and the dirtying. Xen's skip rule runs on
 * ticks at both levels: a page dirtied again before the cursor reaches it is not sent (fluid: the
 * expected share, `q / (1 − q)` of the bytes sent, `q` the dirty share of the round's pages).
 *
 * @internal
 */
import { classDirty } from "./dirty-plan.js";
import type { RoundRules, RoundSet } from "./page-memory.js";
import { Session } from "./session.js";

export interface RoundPlanInfo {
  readonly set: RoundSet;
  /** Fluid: bytes of each class in the set. */
  readonly composition: Float64Array | undefined;
}

export type Decision =
  | { readonly next: "round" }
  | { readonly next: "stop-and-copy" }
  | { readonly next: "give-up"; readonly reason: string }
  | { readonly next: "switch" };

const onLanded = (s: PrecopySession): void => s.complete();

export abstract class PrecopySession extends Session {
  round = 0;
  // Fractional numbers start as NaN, then zero (see Session).
  roundStart: number = Number.NaN;
  roundBytes: number = Number.NaN;
  roundPages: number = Number.NaN;
  roundThrottle = 0;
  private roundLast = false;
  private roundSkipped = 0;
  /** Fluid: the round's class composition and Xen cursor state. */
  private comp: Float64Array;
  private prevResent: Float64Array;
  // Xen's skip rule only.
  private processed = 0;
  private lastProgress = 0;
  private q = 0;
  private roundTickStep = 0.1;
  /** The current round's bytes by kind, counted when it began. */
  private roundFull: number = Number.NaN;
  private roundDelta = 0;
  private roundZero = 0;
  /** Bytes sent in earlier rounds (for Xen's 3 × RAM cap). */
  sentBefore: number = Number.NaN;
  /** Recent rounds, for the bandwidth of the switch-over test. */
  private readonly recentBytes: number[] = [];
  private readonly recentTimes: number[] = [];

  constructor(init: ConstructorParameters<typeof Session>[0]) {
    super(init);
    this.roundStart = this.roundBytes = this.roundPages = this.roundFull = this.sentBefore = 0;
    this.comp = new Float64Array(this.dplan.classes.length);
    this.prevResent = new Float64Array(this.dplan.classes.length);
  }

  /** Bound of the next pre-copy round's transfer. */
  protected abstract roundBound(): number;
  /** Weight of the transfers (multifd channels). */
  protected weight(): number {
    return 1;
  }
  /** Bound of the stop-and-copy. */
  protected abstract stopCopyBound(): number;
  protected abstract rules(first: boolean, last: boolean): RoundRules;
  /** Skip the free pages in round 0. */
  protected skipFreeFirst(): boolean {
    return false;
  }
  protected override currentCap(): number | undefined {
    return this.stage === "stop-and-copy" ? this.stopCopyBound() : this.roundBound();
  }

  /** Xen's rule. */
  protected skipRedirtied(): boolean {
    return false;
  }
  /** What to do after a pre-copy round, given the bytes dirtied during it. */
  protected abstract decide(dirtyBytes: number, sentThisRound: number): Decision;
  /** Called on "switch" (hybrid). */
  protected switchToPostcopy(): void {}

  start(): void {
    this.point(this.plan.vm.ramBytes);
    this.beginRound(true, false);
  }

  /** Bandwidth measured over the most recent rounds covering at least `window` seconds. */
  measuredBandwidth(window: number): number {
    let bytes = 0;
    let time = 0;
    for (let i = this.recentBytes.length - 1; i >= 0; i--) {
      bytes += this.recentBytes[i]!;
      time += this.recentTimes[i]!;
      if (time >= window) break;
    }
    return time > 0 ? bytes / time : this.capacity();
  }

  private fluidRoundSet(first: boolean, last: boolean, rules: RoundRules): RoundSet {
    const classes = this.dplan.classes;
    const comp = this.comp;
    const P = this.P;
    let bytesRam = 0;
    if (first) {
      const skipFree = this.skipFreeFirst();
      for (let c = 0; c < classes.length; c++) {
        comp[c] = skipFree && classes[c]!.part === "free" ? 0 : classes[c]!.bytes;
        bytesRam += comp[c]!;
      }
    } else {
      const w = this.work.value() - this.wSync;
      for (let c = 0; c < classes.length; c++) {
        comp[c] = classDirty(classes[c]!, w, P);
        bytesRam += comp[c]!;
      }
    }
    this.wSync = this.work.value();
    let zeroPages = 0;
    if (first && rules.zeroDetection) zeroPages = this.dplan.zeroBytes / P;
    let deltaPages = 0;
    if (!first && rules.cachePages > 0) {
      // Pages re-sent in the previous round are in the cache (direct-mapped, so a share is
      // evicted by collisions: (S/V)(1 − e^(−V/S)) of V pages inserted into S slots survive).
      let prevPages = 0;
      for (let c = 0; c < classes.length; c++) prevPages += this.prevResent[c]! / P;
      const S = rules.cachePages;
      const kept = prevPages > 0 ? Math.min(1, (S / prevPages) * -Math.expm1(-prevPages / S)) : 0;
      for (let c = 0; c < classes.length; c++) {
        const size = classes[c]!.bytes;
        const overlap = size > 0 ? Math.min(1, this.prevResent[c]! / size) : 0;
        deltaPages += (comp[c]! * overlap * kept) / P;
      }
    }
    if (rules.cachePages > 0 && !first && !last) {
      for (let c = 0; c < classes.length; c++) this.prevResent[c] = comp[c]!;
    }
    const pages = bytesRam / P;
    const fullPages = pages - zeroPages - deltaPages;
    return {
      bytes: fullPages * P + deltaPages * rules.deltaBytes + zeroPages * rules.zeroPageBytes,
      pages,
      fullPages,
      deltaPages,
      zeroPages,
      fullBytes: fullPages * P,
      deltaBytes: deltaPages * rules.deltaBytes,
      zeroBytes: zeroPages * rules.zeroPageBytes,
    };
  }

  /** Syncs the dirty state and starts a round (or the stop-and-copy when `last`). */
  beginRound(first: boolean, last: boolean): void {
    const rules = this.rules(first, last);
    let set: RoundSet;
    const page = this.page;
    if (page !== undefined) {
      this.syncPages();
      set = page.beginRound(
        first,
        first && this.skipFreeFirst(),
        rules,
        this.work.value(),
        this.work.traceRateBytes(),
      );
      page.skipMode = !last && this.skipRedirtied();
    } else {
      set = this.fluidRoundSet(first, last, rules);
    }
    this.roundLast = last;
    this.roundStart = this.sim.now;
    this.roundBytes = set.bytes;
    this.roundPages = set.pages;
    this.roundThrottle = this.work.throttle;
    this.roundSkipped = 0;
    this.processed = 0;
    this.lastProgress = 0;
    this.q = 0;
    this.fullBytes += set.fullBytes;
    this.deltaBytes += set.deltaBytes;
    this.zeroBytes += set.zeroBytes;
    this.roundFull = set.fullBytes;
    this.roundDelta = set.deltaBytes;
    this.roundZero = set.zeroBytes;
    this.stage = last ? "stop-and-copy" : "precopy";
    const bound = last ? this.stopCopyBound() : this.roundBound();
    this.transfer(set.bytes, bound, this.weight(), 0);
    const needTicks = page !== undefined || (!last && this.skipRedirtied());
    if (needTicks) {
      const rate = Math.min(bound, this.capacity());
      this.roundTickStep = this.tickFor(set.bytes / (rate > 0 ? rate : 1));
      this.scheduleTick(this.roundTickStep);
    }
  }

  protected override tick(): void {
    const page = this.page;
    const sent = this.progress();
    if (page !== undefined) {
      page.advance(sent);
      this.syncPages();
      if (page.skipMode) {
        this.roundSkipped = page.skippedBytes;
        if (sent >= this.roundBytes - this.roundSkipped - 1e-6) {
          this.endRoundEarly();
          return;
        }
      }
    } else if (this.skipRedirtied() && !this.roundLast) {
      const ds = sent - this.lastProgress;
      this.lastProgress = sent;
      const q = this.q;
      let skip = q < 1 ? (ds * q) / (1 - q) : Number.POSITIVE_INFINITY;
      const room = this.roundBytes - this.processed - ds;
      if (skip > room) skip = room > 0 ? room : 0;
      this.processed += ds + skip;
      this.roundSkipped += skip;
      this.q = this.dirtyShareOfRound();
      if (this.processed >= this.roundBytes - 1e-6 || this.q >= 1 - 1e-12) {
        this.roundSkipped = Math.max(0, this.roundBytes - sent);
        this.endRoundEarly();
        return;
      }
    }
    // Next tick: the usual step, or when the round should end.
    let step = this.roundTickStep;
    const rate = this.transferRate();
    if (rate > 0 && this.skipRedirtied() && !this.roundLast) {
      const left =
        page !== undefined
          ? this.roundBytes - this.roundSkipped - sent
          : (this.roundBytes - this.processed) * (1 - this.q);
      const eta = left / rate;
      if (eta < step) step = eta > 1e-9 ? eta : 1e-9;
    }
    this.scheduleTick(step);
  }

  /** Fluid: share of the round's pages dirtied since the round began. */
  private dirtyShareOfRound(): number {
    const classes = this.dplan.classes;
    const w = this.work.value() - this.wSync;
    let x = 0;
    for (let c = 0; c < classes.length; c++) {
      const size = classes[c]!.bytes;
      if (size <= 0 || this.comp[c] === 0) continue;
      x += (this.comp[c]! * classDirty(classes[c]!, w, this.P)) / size;
    }
    let total = 0;
    for (let c = 0; c < classes.length; c++) total += this.comp[c]!;
    return total > 0 ? x / total : 0;
  }

  private endRoundEarly(): void {
    const amount = this.transferAmount;
    const left = this.stopTransfer();
    this.roundEnded(amount - left);
  }

  protected transferDone(): void {
    this.roundEnded(this.transferAmount);
  }

  /** An interrupted round sent only part of what was counted when it began. */
  protected override unsent(bytes: number): void {
    const total = this.roundBytes;
    if (!(bytes > 0) || !(total > 0)) return;
    const f = bytes < total ? bytes / total : 1;
    this.fullBytes -= this.roundFull * f;
    this.deltaBytes -= this.roundDelta * f;
    this.zeroBytes -= this.roundZero * f;
  }

  private roundEnded(sent: number): void {
    this.cancelTick();
    const page = this.page;
    if (page !== undefined) {
      page.advance(sent);
      if (page.skipMode) this.roundSkipped = page.skippedBytes;
      page.endRound();
      this.syncPages();
    }
    // Skipped bytes were planned but not sent.
    const skipped = this.roundSkipped;
    if (skipped > 0) this.fullBytes -= skipped;
    const bytes = this.roundBytes - skipped;
    const duration = this.sim.now - this.roundStart;
    if (this.roundLast) {
      this.record(
        "stop-and-copy",
        this.roundStart,
        bytes,
        this.roundPages,
        0,
        0,
        this.roundThrottle,
      );
      this.point(0);
      this.completeAfterLatency();
      return;
    }
    this.recentBytes.push(bytes);
    this.recentTimes.push(duration);
    if (this.recentBytes.length > 64) {
      this.recentBytes.shift();
      this.recentTimes.shift();
    }
    const dirty = this.dirtySinceSync();
    const pages = page !== undefined ? page.roundPages : this.roundPages - skipped / this.P;
    this.record("precopy", this.roundStart, bytes, pages, dirty, skipped, this.roundThrottle);
    this.sentBefore += bytes;
    this.round++;
    this.point(dirty);
    const d = this.decide(dirty, bytes);
    if (d.next === "round") this.beginRound(false, false);
    else if (d.next === "stop-and-copy") {
      this.pauseVm();
      this.beginRound(false, true);
    } else if (d.next === "switch") this.switchToPostcopy();
    else this.finish("did-not-converge", d.reason);
  }

  /** The last byte reaches the destination one latency after it was sent; the VM resumes there. */
  private completeAfterLatency(): void {
    if (this.latency > 0) {
      this.stage = "stop-and-copy";
      this.sim.schedule(this.latency, onLanded, this);
    } else this.complete();
  }

  /** The last byte has arrived: the VM resumes on the destination. */
  complete(): void {
    if (this.stage === "done") return;
    this.resumeVm(true);
    this.memoryFreed = this.sim.now - this.t0;
    this.finish("completed", "the VM runs on the destination");
  }
}
