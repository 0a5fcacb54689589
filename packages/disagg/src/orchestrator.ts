/**
 * The orchestrator's placement policies: in which order to try compute bricks for a slot, memory
 * holders for its sections and device bricks for its devices. The engine ({@link
 * DisaggregatedRack}) walks these orders and takes the first combination that fits (cores, free
 * sections, free units, and on a circuit fabric free ports for the circuits it needs).
 *
 * dReDBox's orchestration (Katrinis et al., DATE 2016; Zervas et al., JOCN 2018, §V: resource
 * allocation that selects the lowest-latency resources) motivates the locality-aware policy; the
 * other two are the classic baselines of bin packing (first fit; best fit, which keeps large holes
 * for large requests).
 *
 * @module
 */

import type { Fabric } from "./fabric.js";
import type { DeviceKind, RackLayout } from "./layout.js";

/** What a policy can read of the rack's state. */
export interface PlacementView {
  /** The layout. */
  readonly layout: RackLayout;
  /** The fabric (latencies, circuits, free ports). */
  readonly fabric: Fabric;
  /** Compute bricks, by id. */
  readonly computeBricks: readonly number[];
  /** Bricks holding memory: memory bricks by id, then compute bricks with local memory by id. */
  readonly memoryHolders: readonly number[];
  /** Device bricks of a kind, by id. */
  devicesOf(kind: DeviceKind): readonly number[];
  /** Free cores of a compute brick. */
  freeCores(brick: number): number;
  /** Free sections of a brick. */
  freeSections(brick: number): number;
  /** Free units of a device brick. */
  freeUnits(brick: number): number;
  /** Whether the brick is powered (something is allocated on it). */
  powered(brick: number): boolean;
  /**
   * Every other brick by one-way latency from `brick`, nearest first (ties: memory bricks before
   * other kinds, then by id). Computed once per brick.
   */
  byDistance(brick: number): readonly number[];
  /** Compute bricks of each tray, by id. */
  readonly computeByTray: readonly (readonly number[])[];
}

/**
 * One placement policy. Each method fills `out` (emptied first) with candidate brick ids, best
 * first, and returns it: the engine passes arrays it reuses, so a decision allocates nothing.
 */
export interface OrchestratorPolicy {
  /** What it does. */
  readonly description: string;
  /**
   * Compute bricks to try for a slot of `vcpus`, best first (only bricks with enough free cores).
   *
   * @param view - the rack's state.
   * @param vcpus - the slot's vCPUs.
   * @param out - filled with brick ids.
   * @returns `out`.
   */
  computeOrder(view: PlacementView, vcpus: number, out: number[]): number[];
  /**
   * Memory holders to take sections from for a VM on `compute`, best first (free sections > 0,
   * not `compute` itself: its local memory is taken first by the engine when `localFirst`).
   *
   * @param view - the rack's state.
   * @param compute - the VM's compute brick.
   * @param sections - sections still needed.
   * @param out - filled with brick ids.
   * @returns `out`.
   */
  holderOrder(view: PlacementView, compute: number, sections: number, out: number[]): number[];
  /**
   * Device bricks of a kind to try for a VM on `compute`, best first (free units > 0).
   *
   * @param view - the rack's state.
   * @param compute - the VM's compute brick.
   * @param kind - the device kind.
   * @param out - filled with brick ids.
   * @returns `out`.
   */
  deviceOrder(view: PlacementView, compute: number, kind: DeviceKind, out: number[]): number[];
}

function isHolder(view: PlacementView, b: number): boolean {
  const brick = view.layout.bricks[b]!;
  return brick.memoryBytes > 0 && (brick.kind === "memory" || brick.kind === "compute");
}

/** The policy names. */
export type OrchestratorPolicyName = "first-fit" | "locality-aware" | "fragmentation-aware";

function withCores(view: PlacementView, vcpus: number, out: number[]): number[] {
  out.length = 0;
  for (const b of view.computeBricks) if (view.freeCores(b) >= vcpus) out.push(b);
  return out;
}

function holders(view: PlacementView, compute: number, out: number[]): number[] {
  out.length = 0;
  for (const h of view.memoryHolders) if (h !== compute && view.freeSections(h) > 0) out.push(h);
  return out;
}

function devices(view: PlacementView, kind: DeviceKind, out: number[]): number[] {
  out.length = 0;
  for (const d of view.devicesOf(kind)) if (view.freeUnits(d) > 0) out.push(d);
  return out;
}

/** Sorts `ids` in place by a numeric key, ties by id (deterministic); keys computed once. */
function sortBy(ids: number[], key: (id: number) => number): number[] {
  const keys = new Map<number, number>();
  for (const id of ids) keys.set(id, key(id));
  return ids.sort((a, b) => keys.get(a)! - keys.get(b)! || a - b);
}

/**
 * Bricks near `compute` that pass `keep`: those already connected to it first, then the others,
 * each group by distance (the view's precomputed order); no sorting per call.
 */
function nearest(
  view: PlacementView,
  compute: number,
  keep: (b: number) => boolean,
  out: number[],
): number[] {
  out.length = 0;
  const f = view.fabric;
  const order = view.byDistance(compute);
  for (const b of order) if (f.connected(compute, b) && keep(b)) out.push(b);
  if (f.kind === "packet") return out;
  for (const b of order) if (!f.connected(compute, b) && keep(b)) out.push(b);
  return out;
}

/**
 * The policies: the one place that lists them (schemas, docs and help read it).
 *
 * - `first-fit`: bricks in layout order; sections from the first holders that have any (memory
 *   bricks before other compute bricks' local memory).
 * - `locality-aware`: the compute brick whose tray holds the most free memory (its own local
 *   memory included); sections and devices from the nearest bricks (already connected first, then
 *   same tray, then across the switch), so fewer accesses cross the optical switch and fewer
 *   circuits are set up.
 * - `fragmentation-aware`: best fit: the compute brick with the fewest free cores that still fit
 *   (powered bricks fill up before an idle one is switched on); sections from the one holder whose
 *   free space fits the request most tightly, else from the holders with the most free space
 *   (fewest pieces, fewest circuits); devices from the brick with the fewest free units.
 */
export const ORCHESTRATOR_POLICIES: Readonly<Record<OrchestratorPolicyName, OrchestratorPolicy>> = {
  "first-fit": {
    description: "bricks in layout order; sections from the first holders that have any",
    computeOrder: withCores,
    holderOrder: (view, compute, _sections, out) => holders(view, compute, out),
    deviceOrder: (view, _compute, kind, out) => devices(view, kind, out),
  },
  "locality-aware": {
    description:
      "the compute brick whose tray has the most free memory; sections and devices from the nearest bricks (connected, same tray, then across the switch)",
    computeOrder: (view, vcpus, out) => {
      out.length = 0;
      const trays = view.layout.trays;
      const trayFree = new Float64Array(trays);
      for (const h of view.memoryHolders) {
        trayFree[view.layout.bricks[h]!.tray]! += view.freeSections(h);
      }
      const order = sortBy(
        Array.from({ length: trays }, (_, t) => t),
        (t) => -trayFree[t]!,
      );
      for (const t of order) {
        for (const c of view.computeByTray[t]!) if (view.freeCores(c) >= vcpus) out.push(c);
      }
      return out;
    },
    holderOrder: (view, compute, _sections, out) =>
      nearest(view, compute, (b) => view.freeSections(b) > 0 && isHolder(view, b), out),
    deviceOrder: (view, compute, kind, out) =>
      nearest(
        view,
        compute,
        (b) => view.layout.bricks[b]!.kind === kind && view.freeUnits(b) > 0,
        out,
      ),
  },
  "fragmentation-aware": {
    description:
      "best fit: the compute brick with the fewest free cores that fit; one holder that fits the sections most tightly, else the roomiest holders first; the device brick with the fewest free units",
    computeOrder: (view, vcpus, out) =>
      sortBy(withCores(view, vcpus, out), (c) => view.freeCores(c)),
    holderOrder: (view, compute, sections, out) => {
      holders(view, compute, out);
      let best = -1;
      for (const h of out) {
        const free = view.freeSections(h);
        if (free >= sections && (best < 0 || free < view.freeSections(best))) best = h;
      }
      // The tightest single fit first, then the roomiest.
      return sortBy(out, (h) => (h === best ? Number.NEGATIVE_INFINITY : -view.freeSections(h)));
    },
    deviceOrder: (view, _compute, kind, out) =>
      sortBy(devices(view, kind, out), (d) => view.freeUnits(d)),
  },
};

/** The policy names, in documentation order. */
export const ORCHESTRATOR_POLICY_NAMES: readonly OrchestratorPolicyName[] = [
  "first-fit",
  "locality-aware",
  "fragmentation-aware",
];
