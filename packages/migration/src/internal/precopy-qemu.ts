/**
 * Pre-copy with QEMU's rules (QEMU `migration/migration.c`, `migration/ram.c`; defaults of QEMU
 * 5.2 and later):
 *
 * - switch-over test after each round: `threshold = bandwidth × downtime-limit`, bandwidth
 *   measured over the last rounds covering at least the iteration period (100 ms); switch when
 *   the bytes found dirty at the sync are ≤ threshold; expected downtime = dirty / bandwidth;
 * - the stream's rate is `min(max-bandwidth, channels × stream rate)` (multifd: weight = channels,
 *   like that many TCP connections on a shared bottleneck);
 * - auto-converge (`migration_trigger_throttle`): at bitmap syncs at least 1 s apart, if the bytes
 *   dirtied in the period exceed `throttle-trigger-threshold` of the bytes transferred, a counter
 *   goes up; at 2 it resets and the throttle starts at `cpu-throttle-initial` or grows by
 *   `cpu-throttle-increment`, up to `max-cpu-throttle`;
 * - xbzrle: a direct-mapped cache of `xbzrle-cache-size` (power-of-two page slots) filled by the
 *   pages re-sent after the first round; a re-sent page found in it costs a delta;
 * - zero pages cost a 9-byte flag.
 *
 * @internal
 */
import type { RoundRules } from "./page-memory.js";
import { type Decision, PrecopySession } from "./precopy.js";

export class QemuPrecopy extends PrecopySession {
  private highCount = 0;
  private lastCheck = 0;
  private xferAtCheck = 0;
  private dirtyPeriod = 0;

  override start(): void {
    this.lastCheck = this.sim.now;
    super.start();
  }

  protected roundBound(): number {
    const q = this.plan.qemu;
    const channels = q.multifd ? q.multifdChannels : 1;
    return Math.min(this.maxBandwidthOverride ?? q.maxBandwidth, channels * q.streamRate);
  }

  protected override weight(): number {
    const q = this.plan.qemu;
    return q.multifd ? q.multifdChannels : 1;
  }

  protected stopCopyBound(): number {
    return this.roundBound();
  }

  protected rules(_first: boolean, last: boolean): RoundRules {
    const q = this.plan.qemu;
    let cachePages = 0;
    if (q.xbzrle) {
      const slots = Math.floor(q.xbzrleCacheSize / this.P);
      cachePages = slots >= 1 ? 2 ** Math.floor(Math.log2(slots)) : 0;
    }
    return {
      zeroDetection: q.zeroPageDetection,
      zeroPageBytes: q.zeroPageBytes,
      cachePages,
      deltaBytes: q.xbzrleDeltaRatio * this.P,
      cacheInsert: !last,
    };
  }

  protected override skipFreeFirst(): boolean {
    return this.plan.qemu.freePageHinting;
  }

  /** Applies the auto-converge rule at a bitmap sync. */
  private autoConverge(dirty: number): void {
    const q = this.plan.qemu;
    this.dirtyPeriod += dirty;
    const now = this.sim.now;
    if (now - this.lastCheck < q.syncInterval) return;
    const xfer = this.sentTotal() - this.xferAtCheck;
    if (this.dirtyPeriod > q.throttleTriggerThreshold * xfer && ++this.highCount >= 2) {
      this.highCount = 0;
      if (q.autoConverge) {
        const current = this.work.throttle;
        const next =
          current === 0
            ? q.throttleInitial
            : Math.min(current + q.throttleIncrement, q.throttleMax);
        if (next !== current) this.setThrottle(next);
      }
    }
    this.lastCheck = now;
    this.xferAtCheck = this.sentTotal();
    this.dirtyPeriod = 0;
  }

  /** Hybrid: switch to post-copy after this many rounds (Infinity: never). */
  protected switchAfter(): number {
    return Number.POSITIVE_INFINITY;
  }

  protected decide(dirty: number): Decision {
    const q = this.plan.qemu;
    const bw = this.measuredBandwidth(q.iterationPeriod);
    const threshold = bw * q.downtimeLimit;
    this.expectedDowntime = bw > 0 ? dirty / bw : null;
    this.autoConverge(dirty);
    if (dirty <= threshold) return { next: "stop-and-copy" };
    if (this.round >= this.switchAfter()) return { next: "switch" };
    if (this.round >= this.plan.maxRounds) {
      return {
        next: "give-up",
        reason: `no switch-over after ${this.round} rounds: ${fmt(dirty)} dirty per round against a threshold of ${fmt(threshold)}`,
      };
    }
    if (this.sim.now - this.t0 >= this.plan.maxTime) {
      return {
        next: "give-up",
        reason: `no switch-over within ${this.plan.maxTime} s: ${fmt(dirty)} dirty per round against a threshold of ${fmt(threshold)}`,
      };
    }
    return { next: "round" };
  }
}

function fmt(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
