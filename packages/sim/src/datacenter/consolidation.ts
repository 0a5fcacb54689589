/**
 * One consolidation round (Beloglazov & Buyya, CCPE 2012, §5; CloudSim 4.0
 * `PowerVmAllocationPolicyMigrationAbstract.optimizeAllocation`): find overloaded hosts, select
 * VMs to move off them, place those with PABFD, then evacuate under-loaded hosts.
 *
 * @module
 */

import type { PlacementIndex } from "./internal/placement-index.js";
import { Tentative } from "./internal/tentative.js";
import type { World } from "./internal/world.js";
import type { OverloadDetector } from "./overload.js";
import { findHostPabfd } from "./placement.js";
import type { VmSelector } from "./selection.js";

/** The decisions of a round: VM `vms[i]` migrates to host `targets[i]`, in this order. */
export interface MigrationPlan {
  readonly vms: number[];
  readonly targets: number[];
}

/** Per-round scratch: stamps instead of sets, so a round allocates little. */
export class RoundScratch {
  round = 0;
  readonly over: Int32Array;
  readonly underExcluded: Int32Array;
  readonly placementExcluded: Int32Array;
  constructor(hosts: number) {
    this.over = new Int32Array(hosts).fill(-1);
    this.underExcluded = new Int32Array(hosts).fill(-1);
    this.placementExcluded = new Int32Array(hosts).fill(-1);
  }
}

/**
 * Runs one round on the world's state at the current time and returns the migrations to start.
 * The world's VM lists are changed tentatively during the round and restored before returning.
 *
 * Order of work, as CloudSim's: (1) overloaded hosts in host order; (2) from each, VMs chosen by
 * the selection policy until the host is no longer overloaded; (3) those VMs, by decreasing CPU
 * demand, each placed by PABFD on a host that is not overloaded (switched-off hosts included);
 * (4) while some host is left, the least-utilised active host that is not overloaded, not already
 * chosen and not a destination of step (4): all its VMs placed by PABFD on active hosts that are
 * neither overloaded nor chosen, or none of them if one does not fit.
 *
 * CloudSim does not exclude the destinations of step (3) from step (4) (its exclusion list is
 * built from a migration map that is still empty), so a VM placed in (3) can be moved again in
 * (4) and migrate twice; vx keeps this behaviour.
 *
 * @param incoming - hosts with VMs migrating in (for the list order after restoring).
 * @internal
 */
export function consolidationRound(
  world: World,
  detector: OverloadDetector,
  select: VmSelector,
  underload: boolean,
  scratch: RoundScratch,
  incoming: Iterable<number>,
  index: PlacementIndex | undefined,
): MigrationPlan {
  const round = ++scratch.round;
  const tentative = new Tentative(world, index === undefined ? undefined : (h) => index.update(h));
  const plan: MigrationPlan = { vms: [], targets: [] };

  // (1) Overloaded hosts, in host order. An empty host is never overloaded.
  const hostsWithVms: number[] = [];
  for (let i = 0; i < world.occupiedCount; i++) hostsWithVms.push(world.occupied[i] as number);
  hostsWithVms.sort((a, b) => a - b);
  const overHosts: number[] = [];
  for (const h of hostsWithVms) {
    if (detector(h)) {
      overHosts.push(h);
      scratch.over[h] = round;
    }
  }

  index?.rebuild((h) => scratch.over[h] === round);

  // (2) VMs to move off them.
  const toMigrate: number[] = [];
  for (const h of overHosts) {
    for (;;) {
      const vm = select(h);
      if (vm < 0) break;
      toMigrate.push(vm);
      tentative.destroy(h, vm);
      if (!detector(h)) break;
    }
  }

  // (3) PABFD, by decreasing demand (stable sort, as Java's).
  sortByDemand(world, toMigrate);
  const isOver = (h: number): boolean => scratch.over[h] === round;
  for (const vm of toMigrate) {
    const h = findHostPabfd(world, detector, vm, isOver, true, index);
    if (h >= 0) {
      tentative.create(h, vm);
      plan.vms.push(vm);
      plan.targets.push(h);
    }
  }

  // (4) Under-loaded hosts.
  if (underload) underloadPhase(world, detector, scratch, round, tentative, plan, index);

  tentative.restore(incoming);
  return plan;
}

function sortByDemand(world: World, vms: number[]): void {
  const req = world.vmReq;
  vms.sort((a, b) => (req[b] as number) - (req[a] as number));
}

/** CloudSim `getMigrationMapFromUnderUtilizedHosts` and `getNewVmPlacementFromUnderUtilizedHost`. */
function underloadPhase(
  world: World,
  detector: OverloadDetector,
  scratch: RoundScratch,
  round: number,
  tentative: Tentative,
  plan: MigrationPlan,
  index: PlacementIndex | undefined,
): void {
  const under = scratch.underExcluded;
  const placement = scratch.placementExcluded;
  // Over-utilised and switched-off hosts are excluded from both searches.
  for (let h = 0; h < world.hosts; h++) {
    if (scratch.over[h] === round || world.hostActive[h] === 0) {
      under[h] = round;
      placement[h] = round;
      index?.remove(h);
    }
  }
  // Candidates by increasing utilisation at the last processing (fixed during the round), then index.
  const util = world.hostUtil;
  const candidates: number[] = [];
  for (let h = 0; h < world.hosts; h++) {
    if (under[h] !== round && (util[h] as number) < 1) candidates.push(h);
  }
  candidates.sort((a, b) => (util[a] as number) - (util[b] as number) || a - b);
  const excludedForPlacement = (h: number): boolean => placement[h] === round;
  // Skip pointers over the candidates (union-find style): skip[i] leads towards the next
  // candidate that may not be excluded yet. Exclusions only grow during the round.
  const n = candidates.length;
  const skip = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) skip[i] = i;
  const nextOpen = (from: number): number => {
    let i = from;
    while (i < n && under[candidates[i] as number] === round) {
      const s = skip[i] as number;
      i = s === i ? i + 1 : s;
    }
    // Path compression: everything walked over now points at i.
    let j = from;
    while (j < i) {
      const s = skip[j] as number;
      skip[j] = i;
      j = s === j ? j + 1 : s;
    }
    return i;
  };
  for (;;) {
    let host = -1;
    for (let i = nextOpen(0); i < n; i = nextOpen(i + 1)) {
      const h = candidates[i] as number;
      if (!allMigratingOutOrAnyMigratingIn(world, h)) {
        host = h;
        break;
      }
    }
    if (host < 0) break;
    under[host] = round;
    placement[host] = round;
    index?.remove(host);
    const list = world.hostVms[host] as number[];
    const vms: number[] = [];
    for (const vm of list) if (world.vmInMigration[vm] === 0) vms.push(vm);
    if (vms.length === 0) continue;
    sortByDemand(world, vms);
    const targets: number[] = [];
    for (const vm of vms) {
      const h = findHostPabfd(world, detector, vm, excludedForPlacement, false, index);
      if (h < 0) {
        // Not all VMs fit: cancel this host's evacuation.
        for (let k = targets.length - 1; k >= 0; k--)
          tentative.destroy(targets[k] as number, vms[k] as number);
        targets.length = 0;
        break;
      }
      tentative.create(h, vm);
      targets.push(h);
    }
    for (let k = 0; k < targets.length; k++) {
      const h = targets[k] as number;
      under[h] = round;
      plan.vms.push(vms[k] as number);
      plan.targets.push(h);
    }
  }
}

/** CloudSim `areAllVmsMigratingOutOrAnyVmMigratingIn`. */
function allMigratingOutOrAnyMigratingIn(world: World, h: number): boolean {
  const list = world.hostVms[h] as number[];
  for (const vm of list) {
    if (world.vmInMigration[vm] === 0) return false;
    if (world.isIncoming(h, vm)) return true;
  }
  return true;
}
