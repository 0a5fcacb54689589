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
  const best: Best = { q: Number.POSITIVE_INFINITY, host: -1 };
  const req = world.vmReq[vm] as number;
  const consider = (h: number): void => {
    if (excluded(h) || !isSuitable(world, h, vm)) return;
    const table = world.powerTable(h);
    const C = world.hostMips[h] as number;
    const U = world.hostPolicyMips[h] as number;
    const diff = specPower(table, (U + req) / C) - specPower(table, world.hostUtil[h] as number);
    const q = Math.floor(diff * QUANTUM);
    if (!(q < best.q || (q === best.q && h < best.host))) return;
    if (U !== 0 && detector !== undefined && overloadedWith(world, detector, h, vm)) return;
    best.q = q;
    best.host = h;
  };
  if (index !== undefined) {
    // When VMs hold their RAM, few hosts may have room for this one while the index would walk
    // past many that do not: then score those few directly (the same hosts win either way).
    const few =
      world.ramLimits &&
      world.forHostsWithRoom(
        world.vmRamNeed[vm] as number,
        world.roomLimit ?? Math.max(64, world.occupiedCount >> 2),
        consider,
      );
    if (!few) {
      const bound = detector === undefined ? Number.POSITIVE_INFINITY : detector.maxUtilisation;
      index.scan(req, world.vmCores[vm] as number, bound, best, consider);
    }
  } else {
    const occupied = world.occupied;
    for (let i = 0; i < world.occupiedCount; i++) consider(occupied[i] as number);
  }
  if (includeEmpty) {
    for (let t = 0; t < world.types; t++) {
      // Empty hosts of a type have the same capacity: if the first is unsuitable, all are.
      const h = world.firstEmpty(t, excluded);
      if (h >= 0) consider(h);
    }
  }
  return best.host;
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
    create: (world) => (vm, detector, excluded, includeEmpty, index) =>
      findHostPabfd(world, detector, vm, excluded, includeEmpty, index),
  },
};

/** The placement names in registry order. */
export const PLACEMENT_NAMES: readonly PlacementName[] = Object.keys(PLACEMENTS) as PlacementName[];
