/**
 * Page-level state of one migration: bit-packed bitmaps over the VM's pages (dirty since the last
 * sync, the current round's send set, received and stale at the destination, zero now, xbzrle
 * hits, faults) and the walkers that dirty pages so that their counts follow the fluid functions
 * of `dirty-plan.ts`. Every per-round pass works a 32-page word at a time; per-page work is
 * proportional to the pages dirtied, touched or sent individually.
 *
 * @internal
 */
import { type RandomStream, type ZipfSampler, zipfSampler } from "@vx/core";
import { type MemoryImage, RangeList } from "../memory.js";
import type { DirtyTracePagesInterval } from "../trace.js";
import {
  type Bitmap,
  bitmap,
  countAndNot,
  countBits,
  lastWordMask,
  lowestBit,
  popcount,
} from "./bitmap.js";
import { type DirtyPlan, LINEAR } from "./dirty-plan.js";
import type { ResolvedVm } from "./resolved.js";

/**
 * Walks a class's pages range by range (a range is a chunk of up to 2 MiB of the layout), the
 * ranges in a seeded cyclic order (a stride coprime with their number), the pages of a range in
 * address order: every page once per cycle, spread over the address space at chunk granularity,
 * and cache-friendly (bitmaps are touched a word at a time).
 */
class Walker {
  readonly list: RangeList;
  stride: number;
  /** Current range and offset in it. */
  r: number;
  off = 0;
  /** Pages walked since the last sync. */
  count = 0;
  /** Most pages per sync period. */
  readonly capPages: number;
  readonly share: number;

  private readonly rng: RandomStream | undefined;

  constructor(
    list: RangeList,
    rng: RandomStream | undefined,
    share: number,
    capBytes: number,
    pageBytes: number,
  ) {
    this.list = list;
    this.share = share;
    this.rng = rng;
    this.capPages = Math.min(list.size, Math.floor(capBytes / pageBytes + 1e-9));
    const n = list.starts.length;
    if (rng === undefined || n <= 1) {
      this.stride = 1;
      this.r = 0;
      return;
    }
    this.stride = randomStride(rng, n);
    this.r = rng.int(0, n - 1);
  }

  /**
   * A new dirty period walks a new permutation (stride and start drawn afresh), so the pages it
   * dirties are independent of the previous period's (as with writes at random places), not the
   * continuation of one sweep.
   */
  restart(): void {
    this.count = 0;
    const n = this.list.starts.length;
    if (this.rng === undefined || n <= 1) return;
    this.stride = randomStride(this.rng, n);
    this.r = this.rng.int(0, n - 1);
    this.off = 0;
  }
}

/** A stride in [n/3, 2n/3] coprime with n: a cyclic permutation of 0..n-1 that scatters. */
function randomStride(rng: RandomStream, n: number): number {
  let a = rng.int(Math.max(1, Math.floor(n / 3)), Math.max(1, Math.floor((2 * n) / 3)));
  while (gcd(a, n) !== 1) a++;
  return a % n === 0 ? 1 : a;
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** What a round will send. */
export interface RoundSet {
  readonly bytes: number;
  readonly pages: number;
  readonly fullPages: number;
  readonly deltaPages: number;
  readonly zeroPages: number;
  readonly fullBytes: number;
  readonly deltaBytes: number;
  readonly zeroBytes: number;
}

export interface RoundRules {
  /** Send zero pages as a flag of `zeroPageBytes`. */
  readonly zeroDetection: boolean;
  readonly zeroPageBytes: number;
  /** xbzrle: cache pages (power of two) and delta bytes per hit; 0 = off. */
  readonly cachePages: number;
  readonly deltaBytes: number;
  /** Insert misses into the cache (QEMU: every round but the last stage). */
  readonly cacheInsert: boolean;
}

export class PageMemory {
  readonly image: MemoryImage;
  readonly n: number;
  readonly P: number;
  readonly words: number;
  readonly dirty: Bitmap;
  send: Bitmap;
  readonly received: Bitmap;
  readonly stale: Bitmap;
  readonly zeroNow: Bitmap;
  readonly faulted: Bitmap;
  hits: Bitmap | undefined = undefined;
  private cache: Int32Array | undefined = undefined;
  private cacheAge: Int32Array | undefined = undefined;
  private syncCount = 0;
  /** Bitmaps of the pages sent in each round, when recorded. */
  readonly roundBitmaps: Bitmap[] | undefined;
  private roundBits: Bitmap | undefined = undefined;

  // Walkers (linear classes), Zipf, trace.
  private readonly walkers: Walker[] = [];
  private readonly zipf: ZipfSampler | undefined;
  private readonly zipfList: RangeList | undefined;
  private readonly zipfStride: number = 1;
  private readonly zipfRng: RandomStream | undefined;
  private zipfWrites = 0;
  private readonly traceLists: (Uint32Array | readonly number[])[] | undefined;
  private readonly traceTotal: number = 0;
  private traceEntry = 0;
  private readonly traceWalker: Walker | undefined;
  private wBase = 0;
  private traceRateBase = 0;
  /** Pages dirtied since the last sync. */
  dirtyPages = 0;

  // The round being sent: cursor in address order.
  private rules: RoundRules = {
    zeroDetection: false,
    zeroPageBytes: 0,
    cachePages: 0,
    deltaBytes: 0,
    cacheInsert: false,
  };
  private cw = 0;
  /** Bits of word `cw` already consumed (sent or passed). */
  private cmask = 0;
  private consumed = 0;
  /** Skip pages re-dirtied during the round (Xen). */
  skipMode = false;
  skippedBytes = 0;
  skippedPages = 0;
  /** Pages sent while the destination already held their current content. */
  redundant = 0;
  /** Post-copy: pages received twice. */
  duplicated = 0;
  sentPages = 0;
  roundPages = 0;

  // Post-copy.
  /** Pages that arrived during the post-copy phase (each must arrive once). */
  private arrived: Bitmap | undefined = undefined;
  touchMode = false;
  faults = 0;
  faultBytes = 0;
  /** Next page the push looks at. */
  pivot = 0;
  private pushPhase = 0;
  private pushLeftPages = 0;

  constructor(
    vm: ResolvedVm,
    image: MemoryImage,
    plan: DirtyPlan,
    rng: RandomStream,
    roundBitmaps: boolean,
  ) {
    this.image = image;
    this.n = image.pages;
    this.P = image.pageBytes;
    const n = this.n;
    this.words = Math.ceil(n / 32);
    this.dirty = bitmap(n);
    this.send = bitmap(n);
    this.received = bitmap(n);
    this.stale = bitmap(n);
    this.stale.fill(0xffffffff);
    this.stale[this.words - 1] = lastWordMask(n);
    this.zeroNow = (image.zero as Bitmap).slice();
    this.faulted = bitmap(n);
    this.roundBitmaps = roundBitmaps ? [] : undefined;
    const parts = image._parts;
    const eligible = RangeList.concat([parts.zero, parts.hot, parts.cold], false);
    const d = vm.dirty;
    let zipf: ZipfSampler | undefined;
    let zipfList: RangeList | undefined;
    let traceWalker: Walker | undefined;
    for (const c of plan.classes) {
      if (c.kind !== LINEAR || c.share === 0) continue;
      if (c.part === "eligible") {
        const list = d.model === "scan" ? RangeList.concat([eligible], true) : eligible;
        const w = new Walker(
          list,
          d.model === "scan" ? undefined : rng.stream("walk/eligible"),
          c.share,
          c.cap,
          this.P,
        );
        if (d.model === "trace") traceWalker = w;
        else this.walkers.push(w);
      } else if (c.part === "hot") {
        this.walkers.push(new Walker(parts.hot, rng.stream("walk/hot"), c.share, c.cap, this.P));
      } else if (c.part === "rest") {
        const rest = RangeList.concat([parts.zero, parts.cold], false);
        this.walkers.push(new Walker(rest, rng.stream("walk/rest"), c.share, c.cap, this.P));
      }
    }
    if (d.model === "zipf" && eligible.size > 0) {
      zipf = zipfSampler(eligible.size, d.exponent);
      zipfList = eligible;
      const n2 = eligible.size;
      const r = rng.stream("zipf/permutation");
      let a =
        n2 > 1 ? r.int(Math.max(1, Math.floor(n2 / 3)), Math.max(1, Math.floor((2 * n2) / 3))) : 1;
      while (gcd(a, n2) !== 1) a++;
      this.zipfStride = a;
      this.zipfRng = rng.stream("zipf/draws");
    }
    this.zipf = zipf;
    this.zipfList = zipfList;
    this.traceWalker = traceWalker;
    if (d.model === "trace") {
      this.traceLists = d.trace.intervals
        .filter((iv): iv is DirtyTracePagesInterval => iv.kind === "pages")
        .map((iv) => iv.pages);
      let t = 0;
      for (const l of this.traceLists) t += l.length;
      this.traceTotal = t;
    } else {
      this.traceLists = undefined;
    }
  }

  // ---- dirtying -------------------------------------------------------------------------------

  /**
   * Brings the dirty bitmap up to cumulative work `w` (and, for traces, the cumulative rate bytes
   * and page-list entries).
   */
  update(w: number, traceRate = 0, traceEntries = 0): void {
    const dw = w - this.wBase;
    const P = this.P;
    for (let k = 0; k < this.walkers.length; k++) {
      const wk = this.walkers[k]!;
      // A page is dirty from its first written byte: ceil, not floor.
      let target = Math.ceil((wk.share * dw) / P - 1e-9);
      if (target > wk.capPages) target = wk.capPages;
      if (wk.count < target) this.walk(wk, target);
    }
    const zipf = this.zipf;
    if (zipf !== undefined) {
      const writes = Math.ceil(dw / P - 1e-9);
      const list = this.zipfList!;
      const n = list.size;
      const a = this.zipfStride;
      const rng = this.zipfRng!;
      while (this.zipfWrites < writes) {
        this.zipfWrites++;
        const k = zipf.sample(rng) - 1;
        this.mark(list.pageAt((k * a) % n));
      }
    }
    const tw = this.traceWalker;
    if (tw !== undefined) {
      let target = Math.ceil((traceRate - this.traceRateBase) / P - 1e-9);
      if (target > tw.capPages) target = tw.capPages;
      if (tw.count < target) this.walk(tw, target);
    }
    const lists = this.traceLists;
    if (lists !== undefined && this.traceTotal > 0) {
      while (this.traceEntry < traceEntries) {
        let e = this.traceEntry % this.traceTotal;
        let i = 0;
        while (e >= lists[i]!.length) {
          e -= lists[i]!.length;
          i++;
        }
        this.mark(lists[i]![e]!);
        this.traceEntry++;
      }
    }
  }

  /** Walks `wk` until it has dirtied `target` pages since the sync (the hot loop). */
  private walk(wk: Walker, target: number): void {
    const starts = wk.list.starts;
    const lens = wk.list.lens;
    const nr = starts.length;
    const plain = !this.touchMode && !this.skipMode;
    let need = target - wk.count;
    let r = wk.r;
    let off = wk.off;
    while (need > 0) {
      const len = lens[r]!;
      const take = Math.min(need, len - off);
      const a = starts[r]! + off;
      if (plain) this.markRange(a, a + take);
      else for (let p = a; p < a + take; p++) this.mark(p);
      off += take;
      need -= take;
      if (off === len) {
        off = 0;
        r += wk.stride;
        if (r >= nr) r -= nr;
      }
    }
    wk.r = r;
    wk.off = off;
    wk.count = target;
  }

  /** Marks pages [a, b) dirty a word at a time (no skip rule, no touches). */
  private markRange(a: number, b: number): void {
    const dirty = this.dirty;
    const stale = this.stale;
    const zeroNow = this.zeroNow;
    let marked = 0;
    let p = a;
    while (p < b) {
      const w = p >>> 5;
      const lo = p & 31;
      const hiEnd = Math.min(b - w * 32, 32);
      const m = (hiEnd === 32 ? -1 : (1 << hiEnd) - 1) & (-1 << lo);
      const d = dirty[w]!;
      const fresh = m & ~d;
      if (fresh !== 0) marked += popcount(fresh);
      dirty[w] = d | m;
      stale[w]! |= m;
      zeroNow[w]! &= ~m;
      p = (w + 1) * 32;
    }
    this.dirtyPages += marked;
  }

  /** Starts a new dirty period (a bitmap sync): the dirty bitmap is cleared. */
  resetDirty(w: number, traceRate = 0): void {
    this.dirty.fill(0);
    this.dirtyPages = 0;
    this.wBase = w;
    this.traceRateBase = traceRate;
    for (const wk of this.walkers) wk.restart();
    this.traceWalker?.restart();
    this.zipfWrites = 0;
  }

  private mark(p: number): void {
    const w = p >>> 5;
    const bit = 1 << (p & 31);
    if ((this.dirty[w]! & bit) !== 0) return;
    this.dirty[w]! |= bit;
    this.dirtyPages++;
    if (this.touchMode) {
      this.touch(p, w, bit);
      return;
    }
    this.stale[w]! |= bit;
    if (this.skipMode && (this.send[w]! & bit) !== 0 && this.ahead(w, bit)) {
      this.send[w]! &= ~bit;
      this.skippedBytes += this.cost(w, bit);
      this.skippedPages++;
    }
    this.zeroNow[w]! &= ~bit;
  }

  /** True if the page at (word, bit) is not yet consumed by the round cursor. */
  private ahead(w: number, bit: number): boolean {
    return w > this.cw || (w === this.cw && (this.cmask & bit) === 0);
  }

  private cost(w: number, bit: number): number {
    const r = this.rules;
    if (r.zeroDetection && (this.zeroNow[w]! & bit) !== 0) return r.zeroPageBytes;
    if (this.hits !== undefined && (this.hits[w]! & bit) !== 0) return r.deltaBytes;
    return this.P;
  }

  // ---- pre-copy rounds ------------------------------------------------------------------------

  /**
   * Sync and plan a round: the send set becomes every page (first round, minus the free pages if
   * `skipFree`) or the pages dirtied since the last sync; the dirty bitmap is cleared.
   */
  beginRound(
    first: boolean,
    skipFree: boolean,
    rules: RoundRules,
    w: number,
    traceRate = 0,
  ): RoundSet {
    this.rules = rules;
    const send = this.send;
    if (first) {
      send.fill(0xffffffff);
      send[this.words - 1] = lastWordMask(this.n);
      if (skipFree) {
        const free = this.image.free as Bitmap;
        for (let i = 0; i < this.words; i++) send[i]! &= ~free[i]!;
      }
    } else {
      send.set(this.dirty);
    }
    this.resetDirty(w, traceRate);
    // xbzrle: decide hits in send order (address order), updating the direct-mapped cache.
    this.syncCount++;
    if (rules.cachePages > 0 && !first) {
      if (this.cache === undefined || this.cache.length !== rules.cachePages) {
        this.cache = new Int32Array(rules.cachePages).fill(-1);
        this.cacheAge = new Int32Array(rules.cachePages);
      }
      const cache = this.cache;
      const age = this.cacheAge!;
      const now = this.syncCount;
      const mask = rules.cachePages - 1;
      const hits = (this.hits ??= bitmap(this.n));
      hits.fill(0);
      for (let i = 0; i < this.words; i++) {
        let m = send[i]!;
        while (m !== 0) {
          const b = lowestBit(m);
          m &= m - 1;
          const p = i * 32 + b;
          const slot = p & mask;
          if (cache[slot] === p) {
            hits[i]! |= 1 << b;
            age[slot] = now;
          } else if (rules.cacheInsert && (cache[slot] === -1 || age[slot]! + 1 < now)) {
            // QEMU's cache_insert keeps an entry of this or the previous sync ("fresh").
            cache[slot] = p;
            age[slot] = now;
          }
        }
      }
    } else if (this.hits !== undefined) {
      this.hits.fill(0);
    }
    let pages = 0;
    let zero = 0;
    let delta = 0;
    const zeroNow = this.zeroNow;
    const hits = this.hits;
    for (let i = 0; i < this.words; i++) {
      const m = send[i]!;
      if (m === 0) continue;
      pages += popcount(m);
      if (rules.zeroDetection) {
        const z = m & zeroNow[i]!;
        if (z !== 0) zero += popcount(z);
      }
      if (hits !== undefined) {
        const h = m & hits[i]! & (rules.zeroDetection ? ~zeroNow[i]! : -1);
        if (h !== 0) delta += popcount(h);
      }
    }
    const full = pages - zero - delta;
    this.cw = 0;
    this.cmask = 0;
    this.consumed = 0;
    this.skippedBytes = 0;
    this.skippedPages = 0;
    this.roundPages = 0;
    this.roundBits = this.roundBitmaps !== undefined ? bitmap(this.n) : undefined;
    return {
      bytes: full * this.P + delta * rules.deltaBytes + zero * rules.zeroPageBytes,
      pages,
      fullPages: full,
      deltaPages: delta,
      zeroPages: zero,
      fullBytes: full * this.P,
      deltaBytes: delta * rules.deltaBytes,
      zeroBytes: zero * rules.zeroPageBytes,
    };
  }

  /** Moves the send cursor until `bytes` of the round's pages have been sent (Infinity: all). */
  advance(bytes: number): void {
    const send = this.send;
    const limit = bytes + 1e-6;
    while (this.cw < this.words) {
      const w = this.cw;
      const m = send[w]! & ~this.cmask;
      if (m === 0) {
        this.cw++;
        this.cmask = 0;
        continue;
      }
      const c = this.wordCost(w, m);
      if (this.consumed + c <= limit) {
        this.consume(w, m);
        this.consumed += c;
        this.cw++;
        this.cmask = 0;
        continue;
      }
      // Page by page inside the word.
      let rest = m;
      while (rest !== 0) {
        const b = lowestBit(rest);
        const bit = 1 << b;
        const pc = this.cost(w, bit);
        if (this.consumed + pc > limit) {
          // Pages below b are consumed.
          this.cmask |= bit - 1;
          return;
        }
        this.consume(w, bit);
        this.consumed += pc;
        this.cmask |= bit | (bit - 1);
        rest &= rest - 1;
      }
      this.cw++;
      this.cmask = 0;
    }
  }

  private wordCost(w: number, m: number): number {
    const r = this.rules;
    let z = 0;
    if (r.zeroDetection) z = m & this.zeroNow[w]!;
    let h = 0;
    if (this.hits !== undefined) h = m & ~z & this.hits[w]!;
    const f = m & ~z & ~h;
    return (
      (f === 0 ? 0 : popcount(f) * this.P) +
      (z === 0 ? 0 : popcount(z) * r.zeroPageBytes) +
      (h === 0 ? 0 : popcount(h) * r.deltaBytes)
    );
  }

  /** The pages `m` of word `w` reach the destination. */
  private consume(w: number, m: number): void {
    const fresh = m & this.stale[w]!;
    if (fresh !== m) this.redundant += popcount(m & ~fresh);
    this.received[w]! |= m;
    this.stale[w]! &= ~m;
    const n = popcount(m);
    this.sentPages += n;
    this.roundPages += n;
    if (this.roundBits !== undefined) this.roundBits[w]! |= m;
  }

  /** Ends the round: every page left in the send set is sent. */
  endRound(): void {
    this.advance(Number.POSITIVE_INFINITY);
    if (this.roundBits !== undefined) {
      this.roundBitmaps!.push(this.roundBits);
      this.roundBits = undefined;
    }
  }

  // ---- post-copy ----------------------------------------------------------------------------

  /**
   * Switches to post-copy: the send set becomes the pages the destination still needs (dirty
   * since the last sync, stale, or never received; minus the free pages if `skipFree`), and
   * dirtying now means *touching* pages on the destination.
   */
  beginPostcopy(
    skipFree: boolean,
    hotFirst: boolean,
    rules: RoundRules,
    w: number,
    traceRate = 0,
  ): RoundSet {
    this.rules = rules;
    const send = this.send;
    const free = this.image.free as Bitmap;
    for (let i = 0; i < this.words; i++) {
      // QEMU's discard bitmap: pages dirty since the last sync, plus any never received.
      let m = this.dirty[i]! | this.stale[i]! | ~this.received[i]!;
      if (i === this.words - 1) m &= lastWordMask(this.n);
      if (skipFree) m &= ~free[i]!;
      send[i] = m;
    }
    if (this.hits !== undefined) this.hits.fill(0);
    this.arrived = bitmap(this.n);
    this.resetDirty(w, traceRate);
    this.touchMode = true;

    this.pushPhase = hotFirst ? 0 : 1;
    this.pivot = 0;
    let pages = 0;
    let zero = 0;
    for (let i = 0; i < this.words; i++) {
      const m = send[i]!;
      if (m === 0) continue;
      pages += popcount(m);
      if (rules.zeroDetection) zero += popcount(m & this.zeroNow[i]!);
    }
    this.pushLeftPages = pages;
    const full = pages - zero;
    this.roundPages = 0;
    return {
      bytes: full * this.P + zero * rules.zeroPageBytes,
      pages,
      fullPages: full,
      deltaPages: 0,
      zeroPages: zero,
      fullBytes: full * this.P,
      deltaBytes: 0,
      zeroBytes: zero * rules.zeroPageBytes,
    };
  }

  /** Pages still needed by the destination. */
  get pagesLeft(): number {
    return this.pushLeftPages;
  }

  /** A touch on the destination: a fault if the page is still needed. */
  private touch(p: number, w: number, bit: number): void {
    if ((this.send[w]! & bit) === 0) return;
    this.send[w]! &= ~bit;
    this.faults++;
    this.faultBytes += this.cost(w, bit);
    this.faulted[w]! |= bit;
    this.arrive(w, bit);
    if (this.pivotOnFault) this.pivot = p + 1 >= this.n ? 0 : p + 1;
  }

  /** Pre-paging: the push restarts after the faulting page. */
  pivotOnFault = true;

  private arrive(w: number, bit: number): void {
    const arrived = this.arrived!;
    if ((arrived[w]! & bit) !== 0) this.duplicated++;
    arrived[w]! |= bit;
    this.received[w]! |= bit;
    this.stale[w]! &= ~bit;
    this.sentPages++;
    this.roundPages++;
    this.pushLeftPages--;
  }

  /**
   * The background push sends up to `bytes` of needed pages from the pivot on (the working set
   * first when `hotFirst`).
   *
   * @returns bytes actually consumed (less when nothing is left).
   */
  push(bytes: number): number {
    let budget = bytes + 1e-6;
    let used = 0;
    const send = this.send;
    const hot = this.image.hot as Bitmap;
    const words = this.words;
    let scanned = 0;
    while (this.pushLeftPages > 0) {
      const i = this.pivot >>> 5;
      let m = send[i]! & (~0 << (this.pivot & 31));
      if (this.pushPhase === 0) m &= hot[i]!;
      if (m === 0) {
        this.pivot = i + 1 >= words ? 0 : (i + 1) * 32;
        if (++scanned > words) {
          if (this.pushPhase === 1) break;
          this.pushPhase = 1;
          scanned = 0;
        }
        continue;
      }
      scanned = 0;
      const b = lowestBit(m);
      const bit = 1 << b;
      const c = this.cost(i, bit);
      if (c > budget) {
        this.pivot = i * 32 + b;
        return used;
      }
      budget -= c;
      used += c;
      send[i]! &= ~bit;
      this.arrive(i, bit);
      const next = i * 32 + b + 1;
      this.pivot = next >= this.n ? 0 : next;
    }
    return used;
  }

  // ---- checks -------------------------------------------------------------------------------

  /** Pages whose current content is not at the destination (excluding pages that need not go). */
  lostPages(skipFree: boolean): number {
    if (!skipFree) return countBits(this.stale);
    return countAndNot(this.stale, this.image.free as Bitmap);
  }
}
