/**
 * The kernel's priority queue: a binary min-heap ordered by (time, sequence), stored in typed
 * arrays, with O(log n) removal for cancellation. Not exported from the package.
 *
 * Each scheduled event owns a *slot* (its callback and argument); the heap holds slots. A handle
 * packs the slot with a per-slot generation, so cancelling a handle whose event already ran (and
 * whose slot was reused) does nothing.
 */

/** Slots per generation step: handles are `generation * SLOT_SPACE + slot`. */
const SLOT_SPACE = 2 ** 25;
const GENERATION_LIMIT = 2 ** 28;

export type Callback = (arg: never) => void;

export class EventQueue {
  // Heap arrays, indexed by heap position.
  private heapTime = new Float64Array(1024);
  private heapSeq = new Float64Array(1024);
  private heapSlot = new Int32Array(1024);
  size = 0;

  // Slot arrays, indexed by slot.
  private slotPos = new Int32Array(1024);
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
    if (this.size === this.heapTime.length) this.growHeap();
    const seq = this.seq++;
    // Sift up from the end with a hole.
    let i = this.size++;
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    const pos = this.slotPos;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = ht[p]!;
      if (pt < time || (pt === time && hs[p]! < seq)) break;
      ht[i] = pt;
      hs[i] = hs[p]!;
      const ps = hl[p]!;
      hl[i] = ps;
      pos[ps] = i;
      i = p;
    }
    ht[i] = time;
    hs[i] = seq;
    hl[i] = slot;
    pos[slot] = i;
    return this.slotGen[slot]! * SLOT_SPACE + slot;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : this.heapTime[0]!;
  }

  /** Slot of the earliest event; call {@link take} next. */
  popSlot(): number {
    const slot = this.heapSlot[0]!;
    this.removeAt(0);
    return slot;
  }

  callbackOf(slot: number): Callback {
    return this.callbacks[slot]!;
  }

  argOf(slot: number): unknown {
    return this.args[slot];
  }

  /** Returns a popped slot to the free list. */
  release(slot: number): void {
    this.callbacks[slot] = undefined;
    this.args[slot] = undefined;
    this.slotPos[slot] = -1;
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
    const p = this.slotPos[slot]!;
    if (p < 0) return false;
    this.removeAt(p);
    this.release(slot);
    return true;
  }

  /** Removes the entry at heap position `i` (does not release its slot). */
  private removeAt(i: number): void {
    const ht = this.heapTime;
    const hs = this.heapSeq;
    const hl = this.heapSlot;
    const pos = this.slotPos;
    pos[hl[i]!] = -1;
    const last = --this.size;
    if (i === last) return;
    const t = ht[last]!;
    const s = hs[last]!;
    const slot = hl[last]!;
    // Sift up if the moved entry is smaller than the parent of the hole.
    if (i > 0) {
      const p = (i - 1) >> 1;
      const pt = ht[p]!;
      if (t < pt || (t === pt && s < hs[p]!)) {
        let j = i;
        while (j > 0) {
          const q = (j - 1) >> 1;
          const qt = ht[q]!;
          if (qt < t || (qt === t && hs[q]! < s)) break;
          ht[j] = qt;
          hs[j] = hs[q]!;
          const qs = hl[q]!;
          hl[j] = qs;
          pos[qs] = j;
          j = q;
        }
        ht[j] = t;
        hs[j] = s;
        hl[j] = slot;
        pos[slot] = j;
        return;
      }
    }
    // Otherwise sift down with a hole.
    const n = last;
    let j = i;
    for (;;) {
      let c = 2 * j + 1;
      if (c >= n) break;
      let ct = ht[c]!;
      let cs = hs[c]!;
      const r = c + 1;
      if (r < n) {
        const rt = ht[r]!;
        if (rt < ct || (rt === ct && hs[r]! < cs)) {
          c = r;
          ct = rt;
          cs = hs[r]!;
        }
      }
      if (t < ct || (t === ct && s < cs)) break;
      ht[j] = ct;
      hs[j] = cs;
      const cslot = hl[c]!;
      hl[j] = cslot;
      pos[cslot] = j;
      j = c;
    }
    ht[j] = t;
    hs[j] = s;
    hl[j] = slot;
    pos[slot] = j;
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    if (slot >= SLOT_SPACE) throw new RangeError("more than 2^25 pending events");
    if (slot === this.slotPos.length) {
      const pos = new Int32Array(slot * 2);
      pos.set(this.slotPos);
      this.slotPos = pos;
      const gen = new Uint32Array(slot * 2);
      gen.set(this.slotGen);
      this.slotGen = gen;
    }
    this.callbacks.push(undefined);
    this.args.push(undefined);
    return slot;
  }

  private growHeap(): void {
    const n = this.heapTime.length * 2;
    const t = new Float64Array(n);
    t.set(this.heapTime);
    this.heapTime = t;
    const s = new Float64Array(n);
    s.set(this.heapSeq);
    this.heapSeq = s;
    const l = new Int32Array(n);
    l.set(this.heapSlot);
    this.heapSlot = l;
  }
}
