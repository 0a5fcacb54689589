/**
 * The fluid side of the dirtying models: RAM split into disjoint classes, each with a function
 * from the dirtying work `w` (bytes of dirtying since the last bitmap sync) to the bytes of
 * distinct pages dirtied in it. The page-level model walks pages so that its counts follow the
 * same functions (exactly for the linear models, in expectation for Zipf).
 *
 * - linear class: `dirty(w) = min(cap, share × w)` (uniform, scan, hot/cold, CPU-coupled, trace);
 * - Zipf bucket: `dirty(w) = bytes × (1 − exp(−p × w / pageBytes))`, `p` the chance that one
 *   write lands on a given page of the bucket (ranks with about the same popularity share a
 *   bucket).
 *
 * @internal
 */
import type { ResolvedVm } from "./resolved.js";

export const LINEAR = 0;
export const ZIPF = 1;

export interface FluidClass {
  readonly kind: typeof LINEAR | typeof ZIPF;
  /** Bytes of RAM in the class. */
  readonly bytes: number;
  /** Linear: most bytes dirtied per sync period (≤ bytes). */
  readonly cap: number;
  /** Linear: share of the work that lands here. */
  readonly share: number;
  /** Zipf: probability that one write lands on a given page of this class. */
  readonly prob: number;
  /** Which part of the layout it is (for the page level): eligible, hot, rest, free, zipf. */
  readonly part: "eligible" | "hot" | "rest" | "free" | "zipf";
  /** Zipf: first and last rank (1-based, inclusive). */
  readonly rankFrom: number;
  readonly rankTo: number;
}

export interface DirtyPlan {
  readonly classes: readonly FluidClass[];
  /** Bytes in zero pages at the start. */
  readonly zeroBytes: number;
  /** Bytes the guest knows are free. */
  readonly freeBytes: number;
  /** Bytes that can be dirtied (all but the free pages). */
  readonly eligibleBytes: number;
}

function linear(part: FluidClass["part"], bytes: number, share: number, cap = bytes): FluidClass {
  return {
    kind: LINEAR,
    bytes,
    cap: Math.min(cap, bytes),
    share,
    prob: 0,
    part,
    rankFrom: 0,
    rankTo: 0,
  };
}

/** Builds the classes of a VM's dirtying model. */
export function dirtyPlan(vm: ResolvedVm): DirtyPlan {
  const M = vm.ramBytes;
  const P = vm.pageBytes;
  const zeroBytes = vm.zeroFraction * M;
  const freeBytes = vm.freeFraction * M;
  const eligible = Math.max(0, M - freeBytes);
  const free = linear("free", freeBytes, 0);
  const d = vm.dirty;
  const classes: FluidClass[] = [];
  switch (d.model) {
    case "none":
      classes.push(linear("eligible", eligible, 0));
      break;
    case "uniform":
    case "scan":
    case "trace":
      classes.push(linear("eligible", eligible, 1));
      break;
    case "cpu-coupled":
      classes.push(linear("eligible", eligible, 1, d.capFraction * M));
      break;
    case "hot-cold": {
      const hot = Math.min(vm.workingSetBytes, eligible);
      classes.push(linear("hot", hot, d.hotShare));
      classes.push(linear("rest", eligible - hot, 1 - d.hotShare));
      break;
    }
    case "zipf": {
      const n = Math.max(1, Math.round(eligible / P));
      const s = d.exponent;
      // Buckets: the first 64 ranks alone, then ranks within a factor 1.02 of each other.
      const bounds: [number, number][] = [];
      let k = 1;
      while (k <= n) {
        const to = k <= 64 ? k : Math.min(n, Math.max(k, Math.floor(k * 1.02)));
        bounds.push([k, to]);
        k = to + 1;
      }
      const sums = bounds.map(([a, b]) => rankSum(a, b, s));
      let total = 0;
      for (const x of sums) total += x;
      const bytesPerRank = eligible / n;
      bounds.forEach(([a, b], i) => {
        const count = b - a + 1;
        classes.push({
          kind: ZIPF,
          bytes: count * bytesPerRank,
          cap: count * bytesPerRank,
          share: 0,
          prob: sums[i]! / total / count,
          part: "zipf",
          rankFrom: a,
          rankTo: b,
        });
      });
      break;
    }
  }
  if (freeBytes > 0) classes.push(free);
  return { classes, zeroBytes, freeBytes, eligibleBytes: eligible };
}

/** Σ_{k=a}^{b} k^-s: exact for short ranges, by the midpoint integral for long ones. */
function rankSum(a: number, b: number, s: number): number {
  if (b - a < 64) {
    let sum = 0;
    for (let k = a; k <= b; k++) sum += k ** -s;
    return sum;
  }
  const lo = a - 0.5;
  const hi = b + 0.5;
  return s === 1 ? Math.log(hi / lo) : (hi ** (1 - s) - lo ** (1 - s)) / (1 - s);
}

/** Bytes of distinct pages of class `c` dirtied by work `w` since the last sync. */
export function classDirty(c: FluidClass, w: number, pageBytes: number): number {
  if (w <= 0) return 0;
  if (c.kind === LINEAR) {
    const x = c.share * w;
    return x < c.cap ? x : c.cap;
  }
  return c.bytes * -Math.expm1((-c.prob * w) / pageBytes);
}

/** Total bytes dirtied by work `w` since the last sync; per class into `out` if given. */
export function planDirty(
  plan: DirtyPlan,
  w: number,
  pageBytes: number,
  out?: Float64Array,
): number {
  let total = 0;
  const classes = plan.classes;
  for (let i = 0; i < classes.length; i++) {
    const x = classDirty(classes[i]!, w, pageBytes);
    if (out !== undefined) out[i] = x;
    total += x;
  }
  return total;
}
