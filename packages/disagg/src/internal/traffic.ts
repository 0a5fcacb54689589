/**
 * Aggregate traffic between pairs of bricks on the fabric's fluid links.
 *
 * Each directed pair of bricks carries one aggregate demand. The book keeps the demand on every
 * link it uses; while no link of a pair's route is oversubscribed and no other activity (a
 * migration, another model's traffic) crosses it, every demand is met, which is exactly the
 * max-min allocation, so nothing is solved. On a link that is oversubscribed or shared with other
 * activities, each pair becomes a rate holder: one fluid activity bounded by its demand and
 * weighted in proportion to it (on a saturated link every pair then gets the same fraction of its
 * demand, the way a memory controller serves requests in arrival order), restarted when its
 * demand changes, as `@vx/numa`'s `MemoryFabric` does. Weights are in units of one port's
 * bandwidth, so an unweighted transfer on the same link (a migration) competes like a pair asking
 * for a whole port. Cost grows with the changes, not with the number of pairs.
 *
 * @module
 */

import type { Activity, Resource } from "@vx/core";
import type { Fabric } from "../fabric.js";
import { MarkedList } from "./sets.js";

/** Relative tolerance of "oversubscribed". */
const TOL = 1e-9;

/** One directed pair's aggregate flow. */
export class PairFlow {
  /** Demand now, bytes/s. */
  demand = 0;
  /** Demand counted on the links. */
  accounted = 0;
  /** Demand the rate holder was started with. */
  pushed = 0;
  /** Share of the demand the fabric delivers, (0, 1]. */
  fraction = 1;
  /** The rate holder, while a link of the route is hot. */
  activity: Activity | undefined = undefined;
  /** The links it crosses (set when it first carries traffic). */
  route: readonly Resource[] | undefined = undefined;
  /** The book's state of each link of the route. */
  links: readonly LinkState[] = [];
  /** VMs with traffic on it (indices), in the order they joined. */
  readonly users: Set<number> = new Set<number>();
  /** Stamps of the work lists it may be on (see `sets.ts`). */
  dirtyMark = 0;
  recheckMark = 0;
  readMark = 0;
  pruneMark = 0;
  /** Scratch of the engine's flow diff: epoch and index in its list of new flows, old-list stamp. */
  flowEpoch = 0;
  flowIndex = 0;
  oldMark = 0;
  constructor(
    readonly key: number,
    readonly from: number,
    readonly to: number,
  ) {}
}

/** What the book knows of one link. */
export class LinkState {
  /** Demand of the pairs on it, bytes/s. */
  load = 0;
  /** Our rate holders on it. */
  ours = 0;
  /** Oversubscribed, or crossed by other activities. */
  hot = false;
  /** Pairs with demand on it. */
  readonly pairs: Set<PairFlow> = new Set<PairFlow>();
  /** Stamp of the touched list. */
  mark = 0;
  constructor(readonly resource: Resource) {}
}

/** Every pair flow of a rack. */
export class TrafficBook {
  private readonly pairs = new Map<number, PairFlow>();
  private readonly links = new Map<Resource, LinkState>();
  private readonly dirty = new MarkedList<PairFlow>(
    (p) => p.dirtyMark,
    (p, m) => {
      p.dirtyMark = m;
    },
  );
  private readonly touched = new MarkedList<LinkState>(
    (l) => l.mark,
    (l, m) => {
      l.mark = m;
    },
  );
  private readonly toRead = new MarkedList<PairFlow>(
    (p) => p.readMark,
    (p, m) => {
      p.readMark = m;
    },
  );
  private readonly recheck = new MarkedList<PairFlow>(
    (p) => p.recheckMark,
    (p, m) => {
      p.recheckMark = m;
    },
  );
  private readonly n: number;

  constructor(private readonly fabric: Fabric) {
    this.n = fabric.layout.bricks.length;
  }

  /** The flow of a pair, created on first use. */
  pair(from: number, to: number): PairFlow {
    const key = from * this.n + to;
    let p = this.pairs.get(key);
    if (p === undefined) {
      p = new PairFlow(key, from, to);
      this.pairs.set(key, p);
    }
    return p;
  }

  /**
   * Adds `delta` bytes/s of demand to a pair (negative removes). A pair left without users has
   * no demand, exactly (no rounding residue from the additions and subtractions).
   */
  add(p: PairFlow, delta: number): void {
    if (delta === 0) return;
    p.demand += delta;
    if (p.users.size === 0 || p.demand < 1e-6) p.demand = 0;
    this.dirty.add(p);
  }

  /** Marks links whose other traffic changed (a transfer started or ended on them). */
  touch(route: readonly Resource[]): void {
    for (const r of route) this.touched.add(this.link(r));
  }

  private link(r: Resource): LinkState {
    let s = this.links.get(r);
    if (s === undefined) {
      s = new LinkState(r);
      this.links.set(r, s);
    }
    return s;
  }

  /**
   * Applies the changed demands: link loads, which links are hot, rate holders started,
   * restarted or dropped. Calls `changed` for pairs whose delivered fraction went back to 1.
   *
   * @returns whether rate holders were pushed (read them with {@link TrafficBook.refresh} once
   *   the fluid system has settled the instant).
   */
  flush(changed: (p: PairFlow) => void): boolean {
    const recheck = this.recheck;
    recheck.clear();
    this.dirty.forEach((p) => {
      const delta = p.demand - p.accounted;
      if (p.route === undefined && p.demand > 0) {
        p.route = this.fabric.route(p.from, p.to);
        p.links = p.route.map((r) => this.link(r));
      }
      if (p.route === undefined) return;
      p.accounted = p.demand;
      for (const l of p.links) {
        l.load += delta;
        if (p.demand > 0) l.pairs.add(p);
        else {
          l.pairs.delete(p);
          if (l.pairs.size === 0) l.load = 0;
        }
        this.touched.add(l);
      }
      recheck.add(p);
    });
    this.dirty.clear();
    this.touched.forEach((l) => {
      const foreign = l.resource.activityCount - l.ours;
      const hot = l.load > l.resource.capacity * (1 + TOL) || (foreign > 0 && l.load > 0);
      if (hot !== l.hot) {
        l.hot = hot;
        for (const p of l.pairs) recheck.add(p);
      }
      if (hot) for (const p of l.pairs) this.toRead.add(p);
    });
    this.touched.clear();
    let pushed = false;
    recheck.forEach((p) => {
      let hot = false;
      if (p.demand > 0) for (const l of p.links) if (l.hot) hot = true;
      if (hot) {
        if (p.activity === undefined || p.pushed !== p.demand) {
          this.stop(p);
          this.startHolder(p);
          pushed = true;
        }
        this.toRead.add(p);
      } else {
        if (p.activity !== undefined) {
          this.stop(p);
          pushed = true;
        }
        this.toRead.delete(p);
        if (p.fraction !== 1) {
          p.fraction = 1;
          changed(p);
        }
      }
    });
    return pushed || !this.toRead.empty;
  }

  private startHolder(p: PairFlow): void {
    const d = p.demand;
    p.pushed = d;
    p.activity = this.fabric.fluid.start({
      amount: Number.POSITIVE_INFINITY, // open-ended: a rate holder, until stop()
      resources: p.route!,
      bound: d,
      // Proportional to the demand, in units of one port: a transfer of weight 1 (a migration)
      // competes like a pair asking for a whole port.
      weight: d / this.fabric.layout.fabric.portBytesPerSecond,
    });
    for (const s of p.links) s.ours++;
  }

  private stop(p: PairFlow): void {
    if (p.activity === undefined) return;
    p.activity.cancel();
    p.activity = undefined;
    for (const s of p.links) s.ours--;
  }

  /** Reads the delivered fraction of the pairs on hot links; calls `changed` for each that moved. */
  refresh(changed: (p: PairFlow) => void): void {
    this.toRead.forEach((p) => {
      let f = 1;
      if (p.activity !== undefined && p.pushed > 0) {
        f = p.activity.rate / p.pushed;
        if (f > 1) f = 1;
        if (f < 1e-6) f = 1e-6;
      }
      if (Math.abs(f - p.fraction) > 1e-9) {
        p.fraction = f;
        changed(p);
      }
    });
    this.toRead.clear();
  }

  /** Forgets a pair with no demand and no users. */
  prune(p: PairFlow): void {
    if (p.demand === 0 && p.users.size === 0 && p.activity === undefined && p.accounted === 0) {
      this.pairs.delete(p.key);
    }
  }
}
