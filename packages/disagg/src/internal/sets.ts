/**
 * Sets for the engine's hot paths that cost nothing to clear: a `Set` or `Map` allocates a new
 * hash table on every `clear()`, and the engine clears its work sets at every event.
 *
 * @module
 */

/** A set of small non-negative integers (brick ids, VM indices): a list plus an epoch stamp per id. */
export class IdSet {
  /** The members, in insertion order (read-only for callers). */
  readonly items: number[] = [];
  private stamps: Uint32Array;
  private epoch = 1;

  /** @param capacity - ids below it need no growth. */
  constructor(capacity: number) {
    this.stamps = new Uint32Array(Math.max(16, capacity));
  }

  /** Adds `id`; returns whether it was new. */
  add(id: number): boolean {
    if (id >= this.stamps.length) {
      const grown = new Uint32Array(Math.max(id + 1, 2 * this.stamps.length));
      grown.set(this.stamps);
      this.stamps = grown;
    }
    if (this.stamps[id] === this.epoch) return false;
    this.stamps[id] = this.epoch;
    this.items.push(id);
    return true;
  }

  /** Whether `id` is a member. */
  has(id: number): boolean {
    return id < this.stamps.length && this.stamps[id] === this.epoch;
  }

  /** Number of members. */
  get size(): number {
    return this.items.length;
  }

  /** Empties the set without allocating. */
  clear(): void {
    this.items.length = 0;
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.stamps.fill(0);
      this.epoch = 1;
    }
  }
}

/** An object that carries a stamp for one {@link MarkedList}. */
export interface Marked {
  /** Written by the list: equal to the list's epoch while the object is a member. */
  mark: number;
}

/**
 * A set of objects as a list plus a stamp field on each object; `delete` unstamps and leaves a
 * hole that `forEach` skips. Each object type gives each list its own stamp field through the
 * accessor pair.
 */
export class MarkedList<T> {
  private readonly list: T[] = [];
  private epoch = 1;

  /**
   * @param getMark - reads this list's stamp on an object.
   * @param setMark - writes it.
   */
  constructor(
    private readonly getMark: (x: T) => number,
    private readonly setMark: (x: T, mark: number) => void,
  ) {}

  /** Adds `x`; returns whether it was new. */
  add(x: T): boolean {
    if (this.getMark(x) === this.epoch) return false;
    this.setMark(x, this.epoch);
    this.list.push(x);
    return true;
  }

  /** Whether `x` is a member. */
  has(x: T): boolean {
    return this.getMark(x) === this.epoch;
  }

  /** Removes `x` (its slot in the list is skipped from then on). */
  delete(x: T): void {
    if (this.getMark(x) === this.epoch) this.setMark(x, 0);
  }

  /** Calls `f` for each member, in insertion order. */
  forEach(f: (x: T) => void): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      if (this.getMark(x) === this.epoch) f(x);
    }
  }

  /** Whether the set has no member (holes count as members until cleared). */
  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Empties the set without allocating. */
  clear(): void {
    this.list.length = 0;
    this.epoch++;
  }
}

/** A growable list of numbers in a `Float64Array` (exact integers up to 2^53; grows by half). */
export class NumList {
  private data: Float64Array;
  private n = 0;

  /** @param capacity - initial room. */
  constructor(capacity = 8) {
    this.data = new Float64Array(Math.max(1, capacity));
  }

  /** Number of elements. */
  get length(): number {
    return this.n;
  }

  /** Makes room for `extra` more elements at once (one allocation instead of several). */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.data.length) return;
    const grown = new Float64Array(Math.max(need, Math.ceil(this.data.length * 1.5)));
    grown.set(this.data.subarray(0, this.n));
    this.data = grown;
  }

  /** Appends `x`. */
  push(x: number): void {
    if (this.n === this.data.length) this.reserve(1);
    this.data[this.n++] = x;
  }

  /** Removes and returns the last element (the caller checks `length > 0`). */
  pop(): number {
    return this.data[--this.n]!;
  }

  /** The backing array (its first {@link length} elements are the list; valid until it grows). */
  get raw(): Float64Array {
    return this.data;
  }

  /** Sets the length to `n` (≤ the room {@link reserve} made; new elements are whatever was there). */
  setLength(n: number): void {
    this.n = n;
  }

  /** The element at `i` (the caller checks the range). */
  get(i: number): number {
    return this.data[i]!;
  }

  /** Replaces the element at `i`. */
  set(i: number, x: number): void {
    this.data[i] = x;
  }
}
