/**
 * Pre-copy with legacy Xen's rules (Clark et al., "Live Migration of Virtual Machines", NSDI 2005,
 * §4–5; Xen 3/4 `tools/libxc/xc_domain_save.c`):
 *
 * - dynamic rate limiting: the first round runs at 100 Mbit/s; after each round, if the dirty rate
 *   of that round exceeded the rate, rate = min(dirty rate + 50 Mbit/s, 500 Mbit/s);
 * - pages dirtied again during the current round are skipped (they will go in a later round);
 * - stop-and-copy (at full speed) when fewer than 50 pages are left to send, after 30 rounds,
 *   once more than 3 × RAM has been sent, or when the rate is at its maximum and the round sent
 *   more than the previous one;
 * - no zero-page detection.
 *
 * @internal
 */
import type { RoundRules } from "./page-memory.js";
import { type Decision, PrecopySession } from "./precopy.js";

export class XenPrecopy extends PrecopySession {
  private rate = 0;
  private lastSent = Number.POSITIVE_INFINITY;

  override start(): void {
    this.rate = this.plan.xen.initialRate;
    super.start();
  }

  /** Mbit/s rate of the current round. */
  get currentRate(): number {
    return this.rate;
  }

  protected roundBound(): number {
    const cap = this.maxBandwidthOverride;
    return cap !== undefined && cap < this.rate ? cap : this.rate;
  }

  protected stopCopyBound(): number {
    return this.maxBandwidthOverride ?? Number.POSITIVE_INFINITY;
  }

  protected rules(): RoundRules {
    return {
      zeroDetection: false,
      zeroPageBytes: 0,
      cachePages: 0,
      deltaBytes: 0,
      cacheInsert: false,
    };
  }

  protected override skipRedirtied(): boolean {
    return this.plan.xen.skipRedirtied;
  }

  protected decide(dirty: number, sent: number): Decision {
    const x = this.plan.xen;
    const duration = this.rounds.lastDuration();
    const dirtyRate = duration > 0 ? dirty / duration : 0;
    if (dirtyRate > this.rate) this.rate = Math.min(dirtyRate + x.rateIncrement, x.maxRate);
    const atMax = this.rate >= x.maxRate;
    const stop =
      dirty / this.P < x.stopPages ||
      this.round >= x.maxIterations ||
      this.sentBefore > x.maxFactor * this.plan.vm.ramBytes ||
      (atMax && sent > this.lastSent);
    this.lastSent = sent;
    if (stop) return { next: "stop-and-copy" };
    if (this.round >= this.plan.maxRounds) {
      return {
        next: "give-up",
        reason: `no stop-and-copy after ${this.round} rounds (limits.maxRounds)`,
      };
    }
    return { next: "round" };
  }
}
