/**
 * Recording of a migration's rounds and time series, bounded in size: rounds are kept as numbers
 * while the migration runs and become the result's records when it ends (with thousands of
 * migrations in flight, an object per round would be a long-lived allocation on the hot path);
 * the series goes straight into the result's three columns.
 *
 * @internal
 */
import { ROUND_RECORDS_KEPT } from "../defaults.js";
import type { OmittedRounds, RoundPhase, RoundRecord } from "../result.js";

/** Numbers stored per round: phase code, start, duration, bytes, pages, dirty, skipped, throttle. */
const F = 8;
const PHASES: readonly RoundPhase[] = ["precopy", "stop-and-copy", "postcopy"];

/**
 * The rounds of a migration, bounded: of `kept` rounds listed one by one (the plan's
 * `roundRecords`, default {@link ROUND_RECORDS_KEPT}), the first `⌈kept/2⌉` and the last
 * `⌊kept/2⌋` are kept, the rounds between are summed, so a result's size does not grow with the
 * number of rounds. While the migration runs, rounds are numbers in two flat arrays (no object per
 * round that would live as long as the migration); the result's records are built when it ends.
 */
export class RoundLog {
  /** Rounds kept from the start. */
  private readonly headMax: number;
  /** Rounds kept at the end (the ring's size). */
  private readonly tailMax: number;
  /** The first rounds, {@link F} numbers each; created with the first round it keeps. */
  private head: number[] | undefined = undefined;
  /** Ring of the most recent rounds once the head is full, {@link F} numbers each. */
  private tail: number[] | undefined = undefined;
  /** Rounds in the ring. */
  private tailCount = 0;
  private tailStart = 0;
  /** Rounds recorded in all. */
  length = 0;
  /**
   * Starts as NaN, then 0: V8 then lays it out as a double from the start (a field that starts as
   * the integer 0 changes the layout of every live log when it first holds a fraction).
   */
  private lastDurationSeconds: number = Number.NaN;
  /** Rounds in the omitted middle. */
  private omCount = 0;
  /**
   * The omitted middle's duration, bytes, pages, dirty bytes and skipped bytes, summed; created
   * with the first omitted round. An array literal of doubles (V8 stores its elements unboxed, and
   * creates it by copying a template), cheaper to create and smaller than a typed array.
   */
  private om: number[] | undefined = undefined;

  /** @param kept - rounds listed one by one (an integer ≥ 0). */
  constructor(kept: number = ROUND_RECORDS_KEPT) {
    this.lastDurationSeconds = 0;
    this.headMax = Math.ceil(kept / 2);
    this.tailMax = kept - this.headMax;
  }

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
    const index = this.length++;
    this.lastDurationSeconds = durationSeconds;
    if (index >= this.headMax && this.tailMax === 0) {
      // Nothing kept at the end: the round joins the omitted middle at once.
      this.omit(durationSeconds, bytes, pages, dirtyBytes, skippedBytes);
      return;
    }
    const code = phase === "precopy" ? 0 : phase === "stop-and-copy" ? 1 : 2;
    let to: number[];
    let at: number;
    if (index < this.headMax) {
      to = this.head ??= [];
      at = index * F;
    } else {
      const tail = (this.tail ??= []);
      to = tail;
      if (this.tailCount < this.tailMax) {
        at = this.tailCount++ * F;
      } else {
        // The oldest round of the ring joins the omitted middle; the new one takes its place.
        at = this.tailStart * F;
        this.omit(tail[at + 2]!, tail[at + 3]!, tail[at + 4]!, tail[at + 5]!, tail[at + 6]!);
        this.tailStart = (this.tailStart + 1) % this.tailMax;
      }
    }
    to[at] = code;
    to[at + 1] = startSeconds;
    to[at + 2] = durationSeconds;
    to[at + 3] = bytes;
    to[at + 4] = pages;
    to[at + 5] = dirtyBytes;
    to[at + 6] = skippedBytes;
    to[at + 7] = throttle;
  }

  private omit(
    durationSeconds: number,
    bytes: number,
    pages: number,
    dirtyBytes: number,
    skippedBytes: number,
  ): void {
    this.omCount++;
    const om = (this.om ??= [0, 0, 0, 0, 0]);
    om[0] = om[0]! + durationSeconds;
    om[1] = om[1]! + bytes;
    om[2] = om[2]! + pages;
    om[3] = om[3]! + dirtyBytes;
    om[4] = om[4]! + skippedBytes;
  }

  /** Duration of the last round. */
  lastDuration(): number {
    return this.length === 0 ? 0 : this.lastDurationSeconds;
  }

  /** The rounds between the kept ones, summed; `null` when every round is kept. */
  omittedRounds(): OmittedRounds | null {
    const om = this.om;
    if (om === undefined) return null;
    return {
      // The head holds rounds 0 … headMax − 1; the first round omitted is the next one.
      fromIndex: this.headMax,
      count: this.omCount,
      durationSeconds: om[0]!,
      bytes: om[1]!,
      pages: om[2]!,
      dirtyBytes: om[3]!,
      skippedBytes: om[4]!,
    };
  }

  /** The kept rounds, in order, as the result's records. */
  toRecords(): RoundRecord[] {
    const out: RoundRecord[] = [];
    const headCount = this.length < this.headMax ? this.length : this.headMax;
    const head = this.head;
    if (head !== undefined) for (let i = 0; i < headCount; i++) out.push(record(head, i * F, i));
    const tail = this.tail;
    if (tail !== undefined) {
      const n = this.tailCount;
      // The ring's oldest round is tailStart; the newest round is index length - 1.
      const first = this.length - n;
      for (let j = 0; j < n; j++) out.push(record(tail, ((this.tailStart + j) % n) * F, first + j));
    }
    return out;
  }
}

/** A round's record from its {@link F} numbers at `at`. */
function record(from: number[], at: number, index: number): RoundRecord {
  const durationSeconds = from[at + 2]!;
  const bytes = from[at + 3]!;
  const dirtyBytes = from[at + 5]!;
  return {
    index,
    phase: PHASES[from[at]!]!,
    startSeconds: from[at + 1]!,
    durationSeconds,
    bytes,
    pages: from[at + 4]!,
    dirtyBytes,
    dirtyRateBytesPerSecond: durationSeconds > 0 ? dirtyBytes / durationSeconds : 0,
    bandwidthBytesPerSecond: durationSeconds > 0 ? bytes / durationSeconds : 0,
    throttle: from[at + 7]!,
    skippedBytes: from[at + 6]!,
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
  /** The kept points as (time, sent, remaining) triples, in one array (one object, not three). */
  private readonly pts: number[] = [];
  private stride = 1;
  private calls = 0;
  /** The latest point, when it was not kept (the stride skipped it). */
  private pendingT: number = Number.NaN;
  private pendingSent = 0;
  private pendingLeft = 0;

  point(t: number, sent: number, remaining: number): void {
    const pts = this.pts;
    const n = pts.length;
    if (n > 0 && pts[n - 3] === t) {
      pts[n - 2] = sent;
      pts[n - 1] = remaining;
      return;
    }
    if (this.calls++ % this.stride !== 0) {
      this.pendingT = t;
      this.pendingSent = sent;
      this.pendingLeft = remaining;
      return;
    }
    this.pendingT = Number.NaN;
    if (n === 3 * SERIES_POINTS) {
      // Keep every other point.
      for (let i = 0; i < SERIES_POINTS / 2; i++) {
        pts[3 * i] = pts[6 * i]!;
        pts[3 * i + 1] = pts[6 * i + 1]!;
        pts[3 * i + 2] = pts[6 * i + 2]!;
      }
      pts.length = (3 * SERIES_POINTS) / 2;
      this.stride *= 2;
    }
    pts.push(t, sent, remaining);
  }

  columns(): { timesSeconds: number[]; bytesSent: number[]; remainingBytes: number[] } {
    const pts = this.pts;
    if (!Number.isNaN(this.pendingT)) {
      pts.push(this.pendingT, this.pendingSent, this.pendingLeft);
      this.pendingT = Number.NaN;
    }
    const n = pts.length / 3;
    const timesSeconds: number[] = [];
    const bytesSent: number[] = [];
    const remainingBytes: number[] = [];
    for (let i = 0; i < n; i++) {
      timesSeconds.push(pts[3 * i]!);
      bytesSent.push(pts[3 * i + 1]!);
      remainingBytes.push(pts[3 * i + 2]!);
    }
    return { timesSeconds, bytesSent, remainingBytes };
  }
}
