/**
 * Recording of a migration's rounds and time series, bounded in size: the result's round records
 * are built as rounds end (so nothing is copied when the migration ends), the series goes straight
 * into the result's three columns.
 *
 * @internal
 */
import { ROUND_RECORDS_KEPT } from "../defaults.js";
import type { OmittedRounds, RoundPhase, RoundRecord } from "../result.js";

/** Rounds kept at each end when there are more than {@link ROUND_RECORDS_KEPT}. */
const HALF = ROUND_RECORDS_KEPT / 2;

/**
 * The rounds of a migration, bounded: the first {@link HALF} rounds and the last {@link HALF} are
 * kept one by one (as the result's records, built when each round ends), the rounds between are
 * summed, so a result's size does not grow with the number of rounds.
 */
export class RoundLog {
  private readonly head: RoundRecord[] = [];
  /** Ring of the most recent rounds once the head is full. */
  private tail: RoundRecord[] | undefined = undefined;
  private tailStart = 0;
  /** Rounds recorded in all. */
  length = 0;
  private last: RoundRecord | undefined = undefined;
  private omitted: {
    fromIndex: number;
    count: number;
    durationSeconds: number;
    bytes: number;
    pages: number;
    dirtyBytes: number;
    skippedBytes: number;
  } | null = null;

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
    const record: RoundRecord = {
      index: this.length,
      phase,
      startSeconds,
      durationSeconds,
      bytes,
      pages,
      dirtyBytes,
      dirtyRateBytesPerSecond: durationSeconds > 0 ? dirtyBytes / durationSeconds : 0,
      bandwidthBytesPerSecond: durationSeconds > 0 ? bytes / durationSeconds : 0,
      throttle,
      skippedBytes,
    };
    this.length++;
    this.last = record;
    if (this.length <= HALF) {
      this.head.push(record);
      return;
    }
    const tail = (this.tail ??= []);
    if (tail.length < HALF) {
      tail.push(record);
      return;
    }
    // The oldest round of the ring joins the omitted middle; the new one takes its place.
    const old = tail[this.tailStart]!;
    const o = (this.omitted ??= {
      fromIndex: old.index,
      count: 0,
      durationSeconds: 0,
      bytes: 0,
      pages: 0,
      dirtyBytes: 0,
      skippedBytes: 0,
    });
    o.count++;
    o.durationSeconds += old.durationSeconds;
    o.bytes += old.bytes;
    o.pages += old.pages;
    o.dirtyBytes += old.dirtyBytes;
    o.skippedBytes += old.skippedBytes;
    tail[this.tailStart] = record;
    this.tailStart = (this.tailStart + 1) % HALF;
  }

  /** Duration of the last round. */
  lastDuration(): number {
    return this.last === undefined ? 0 : this.last.durationSeconds;
  }

  /** The rounds between the kept ones, summed; `null` when every round is kept. */
  omittedRounds(): OmittedRounds | null {
    return this.omitted;
  }

  /** The kept rounds, in order (the log's own array when nothing was dropped). */
  toRecords(): RoundRecord[] {
    const tail = this.tail;
    if (tail === undefined) return this.head;
    const out = this.head.slice();
    for (let j = 0; j < tail.length; j++) out.push(tail[(this.tailStart + j) % tail.length]!);
    return out;
  }
}

/** Points a series keeps before it halves its resolution. */
const SERIES_POINTS = 2 * ROUND_RECORDS_KEPT;

/**
 * A time series of (time, bytes sent, bytes remaining) points, bounded: past
 * {@link SERIES_POINTS} points it keeps every other one and from then on one point in two (then
 * four, …), always ending with the latest point.
 */
export class SeriesLog {
  private readonly t: number[] = [];
  private readonly sent: number[] = [];
  private readonly left: number[] = [];
  private stride = 1;
  private calls = 0;
  /** The latest point, when it was not kept (the stride skipped it). */
  private pendingT = Number.NaN;
  private pendingSent = 0;
  private pendingLeft = 0;

  point(t: number, sent: number, remaining: number): void {
    const n = this.t.length;
    if (n > 0 && this.t[n - 1] === t) {
      this.sent[n - 1] = sent;
      this.left[n - 1] = remaining;
      return;
    }
    if (this.calls++ % this.stride !== 0) {
      this.pendingT = t;
      this.pendingSent = sent;
      this.pendingLeft = remaining;
      return;
    }
    this.pendingT = Number.NaN;
    if (n === SERIES_POINTS) {
      for (const col of [this.t, this.sent, this.left]) {
        for (let i = 0; i < SERIES_POINTS / 2; i++) col[i] = col[2 * i]!;
        col.length = SERIES_POINTS / 2;
      }
      this.stride *= 2;
    }
    this.t.push(t);
    this.sent.push(sent);
    this.left.push(remaining);
  }

  columns(): { timesSeconds: number[]; bytesSent: number[]; remainingBytes: number[] } {
    if (!Number.isNaN(this.pendingT)) {
      this.t.push(this.pendingT);
      this.sent.push(this.pendingSent);
      this.left.push(this.pendingLeft);
      this.pendingT = Number.NaN;
    }
    return { timesSeconds: this.t, bytesSent: this.sent, remainingBytes: this.left };
  }
}
