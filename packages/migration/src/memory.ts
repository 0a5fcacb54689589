/**
 * A VM's memory image at page level: which pages are zero, which the guest knows are free, which
 * form its working set. Pages are laid out in chunks (2 MiB of 4 KiB pages, fewer for small VMs)
 * whose order is a seeded shuffle, so every part is spread over the address space and the page
 * counts are exact: `round(share × pages)`.
 *
 * @module
 */
import { createRandom, type RandomStream } from "@vx/core";
import { type Bitmap, bitmap, getBit, setRange } from "./internal/bitmap.js";
import type { ResolvedVm } from "./internal/resolved.js";
import { Issues } from "./internal/validate.js";
import { resolveVm, type VmOptions } from "./options.js";

/** Page counts of each part of a {@link MemoryImage}; the parts are disjoint and cover RAM. */
export interface MemoryCounts {
  /** Zero pages (hold only zeros at the start). */
  readonly zero: number;
  /** Pages the guest knows are free. */
  readonly free: number;
  /** Pages of the working set (the hot pages). */
  readonly hot: number;
  /** The other pages. */
  readonly cold: number;
}

/**
 * A list of page ranges enumerated as one sequence of indices `0..size-1`.
 *
 * @internal
 */
export class RangeList {
  readonly starts: Int32Array;
  readonly lens: Int32Array;
  /** prefix[k] = pages in ranges before k. */
  readonly prefix: Float64Array;
  readonly size: number;
  /** Pages per full chunk (a power of two). */
  readonly chunk: number;
  /** Indices below this fall in the leading full chunks: page = starts[i >> shift] + (i & mask). */
  readonly fullLimit: number;
  readonly shift: number;
  readonly mask: number;

  /**
   * @param ranges - [start, length] pairs.
   * @param chunk - the chunk size (a power of two); ranges of that length are put first (unless
   *   `sorted`) so that most lookups are O(1).
   * @param sorted - keep address order (for sequential walks).
   */
  constructor(ranges: readonly (readonly [number, number])[], chunk: number, sorted = false) {
    let list = ranges.filter((r) => r[1] > 0);
    if (sorted) list = [...list].sort((a, b) => a[0] - b[0]);
    else list = [...list.filter((r) => r[1] === chunk), ...list.filter((r) => r[1] !== chunk)];
    const n = list.length;
    this.starts = new Int32Array(n);
    this.lens = new Int32Array(n);
    this.prefix = new Float64Array(n + 1);
    let total = 0;
    let full = 0;
    let leading = true;
    for (let k = 0; k < n; k++) {
      this.starts[k] = list[k]![0];
      this.lens[k] = list[k]![1];
      this.prefix[k] = total;
      total += list[k]![1];
      if (leading && list[k]![1] === chunk) full++;
      else leading = false;
    }
    this.prefix[n] = total;
    this.size = total;
    this.chunk = chunk;
    this.shift = Math.round(Math.log2(chunk));
    this.mask = chunk - 1;
    this.fullLimit = full * chunk;
  }

  /** The page at index `i` (0 ≤ i < size). */
  pageAt(i: number): number {
    if (i < this.fullLimit) return this.starts[i >>> this.shift]! + (i & this.mask);
    const prefix = this.prefix;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (prefix[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.starts[lo]! + (i - prefix[lo]!);
  }

  /** A list holding the ranges of several lists, optionally sorted by address. */
  static concat(lists: readonly RangeList[], sorted: boolean): RangeList {
    const ranges: [number, number][] = [];
    for (const l of lists) {
      for (let k = 0; k < l.starts.length; k++) ranges.push([l.starts[k]!, l.lens[k]!]);
    }
    return new RangeList(ranges, lists[0]?.chunk ?? 1, sorted);
  }
}

/**
 * The page-level memory image of a VM: bitmaps of its zero, free and working-set (hot) pages.
 *
 * Use it to inspect the layout a page-level migration starts from; the migration itself keeps
 * its dirty, sent and fault bitmaps beside it (see {@link Migration.pages}).
 *
 * @example
 * ```ts
 * const image = createMemoryImage({ ram: "1GiB", zeroPages: "10%", workingSet: "128MiB" });
 * image.pages; // 262144
 * image.counts.zero; // 26214
 * image.isHot(1234); // true or false, fixed by the seed
 * ```
 */
export class MemoryImage {
  /** RAM in bytes. */
  readonly ramBytes: number;
  /** Page size in bytes. */
  readonly pageBytes: number;
  /** Number of pages. */
  readonly pages: number;
  /** Pages in each part. */
  readonly counts: MemoryCounts;
  /** Bitmap (32 pages per word, lowest bit first) of the pages that are zero at the start. */
  readonly zero: Uint32Array;
  /** Bitmap of the pages the guest knows are free. */
  readonly free: Uint32Array;
  /** Bitmap of the working-set (hot) pages. */
  readonly hot: Uint32Array;
  /** @internal ranges of each part, in shuffled-chunk order */
  readonly _parts: {
    readonly zero: RangeList;
    readonly free: RangeList;
    readonly hot: RangeList;
    readonly cold: RangeList;
  };

  /** @internal */
  constructor(vm: ResolvedVm, rng: RandomStream) {
    this.ramBytes = vm.ramBytes;
    this.pageBytes = vm.pageBytes;
    const n = vm.pages;
    this.pages = n;
    const zero = Math.min(n, Math.round(vm.zeroFraction * n));
    const free = Math.min(n - zero, Math.round(vm.freeFraction * n));
    const hot = Math.min(n - zero - free, Math.round(vm.workingSetBytes / vm.pageBytes));
    const cold = n - zero - free - hot;
    this.counts = { zero, free, hot, cold };
    // Chunks: at least ~65536 of them (fine enough for page-level statistics), at most 2 MiB.
    const maxChunk = Math.max(1, Math.floor(2 ** 21 / vm.pageBytes));
    let chunk = 1;
    while (chunk * 2 <= maxChunk && chunk * 2 * 65_536 <= n) chunk *= 2;
    const chunks = Math.ceil(n / chunk);
    const order = new Int32Array(chunks);
    for (let i = 0; i < chunks; i++) order[i] = i;
    for (let i = chunks - 1; i > 0; i--) {
      const j = rng.int(0, i);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    const quota = [zero, free, hot, cold];
    const ranges: [number, number][][] = [[], [], [], []];
    let part = 0;
    let left = quota[0]!;
    for (let k = 0; k < chunks; k++) {
      const start = order[k]! * chunk;
      const end = Math.min(n, start + chunk);
      let p = start;
      while (p < end) {
        while (left === 0 && part < 3) left = quota[++part]!;
        const take = Math.min(left, end - p);
        ranges[part]!.push([p, take]);
        p += take;
        left -= take;
      }
    }
    this._parts = {
      zero: new RangeList(ranges[0]!, chunk),
      free: new RangeList(ranges[1]!, chunk),
      hot: new RangeList(ranges[2]!, chunk),
      cold: new RangeList(ranges[3]!, chunk),
    };
    this.zero = toBitmap(this._parts.zero, n);
    this.free = toBitmap(this._parts.free, n);
    this.hot = toBitmap(this._parts.hot, n);
  }

  /** True if page `p` is zero at the start. */
  isZero(p: number): boolean {
    return getBit(this.zero as Bitmap, p);
  }

  /** True if the guest knows page `p` is free. */
  isFree(p: number): boolean {
    return getBit(this.free as Bitmap, p);
  }

  /** True if page `p` is in the working set. */
  isHot(p: number): boolean {
    return getBit(this.hot as Bitmap, p);
  }
}

function toBitmap(list: RangeList, n: number): Bitmap {
  const b = bitmap(n);
  for (let k = 0; k < list.starts.length; k++) {
    setRange(b, list.starts[k]!, list.starts[k]! + list.lens[k]!);
  }
  return b;
}

/** Options of {@link createMemoryImage}. */
export interface MemoryImageOptions {
  /** Seed of the layout (same seed, same layout). Default 1. */
  readonly seed?: number | string;
}

/**
 * Builds the page-level memory image of a VM.
 *
 * @param vm - the VM (its RAM must be a whole number of pages).
 * @param options - the seed.
 * @returns the image.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for a bad VM description.
 * @example
 * ```ts
 * const image = createMemoryImage({ ram: "4GiB", freePages: "25%" }, { seed: 7 });
 * image.counts.free; // 262144
 * ```
 */
export function createMemoryImage(vm: VmOptions, options: MemoryImageOptions = {}): MemoryImage {
  const issues = new Issues();
  const resolved = resolveVm(vm, issues, ["vm"]);
  if (resolved !== undefined && resolved.ramBytes % resolved.pageBytes !== 0) {
    issues.add(
      "VX_SCHEMA_OUT_OF_RANGE",
      `the RAM must be a whole number of pages (${resolved.pageBytes} B each)`,
      ["vm", "ram"],
    );
  }
  issues.throwIfAny("memory image");
  return imageFor(resolved!, options.seed ?? 1, "vm");
}

/** @internal the image of a migration: layout drawn from `seed` / `memory/<name>`. */
export function imageFor(vm: ResolvedVm, seed: number | string, name: string): MemoryImage {
  return new MemoryImage(vm, createRandom(seed).stream(`memory/${name}`));
}
