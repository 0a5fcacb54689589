/**
 * VM placement: power-aware best-fit decreasing (PABFD, Beloglazov & Buyya, CCPE 2012, "VM placement") and
 * the first fit of CloudSim's non-migrating baselines.
 *
 * @module
 */

import { type Best, type PlacementIndex, QUANTUM } from "./internal/placement-index.js";
import type { World } from "./internal/world.js";
import type { OverloadDetector } from "./overload.js";
import { specPower } from "./power.js";

/**
 * Whether host `h` can take `vm` now (CloudSim `Host.isSuitableForVm`): each virtual core's
 * current request fits one physical core, the scheduler has the VM's requested MIPS free, and
 * the RAM and NIC provisioners have room.
 *
 * @internal
 */
export function isSuitable(world: World, h: number, vm: number): boolean {
  const req = world.vmReq[vm] as number;
  if ((world.hostPeMips[h] as number) < req / (world.vmCores[vm] as number)) return false;
  if ((world.hostAvail[h] as number) < req) return false;
  if (
    (world.hostRam[h] as number) - (world.hostRamUsed[h] as number) <
    (world.vmRamNeed[vm] as number)
  ) {
    return false;
  }
  return (
    (world.hostNic[h] as number) - (world.hostNicUsed[h] as number) >=
    (world.vmNicNeed[vm] as number)
  );
}

/**
 * Whether host `h` would be overloaded with `vm` added (CloudSim
 * `isHostOverUtilizedAfterAllocation`: create the VM there, ask the detector, destroy it).
 */
function overloadedWith(world: World, detector: OverloadDetector, h: number, vm: number): boolean {
  const list = world.hostVms[h] as number[];
  list.push(vm);
  const over = detector(h);
  list.pop();
  return over;
}

/**
 * PABFD's choice of host for one VM (CloudSim `PowerVmAllocationPolicyMigrationAbstract
 * .findHostForVm`): among the hosts not excluded that are suitable and, unless they hold no load
 * yet, not overloaded with the VM, the one whose power grows least, `P((U + r) / C) − P(u)`, with
 * `U` the MIPS the policy sees allocated there, `r` the VM's request, `u` the utilisation at the
 * last processing. Power increases are compared in nanowatts (rounded down) and ties go to the
 * lowest host index. CloudSim compares raw doubles, so among hosts whose increase is the same in
 * exact arithmetic (hosts of one type in the same linear piece of the power curve) its choice is
 * decided by rounding noise in the last bits; vx's rule makes that choice explicit and lets the
 * search skip hosts that cannot win.
 *
 * Empty hosts of one type are interchangeable, so only the lowest-index one of each type is
 * examined; the overload check (the costly part with adaptive detectors) runs only for a host
 * that would otherwise win. Neither changes the choice.
 *
 * @param includeEmpty - whether empty hosts may receive the VM (false when they are all
 * excluded anyway, as switched-off hosts are during under-load evacuation).
 * @param index - an up-to-date index of the non-empty hosts that may receive VMs, to skip hosts
 * that cannot win; without it every non-empty host is scored (same result).
 * @returns the host, or -1.
 * @internal
 */
export function findHostPabfd(
  world: World,
  detector: OverloadDetector | undefined,
  vm: number,
  excluded: (h: number) => boolean,
  includeEmpty: boolean,
  index?: PlacementIndex,
): number {
  return new PabfdSearch(world).find(vm, detector, excluded, includeEmpty, index);
}

/**
 * {@link findHostPabfd}'s search, kept for a world's whole run: its scratch (the best candidate,
 * the scoring callback the index calls, each host's power at its last utilisation) is allocated
 * once rather than at each of the run's tens of thousands of searches.
 *
 * @internal
 */
export class PabfdSearch {
  private readonly world: World;
  private readonly best: Best = { q: Number.POSITIVE_INFINITY, host: -1 };
  /** The search under way: its VM, request, detector and exclusion. */
  private vm = -1;
  private req = 0;
  private detector: OverloadDetector | undefined = undefined;
  private excluded: (h: number) => boolean = () => false;
  /** `consider` bound once, for the index and the RAM classes to call. */
  private readonly visit: (h: number) => void;
  /**
   * Per host, `P(u)` at the utilisation `u` it was last computed for (`powerAt`); hosts' `u`
   * changes only when they are processed, while each is scored many times in between.
   */
  private readonly powerU: Float64Array;
  private readonly powerP: Float64Array;

  constructor(world: World) {
    this.world = world;
    this.visit = (h: number): void => this.consider(h);
    this.powerU = new Float64Array(world.hosts).fill(Number.NaN);
    this.powerP = new Float64Array(world.hosts);
  }

  /** The host for `vm` (see {@link findHostPabfd}), or -1. */
  find(
    vm: number,
    detector: OverloadDetector | undefined,
    excluded: (h: number) => boolean,
    includeEmpty: boolean,
    index: PlacementIndex | undefined,
  ): number {
    const world = this.world;
    const best = this.best;
    best.q = Number.POSITIVE_INFINITY;
    best.host = -1;
    this.vm = vm;
    this.req = world.vmReq[vm] as number;
    this.detector = detector;
    this.excluded = excluded;
    if (index !== undefined) {
      // When VMs hold their RAM, few hosts may have room for this one while the index would walk
      // past many that do not: then score those few directly (the same hosts win either way).
      const few =
        world.ramLimits &&
        world.forHostsWithRoom(
          world.vmRamNeed[vm] as number,
          world.roomLimit ?? Math.max(64, world.occupiedCount >> 2),
          this.visit,
        );
      if (!few) {
        const bound = detector === undefined ? Number.POSITIVE_INFINITY : detector.maxUtilisation;
        index.scan(this.req, world.vmCores[vm] as number, bound, best, this.visit);
      }
    } else {
      this.considerOccupied();
    }
    if (includeEmpty) {
      for (let t = 0; t < world.types; t++) {
        // Empty hosts of a type have the same capacity: if the first is unsuitable, all are.
        const h = world.firstEmpty(t, excluded);
        if (h >= 0) this.consider(h);
      }
    }
    this.detector = undefined;
    return best.host;
  }

  /** Scores host `h` for the search under way and keeps it if it is the best so far. */
  private consider(h: number): void {
    if (this.excluded(h) || !isSuitable(this.world, h, this.vm)) return;
    this.score(h);
  }

  /**
   * {@link PabfdSearch.consider} for every host holding VMs, in one loop: the VM's needs are
   * read once, and {@link isSuitable}'s tests (the same comparisons) come before the exclusion
   * callback, as most hosts fail them.
   */
  private considerOccupied(): void {
    const world = this.world;
    const vm = this.vm;
    const req = this.req;
    const perPe = req / (world.vmCores[vm] as number);
    const ram = world.vmRamNeed[vm] as number;
    const nic = world.vmNicNeed[vm] as number;
    const { occupied, hostPeMips, hostAvail, hostRam, hostRamUsed, hostNic, hostNicUsed } = world;
    const excluded = this.excluded;
    const n = world.occupiedCount;
    for (let i = 0; i < n; i++) {
      const h = occupied[i] as number;
      if ((hostPeMips[h] as number) < perPe || (hostAvail[h] as number) < req) continue;
      if ((hostRam[h] as number) - (hostRamUsed[h] as number) < ram) continue;
      if (!((hostNic[h] as number) - (hostNicUsed[h] as number) >= nic)) continue;
      if (excluded(h)) continue;
      this.score(h);
    }
  }

  /** Scores suitable host `h` (not excluded) and keeps it if it is the best so far. */
  private score(h: number): void {
    const world = this.world;
    const vm = this.vm;
    const table = world.powerTable(h);
    const C = world.hostMips[h] as number;
    const U = world.hostPolicyMips[h] as number;
    const diff = specPower(table, (U + this.req) / C) - this.powerAt(h, table);
    const q = Math.floor(diff * QUANTUM);
    const best = this.best;
    if (!(q < best.q || (q === best.q && h < best.host))) return;
    const detector = this.detector;
    if (U !== 0 && detector !== undefined && overloadedWith(world, detector, h, vm)) return;
    best.q = q;
    best.host = h;
  }

  /** `P(u)` of host `h` at its utilisation at the last processing (cached while `u` holds). */
  private powerAt(h: number, table: readonly number[]): number {
    const u = this.world.hostUtil[h] as number;
    if (this.powerU[h] === u) return this.powerP[h] as number;
    const p = specPower(table, u);
    this.powerU[h] = u;
    this.powerP[h] = p;
    return p;
  }
}

/**
 * First fit (CloudSim `PowerVmAllocationPolicySimple`, used by the non-power-aware and DVFS
 * baselines): the first host in index order that can take the VM.
 *
 * @param from - first host index worth trying (hosts before it are known to be full).
 * @returns the host, or -1.
 * @internal
 */
export function findHostFirstFit(world: World, vm: number, from: number): number {
  for (let h = from; h < world.hosts; h++) if (isSuitable(world, h, vm)) return h;
  return -1;
}

/** The placement policies, by name (`policy.placement`). */
export type PlacementName = "pabfd";

/**
 * Places one VM: the host chosen among those not excluded, or -1.
 *
 * @internal
 */
export type PlacementFn = (
  vm: number,
  detector: OverloadDetector | undefined,
  excluded: (h: number) => boolean,
  includeEmpty: boolean,
  index: PlacementIndex | undefined,
) => number;

/** One placement policy: a registry entry. */
export interface PlacementEntry {
  /** Its name in specs and scenario files (`policy.placement`). */
  readonly name: PlacementName;
  /** Short label for tables and summaries (`PABFD`). */
  readonly label: string;
  /** One sentence for the docs and the JSON Schema. */
  readonly description: string;
  /** Placement policies take no parameter. */
  readonly parameter: undefined;
  /** Where the policy comes from. */
  readonly source: string;
  /**
   * Builds the placement on a world.
   *
   * @internal
   */
  readonly create: (world: World) => PlacementFn;
}

/**
 * The placement policies of migrating VMs: the only place one is defined. The baselines
 * (`overload: none` or `dvfs`) place VMs first-fit at the start and never migrate, whatever this
 * says.
 */
export const PLACEMENTS: Readonly<Record<PlacementName, PlacementEntry>> = {
  pabfd: {
    name: "pabfd",
    label: "PABFD",
    description:
      "Power-aware best-fit decreasing: VMs by decreasing CPU demand, each to the host whose power grows least without becoming overloaded.",
    parameter: undefined,
    source:
      "Beloglazov & Buyya, CCPE 2012, §5.3; CloudSim 4.0 PowerVmAllocationPolicyMigrationAbstract.findHostForVm",
    create: (world) => {
      const search = new PabfdSearch(world);
      return (vm, detector, excluded, includeEmpty, index) =>
        search.find(vm, detector, excluded, includeEmpty, index);
    },
  },
};

/** The placement names in registry order. */
export const PLACEMENT_NAMES: readonly PlacementName[] = Object.keys(PLACEMENTS) as PlacementName[];
