/**
 * VM selection on an overloaded host (Beloglazov & Buyya, CCPE 2012, "VM selection"): minimum migration
 * time (MMT), maximum correlation (MC), minimum utilisation (MU) and random selection (RS), as
 * CloudSim 4.0 implements them.
 *
 * @module
 */

import type { RandomStream } from "@vx/core";
import { olsRSquared } from "./internal/stats.js";
import type { World } from "./internal/world.js";

/** Picks the next VM to move off a host, or -1 when none can move. */
export type VmSelector = (host: number) => number;

/** The VM selection policies, by name (`policy.selection`). */
export type SelectionName = "mmt" | "mc" | "mu" | "rs";

/** One VM selection policy: a registry entry. */
export interface VmSelectorEntry {
  /** Its name in specs and scenario files (`policy.selection`). */
  readonly name: SelectionName;
  /** Short label for tables and summaries (`MMT`). */
  readonly label: string;
  /** One sentence for the docs and the JSON Schema. */
  readonly description: string;
  /** Selection policies take no parameter. */
  readonly parameter: undefined;
  /** Where the policy comes from. */
  readonly source: string;
  /**
   * Builds the selector on a world.
   *
   * @internal
   */
  readonly create: (world: World, random: RandomStream) => VmSelector;
}

/**
 * The VM selection policies (Beloglazov & Buyya, CCPE 2012, §5.2): the only place a selection
 * policy is defined. Candidates are the host's VMs that are not migrating (nor queued to), in
 * the host's list order; ties go to the first.
 */
export const VM_SELECTORS: Readonly<Record<SelectionName, VmSelectorEntry>> = {
  mmt: {
    name: "mmt",
    label: "MMT",
    description: "Minimum migration time: the VM with the least RAM.",
    parameter: undefined,
    source: "CloudSim 4.0 PowerVmSelectionPolicyMinimumMigrationTime",
    create: (world) => mmt(world),
  },
  mc: {
    name: "mc",
    label: "MC",
    description:
      "Maximum correlation: the VM whose utilisation history is best explained by the others' (largest R² of an OLS fit), MMT when that cannot be computed.",
    parameter: undefined,
    source:
      "CloudSim 4.0 PowerVmSelectionPolicyMaximumCorrelation (with MMT as fallback, as in RunnerAbstract)",
    create: (world) => {
      const fallback = mmt(world);
      return (h) => {
        const candidates = migratable(world, h);
        if (candidates.length === 0) return -1;
        const pick = maxCorrelation(world, candidates);
        return pick === undefined ? fallback(h) : pick;
      };
    },
  },
  mu: {
    name: "mu",
    label: "MU",
    description: "Minimum utilisation: the VM with the lowest current CPU utilisation.",
    parameter: undefined,
    source: "CloudSim 4.0 PowerVmSelectionPolicyMinimumUtilization",
    create: (world) => (h) => {
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
    },
  },
  rs: {
    name: "rs",
    label: "RS",
    description:
      "Random selection: a VM drawn uniformly from the seeded stream datacenter/vm-selection (CloudSim draws from an unseeded java.util.Random).",
    parameter: undefined,
    source: "CloudSim 4.0 PowerVmSelectionPolicyRandomSelection",
    create: (world, random) => (h) => {
      const candidates = migratable(world, h);
      if (candidates.length === 0) return -1;
      return candidates[random.int(0, candidates.length - 1)] as number;
    },
  },
};

/** The selection names in registry order. */
export const SELECTION_NAMES: readonly SelectionName[] = Object.keys(
  VM_SELECTORS,
) as SelectionName[];

/**
 * Builds the VM selection policy of a scenario on a world.
 *
 * @internal
 */
export function createVmSelector(
  world: World,
  selection: SelectionName,
  random: RandomStream,
): VmSelector {
  return VM_SELECTORS[selection].create(world, random);
}

function mmt(world: World): VmSelector {
  return (h) => {
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
