/**
 * The kernel's priority queue: a 4-ary min-heap ordered by (time, sequence), stored in typed
 * arrays, with lazy cancellation. Not exported from the package.
 *
 * Each scheduled event owns a *slot* (its callback and argument); heap entries name a slot and the
 * sequence number of the event that owns it. Cancelling frees the slot at once; its heap entry goes
 * stale (the slot's sequence no longer matches) and is dropped when it reaches the top. A handle
 * packs the slot with a per-slot generation, so cancelling a handle whose event already ran (and
 * whose slot was reused) does nothing. A 4-ary heap keeps the four children of a node in one cache
 * line of the interleaved (time, sequence) array and halves the depth of a binary heap.
 */

/** Slots per generation step: handles are `generation * SLOT_SPACE + slot`. */
const SLOT_SPACE = 2 ** 25;
const GENERATION_LIMIT = 2 ** 28;

export type Callback = (arg: never) => void;

export class EventQueue {
  /** Interleaved (time, sequence) per heap position. */
  private keys = new Float64Array(2048);
  private heapSlot = new Int32Array(1024);
  /** Heap entries, live and stale. */
  private heapSize = 0;
  /** Live (not cancelled) events. */
  size = 0;

  // Slot arrays, indexed by slot.
  private slotSeq = new Float64Array(1024);
  private slotGen = new Uint32Array(1024);
  private callbacks: (Callback | undefined)[] = [];
  private args: unknown[] = [];
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private slotCount = 0;
  private seq = 0;

  /** Inserts an event; returns its handle. */
  push(time: number, callback: Callback, arg: unknown): number {
    const slot = this.allocSlot();
    this.callbacks[slot] = callback;
    this.args[slot] = arg;
    const seq = this.seq++;
    this.slotSeq[slot] = seq;
    this.size++;
    this.insert(time, seq, slot);
    return this.slotGen[slot]! * SLOT_SPACE + slot;
  }

  /** Time of the earliest live event (Infinity when none). */
  peekTime(): number {
    this.dropStale();
    return this.heapSize === 0 ? Number.POSITIVE_INFINITY : this.keys[0]!;
  }

  /**
   * Removes the earliest live event and returns its slot; call {@link callbackOf}, {@link argOf}
   * then {@link release}. Only valid after {@link peekTime} returned a finite time.
   */
  popSlot(): number {
    const slot = this.heapSlot[0]!;
    this.removeTop();
    this.slotSeq[slot] = -1;
    this.size--;
    return slot;
  }

  callbackOf(slot: number): Callback {
    return this.callbacks[slot]!;
  }

  argOf(slot: number): unknown {
    return this.args[slot];
  }

  /** Returns a slot to the free list. */
  release(slot: number): void {
    this.callbacks[slot] = undefined;
    this.args[slot] = undefined;
    const g = this.slotGen[slot]! + 1;
    this.slotGen[slot] = g === GENERATION_LIMIT ? 0 : g;
    if (this.freeCount === this.freeSlots.length) {
      const next = new Int32Array(this.freeSlots.length * 2);
      next.set(this.freeSlots);
      this.freeSlots = next;
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Cancels a pending event; false if it already ran or was cancelled. */
  cancel(handle: number): boolean {
    if (!(handle >= 0)) return false;
    const slot = handle % SLOT_SPACE;
    if (slot >= this.slotCount) return false;
    if (this.slotGen[slot]! !== Math.floor(handle / SLOT_SPACE)) return false;
    if (this.slotSeq[slot]! < 0) return false; // popped and running
    this.slotSeq[slot] = -1;
    this.size--;
    this.release(slot);
    // Rebuild when stale entries outnumber live ones, so memory stays proportional to live events.
    if (this.heapSize > 4096 && this.heapSize > 2 * this.size) this.compact();
    return true;
  }

  private dropStale(): void {
    const keys = this.keys;
    while (this.heapSize > 0 && this.slotSeq[this.heapSlot[0]!] !== keys[1]) this.removeTop();
  }

  private insert(time: number, seq: number, slot: number): void {
    if (this.heapSize === this.heapSlot.length) this.grow();
    const keys = this.keys;
    const hl = this.heapSlot;
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = keys[2 * p]!;
      if (pt < time || (pt === time && keys[2 * p + 1]! < seq)) break;
      keys[2 * i] = pt;
      keys[2 * i + 1] = keys[2 * p + 1]!;
      hl[i] = hl[p]!;
      i = p;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    hl[i] = slot;
  }

  private removeTop(): void {
    const n = --this.heapSize;
    if (n === 0) return;
    const keys = this.keys;
    const hl = this.heapSlot;
    const t = keys[2 * n]!;
    const s = keys[2 * n + 1]!;
    const slot = hl[n]!;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let m = first;
      let mt = keys[2 * first]!;
      let ms = keys[2 * first + 1]!;
      const last = first + 3 < n ? first + 3 : n - 1;
      for (let c = first + 1; c <= last; c++) {
        const ct = keys[2 * c]!;
        if (ct < mt || (ct === mt && keys[2 * c + 1]! < ms)) {
          m = c;
          mt = ct;
          ms = keys[2 * c + 1]!;
        }
      }
      if (t < mt || (t === mt && s < ms)) break;
      keys[2 * i] = mt;
      keys[2 * i + 1] = ms;
      hl[i] = hl[m]!;
      i = m;
    }
    keys[2 * i] = t;
    keys[2 * i + 1] = s;
    hl[i] = slot;
  }

  /** Drops every stale entry and re-heapifies. */
  private compact(): void {
    const keys = this.keys;
    const hl = this.heapSlot;
    const seqs = this.slotSeq;
    let w = 0;
    for (let r = 0; r < this.heapSize; r++) {
      const slot = hl[r]!;
      if (seqs[slot] !== keys[2 * r + 1]) continue;
      keys[2 * w] = keys[2 * r]!;
      keys[2 * w + 1] = keys[2 * r + 1]!;
      hl[w] = slot;
      w++;
    }
    const n = w;
    this.heapSize = 0;
    // Re-insert in order: entries are distinct, so the heap is rebuilt exactly.
    const t = keys.slice(0, 2 * n);
    const l = hl.slice(0, n);
    for (let i = 0; i < n; i++) this.insert(t[2 * i]!, t[2 * i + 1]!, l[i]!);
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    if (slot >= SLOT_SPACE) throw new RangeError("more than 2^25 pending events");
    if (slot === this.slotSeq.length) {
      const seqs = new Float64Array(slot * 2);
      seqs.set(this.slotSeq);
      this.slotSeq = seqs;
      const gen = new Uint32Array(slot * 2);
      gen.set(this.slotGen);
      this.slotGen = gen;
    }
    this.callbacks.push(undefined);
    this.args.push(undefined);
    return slot;
  }

  private grow(): void {
    const n = this.heapSlot.length * 2;
    const k = new Float64Array(2 * n);
    k.set(this.keys);
    this.keys = k;
    const l = new Int32Array(n);
    l.set(this.heapSlot);
    this.heapSlot = l;
  }
}
