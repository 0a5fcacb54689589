/**
 * VM selection on an overloaded host (Beloglazov & Buyya, CCPE 2012, "VM selection"): minimum migration
 * time (MMT), maximum correlation (MC), minimum utilisation (MU) and random selection (RS), as
 * CloudSim 4.0 implements them.
 *
 * @module
 */

import type { RandomStream } from "@vx/core";
import type { PolicySpec } from "../scenario/types.js";
import { olsRSquared } from "./internal/stats.js";
import type { World } from "./internal/world.js";

/** Picks the next VM to move off a host, or -1 when none can move. */
export type VmSelector = (host: number) => number;

/**
 * Builds the VM selection policy of a scenario on a world. Candidates are the host's VMs that are
 * not migrating, in the host's list order; ties go to the first.
 *
 * - MMT: the VM with the least RAM (shortest migration).
 * - MU: the VM with the lowest current CPU utilisation.
 * - RS: a VM drawn uniformly from `random` (CloudSim draws from an unseeded `java.util.Random`).
 * - MC: the VM whose utilisation history is best explained by the others' (largest R² of an OLS
 *   regression with intercept on the other VMs' histories, over the shortest history length);
 *   when that regression cannot be computed (too few history values for the number of VMs, a
 *   single VM, a singular design), CloudSim's fallback MMT.
 *
 * Sources: CloudSim 4.0 `PowerVmSelectionPolicyMinimumMigrationTime`,
 * `…MinimumUtilization`, `…RandomSelection`, `…MaximumCorrelation` (with MMT as fallback, as in
 * `RunnerAbstract`).
 *
 * @internal
 */
export function createVmSelector(
  world: World,
  selection: PolicySpec["selection"],
  random: RandomStream,
): VmSelector {
  const mmt: VmSelector = (h) => {
    const list = world.hostVms[h] as number[];
    let best = -1;
    let min = Number.MAX_VALUE;
    for (let i = 0; i < list.length; i++) {
      const vm = list[i] as number;
      if (world.vmInMigration[vm] === 1) continue;
      const ram = world.vmRam[vm] as number;
      if (ram < min) {
        min = ram;
        best = vm;
      }
    }
    return best;
  };
  switch (selection) {
    case "mmt":
      return mmt;
    case "mu":
      return (h) => {
        const list = world.hostVms[h] as number[];
        let best = -1;
        let min = Number.MAX_VALUE;
        for (let i = 0; i < list.length; i++) {
          const vm = list[i] as number;
          if (world.vmInMigration[vm] === 1) continue;
          const u = world.vmUtil[vm] as number;
          if (u < min) {
            min = u;
            best = vm;
          }
        }
        return best;
      };
    case "rs":
      return (h) => {
        const candidates = migratable(world, h);
        if (candidates.length === 0) return -1;
        return candidates[random.int(0, candidates.length - 1)] as number;
      };
    case "mc":
      return (h) => {
        const candidates = migratable(world, h);
        if (candidates.length === 0) return -1;
        const pick = maxCorrelation(world, candidates);
        return pick === undefined ? mmt(h) : pick;
      };
  }
}

function migratable(world: World, h: number): number[] {
  const list = world.hostVms[h] as number[];
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const vm = list[i] as number;
    if (world.vmInMigration[vm] === 0) out.push(vm);
  }
  return out;
}

/** CloudSim `PowerVmSelectionPolicyMaximumCorrelation.getVmToMigrate`, or undefined to fall back. */
function maxCorrelation(world: World, vms: readonly number[]): number | undefined {
  const n = vms.length;
  let m = Number.MAX_SAFE_INTEGER;
  for (const vm of vms) m = Math.min(m, world.vmHistLen[vm] as number);
  const rows: Float64Array[] = vms.map((vm) => {
    const row = new Float64Array(m);
    for (let j = 0; j < m; j++) row[j] = world.history(vm, j);
    return row;
  });
  const metrics: number[] = [];
  for (let i = 0; i < n; i++) {
    const others: Float64Array[] = [];
    for (let j = 0; j < n; j++) if (j !== i) others.push(rows[j] as Float64Array);
    const r2 = olsRSquared(rows[i] as Float64Array, others, m);
    if (r2 === undefined) return undefined;
    metrics.push(r2);
  }
  let max = Number.MIN_VALUE;
  let index = 0;
  for (let i = 0; i < n; i++) {
    const metric = metrics[i] as number;
    if (metric > max) {
      max = metric;
      index = i;
    }
  }
  return vms[index] as number;
}
