/**
 * The section ledger: who owns each memory section of each brick, with a free stack per brick so
 * taking or returning a section costs O(1).
 *
 * Owners: `FREE` (-1), a VM index (≥ 0), or a shared region `-2 - region`.
 *
 * @module
 */

import type { NumList } from "./sets.js";

/** Owner value of a free section. */
export const FREE = -1;

/** Owner value of shared region `r`. */
export function regionOwner(r: number): number {
  return -2 - r;
}

/** Sections per brick are addressed as `brick * SECTION_STRIDE + index`. */
export const SECTION_STRIDE: number = 2 ** 24;

/** Free stacks and owners of every brick's sections. */
export class SectionLedger {
  private readonly owners: Int32Array[];
  private readonly stacks: Int32Array[];
  private readonly tops: Int32Array;
  private readonly totals: Int32Array;

  /** @param counts - sections per brick (0 for bricks without memory). */
  constructor(counts: ArrayLike<number>) {
    const n = counts.length;
    this.owners = [];
    this.stacks = [];
    this.tops = new Int32Array(n);
    this.totals = new Int32Array(n);
    for (let b = 0; b < n; b++) {
      const k = counts[b]!;
      const owner = new Int32Array(k).fill(FREE);
      const stack = new Int32Array(k);
      // Lowest index on top: sections are handed out in address order.
      for (let i = 0; i < k; i++) stack[i] = k - 1 - i;
      this.owners.push(owner);
      this.stacks.push(stack);
      this.tops[b] = k;
      this.totals[b] = k;
    }
  }

  /** Free sections of a brick. */
  free(b: number): number {
    return this.tops[b]!;
  }

  /** Sections of a brick. */
  total(b: number): number {
    return this.totals[b]!;
  }

  /** Owner of a section (`FREE`, a VM index or a region owner). */
  owner(id: number): number {
    return this.owners[Math.floor(id / SECTION_STRIDE)]![id % SECTION_STRIDE]!;
  }

  /** Takes a free section of brick `b` for `owner`; returns its id. The caller checks `free(b) > 0`. */
  take(b: number, owner: number): number {
    const top = --this.tops[b]!;
    const idx = this.stacks[b]![top]!;
    this.owners[b]![idx] = owner;
    return b * SECTION_STRIDE + idx;
  }

  /**
   * Takes `k` free sections of brick `b` for `owner` and appends their ids to `out`, in the order
   * `k` calls of {@link take} would. The caller checks `free(b) >= k`.
   */
  takeRun(b: number, owner: number, k: number, out: NumList): void {
    const stack = this.stacks[b]!;
    const owners = this.owners[b]!;
    const top = this.tops[b]!;
    const base = b * SECTION_STRIDE;
    out.reserve(k);
    const data = out.raw;
    let n = out.length;
    for (let i = top - 1; i >= top - k; i--) {
      const idx = stack[i]!;
      owners[idx] = owner;
      data[n++] = base + idx;
    }
    out.setLength(n);
    this.tops[b] = top - k;
  }

  /**
   * Returns the last `k` sections of `list` to their bricks, last first (as `k` pops and
   * {@link give} calls would), and removes them from the list. Calls `onRun(brick, count)` for
   * each run of consecutive sections of one brick.
   */
  giveLast(list: NumList, k: number, onRun: (b: number, count: number) => void): void {
    const data = list.raw;
    const end = list.length;
    let i = end - 1;
    const stop = end - k;
    while (i >= stop) {
      const b = Math.floor(data[i]! / SECTION_STRIDE);
      const base = b * SECTION_STRIDE;
      const owners = this.owners[b]!;
      const stack = this.stacks[b]!;
      let top = this.tops[b]!;
      let len = 0;
      for (; i >= stop; i--) {
        const idx = data[i]! - base;
        if (idx < 0 || idx >= SECTION_STRIDE) break;
        owners[idx] = FREE;
        stack[top++] = idx;
        len++;
      }
      this.tops[b] = top;
      onRun(b, len);
    }
    list.setLength(stop);
  }

  /** Hands a section to another owner (a memory migration's copy switching over keeps the id). */
  reassign(id: number, owner: number): void {
    this.owners[Math.floor(id / SECTION_STRIDE)]![id % SECTION_STRIDE] = owner;
  }

  /** Returns a section to its brick's free stack. */
  give(id: number): void {
    const b = Math.floor(id / SECTION_STRIDE);
    const idx = id % SECTION_STRIDE;
    this.owners[b]![idx] = FREE;
    this.stacks[b]![this.tops[b]!++] = idx;
  }

  /**
   * Checks the ledger's invariants: every free-stack entry is free and distinct, the count of
   * free owners equals the stack height. For tests and debugging.
   *
   * @returns the first violation, or `undefined`.
   */
  check(): string | undefined {
    for (let b = 0; b < this.owners.length; b++) {
      const owner = this.owners[b]!;
      const top = this.tops[b]!;
      if (top < 0 || top > owner.length) return `brick ${b}: free count ${top} out of range`;
      const seen = new Uint8Array(owner.length);
      for (let i = 0; i < top; i++) {
        const idx = this.stacks[b]![i]!;
        if (owner[idx] !== FREE) return `brick ${b}: section ${idx} on the free stack is owned`;
        if (seen[idx] === 1) return `brick ${b}: section ${idx} is on the free stack twice`;
        seen[idx] = 1;
      }
      let free = 0;
      for (let i = 0; i < owner.length; i++) if (owner[i] === FREE) free++;
      if (free !== top) return `brick ${b}: ${free} free sections but ${top} on the stack`;
    }
    return undefined;
  }

  /** Sections of brick `b` owned by `owner`. */
  countOwned(b: number, owner: number): number {
    let k = 0;
    const o = this.owners[b]!;
    for (let i = 0; i < o.length; i++) if (o[i] === owner) k++;
    return k;
  }
}
