/**
 * An index of candidate hosts for PABFD that prunes hosts which cannot win, without changing the
 * choice: hosts are bucketed by type and by the utilisation the placement sees (`U / C`); for a VM
 * asking `r` MIPS, a bucket's lower bound is the minimum over its utilisation range of
 * `P(u + r / C) − P(u)` (exact on the piecewise-linear SPECpower curve). Buckets are visited by
 * increasing bound and hosts within a bucket by increasing index, and a visit stops as soon as no
 * remaining host can beat the best (quantised score, then index) found so far. Every host that
 * could win is scored with the full scan's arithmetic, so the winner is the same host.
 *
 * @internal
 */

import { specPower } from "../power.js";
import { IndexSet } from "./index-set.js";
import type { World } from "./world.js";

/** Buckets per host type for hosts untouched this round (utilisation width 1 / BUCKETS). */
const BUCKETS = 20;
/** Buckets per host type for hosts that received VMs this round (finer: their bound is looser). */
const TBUCKETS = 100;
/** Slack on lower bounds for floating-point rounding in the scores (watts). */
const SLACK = 1e-11;

/** Scores are compared in units of 1 / QUANTUM watts (nanowatts). */
export const QUANTUM = 1e9;

/** The best candidate so far, as the placement keeps it. */
export interface Best {
  /** Quantised score (floor(watts × QUANTUM)); Infinity before any candidate. */
  q: number;
  /** Host index; -1 before any candidate. */
  host: number;
}

export class PlacementIndex {
  private readonly world: World;
  private readonly types: number;
  /**
   * Hosts whose score is exactly g(U / C) (nothing placed on them this round): one ordered set
   * per (type, utilisation bucket), scanned by increasing index.
   */
  private readonly clean: IndexSet[];
  /**
   * Hosts that received VMs this round, whose score adds `extra = P(U / C) − P(u) > 0`: per
   * bucket, kept sorted by (extra, index) and scanned in that order.
   */
  private readonly touchedHosts: number[][];
  private readonly touchedExtra: number[][];
  /** Utilisation range of the hosts filed in each bucket (widened on insert, reset on rebuild). */
  private readonly minU: Float64Array;
  private readonly maxU: Float64Array;
  /** Per host: bucket id (clean: t·B + b; touched: (T + t)·B + b), or -1. */
  private readonly where: Int32Array;
  private readonly extra: Float64Array;
  /** Hosts whose score cannot be bounded by their bucket (kept apart, always scanned). */
  private readonly loose: number[] = [];
  private readonly loosePos: Int32Array;
  /** Hosts excluded for the rest of the round (not re-filed by {@link PlacementIndex.update}). */
  private readonly banned: Uint8Array;
  /** Per type: capacity, core speed and count of filed hosts (all hosts of a type are alike). */
  private readonly typeMips: Float64Array;
  private readonly typePe: Float64Array;
  private readonly typeCount: Int32Array;
  // Query scratch.
  private readonly lb: Float64Array;
  private readonly order: Int32Array;
  private readonly points: Float64Array = new Float64Array(64);
  private readonly values: Float64Array = new Float64Array(64);

  constructor(world: World) {
    this.world = world;
    const T = world.types;
    this.types = T;
    this.clean = [];
    for (let i = 0; i < T * BUCKETS; i++) this.clean.push(new IndexSet(world.hosts));
    this.touchedHosts = [];
    this.touchedExtra = [];
    for (let i = 0; i < T * TBUCKETS; i++) {
      this.touchedHosts.push([]);
      this.touchedExtra.push([]);
    }
    this.minU = new Float64Array(T * (BUCKETS + TBUCKETS)).fill(Number.POSITIVE_INFINITY);
    this.maxU = new Float64Array(T * (BUCKETS + TBUCKETS)).fill(Number.NEGATIVE_INFINITY);
    this.where = new Int32Array(world.hosts).fill(-1);
    this.extra = new Float64Array(world.hosts);
    this.loosePos = new Int32Array(world.hosts).fill(-1);
    this.banned = new Uint8Array(world.hosts);
    this.typeMips = new Float64Array(T);
    this.typePe = new Float64Array(T);
    this.typeCount = new Int32Array(T);
    for (let h = world.hosts - 1; h >= 0; h--) {
      const t = world.hostType[h] as number;
      this.typeMips[t] = world.hostMips[h] as number;
      this.typePe[t] = world.hostPeMips[h] as number;
    }
    this.lb = new Float64Array(T * (BUCKETS + TBUCKETS));
    this.order = new Int32Array(T * (BUCKETS + TBUCKETS));
  }

  /** Empties the index and adds every non-empty host for which `skip` is false. */
  rebuild(skip: (h: number) => boolean): void {
    for (const set of this.clean) set.clear();
    for (const list of this.touchedHosts) list.length = 0;
    for (const list of this.touchedExtra) list.length = 0;
    this.minU.fill(Number.POSITIVE_INFINITY);
    this.maxU.fill(Number.NEGATIVE_INFINITY);
    this.where.fill(-1);
    for (const h of this.loose) this.loosePos[h] = -1;
    this.loose.length = 0;
    this.typeCount.fill(0);
    this.banned.fill(0);
    const w = this.world;
    for (let h = 0; h < w.hosts; h++) if (skip(h)) this.banned[h] = 1;
    for (let i = 0; i < w.occupiedCount; i++) {
      const h = w.occupied[i] as number;
      if (this.banned[h] === 0) this.insert(h);
    }
  }

  /** Re-files host `h` after its VM list changed (drops it if it became empty). */
  update(h: number): void {
    if (this.banned[h] === 1) return;
    this.drop(h);
    if ((this.world.hostVms[h] as number[]).length > 0) this.insert(h);
  }

  /** Takes host `h` out of the index for the rest of the round (it can no longer receive VMs). */
  remove(h: number): void {
    this.banned[h] = 1;
    this.drop(h);
  }

  private drop(h: number): void {
    const id = this.where[h] as number;
    const TB = this.types * BUCKETS;
    if (id >= 0) {
      if (id < TB) {
        (this.clean[id] as IndexSet).delete(h);
      } else {
        const hosts = this.touchedHosts[id - TB] as number[];
        const extras = this.touchedExtra[id - TB] as number[];
        let i = lowerBound(extras, this.extra[h] as number);
        while (hosts[i] !== h) i++;
        hosts.splice(i, 1);
        extras.splice(i, 1);
      }
      this.where[h] = -1;
      const t = id < TB ? (id / BUCKETS) | 0 : ((id - TB) / TBUCKETS) | 0;
      this.typeCount[t] = (this.typeCount[t] as number) - 1;
      return;
    }
    const lp = this.loosePos[h] as number;
    if (lp >= 0) {
      const last = this.loose.pop() as number;
      if (last !== h) {
        this.loose[lp] = last;
        this.loosePos[last] = lp;
      }
      this.loosePos[h] = -1;
    }
  }

  private insert(h: number): void {
    const w = this.world;
    const t = w.hostType[h] as number;
    const v = (w.hostPolicyMips[h] as number) / (w.hostMips[h] as number);
    const table = w.powerTable(h);
    // score = P(v + x) − P(u) = g(v) + extra, extra = P(v) − P(u): 0 for a host untouched this
    // round (v and u are computed from the same sum), > 0 for one that received VMs.
    const extra = v >= 0 && v < 1 ? specPower(table, v) - specPower(table, w.hostUtil[h] as number) : -1;
    if (!(extra >= 0)) {
      this.loosePos[h] = this.loose.length;
      this.loose.push(h);
      return;
    }
    const TB = this.types * BUCKETS;
    let id: number;
    if (extra === 0) {
      const b = t * BUCKETS + Math.min(BUCKETS - 1, Math.floor(v * BUCKETS));
      id = b;
      (this.clean[b] as IndexSet).add(h);
    } else {
      const b = t * TBUCKETS + Math.min(TBUCKETS - 1, Math.floor(v * TBUCKETS));
      id = TB + b;
      const hosts = this.touchedHosts[b] as number[];
      const extras = this.touchedExtra[b] as number[];
      let i = lowerBound(extras, extra);
      while (i < extras.length && extras[i] === extra && (hosts[i] as number) < h) i++;
      hosts.splice(i, 0, h);
      extras.splice(i, 0, extra);
    }
    this.extra[h] = extra;
    if (v < (this.minU[id] as number)) this.minU[id] = v;
    if (v > (this.maxU[id] as number)) this.maxU[id] = v;
    this.where[h] = id;
    this.typeCount[t] = (this.typeCount[t] as number) + 1;
  }

  /**
   * Calls `consider(h)` for every indexed host that could beat `best` for a VM asking `req` MIPS
   * with `cores` cores (`consider` updates `best`): buckets by increasing bound; in a clean
   * bucket hosts by increasing index, in a touched one by increasing extra; skipping those that
   * cannot win.
   *
   * @param maxUtilisation - a host holding load is overloaded with the VM whenever its requested
   * utilisation plus the VM's exceeds this (THR: its threshold; Infinity when unknown); buckets
   * above it hold no candidate, since requested ≥ allocated MIPS.
   */
  scan(
    req: number,
    cores: number,
    maxUtilisation: number,
    best: Best,
    consider: (h: number) => void,
  ): void {
    for (let i = 0; i < this.loose.length; i++) consider(this.loose[i] as number);
    const w = this.world;
    const TB = this.types * BUCKETS;
    let n = 0;
    for (let t = 0; t < this.types; t++) {
      if (this.typeCount[t] === 0) continue;
      if ((this.typePe[t] as number) < req / cores) continue; // no host of this type is suitable
      const table = w.typePower[t] as readonly number[];
      const x = req / (this.typeMips[t] as number);
      const k = this.breakpoints(table, x);
      for (let family = 0; family < 2; family++) {
        const pts = this.points;
        const vals = this.values;
        const nb = family === 0 ? BUCKETS : TBUCKETS;
        let j = 0;
        for (let b = 0; b < nb; b++) {
          const local = t * nb + b;
          const id = family === 0 ? local : TB + local;
          const size = family === 0 ? (this.clean[local] as IndexSet).size : (this.touchedHosts[local] as number[]).length;
          if (size === 0) continue;
          if (b > 0 && b / nb > maxUtilisation - x) break; // every host here would overflow
          // g is linear between breakpoints: its minimum over the hosts' utilisation range is at
          // an end of the range or at a breakpoint inside it.
          const lo = this.minU[id] as number;
          const hi = this.maxU[id] as number;
          let m = Math.min(gain(table, lo, x), gain(table, hi, x));
          while (j < k && (pts[j] as number) <= lo) j++;
          for (let q = j; q < k && (pts[q] as number) < hi; q++) m = Math.min(m, vals[q] as number);
          if (family === 1) m += (this.touchedExtra[local] as number[])[0] as number;
          this.lb[id] = m;
          this.order[n++] = id;
        }
      }
    }
    // Insertion sort by bound (at most types × (BUCKETS + TBUCKETS) entries, mostly few).
    const order = this.order;
    const lb = this.lb;
    for (let i = 1; i < n; i++) {
      const id = order[i] as number;
      const v = lb[id] as number;
      let q = i - 1;
      while (q >= 0 && (lb[order[q] as number] as number) > v) {
        order[q + 1] = order[q] as number;
        q--;
      }
      order[q + 1] = id;
    }
    for (let i = 0; i < n; i++) {
      const id = order[i] as number;
      // No host of this bucket scores below qmin; buckets come by increasing qmin.
      const bound = lb[id] as number;
      const qmin = Math.floor((bound - SLACK) * QUANTUM);
      if (qmin > best.q) break;
      if (id < TB) {
        const set = this.clean[id] as IndexSet;
        for (let h = set.next(0); h >= 0; h = set.next(h + 1)) {
          // By increasing index: once the best cannot be beaten, nor tied with a lower index.
          if (best.q <= qmin && best.host < h) break;
          consider(h);
        }
      } else {
        const hosts = this.touchedHosts[id - TB] as number[];
        const extras = this.touchedExtra[id - TB] as number[];
        const base = bound - (extras[0] as number);
        for (let q = 0; q < hosts.length; q++) {
          // By increasing (extra, index): the bound of the rest only grows.
          const e = extras[q] as number;
          const ql = Math.floor((base + e - SLACK) * QUANTUM);
          if (ql > best.q) break;
          const h = hosts[q] as number;
          if (ql === best.q && h > best.host) {
            // The rest of this run of equal extras can at best tie with a higher index.
            q = upperBound(extras, e) - 1;
            continue;
          }
          consider(h);
        }
      }
    }
  }

  /** Breakpoints of u ↦ P(u + x) − P(u) in (0, 1), sorted, with the function's values there. */
  private breakpoints(table: readonly number[], x: number): number {
    const pts = this.points;
    let k = 0;
    for (let i = 1; i <= 10; i++) {
      const a = i / 10;
      if (a < 1) pts[k++] = a;
      const c = a - x;
      if (c > 0 && c < 1) pts[k++] = c;
    }
    pts.subarray(0, k).sort();
    for (let i = 0; i < k; i++) this.values[i] = gain(table, pts[i] as number, x);
    return k;
  }
}

/** First index of `a` (sorted ascending) whose value is > `x`. */
function upperBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of `a` (sorted ascending) whose value is ≥ `x`. */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** P(min(1, u + x)) − P(u): the power a host at utilisation u gains with x more. */
function gain(table: readonly number[], u: number, x: number): number {
  const w = u + x;
  return specPower(table, w > 1 ? 1 : w) - specPower(table, u);
}
