/**
 * The closed-form estimate (Akoush et al., MASCOTS 2010; Liu et al., HPDC 2011) run as a
 * strategy: the rounds are computed at the start from the route's bottleneck rate (capped by
 * QEMU's rate options) and the dirtying model's dirty function; the VM pauses when the estimated
 * stop-and-copy begins and the migration ends after the estimated total time. It ignores sharing
 * with other transfers, zero pages and xbzrle, and holds no transfer on the route: a failure
 * reaches it through `Migration.fail` (which `migrate` calls when its link fails). The time cap
 * and failures stop it like the other strategies, with the rounds finished by then.
 *
 * @internal
 */
import { estimateWith, type PrecopyEstimate } from "../analytic.js";
import { planDirty } from "./dirty-plan.js";
import { Session } from "./session.js";

export class AnalyticMigration extends Session {
  private estimate: PrecopyEstimate | undefined = undefined;
  private rate = 0;
  private pauseHandle = -1;
  private doneHandle = -1;
  private readonly pauseCb = (): void => this.pause();
  private readonly doneCb = (): void => this.done();

  start(): void {
    const q = this.plan.qemu;
    const channels = q.multifd ? q.multifdChannels : 1;
    const r = Math.min(this.capacity(), q.maxBandwidth, channels * q.streamRate);
    this.rate = r;
    const vm = this.plan.vm;
    let rate = this.work.rateNow();
    const d = vm.dirty;
    if (d.model === "trace") {
      let bytes = 0;
      let time = 0;
      for (const iv of d.trace.intervals) {
        time += iv.durationSeconds;
        bytes +=
          iv.kind === "rate" ? iv.bytesPerSecond * iv.durationSeconds : iv.pages.length * this.P;
      }
      rate = time > 0 ? bytes / time : 0;
    }
    const e = estimateWith(
      vm.ramBytes,
      r,
      (t) => planDirty(this.dplan, rate * t, this.P),
      q.downtimeLimit,
      this.plan.maxRounds,
    );
    this.estimate = e;
    this.point(vm.ramBytes);
    if (e.outcome === "completed") {
      this.pauseHandle = this.sim.schedule(e.totalTimeSeconds - e.downtimeSeconds, this.pauseCb);
    }
    this.doneHandle = this.sim.schedule(e.totalTimeSeconds, this.doneCb);
  }

  /** The estimated stop-and-copy begins: the VM pauses. */
  private pause(): void {
    this.pauseHandle = -1;
    if (this.stage !== "precopy") return;
    this.stage = "stop-and-copy";
    this.pauseVm();
    this.expectedDowntime = this.estimate!.downtimeSeconds;
  }

  /** Records the pre-copy rounds that ended `until` seconds in, and the bytes sent by then. */
  private recordRounds(until: number): void {
    const e = this.estimate!;
    const P = this.P;
    let start = 0;
    let sent = 0;
    for (let i = 0; i < e.rounds.length; i++) {
      const rd = e.rounds[i]!;
      if (start + rd.seconds > until) {
        sent += Math.max(0, until - start) * this.rate; // the part of the round under way
        break;
      }
      const next = i + 1 < e.rounds.length ? e.rounds[i + 1]!.bytes : e.stopCopyBytes;
      this.rounds.push("precopy", start, rd.seconds, rd.bytes, rd.bytes / P, next, 0, 0);
      this.point(next);
      start += rd.seconds;
      sent += rd.bytes;
    }
    if (this.stage === "stop-and-copy") sent += Math.max(0, until - start) * this.rate;
    this.fullBytes = Math.min(sent, e.totalBytes);
  }

  protected override onStop(): void {
    if (this.pauseHandle >= 0) this.sim.cancel(this.pauseHandle);
    if (this.doneHandle >= 0) this.sim.cancel(this.doneHandle);
    this.pauseHandle = -1;
    this.doneHandle = -1;
    if (this.estimate !== undefined) this.recordRounds(this.sim.now - this.t0);
  }

  private done(): void {
    this.doneHandle = -1;
    if (this.stage === "done") return;
    const e = this.estimate!;
    const P = this.P;
    let start = this.t0;
    for (let i = 0; i < e.rounds.length; i++) {
      const rd = e.rounds[i]!;
      const next = i + 1 < e.rounds.length ? e.rounds[i + 1]!.bytes : e.stopCopyBytes;
      this.rounds.push("precopy", start - this.t0, rd.seconds, rd.bytes, rd.bytes / P, next, 0, 0);
      start += rd.seconds;
    }
    this.fullBytes = e.totalBytes;
    if (e.outcome === "completed") {
      const stop = e.stopCopyBytes;
      this.rounds.push(
        "stop-and-copy",
        start - this.t0,
        e.downtimeSeconds,
        stop,
        stop / P,
        0,
        0,
        0,
      );
      if (!this.work.isPaused) this.pauseVm(); // a zero-length stop-and-copy
      this.resumeVm(true);
      this.downtime = e.downtimeSeconds;
      this.expectedDowntime = e.downtimeSeconds;
      this.cpuReleased = start - this.t0;
      this.memoryFreed = e.totalTimeSeconds;
      this.point(0);
      this.finish("completed", "closed-form estimate: the VM runs on the destination");
    } else {
      this.point(e.rounds[e.rounds.length - 1]?.bytes ?? 0);
      this.finish(
        "did-not-converge",
        `closed-form estimate: no round fits ${this.plan.qemu.downtimeLimit} s within ${this.plan.maxRounds} rounds`,
      );
    }
  }

  protected transferDone(): void {}
}
