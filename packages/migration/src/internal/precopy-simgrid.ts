/**
 * SimGrid-compatible pre-copy (Hirofuchi, Lèbre, Pouilloux, CloudCom 2013 / IEEE TCC 2015; the
 * SimGrid implementation `src/plugins/vm/VmLiveMigration.cpp`, `dirty_page_tracking.cpp`):
 *
 * - stage 1 sends all RAM as one message and measures `bandwidth = RAM / duration`;
 *   `threshold = floor(bandwidth × max_downtime)` (30 ms);
 * - stage 2 sends the bytes dirtied during the previous message, `floor(work × dp_rate)` capped at
 *   the working-set size, re-measures the bandwidth and the threshold from that message, while
 *   the remaining bytes exceed the threshold;
 * - stage 3 suspends the VM and sends the rest (the downtime); the destination resumes the VM and
 *   acknowledges with a 0-byte message on the way back;
 * - every message pays the route latency (SimGrid's `put` of a message of that size), so
 *   concurrent migrations and CPU contention couple into the rounds through `@vx/core`'s fluid
 *   sharing. Byte counts are integers, as SimGrid's `sg_size_t`.
 *
 * SimGrid aborts the whole simulation after 10^7 s without convergence; here the migration ends as
 * `did-not-converge` at the plan's round or time cap.
 *
 * @internal
 */
import { planDirty } from "./dirty-plan.js";
import { Session } from "./session.js";

const STAGE1 = 1;
const STAGE2 = 2;
const STAGE3 = 3;
const ACK = 4;

const onAck = (s: SimGridPrecopy): void => s.acknowledged();

// The message in flight is the session's transfer (its size: `transferAmount`), and the work at
// the last lookup is the session's `wSync`: no field of its own for either (thousands of
// migrations in flight, each field a word, each fraction a boxed number).
export class SimGridPrecopy extends Session {
  private step = STAGE1;
  // Starts as NaN, then zero (see Session).
  private msgStart: number = Number.NaN;
  private round = 0;

  constructor(init: ConstructorParameters<typeof Session>[0]) {
    super(init);
    this.msgStart = 0;
  }

  start(): void {
    const ram = Math.floor(this.plan.vm.ramBytes);
    this.point(ram);
    this.wSync = this.work.value();
    this.send(STAGE1, ram);
  }

  private send(step: number, bytes: number): void {
    this.step = step;
    this.msgStart = this.sim.now;
    this.stage = step === STAGE3 ? "stop-and-copy" : "precopy";
    this.transfer(bytes, this.speed(), 1, this.latency);
  }

  /** The migration speed (SimGrid's `sg_vm_set_migration_speed`), or the cap set while it runs. */
  private speed(): number {
    return this.maxBandwidthOverride ?? this.plan.simgrid.speedCap;
  }

  protected override currentCap(): number | undefined {
    return this.speed();
  }

  /** Bytes dirtied since the last lookup: floor(work × dp_rate), capped (SimGrid's get_updated_size). */
  private lookup(): number {
    const w = this.work.value();
    const dw = w - this.wSync;
    this.wSync = w;
    return Math.floor(planDirty(this.dplan, dw, this.P));
  }

  /** SimGrid: once the destination resumed the VM, the migration is complete, even if the ack fails. */
  acknowledged(): void {
    if (this.stage === "done") return;
    this.memoryFreed = this.sim.now - this.t0;
    this.finish("completed", "the VM runs on the destination");
  }

  /** An interrupted message: count what it sent. */
  protected override unsent(bytes: number): void {
    if (this.step !== ACK) this.fullBytes += Math.max(0, this.transferAmount - bytes);
  }

  protected transferDone(): void {
    const now = this.sim.now;
    const duration = now - this.msgStart;
    const bytes = this.transferAmount;
    this.fullBytes += bytes;
    if (this.step === STAGE3) {
      this.record("stop-and-copy", this.msgStart, bytes, bytes / this.P, 0, 0, this.work.throttle);
      this.point(0);
      // The destination resumes the VM, then acknowledges: a 0-byte message back, which only
      // pays the latency. From here on the VM runs on the destination whatever fails.
      this.resumeVm(true);
      this.step = ACK;
      this.stage = "completing";
      if (this.latency > 0) this.sim.schedule(this.latency, onAck, this);
      else this.acknowledged(); // a 0-byte message over a zero-latency route arrives at once
      return;
    }
    const updated = this.lookup();
    const bandwidth = duration > 0 ? bytes / duration : this.capacity();
    const threshold = Math.floor(bandwidth * this.plan.simgrid.maxDowntime);
    this.record("precopy", this.msgStart, bytes, bytes / this.P, updated, 0, this.work.throttle);
    this.round++;
    // remaining = what was left after this message (0) plus what was dirtied during it.
    const remaining = updated;
    this.point(remaining);
    if (threshold < remaining) {
      if (this.round >= this.plan.maxRounds || now - this.t0 >= this.plan.maxTime) {
        this.expectedDowntime = bandwidth > 0 ? remaining / bandwidth : null;
        this.finish(
          "did-not-converge",
          `no convergence after ${this.round} messages: ${remaining} B dirtied per round against a threshold of ${threshold} B`,
        );
        return;
      }
      this.send(STAGE2, remaining);
      return;
    }
    this.expectedDowntime = bandwidth > 0 ? remaining / bandwidth : null;
    this.pauseVm();
    this.send(STAGE3, remaining);
  }
}
