/**
 * The kernel's priority queue: a calendar queue (R. Brown, "Calendar queues: a fast O(1) priority
 * queue implementation for the simulation event set problem", CACM 31(10), 1988), ordered by
 * (time, sequence), stored in typed arrays. Not exported from the package.
 *
 * Events hash into `nb` buckets ("days") of width `w` by `floor(time / w) mod nb`; each bucket is a
 * doubly-linked list sorted by (time, sequence). Dequeue walks the days of the current "year" from
 * the current position; when a whole year is empty it searches the bucket heads directly. The
 * number of buckets follows the number of events (doubling above 2 per bucket, halving below 1/2),
 * and the width is re-estimated from the spacing of the earliest events whenever the bucket count
 * changes (kept, and the lists split or merged in place, while the estimate stays within a factor
 * of two) or the work per operation drifts up (a changed time scale), so hold operations stay O(1)
 * amortised for the distributions simulations produce.
 *
 * Each scheduled event owns a *slot*: its node in a bucket list, its callback and argument. A
 * handle packs the slot with a per-slot generation, so cancelling a handle whose event already ran
 * (and whose slot was reused) does nothing. Cancellation unlinks at once.
 */

/** Slots per generation step: handles are `generation * SLOT_SPACE + slot`. */
const SLOT_SPACE = 2 ** 25;
const GENERATION_LIMIT = 2 ** 28;
const MIN_BUCKETS = 16;
/** Distinct event times sampled to estimate the bucket width. */
const WIDTH_SAMPLE = 64;
/** Operations between checks of the average work per operation. */
const CHECK_PERIOD = 8192;
/** Average buckets scanned + list steps walked per operation that triggers a new width. */
const MAX_COST_PER_OP = 12;
/** Queue size from which a rebuild sorts by radix rather than by comparison. */
const RADIX_MIN = 512;
/** Index of a double's low 32 bits in a Uint32Array view of it (0 on little-endian machines). */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

export type Callback = (arg: never) => void;

export class EventQueue {
  /** Live (scheduled, not cancelled, not popped) events. */
  size = 0;

  // Calendar.
  private nb = MIN_BUCKETS;
  /** Bucket width in seconds: a double from the start (NaN, then 1 in the constructor; see `Simulation.clock`). */
  private width: number = Number.NaN;
  private head = new Int32Array(MIN_BUCKETS).fill(-1);
  private tail = new Int32Array(MIN_BUCKETS).fill(-1);
  /** Virtual day (floor(time / width)) where the search for the minimum starts. */
  private day = 0;
  private minSlot = -1;

  // Adaptation.
  private ops = 0;
  private cost = 0;

  // Slots (nodes): one 64-byte record each, read through two views of one buffer, so touching a
  // node costs one cache line rather than one per field.
  //   f64[8s + 0] time, f64[8s + 1] sequence, f64[8s + 2] day (floor(time / width));
  //   i32[16s + 6] next, i32[16s + 7] prev, i32[16s + 8] bucket, i32[16s + 9] generation,
  //   i32[16s + 10] linked (1 while in a bucket).
  private f64: Float64Array<ArrayBuffer> = new Float64Array(8 * 1024);
  private i32: Int32Array<ArrayBuffer> = new Int32Array(this.f64.buffer);
  private capacity = 1024;
  /** Callback and argument of each slot, side by side: [2s] callback, [2s + 1] argument. */
  private handlers: unknown[] = [];
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private slotCount = 0;
  private seq = 0;
  /** Scratch for the width estimate. */
  private readonly sample = new Float64Array(WIDTH_SAMPLE);

  constructor() {
    this.width = 1;
  }

  /** Inserts an event; returns its handle. */
  push(time: number, callback: Callback, arg: unknown): number {
    const slot = this.allocSlot();
    const h = this.handlers;
    h[2 * slot] = callback;
    h[2 * slot + 1] = arg;
    const f = this.f64;
    f[8 * slot] = time;
    f[8 * slot + 1] = this.seq++;
    this.link(slot);
    this.size++;
    const m = this.minSlot;
    if (m >= 0 && time < f[8 * m]!) this.minSlot = slot;
    if (this.size > 2 * this.nb) this.rescale(this.nb * 2);
    else if (++this.ops >= CHECK_PERIOD) this.checkCost();
    return this.i32[16 * slot + 9]! * SLOT_SPACE + slot;
  }

  /** Time of the earliest event (Infinity when none). */
  peekTime(): number {
    if (this.size === 0) return Number.POSITIVE_INFINITY;
    const m = this.minSlot >= 0 ? this.minSlot : this.findMin();
    return this.f64[8 * m]!;
  }

  /**
   * Removes the earliest event and returns its slot; call {@link callbackOf}, {@link argOf} then
   * {@link release}. Only valid when {@link size} > 0.
   */
  popSlot(): number {
    const slot = this.minSlot >= 0 ? this.minSlot : this.findMin();
    this.unlink(slot);
    this.minSlot = -1;
    this.size--;
    if (this.size < this.nb >> 1 && this.nb > MIN_BUCKETS) this.rescale(this.nb >> 1);
    else if (++this.ops >= CHECK_PERIOD) this.checkCost();
    return slot;
  }

  callbackOf(slot: number): Callback {
    return this.handlers[2 * slot] as Callback;
  }

  argOf(slot: number): unknown {
    return this.handlers[2 * slot + 1];
  }

  /** Returns a slot to the free list. */
  release(slot: number): void {
    this.handlers[2 * slot + 1] = undefined;
    const i = 16 * slot + 9;
    const g = this.i32[i]! + 1;
    this.i32[i] = g === GENERATION_LIMIT ? 0 : g;
    if (this.freeCount === this.freeSlots.length) {
      const grown = new Int32Array(this.freeSlots.length * 2);
      grown.set(this.freeSlots);
      this.freeSlots = grown;
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  /** Cancels a pending event; false if it already ran, is running, or was cancelled. */
  cancel(handle: number): boolean {
    if (!(handle >= 0)) return false;
    const slot = handle % SLOT_SPACE;
    if (slot >= this.slotCount) return false;
    if (this.i32[16 * slot + 9]! !== Math.floor(handle / SLOT_SPACE)) return false;
    if (this.i32[16 * slot + 10] === 0) return false;
    this.unlink(slot);
    if (this.minSlot === slot) this.minSlot = -1;
    this.size--;
    this.release(slot);
    if (this.size < this.nb >> 1 && this.nb > MIN_BUCKETS) this.rescale(this.nb >> 1);
    return true;
  }

  /** Finds the earliest event, moving the current day forward to it. */
  private findMin(): number {
    const head = this.head;
    const f = this.f64;
    const nb = this.nb;
    const mask = nb - 1;
    let day = this.day;
    let b = day % nb;
    for (let k = 0; k < nb; k++) {
      const h = head[b]!;
      if (h >= 0 && f[8 * h + 2]! <= day) {
        this.cost += k;
        this.day = day;
        this.minSlot = h;
        return h;
      }
      day++;
      b = (b + 1) & mask;
    }
    // A whole year without an event: search the bucket heads directly.
    this.cost += nb;
    let best = -1;
    for (let i = 0; i < nb; i++) {
      const h = head[i]!;
      if (h >= 0 && (best < 0 || this.before(h, best))) best = h;
    }
    this.day = f[8 * best + 2]!;
    this.minSlot = best;
    return best;
  }

  private before(a: number, b: number): boolean {
    const f = this.f64;
    const ta = f[8 * a]!;
    const tb = f[8 * b]!;
    return ta < tb || (ta === tb && f[8 * a + 1]! < f[8 * b + 1]!);
  }

  /**
   * Inserts a slot into its bucket, keeping the bucket sorted by (time, sequence): after every
   * event at or before its time (a new event has the largest sequence).
   */
  private link(slot: number): void {
    const f = this.f64;
    const i32 = this.i32;
    const t = f[8 * slot]!;
    const day = Math.floor(t / this.width);
    if (day < this.day) this.day = day;
    const b = day % this.nb;
    f[8 * slot + 2] = day;
    const s16 = 16 * slot;
    i32[s16 + 8] = b;
    let p = this.tail[b]!;
    const h0 = this.head[b]!;
    let steps = 0;
    if (h0 >= 0 && t < f[8 * h0]!) {
      // Earlier than the bucket's head (e.g. a bucket holding a long run of far-future events):
      // goes first at once, without walking back over them.
      p = -1;
    } else if (p >= 0 && f[8 * p]! > t) {
      // The place is the last event at or before t. Walk back from the tail and forward from the
      // head in turn, so the cost is that of the shorter side: a near event in a bucket that
      // also holds many far-future ones (long computations' completions) is placed from the
      // head, and one of many events at the same instant from the tail.
      let fwd = h0; // at or before t: the head is not after t here
      for (;;) {
        p = i32[16 * p + 7]!;
        steps++;
        if (f[8 * p]! <= t) break; // never past the head, which is at or before t
        const n = i32[16 * fwd + 6]!;
        if (f[8 * n]! > t) {
          p = fwd;
          break;
        }
        fwd = n;
        steps++;
      }
    }
    this.cost += steps;
    if (p < 0) {
      const h = this.head[b]!;
      i32[s16 + 6] = h;
      i32[s16 + 7] = -1;
      if (h >= 0) i32[16 * h + 7] = slot;
      else this.tail[b] = slot;
      this.head[b] = slot;
    } else {
      const n = i32[16 * p + 6]!;
      i32[s16 + 6] = n;
      i32[s16 + 7] = p;
      i32[16 * p + 6] = slot;
      if (n >= 0) i32[16 * n + 7] = slot;
      else this.tail[b] = slot;
    }
    i32[s16 + 10] = 1;
  }

  private unlink(slot: number): void {
    const i32 = this.i32;
    const s16 = 16 * slot;
    const n = i32[s16 + 6]!;
    const p = i32[s16 + 7]!;
    const b = i32[s16 + 8]!;
    if (p >= 0) i32[16 * p + 6] = n;
    else this.head[b] = n;
    if (n >= 0) i32[16 * n + 7] = p;
    else this.tail[b] = p;
    i32[s16 + 10] = 0;
  }

  private checkCost(): void {
    const perOp = this.cost / this.ops;
    this.ops = 0;
    this.cost = 0;
    if (perOp > MAX_COST_PER_OP && this.size > 1) this.resize(this.nb);
  }

  /**
   * Doubles or halves the number of buckets as the queue grows or shrinks. The width is
   * re-estimated from the earliest events, read off the calendar in order (no sort); while it stays
   * within a factor of two of the current width, the current one is kept and the buckets are
   * split (an event of day d goes to bucket d mod 2nb) or merged pairwise, in O(n) with no
   * allocation per event. Otherwise the calendar is rebuilt with the new width.
   */
  private rescale(nb: number): void {
    const w = this.frontWidth();
    if (w > 0.5 * this.width && w < 2 * this.width) {
      if (nb > this.nb) this.split();
      else this.mergePairs();
      this.ops = 0;
      this.cost = 0;
    } else {
      this.resize(nb);
    }
  }

  /**
   * The width Brown's rule gives for the earliest events, found by walking the current year of the
   * calendar from the current day (the events of day d are the first ones of bucket d mod nb);
   * the current width when all those read are at one instant; NaN when the year holds none.
   */
  private frontWidth(): number {
    const head = this.head;
    const f = this.f64;
    const i32 = this.i32;
    const nb = this.nb;
    const sample = this.sample;
    let m = 0;
    let day = this.day;
    if (!(day < Number.POSITIVE_INFINITY)) return Number.NaN;
    // (Reading a burst of simultaneous events to its end costs no more than the split after it.)
    for (let k = 0; k < nb && m < WIDTH_SAMPLE; k++, day++) {
      for (let s = head[day % nb]!; s >= 0 && m < WIDTH_SAMPLE; s = i32[16 * s + 6]!) {
        if (f[8 * s + 2]! !== day) break;
        const t = f[8 * s]!;
        if (m === 0 || t !== sample[m - 1]) sample[m++] = t;
      }
    }
    // Every event read at one instant (a burst, which shares one bucket whatever the width):
    // the width stays. None read in a whole year: a rebuild sorts them.
    if (m === 1) return this.width;
    if (m === 0) return Number.NaN;
    // The latest event is the last of some bucket.
    let last = 0;
    for (let b = 0; b < nb; b++) {
      const t = this.tail[b]!;
      if (t >= 0 && f[8 * t]! > last) last = f[8 * t]!;
    }
    return brownWidth(sample, m, sample[0]!, last);
  }

  /** Doubles the buckets with the same width: bucket b's list splits into b and b + nb, in order. */
  private split(): void {
    const nb = this.nb;
    const nb2 = nb * 2;
    const head = new Int32Array(nb2).fill(-1);
    const tail = new Int32Array(nb2).fill(-1);
    const f = this.f64;
    const i32 = this.i32;
    for (let b = 0; b < nb; b++) {
      for (let s = this.head[b]!; s >= 0; ) {
        const next = i32[16 * s + 6]!;
        const to = f[8 * s + 2]! % nb2;
        const t = tail[to]!;
        i32[16 * s + 6] = -1;
        i32[16 * s + 7] = t;
        i32[16 * s + 8] = to;
        if (t >= 0) i32[16 * t + 6] = s;
        else head[to] = s;
        tail[to] = s;
        s = next;
      }
    }
    this.head = head;
    this.tail = tail;
    this.nb = nb2;
  }

  /** Halves the buckets with the same width: buckets b and b + nb/2 merge, in (time, sequence) order. */
  private mergePairs(): void {
    const half = this.nb >> 1;
    const head = new Int32Array(half).fill(-1);
    const tail = new Int32Array(half).fill(-1);
    const i32 = this.i32;
    for (let b = 0; b < half; b++) {
      let x = this.head[b]!;
      let y = this.head[b + half]!;
      let last = -1;
      while (x >= 0 || y >= 0) {
        let s: number;
        if (y < 0 || (x >= 0 && this.before(x, y))) {
          s = x;
          x = i32[16 * x + 6]!;
        } else {
          s = y;
          y = i32[16 * y + 6]!;
        }
        i32[16 * s + 7] = last;
        i32[16 * s + 8] = b;
        if (last >= 0) i32[16 * last + 6] = s;
        else head[b] = s;
        last = s;
      }
      if (last >= 0) i32[16 * last + 6] = -1;
      tail[b] = last;
    }
    this.head = head;
    this.tail = tail;
    this.nb = half;
  }

  /** Rebuilds the calendar with `nb` buckets and a width fitted to the earliest events. */
  private resize(nb: number): void {
    const n = this.size;
    const slots = new Int32Array(n);
    let k = 0;
    for (let b = 0; b < this.nb; b++) {
      for (let s = this.head[b]!; s >= 0; s = this.i32[16 * s + 6]!) slots[k++] = s;
    }
    // In (time, sequence) order: the width is estimated from the earliest events, and every
    // bucket is rebuilt by appends.
    const order = this.sortByTime(slots);
    this.width = this.estimateWidth(order);
    this.nb = nb;
    this.head = new Int32Array(nb).fill(-1);
    this.tail = new Int32Array(nb).fill(-1);
    this.minSlot = -1;
    this.day = n === 0 ? 0 : Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) this.link(order[i]!);
    this.ops = 0;
    this.cost = 0;
  }

  /**
   * The slots in (time, sequence) order. `slots` lists them bucket by bucket, each bucket in
   * (time, sequence) order, and events of equal time share a bucket: they are already in sequence
   * order, so a stable sort by time alone finishes the job. Large queues use an LSD radix sort on
   * the times' bits (times are ≥ 0, and the bit patterns of non-negative doubles order as the
   * numbers do), 8 bits a pass, skipping the passes where every time has the same digit: linear,
   * where a comparison sort of 10^5 events costs a noticeable share of a storm's set-up.
   */
  private sortByTime(slots: Int32Array): Int32Array {
    const n = slots.length;
    const f = this.f64;
    if (n < RADIX_MIN) {
      const order = Array.from(slots).sort((a, b) => f[8 * a]! - f[8 * b]!);
      return Int32Array.from(order);
    }
    const times = new Float64Array(n);
    for (let i = 0; i < n; i++) times[i] = f[8 * slots[i]!]!;
    const words = new Uint32Array(times.buffer);
    let from = new Int32Array(n);
    let to = new Int32Array(n);
    for (let i = 0; i < n; i++) from[i] = i;
    const count = new Int32Array(256);
    for (let pass = 0; pass < 8; pass++) {
      const word = pass < 4 ? LOW_WORD : 1 - LOW_WORD;
      const shift = (pass & 3) * 8;
      count.fill(0);
      for (let i = 0; i < n; i++) count[(words[2 * from[i]! + word]! >>> shift) & 255]!++;
      if (count[(words[2 * from[0]! + word]! >>> shift) & 255] === n) continue; // one digit
      let sum = 0;
      for (let d = 0; d < 256; d++) {
        const c = count[d]!;
        count[d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const k = from[i]!;
        to[count[(words[2 * k + word]! >>> shift) & 255]!++] = k;
      }
      const t = from;
      from = to;
      to = t;
    }
    for (let i = 0; i < n; i++) to[i] = slots[from[i]!]!;
    return to;
  }

  /**
   * Brown's estimate: three times the average spacing of the earliest events, ignoring spacings
   * more than twice the average. Spacings are taken between *distinct* times: events at the same
   * instant share a bucket whatever the width (they are appended and popped in O(1)), so a burst of
   * simultaneous events must not shrink the estimate to nothing. Keeps the current width when all
   * events coincide. `order`: the slots in time order (no sort here: a rebuild costs O(n)).
   */
  private estimateWidth(order: Int32Array): number {
    const n = order.length;
    if (n < 2) return this.width;
    const f = this.f64;
    const sample = this.sample;
    let m = 0;
    for (let i = 0; i < n && m < WIDTH_SAMPLE; i++) {
      const t = f[8 * order[i]!]!;
      if (m === 0 || t !== sample[m - 1]) sample[m++] = t;
    }
    if (m < 2) return this.width;
    return brownWidth(sample, m, f[8 * order[0]!]!, f[8 * order[n - 1]!]!);
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount]!;
    const slot = this.slotCount++;
    if (slot >= SLOT_SPACE) throw new RangeError("more than 2^25 pending events");
    if (slot === this.capacity) {
      this.capacity *= 2;
      const f = new Float64Array(8 * this.capacity);
      f.set(this.f64);
      this.f64 = f;
      this.i32 = new Int32Array(f.buffer);
    }
    this.handlers.push(undefined, undefined);
    return slot;
  }
}

/**
 * Brown's estimate from the first `m` distinct event times: three times their average spacing,
 * ignoring spacings more than twice the average; at least `max(|first|, |last|) × 2^-40`, so that
 * floor(time / width) stays exact in a double.
 */
function brownWidth(sample: Float64Array, m: number, first: number, last: number): number {
  const avg = (sample[m - 1]! - sample[0]!) / (m - 1);
  let sum = 0;
  let count = 0;
  for (let i = 1; i < m; i++) {
    const d = sample[i]! - sample[i - 1]!;
    if (d <= 2 * avg) {
      sum += d;
      count++;
    }
  }
  let w = count > 0 && sum > 0 ? (3 * sum) / count : 3 * avg;
  const limit = Math.max(Math.abs(last), Math.abs(first)) * 2 ** -40;
  if (w < limit) w = limit;
  return w;
}
