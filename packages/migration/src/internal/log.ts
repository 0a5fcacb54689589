/**
 * Compact recording of a migration's rounds and time series: numbers in one flat array per
 * migration while it runs (tens of thousands of migrations in a storm keep no object per round
 * alive; a packed array of doubles is cheaper to grow and to collect than small typed arrays),
 * turned into plain result objects when it ends.
 *
 * @internal
 */
import { ROUND_RECORDS_KEPT } from "../defaults.js";
import type { OmittedRounds, RoundPhase, RoundRecord } from "../result.js";

const PHASES: readonly RoundPhase[] = ["precopy", "stop-and-copy", "postcopy"];
/** Fields of a round: phase, start, duration, bytes, pages, dirty, skipped, throttle. */
const R = 8;
/** Rounds kept at each end when there are more than {@link ROUND_RECORDS_KEPT}. */
const HALF = ROUND_RECORDS_KEPT / 2;

/**
 * The rounds of a migration, bounded: the first {@link HALF} rounds and the last {@link HALF} are
 * kept one by one, the rounds between are summed, so a result's size does not grow with the
 * number of rounds.
 */
export class RoundLog {
  private readonly head: number[] = [];
  /** Ring of the most recent rounds once the head is full (allocated then). */
  private tail: Float64Array | undefined = undefined;
  private tailStart = 0;
  private tailCount = 0;
  /** Rounds recorded in all. */
  length = 0;
  // Sums of the rounds dropped from the middle.
  private omittedFrom = -1;
  private omittedCount = 0;
  private omitted: Float64Array | undefined = undefined;

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
    const code = phase === "precopy" ? 0 : phase === "stop-and-copy" ? 1 : 2;
    this.length++;
    if (this.length <= HALF) {
      this.head.push(
        code,
        startSeconds,
        durationSeconds,
        bytes,
        pages,
        dirtyBytes,
        skippedBytes,
        throttle,
      );
      return;
    }
    let tail = this.tail;
    if (tail === undefined) {
      tail = new Float64Array(R * HALF);
      this.tail = tail;
    }
    if (this.tailCount === HALF) {
      // The oldest round of the ring joins the omitted middle.
      const o = R * this.tailStart;
      if (this.omittedCount === 0) this.omittedFrom = this.length - 1 - HALF;
      this.omittedCount++;
      const sums = (this.omitted ??= new Float64Array(R));
      for (let f = 2; f < R - 1; f++) sums[f]! += tail[o + f]!;
      this.tailStart = (this.tailStart + 1) % HALF;
      this.tailCount--;
    }
    const o = R * ((this.tailStart + this.tailCount) % HALF);
    tail[o] = code;
    tail[o + 1] = startSeconds;
    tail[o + 2] = durationSeconds;
    tail[o + 3] = bytes;
    tail[o + 4] = pages;
    tail[o + 5] = dirtyBytes;
    tail[o + 6] = skippedBytes;
    tail[o + 7] = throttle;
    this.tailCount++;
  }

  /** Duration of the last round. */
  lastDuration(): number {
    if (this.length === 0) return 0;
    if (this.tailCount === 0) return this.head[R * (this.length - 1) + 2]!;
    return this.tail![R * ((this.tailStart + this.tailCount - 1) % HALF) + 2]!;
  }

  /** The rounds between the kept ones, summed; `null` when every round is kept. */
  omittedRounds(): OmittedRounds | null {
    const o = this.omitted;
    if (o === undefined) return null;
    return {
      fromIndex: this.omittedFrom,
      count: this.omittedCount,
      durationSeconds: o[2]!,
      bytes: o[3]!,
      pages: o[4]!,
      dirtyBytes: o[5]!,
      skippedBytes: o[6]!,
    };
  }

  toRecords(): RoundRecord[] {
    const headCount = this.head.length / R;
    const out: RoundRecord[] = new Array(headCount + this.tailCount);
    for (let i = 0; i < headCount; i++) out[i] = record(this.head, R * i, i);
    const tail = this.tail;
    const first = this.length - this.tailCount;
    for (let j = 0; j < this.tailCount; j++) {
      out[headCount + j] = record(tail!, R * ((this.tailStart + j) % HALF), first + j);
    }
    return out;
  }
}

function record(d: ArrayLike<number>, o: number, index: number): RoundRecord {
  const duration = d[o + 2]!;
  const bytes = d[o + 3]!;
  const dirty = d[o + 5]!;
  return {
    index,
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

/** Points a series keeps before it halves its resolution. */
const SERIES_POINTS = 2 * ROUND_RECORDS_KEPT;

/**
 * A time series of (time, bytes sent, bytes remaining) points, bounded: past
 * {@link SERIES_POINTS} points it keeps every other one and from then on one point in two (then
 * four, …), always ending with the latest point.
 */
export class SeriesLog {
  private readonly data: number[] = [];
  private n = 0;
  private stride = 1;
  private calls = 0;
  private lastT = Number.NaN;
  private lastSent = 0;
  private lastRemaining = 0;

  point(t: number, sent: number, remaining: number): void {
    const d = this.data;
    this.lastT = t;
    this.lastSent = sent;
    this.lastRemaining = remaining;
    if (this.n > 0 && d[3 * (this.n - 1)] === t) {
      d[3 * (this.n - 1) + 1] = sent;
      d[3 * (this.n - 1) + 2] = remaining;
      return;
    }
    if (this.calls++ % this.stride !== 0) return;
    if (this.n === SERIES_POINTS) {
      for (let i = 0; i < SERIES_POINTS / 2; i++) {
        d[3 * i] = d[6 * i]!;
        d[3 * i + 1] = d[6 * i + 1]!;
        d[3 * i + 2] = d[6 * i + 2]!;
      }
      this.n = SERIES_POINTS / 2;
      d.length = 3 * this.n;
      this.stride *= 2;
    }
    d.push(t, sent, remaining);
    this.n++;
  }

  columns(): { timesSeconds: number[]; bytesSent: number[]; remainingBytes: number[] } {
    const d = this.data;
    const last = this.n > 0 && d[3 * (this.n - 1)] === this.lastT;
    const n = this.n + (last || Number.isNaN(this.lastT) ? 0 : 1);
    const timesSeconds: number[] = new Array(n);
    const bytesSent: number[] = new Array(n);
    const remainingBytes: number[] = new Array(n);
    for (let i = 0; i < this.n; i++) {
      timesSeconds[i] = d[3 * i]!;
      bytesSent[i] = d[3 * i + 1]!;
      remainingBytes[i] = d[3 * i + 2]!;
    }
    if (n > this.n) {
      timesSeconds[n - 1] = this.lastT;
      bytesSent[n - 1] = this.lastSent;
      remainingBytes[n - 1] = this.lastRemaining;
    }
    return { timesSeconds, bytesSent, remainingBytes };
  }
}
