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
const TBUCKETS = 50;
/** Slack on lower bounds for floating-point rounding in the scores (watts). */
const SLACK = 1e-12;

/** Room for the breakpoints of g: both ends, 9 table points, up to 10 shifted ones. */
const MAX_POINTS = 32;

/** Scores are compared in units of 1 / QUANTUM watts (nanowatts). */
export const QUANTUM = 1e9;

/**
 * Consolidation rounds use the index only when at least this many hosts hold VMs; below, scoring
 * every such host in one tight loop is about as cheap as the index's set-up per round and per
 * search (the winner is the same either way), and the index's code need not be compiled. Measured
 * on the PlanetLab day 20110303 (2026-12-03, fresh processes): the CloudSim-compatible run (775
 * hosts in use in the first round, about 70 after the tenth) and the pre-copy run (about 370)
 * are as fast or faster without the index; the day ×10 (several thousand) needs it.
 */
export const INDEX_MIN_OCCUPIED = 1000;

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
   * The clean hosts of each bucket at the last rebuild, sorted by (utilisation, index), with
   * their utilisations; hosts that left the bucket since are skipped (checked with `where`), hosts
   * that joined it are listed in `late`.
   */
  private readonly sortedHosts: Int32Array[];
  private readonly sortedU: Float64Array[];
  private readonly late: number[][];
  /** Per host: the clean bucket whose `late` list holds it since the last rebuild, or -1. */
  private readonly lateIn: Int32Array;
  /** Entries of `sortedHosts` whose host has left the bucket, per bucket (compacted past half). */
  private readonly stale: Int32Array;
  private rebuilding = false;
  /**
   * Hosts that received VMs this round, whose score adds `extra = P(U / C) − P(u) > 0`: per
   * bucket, kept sorted by (extra, index) and scanned in that order.
   */
  private readonly touchedHosts: number[][];
  private readonly touchedExtra: number[][];
  /** Per host: the utilisation the placement sees (U / C) when it was filed. */
  private readonly filedU: Float64Array;
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
  /** scanSorted scratch: (start, end, p0, g(p0), slope, min) per piece. */
  private readonly pieces: Float64Array = new Float64Array(6 * MAX_POINTS);
  private readonly order: Int32Array;
  private readonly points: Float64Array = new Float64Array(MAX_POINTS);
  private readonly values: Float64Array = new Float64Array(MAX_POINTS);
  /** Per type (MAX_POINTS each): the breakpoints of g for the current query, and their count. */
  private readonly allPts: Float64Array;
  private readonly allVals: Float64Array;
  private readonly typeBreaks: Int32Array;

  constructor(world: World) {
    this.world = world;
    const T = world.types;
    this.types = T;
    this.clean = [];
    this.sortedHosts = [];
    this.sortedU = [];
    this.late = [];
    this.stale = new Int32Array(T * BUCKETS);
    for (let i = 0; i < T * BUCKETS; i++) {
      this.clean.push(new IndexSet(world.hosts));
      this.sortedHosts.push(new Int32Array(0));
      this.sortedU.push(new Float64Array(0));
      this.late.push([]);
    }
    this.touchedHosts = [];
    this.touchedExtra = [];
    for (let i = 0; i < T * TBUCKETS; i++) {
      this.touchedHosts.push([]);
      this.touchedExtra.push([]);
    }
    this.minU = new Float64Array(T * (BUCKETS + TBUCKETS)).fill(Number.POSITIVE_INFINITY);
    this.maxU = new Float64Array(T * (BUCKETS + TBUCKETS)).fill(Number.NEGATIVE_INFINITY);
    this.where = new Int32Array(world.hosts).fill(-1);
    this.lateIn = new Int32Array(world.hosts).fill(-1);
    this.extra = new Float64Array(world.hosts);
    this.filedU = new Float64Array(world.hosts);
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
    this.allPts = new Float64Array(T * MAX_POINTS);
    this.allVals = new Float64Array(T * MAX_POINTS);
    this.typeBreaks = new Int32Array(T);
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
    this.lateIn.fill(-1);
    for (const h of this.loose) this.loosePos[h] = -1;
    this.loose.length = 0;
    this.typeCount.fill(0);
    this.banned.fill(0);
    const w = this.world;
    for (let h = 0; h < w.hosts; h++) if (skip(h)) this.banned[h] = 1;
    this.rebuilding = true;
    for (let i = 0; i < w.occupiedCount; i++) {
      const h = w.occupied[i] as number;
      if (this.banned[h] === 0) this.insert(h);
    }
    this.rebuilding = false;
    // Per clean bucket: its hosts by (utilisation, index).
    const u = (h: number): number => (w.hostPolicyMips[h] as number) / (w.hostMips[h] as number);
    for (let id = 0; id < this.clean.length; id++) {
      const set = this.clean[id] as IndexSet;
      (this.late[id] as number[]).length = 0;
      this.stale[id] = 0;
      const hosts: number[] = [];
      for (let h = set.next(0); h >= 0; h = set.next(h + 1)) hosts.push(h);
      hosts.sort((a, b) => u(a) - u(b) || a - b);
      this.sortedHosts[id] = Int32Array.from(hosts);
      this.sortedU[id] = Float64Array.from(hosts, u);
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
        this.stale[id] = (this.stale[id] as number) + 1;
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
    // A host without room for the smallest VM can take none: leave it out until it has.
    if (w.ramLimits && (w.hostRam[h] as number) - (w.hostRamUsed[h] as number) < w.minRamNeed)
      return;
    const t = w.hostType[h] as number;
    const v = (w.hostPolicyMips[h] as number) / (w.hostMips[h] as number);
    const table = w.powerTable(h);
    // score = P(v + x) − P(u) = g(v) + extra, extra = P(v) − P(u): 0 for a host untouched this
    // round (v and u are computed from the same sum), > 0 for one that received VMs.
    const extra =
      v >= 0 && v < 1 ? specPower(table, v) - specPower(table, w.hostUtil[h] as number) : -1;
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
      if (!this.rebuilding && this.lateIn[h] !== b) {
        // Once per host and bucket between rebuilds (a host re-filed many times in a round,
        // e.g. by evacuations that are undone, would otherwise be listed, and scored, each time).
        this.lateIn[h] = b;
        (this.late[b] as number[]).push(h);
      }
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
    this.filedU[h] = v;
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
      this.typeBreaks[t] = k;
      // Copied by hand: `set(subarray(...))` would allocate two views per type and search.
      const base = t * MAX_POINTS;
      for (let q = 0; q < k; q++) {
        this.allPts[base + q] = this.points[q] as number;
        this.allVals[base + q] = this.values[q] as number;
      }
      for (let family = 0; family < 2; family++) {
        const pts = this.points;
        const vals = this.values;
        const nb = family === 0 ? BUCKETS : TBUCKETS;
        let j = 0;
        for (let b = 0; b < nb; b++) {
          const local = t * nb + b;
          const id = family === 0 ? local : TB + local;
          const size =
            family === 0
              ? (this.clean[local] as IndexSet).size
              : (this.touchedHosts[local] as number[]).length;
          if (size === 0) continue;
          if (b > 0 && b / nb > maxUtilisation - x) break; // every host here would overflow
          // g is linear between breakpoints: its minimum over the hosts' utilisation range is at
          // an end of the range (interpolated) or at a breakpoint inside it.
          const lo = this.minU[id] as number;
          const hi = this.maxU[id] as number;
          while (j + 1 < k && (pts[j + 1] as number) <= lo) j++;
          let q = j;
          let m = interpolate(pts, vals, k, q, lo);
          while (q + 1 < k && (pts[q + 1] as number) < hi) {
            q++;
            const v = vals[q] as number;
            if (v < m) m = v;
          }
          const end = interpolate(pts, vals, k, q, hi);
          if (end < m) m = end;
          if (family === 1) m += (this.touchedExtra[local] as number[])[0] as number;
          this.lb[id] = m;
          this.order[n++] = id;
        }
      }
    }
    // Visit buckets by increasing bound, selecting the next one each time (usually only a few
    // are visited, so this beats sorting them all).
    const order = this.order;
    const lb = this.lb;
    for (let i = 0; i < n; i++) {
      let pick = i;
      let min = lb[order[i] as number] as number;
      for (let q = i + 1; q < n; q++) {
        const v = lb[order[q] as number] as number;
        if (v < min || (v === min && (order[q] as number) < (order[pick] as number))) {
          min = v;
          pick = q;
        }
      }
      const id = order[pick] as number;
      order[pick] = order[i] as number;
      order[i] = id;
      // No host of this bucket scores below qmin; buckets come by increasing qmin.
      const bound = lb[id] as number;
      const qmin = Math.floor((bound - SLACK) * QUANTUM);
      if (qmin > best.q) break;
      if (id < TB) {
        const t = (id / BUCKETS) | 0;
        const k = this.typeBreaks[t] as number;
        const off = t * MAX_POINTS;
        const lo = this.minU[id] as number;
        const hi = this.maxU[id] as number;
        // Highest g over the hosts' range: if the bucket is flat, every host scores the same
        // quantum and the lowest index wins: visit by index and stop at the first that can.
        let top = Math.max(
          interpolateAt(this.allPts, this.allVals, off, k, lo),
          interpolateAt(this.allPts, this.allVals, off, k, hi),
        );
        for (let q = 0; q < k; q++) {
          const a = this.allPts[off + q] as number;
          if (a > lo && a < hi) top = Math.max(top, this.allVals[off + q] as number);
        }
        // floor(topq) === qmin, written as a range test: V8 first sees small quanta (Smis) here,
        // speculates int32 and would then deoptimise on every larger one (a deopt loop).
        const topq = (top + SLACK) * QUANTUM;
        if (topq >= qmin && topq < qmin + 1) {
          const set = this.clean[id] as IndexSet;
          for (let h = set.next(0); h >= 0; h = set.next(h + 1)) {
            // By increasing index: once the best cannot be beaten, nor tied with a lower index.
            if (best.q <= qmin && best.host < h) break;
            consider(h);
          }
        } else {
          this.scanSorted(id, off, k, best, consider);
        }
      } else {
        const hosts = this.touchedHosts[id - TB] as number[];
        const extras = this.touchedExtra[id - TB] as number[];
        const base = bound - (extras[0] as number);
        const t = ((id - TB) / TBUCKETS) | 0;
        const k = this.typeBreaks[t] as number;
        const off = t * MAX_POINTS;
        for (let q = 0; q < hosts.length; q++) {
          // By increasing (extra, index): the bucket bound of the rest only grows.
          const e = extras[q] as number;
          const ql = Math.floor((base + e - SLACK) * QUANTUM);
          if (ql > best.q) break;
          const h = hosts[q] as number;
          if (ql === best.q && h > best.host) {
            // The rest of this run of equal extras can at best tie with a higher index.
            q = upperBound(extras, e) - 1;
            continue;
          }
          // The host's own bound: g at its utilisation plus its extra.
          const gh = interpolateAt(this.allPts, this.allVals, off, k, this.filedU[h] as number);
          const hq = Math.floor((gh + e - SLACK) * QUANTUM);
          if (hq > best.q || (hq === best.q && h > best.host)) continue;
          consider(h);
        }
      }
    }
  }

  /**
   * Visits the hosts of a clean bucket whose bound g(u) can still beat `best`: each linear piece
   * of g over the bucket's range is walked from its lower end (by utilisation, ties by index),
   * stopping at the first host whose bound exceeds the best quantum; the pieces are taken by
   * increasing minimum. Hosts filed since the last rebuild are checked against their own bound.
   */
  private scanSorted(
    id: number,
    off: number,
    k: number,
    best: Best,
    consider: (h: number) => void,
  ): void {
    if ((this.stale[id] as number) * 2 > (this.sortedHosts[id] as Int32Array).length)
      this.compact(id);
    this.walkPieces(id, off, k, best, consider);
    // Hosts filed since the last rebuild: each scored only if its own bound g(u) (its score is
    // exactly g at the utilisation it was filed with) can still beat the best. They come last,
    // when the best is tightest; the winner does not depend on the order hosts are considered in.
    const late = this.late[id] as number[];
    for (let i = 0; i < late.length; i++) {
      const h = late[i] as number;
      if (this.where[h] !== id) continue;
      const g = interpolateAt(this.allPts, this.allVals, off, k, this.filedU[h] as number);
      const lbq = Math.floor((g - SLACK) * QUANTUM);
      if (lbq > best.q || (lbq === best.q && h > best.host)) continue;
      consider(h);
    }
  }

  /** The sorted part of {@link PlacementIndex.scanSorted}: the bucket's hosts at the last rebuild. */
  private walkPieces(
    id: number,
    off: number,
    k: number,
    best: Best,
    consider: (h: number) => void,
  ): void {
    const hosts = this.sortedHosts[id] as Int32Array;
    const us = this.sortedU[id] as Float64Array;
    const n = hosts.length;
    if (n === 0) return;
    const pts = this.allPts;
    const vals = this.allVals;
    // Pieces: index ranges of `hosts` within one breakpoint segment [pts[q], pts[q + 1]).
    const pieces = this.pieces;
    let count = 0;
    let i = 0;
    let q = 0;
    while (i < n) {
      const u0 = us[i] as number;
      while (q + 1 < k && (pts[off + q + 1] as number) <= u0) q++;
      const limit = q + 1 < k ? (pts[off + q + 1] as number) : Number.POSITIVE_INFINITY;
      const j = limit === Number.POSITIVE_INFINITY ? n : lowerBoundTyped(us, limit, i, n);
      const p0 = pts[off + q] as number;
      const v0 = vals[off + q] as number;
      const p1 = q + 1 < k ? (pts[off + q + 1] as number) : p0;
      const slope = p1 > p0 ? ((vals[off + q + 1] as number) - v0) / (p1 - p0) : 0;
      const ga = v0 + slope * (u0 - p0);
      const gb = v0 + slope * ((us[j - 1] as number) - p0);
      const base = 6 * count++;
      pieces[base] = i;
      pieces[base + 1] = j;
      pieces[base + 2] = p0;
      pieces[base + 3] = v0;
      pieces[base + 4] = slope;
      pieces[base + 5] = ga < gb ? ga : gb;
      i = j;
    }
    for (let r = 0; r < count; r++) {
      let pick = -1;
      for (let p = 0; p < count; p++) {
        if (
          (pieces[6 * p] as number) >= 0 &&
          (pick < 0 || (pieces[6 * p + 5] as number) < (pieces[6 * pick + 5] as number))
        ) {
          pick = p;
        }
      }
      const base = 6 * pick;
      const a = pieces[base] as number;
      pieces[base] = -1;
      if (Math.floor(((pieces[base + 5] as number) - SLACK) * QUANTUM) > best.q) break;
      const b = pieces[base + 1] as number;
      const p0 = pieces[base + 2] as number;
      const v0 = pieces[base + 3] as number;
      const slope = pieces[base + 4] as number;
      const down = slope < 0; // g decreases with u on this piece: walk from the top
      for (let c = 0; c < b - a; c++) {
        const x = down ? b - 1 - c : a + c;
        const h = hosts[x] as number;
        if (this.where[h] !== id) continue;
        const lbq = Math.floor((v0 + slope * ((us[x] as number) - p0) - SLACK) * QUANTUM);
        if (lbq > best.q) break; // the rest of the piece is no better
        if (lbq === best.q && h > best.host) continue; // at best a tie with a higher index
        consider(h);
      }
    }
  }

  /** Drops the entries of bucket `id`'s sorted view whose host has left the bucket. */
  private compact(id: number): void {
    const hosts = this.sortedHosts[id] as Int32Array;
    const us = this.sortedU[id] as Float64Array;
    let w = 0;
    for (let i = 0; i < hosts.length; i++) {
      const h = hosts[i] as number;
      if (this.where[h] !== id) continue;
      hosts[w] = h;
      us[w] = us[i] as number;
      w++;
    }
    this.sortedHosts[id] = hosts.subarray(0, w);
    this.sortedU[id] = us.subarray(0, w);
    this.stale[id] = 0;
  }

  /**
   * The points where u ↦ P(u + x) − P(u) changes slope in [0, 1] (the table's points, the same
   * less x, and both ends), sorted, with the function's values there; it is linear in between.
   * Bounds need not reproduce CloudSim's rounding, so P is evaluated directly from the table.
   */
  private breakpoints(table: readonly number[], x: number): number {
    const pts = this.points;
    const vals = this.values;
    let k = 0;
    // Merge the table points a = i / 10 with the shifted points a − x, both ascending.
    let i = 0; // next table point index (0..10)
    let c = 1; // next shifted point uses table point c (a − x, skipping those ≤ 0)
    while (c <= 10 && c / 10 - x <= 0) c++;
    while (i <= 10 || c <= 10) {
      const a = i <= 10 ? i / 10 : Number.POSITIVE_INFINITY;
      const b = c <= 10 ? c / 10 - x : Number.POSITIVE_INFINITY;
      if (a <= b) {
        pts[k] = a;
        vals[k] = fastPower(table, a + x) - (table[i] as number);
        i++;
      } else {
        pts[k] = b;
        vals[k] = (table[c] as number) - fastPower(table, b);
        c++;
      }
      k++;
    }
    return k;
  }
}

/** The SPECpower interpolation without CloudSim's exact rounding (for bounds). */
function fastPower(table: readonly number[], u: number): number {
  if (u >= 1) return table[10] as number;
  if (u <= 0) return table[0] as number;
  const s = u * 10;
  const i = Math.floor(s);
  const p = table[i] as number;
  return p + ((table[i + 1] as number) - p) * (s - i);
}

/** g at u from the breakpoints stored at `off` (k of them), g being linear between them. */
function interpolateAt(
  pts: Float64Array,
  vals: Float64Array,
  off: number,
  k: number,
  u: number,
): number {
  if (u <= (pts[off] as number)) return vals[off] as number;
  let q = 0;
  while (q + 1 < k && (pts[off + q + 1] as number) <= u) q++;
  if (q + 1 >= k) return vals[off + q] as number;
  const a = pts[off + q] as number;
  const b = pts[off + q + 1] as number;
  const va = vals[off + q] as number;
  if (!(b > a)) return va;
  return va + (((vals[off + q + 1] as number) - va) * (u - a)) / (b - a);
}

/** g at u, on the segment [pts[i], pts[i + 1]] where g is linear (held flat past the last point). */
function interpolate(
  pts: Float64Array,
  vals: Float64Array,
  k: number,
  i: number,
  u: number,
): number {
  const a = pts[i] as number;
  const va = vals[i] as number;
  if (i + 1 >= k || u <= a) return va;
  const b = pts[i + 1] as number;
  if (!(b > a)) return va;
  const vb = vals[i + 1] as number;
  return va + ((vb - va) * (u - a)) / (b - a);
}

/** First index in [from, to) of `a` (sorted ascending) whose value is ≥ `x`. */
function lowerBoundTyped(a: Float64Array, x: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
