/**
 * Compact recording of a migration's rounds and time series: numbers in one flat array per
 * migration while it runs (tens of thousands of migrations in a storm keep no object per round
 * alive; a packed array of doubles is cheaper to grow and to collect than small typed arrays),
 * turned into plain result objects when it ends.
 *
 * @internal
 */
import type { RoundPhase, RoundRecord } from "../result.js";

const PHASES: readonly RoundPhase[] = ["precopy", "stop-and-copy", "postcopy"];
/** Fields of a round: phase, start, duration, bytes, pages, dirty, skipped, throttle. */
const R = 8;

export class RoundLog {
  private readonly data: number[] = [];
  length = 0;

  push(
    phase: RoundPhase,
    startSeconds: number,
    durationSeconds: number,
    bytes: number,
    pages: number,
    dirtyBytes: number,
    skippedBytes: number,
    throttle: number,
  ): void {
    this.data.push(
      phase === "precopy" ? 0 : phase === "stop-and-copy" ? 1 : 2,
      startSeconds,
      durationSeconds,
      bytes,
      pages,
      dirtyBytes,
      skippedBytes,
      throttle,
    );
    this.length++;
  }

  /** Duration of the last round. */
  lastDuration(): number {
    return this.length === 0 ? 0 : this.data[R * (this.length - 1) + 2]!;
  }

  toRecords(): RoundRecord[] {
    const out: RoundRecord[] = new Array(this.length);
    const d = this.data;
    for (let i = 0; i < this.length; i++) {
      const o = R * i;
      const duration = d[o + 2]!;
      const bytes = d[o + 3]!;
      const dirty = d[o + 5]!;
      out[i] = {
        index: i,
        phase: PHASES[d[o]!]!,
        startSeconds: d[o + 1]!,
        durationSeconds: duration,
        bytes,
        pages: d[o + 4]!,
        dirtyBytes: dirty,
        dirtyRateBytesPerSecond: duration > 0 ? dirty / duration : 0,
        bandwidthBytesPerSecond: duration > 0 ? bytes / duration : 0,
        throttle: d[o + 7]!,
        skippedBytes: d[o + 6]!,
      };
    }
    return out;
  }
}

/** A time series of (time, bytes sent, bytes remaining) points. */
export class SeriesLog {
  private readonly data: number[] = [];
  private n = 0;

  point(t: number, sent: number, remaining: number): void {
    const d = this.data;
    if (this.n > 0 && d[3 * (this.n - 1)] === t) {
      d[3 * (this.n - 1) + 1] = sent;
      d[3 * (this.n - 1) + 2] = remaining;
      return;
    }
    d.push(t, sent, remaining);
    this.n++;
  }

  columns(): { timesSeconds: number[]; bytesSent: number[]; remainingBytes: number[] } {
    const n = this.n;
    const d = this.data;
    const timesSeconds: number[] = new Array(n);
    const bytesSent: number[] = new Array(n);
    const remainingBytes: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      timesSeconds[i] = d[3 * i]!;
      bytesSent[i] = d[3 * i + 1]!;
      remainingBytes[i] = d[3 * i + 2]!;
    }
    return { timesSeconds, bytesSent, remainingBytes };
  }
}
