/**
 * One consolidation round (Beloglazov & Buyya, CCPE 2012, heuristics for dynamic VM consolidation; CloudSim 4.0
 * `PowerVmAllocationPolicyMigrationAbstract.optimizeAllocation`): find overloaded hosts, select
 * VMs to move off them, place those with PABFD, then evacuate under-loaded hosts.
 *
 * @module
 */

import type { PlacementIndex } from "./internal/placement-index.js";
import { Tentative } from "./internal/tentative.js";
import type { World } from "./internal/world.js";
import type { OverloadDetector } from "./overload.js";
import { findHostPabfd, type PlacementFn } from "./placement.js";
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
 * @param place - the placement policy (default PABFD).
 * @param outOfService - hosts no VM may be placed on (taken out of service by an extension).
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
  place: PlacementFn = (vm, d, excluded, includeEmpty, ix) =>
    findHostPabfd(world, d, vm, excluded, includeEmpty, ix),
  outOfService?: (h: number) => boolean,
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
  const isOver =
    outOfService === undefined
      ? (h: number): boolean => scratch.over[h] === round
      : (h: number): boolean => scratch.over[h] === round || outOfService(h);
  for (const vm of toMigrate) {
    const h = place(vm, detector, isOver, true, index);
    if (h >= 0) {
      tentative.create(h, vm);
      plan.vms.push(vm);
      plan.targets.push(h);
    }
  }

  // (4) Under-loaded hosts.
  if (underload) underloadPhase(world, detector, scratch, round, tentative, plan, index, place);

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
  place: PlacementFn,
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
  // Most evacuations that fail, fail for lack of RAM anywhere (when VMs hold their RAM), and a
  // failing search scans every candidate host: the largest free RAM among the hosts that may
  // receive VMs settles those at once, without changing any choice.
  const room = world.ramLimits ? new FreeRam(world, excludedForPlacement) : undefined;
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
      const h =
        room !== undefined && (world.vmRamNeed[vm] as number) > room.max()
          ? -1
          : place(vm, detector, excludedForPlacement, false, index);
      if (h < 0) {
        // Not all VMs fit: cancel this host's evacuation.
        for (let k = targets.length - 1; k >= 0; k--) {
          const t = targets[k] as number;
          tentative.destroy(t, vms[k] as number);
          room?.changed(t);
        }
        targets.length = 0;
        break;
      }
      tentative.create(h, vm);
      room?.changed(h);
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

/**
 * The largest free RAM among the hosts not excluded, as a max-heap with lazy deletion: an entry
 * is current while it holds its host's free RAM and the host is not excluded; every change of a
 * host's free RAM pushes a current entry, and stale entries are dropped when they reach the top.
 */
class FreeRam {
  private readonly world: World;
  private readonly excluded: (h: number) => boolean;
  private free: Float64Array;
  private host: Int32Array;
  private n = 0;

  constructor(world: World, excluded: (h: number) => boolean) {
    this.world = world;
    this.excluded = excluded;
    this.free = new Float64Array(Math.max(16, world.hosts));
    this.host = new Int32Array(this.free.length);
    for (let h = 0; h < world.hosts; h++) {
      if (excluded(h)) continue;
      this.free[this.n] = this.current(h);
      this.host[this.n++] = h;
    }
    for (let i = (this.n >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private current(h: number): number {
    return (this.world.hostRam[h] as number) - (this.world.hostRamUsed[h] as number);
  }

  /** The largest free RAM of a host not excluded (-Infinity when none is left). */
  max(): number {
    while (this.n > 0) {
      const h = this.host[0] as number;
      if (!this.excluded(h) && this.free[0] === this.current(h)) return this.free[0] as number;
      this.pop();
    }
    return Number.NEGATIVE_INFINITY;
  }

  /** Host `h`'s free RAM changed. */
  changed(h: number): void {
    if (this.excluded(h)) return;
    if (this.n === this.free.length) {
      const free = new Float64Array(this.n * 2);
      free.set(this.free);
      const host = new Int32Array(this.n * 2);
      host.set(this.host);
      this.free = free;
      this.host = host;
    }
    let i = this.n++;
    this.free[i] = this.current(h);
    this.host[i] = h;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((this.free[p] as number) >= (this.free[i] as number)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private pop(): void {
    this.n--;
    if (this.n === 0) return;
    this.free[0] = this.free[this.n] as number;
    this.host[0] = this.host[this.n] as number;
    this.down(0);
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) return;
      const r = l + 1;
      const c = r < this.n && (this.free[r] as number) > (this.free[l] as number) ? r : l;
      if ((this.free[i] as number) >= (this.free[c] as number)) return;
      this.swap(i, c);
      i = c;
    }
  }

  private swap(a: number, b: number): void {
    const f = this.free[a] as number;
    this.free[a] = this.free[b] as number;
    this.free[b] = f;
    const h = this.host[a] as number;
    this.host[a] = this.host[b] as number;
    this.host[b] = h;
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
