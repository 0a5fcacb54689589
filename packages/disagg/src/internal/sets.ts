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

/**
 * Spare `Float64Array`s by power-of-two size, for {@link NumList}s that come and go (a VM's
 * section list): a typed array larger than a few dozen elements lives outside the heap and costs
 * microseconds to allocate, so a list that is done hands its array back for the next one.
 */
export class BufferPool {
  private readonly spare: Float64Array[][] = [];

  /** An array of at least `min` elements (a power of two; contents unspecified). */
  take(min: number): Float64Array {
    const c = Math.max(3, Math.ceil(Math.log2(Math.max(1, min))));
    const a = this.spare[c]?.pop();
    return a ?? new Float64Array(2 ** c);
  }

  /** Hands back an array from {@link take} (other sizes are dropped). */
  give(a: Float64Array): void {
    const c = Math.log2(a.length);
    if (!Number.isInteger(c) || c < 3) return;
    let list = this.spare[c];
    if (list === undefined) {
      for (let i = this.spare.length; i <= c; i++) this.spare.push([]);
      list = this.spare[c]!;
    }
    list.push(a);
  }
}

const EMPTY = new Float64Array(0);

/**
 * A growable list of numbers in a `Float64Array` (exact integers up to 2^53; grows by half, or
 * to the next power of two from a {@link BufferPool}).
 */
export class NumList {
  private data: Float64Array;
  private n = 0;

  /**
   * @param capacity - initial room.
   * @param pool - where to get arrays from and give them back to when growing or released.
   */
  constructor(
    capacity = 8,
    private readonly pool: BufferPool | undefined = undefined,
  ) {
    this.data = pool === undefined ? new Float64Array(Math.max(1, capacity)) : EMPTY;
  }

  /** Number of elements. */
  get length(): number {
    return this.n;
  }

  /** Makes room for `extra` more elements at once (one allocation instead of several). */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.data.length) return;
    const size = Math.max(need, Math.ceil(this.data.length * 1.5));
    const grown = this.pool === undefined ? new Float64Array(size) : this.pool.take(size);
    if (this.n > 0) grown.set(this.data.subarray(0, this.n));
    if (this.pool !== undefined && this.data !== EMPTY) this.pool.give(this.data);
    this.data = grown;
  }

  /** Empties the list and hands its array back to the pool (if it has one). */
  release(): void {
    this.n = 0;
    if (this.pool === undefined || this.data === EMPTY) return;
    this.pool.give(this.data);
    this.data = EMPTY;
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
