/**
 * Runs of consecutive blocks and the word-at-a-time bitmap operations a streaming session needs,
 * so its cost grows with runs (files, requests, pieces), not with the blocks inside them.
 *
 * @internal
 */
import { type Bitmap, lowestBit, popcount } from "../../internal/bitmap.js";

/** A growable list of runs `[start, start + len)`. */
export class RunList {
  start: Uint32Array;
  len: Uint32Array;
  /** Runs in the list. */
  n = 0;
  /** Blocks in all its runs. */
  blocks = 0;

  constructor(capacity = 16) {
    this.start = new Uint32Array(capacity);
    this.len = new Uint32Array(capacity);
  }

  clear(): void {
    this.n = 0;
    this.blocks = 0;
  }

  /** Appends a run (merged with the last one when they touch). */
  push(start: number, len: number): void {
    if (len <= 0) return;
    this.blocks += len;
    const last = this.n - 1;
    if (last >= 0 && this.start[last]! + this.len[last]! === start) {
      this.len[last]! += len;
      return;
    }
    if (this.n === this.start.length) {
      const s = new Uint32Array(this.n * 2);
      s.set(this.start);
      this.start = s;
      const l = new Uint32Array(this.n * 2);
      l.set(this.len);
      this.len = l;
    }
    this.start[this.n] = start;
    this.len[this.n] = len;
    this.n++;
  }
}

/** Index of the first clear bit in `[from, to)`, or `to`. */
export function nextClear(b: Bitmap, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const w = i >>> 5;
    const x = ~b[w]! & (0xffffffff << (i & 31));
    if (x !== 0) {
      const j = (w << 5) + lowestBit(x);
      return j < to ? j : to;
    }
    i = (w + 1) << 5;
  }
  return to;
}

/** Index of the first set bit in `[from, to)`, or `to`. */
export function nextSet(b: Bitmap, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const w = i >>> 5;
    const x = b[w]! & (0xffffffff << (i & 31));
    if (x !== 0) {
      const j = (w << 5) + lowestBit(x);
      return j < to ? j : to;
    }
    i = (w + 1) << 5;
  }
  return to;
}

/** Whether every bit of `[from, to)` is set. */
export function allSet(b: Bitmap, from: number, to: number): boolean {
  return nextClear(b, from, to) === to;
}

/** Sets the bits `[from, to)` and returns how many were clear. */
export function setCount(b: Bitmap, from: number, to: number): number {
  let count = 0;
  let i = from;
  while (i < to) {
    const w = i >>> 5;
    const lo = i & 31;
    const hi = Math.min(32, to - (w << 5));
    const mask = hi === 32 ? 0xffffffff << lo : ((1 << hi) - 1) & (0xffffffff << lo);
    const fresh = (mask & ~b[w]!) >>> 0;
    if (fresh !== 0) {
      count += popcount(fresh);
      b[w]! |= fresh;
    }
    i = (w + 1) << 5;
  }
  return count;
}

/**
 * Appends to `out` the runs of `[from, to)` clear in `b`, setting them in `claim` (which may be
 * `b` itself), up to `max` blocks in all.
 *
 * @returns where it stopped: `to`, or the first block left out because `max` was reached.
 */
export function takeClear(
  b: Bitmap,
  claim: Bitmap,
  from: number,
  to: number,
  out: RunList,
  max: number,
): number {
  let i = from;
  while (i < to && out.blocks < max) {
    const s = nextClear(b, i, to);
    if (s >= to) return to;
    const e = Math.min(nextSet(b, s, to), s + (max - out.blocks));
    setCount(claim, s, e);
    out.push(s, e - s);
    i = e;
  }
  return i;
}

/** Runs of consecutive numbers in a list, in list order (for clusters and the profile). */
export function toRuns(blocks: ArrayLike<number>): { first: Uint32Array; len: Uint32Array } {
  const list = new RunList(Math.max(16, blocks.length >>> 4));
  for (let i = 0; i < blocks.length; i++) list.push(blocks[i]!, 1);
  return { first: list.start.slice(0, list.n), len: list.len.slice(0, list.n) };
}
