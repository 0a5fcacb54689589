/**
 * The CloudSim-compatible PlanetLab configuration of Beloglazov & Buyya (CCPE 2012), as a
 * scenario object.
 *
 * @module
 */

import { basename, resolve } from "node:path";
import { Gbps, MB, Mbps, VxError } from "@vx/core";
import type {
  HostGroup,
  HostType,
  PolicySpec,
  Scenario,
  VmGroup,
  VmType,
} from "../scenario/types.js";
import { listPlanetLabFiles } from "../workloads/planetlab.js";
import { POWER_HP_ML110_G4, POWER_HP_ML110_G5 } from "./power.js";

/** Options of {@link cloudsimPlanetLabScenario}. */
export interface CloudsimPlanetLabOptions {
  /** A PlanetLab day folder, e.g. `../shared/data/planetlab/20110303` (one VM per file). */
  readonly tracesFolder: string;
  /**
   * Policy fields to override. Default THR 0.8 + MMT + PABFD with under-load evacuation; when
   * only `overload` is given, `parameter` defaults to CloudSim's value for it: THR 0.8, IQR 1.5,
   * MAD 2.5, LR and LRR 1.2 (0 for `none` and `dvfs`, which do not use it).
   */
  readonly policy?: Partial<PolicySpec>;
  /**
   * Reproduce CloudSim 4.0's quirks (`extensions.cloudsim.quirks`, see
   * `docs/cloudsim-comparison.md`). Default true: this is the configuration compared with CloudSim.
   */
  readonly quirks?: boolean;
  /**
   * Copies of the whole data center (hosts and VMs), for scale tests: 100 gives 80,000 hosts and,
   * on 20110303, 105,200 VMs. Default 1.
   */
  readonly replicas?: number;
  /** Seed (used only by RS selection). Default 1. */
  readonly seed?: number;
}

/**
 * CloudSim's PlanetLab hosts (`Constants.java`; CCPE 2012 §6.1): HP ProLiant ML110 G4 (2 × 1860
 * MIPS) and G5 (2 × 2660 MIPS), 4096 MB, 1 Gbit/s, with their SPECpower tables.
 */
export const CLOUDSIM_HOST_TYPES: Readonly<Record<"hp-ml110-g4" | "hp-ml110-g5", HostType>> = {
  "hp-ml110-g4": {
    cores: 2,
    mipsPerCore: 1860,
    ramBytes: MB(4096),
    nicBytesPerSecond: Gbps(1),
    powerWatts: POWER_HP_ML110_G4,
  },
  "hp-ml110-g5": {
    cores: 2,
    mipsPerCore: 2660,
    ramBytes: MB(4096),
    nicBytesPerSecond: Gbps(1),
    powerWatts: POWER_HP_ML110_G5,
  },
};

/**
 * CloudSim's four PlanetLab VM types (`Constants.java`), 1 core and 100 Mbit/s each; assigned by
 * blocks in this order.
 */
export const CLOUDSIM_VM_TYPES: Readonly<
  Record<"high-cpu-medium" | "extra-large" | "small" | "micro", VmType>
> = {
  "high-cpu-medium": {
    cores: 1,
    mipsPerCore: 2500,
    ramBytes: MB(870),
    nicBytesPerSecond: Mbps(100),
  },
  "extra-large": {
    cores: 1,
    mipsPerCore: 2000,
    ramBytes: MB(1740),
    nicBytesPerSecond: Mbps(100),
  },
  small: { cores: 1, mipsPerCore: 1000, ramBytes: MB(1740), nicBytesPerSecond: Mbps(100) },
  micro: { cores: 1, mipsPerCore: 500, ramBytes: MB(613), nicBytesPerSecond: Mbps(100) },
};

/** CloudSim's parameter for each overload detector (`RunAll`; Beloglazov & Buyya, CCPE 2012, simulation results). */
export const CLOUDSIM_PARAMETERS: Readonly<Record<PolicySpec["overload"], number>> = {
  thr: 0.8,
  iqr: 1.5,
  mad: 2.5,
  lr: 1.2,
  lrr: 1.2,
  none: 0,
  dvfs: 0,
};

/**
 * Builds the CloudSim-compatible PlanetLab scenario: 800 hosts alternating HP ProLiant ML110 G4
 * (2 × 1860 MIPS) and G5 (2 × 2660 MIPS), 4096 MB RAM and 1 Gbit/s each, with their SPECpower
 * tables; one VM per trace file of the folder, its type assigned by blocks in CloudSim's order
 * (high-CPU medium 2500 MIPS / 870 MB, extra large 2000 / 1740, small 1000 / 1740, micro
 * 500 / 613; 1 core, 100 Mbit/s); 300 s scheduling interval; 24 h; CloudSim's migration model;
 * and, unless `quirks: false`, CloudSim's quirks.
 *
 * Sizes use decimal megabytes as CloudSim's constants do (so an 870 MB VM migrates in 13.92 s
 * over half of 1 Gbit/s). Host `i` is a G4 when `i` is even, as in CloudSim's
 * `Helper.createHostList`.
 *
 * Sources: CloudSim 4.0 `examples/power/Constants`, `Helper`, `planetlab/PlanetLabConstants`,
 * `RunnerAbstract`; Beloglazov & Buyya, CCPE 24(13), 2012 (performance evaluation).
 *
 * @param options - trace folder, policy overrides, quirks, replicas and seed.
 * @returns the scenario (`baseDir` is the working directory; the folder is made absolute).
 * @throws {@link @vx/core!VxError} `VX_SIM_TRACE_NOT_FOUND` / `VX_SIM_TRACE_EMPTY` when the folder is
 * missing or empty (its files are counted to size the VM group), `VX_SIM_BAD_OPTION` for a bad
 * replica count or seed.
 * @example
 * ```ts
 * const scenario = cloudsimPlanetLabScenario({
 *   tracesFolder: "../shared/data/planetlab/20110303",
 *   policy: { overload: "lr", selection: "mmt" },
 * });
 * runDatacenter(scenario).summary.energyKWh;
 * ```
 */
export function cloudsimPlanetLabScenario(options: CloudsimPlanetLabOptions): Scenario {
  const folder = resolve(options.tracesFolder);
  const files = listPlanetLabFiles(folder).length;
  const replicas = options.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `replicas must be an integer ≥ 1; got ${String(replicas)}.`,
      {
        path: ["replicas"],
      },
    );
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) {
    throw new VxError("VX_SIM_BAD_OPTION", `seed must be a safe integer; got ${String(seed)}.`, {
      path: ["seed"],
    });
  }
  const overload = options.policy?.overload ?? "thr";
  const policy: PolicySpec = {
    overload,
    parameter: options.policy?.parameter ?? CLOUDSIM_PARAMETERS[overload],
    selection: options.policy?.selection ?? "mmt",
    placement: options.policy?.placement ?? "pabfd",
    underload: options.policy?.underload ?? true,
  };
  const hosts: HostGroup[] = [];
  const vms: VmGroup[] = [];
  for (let r = 0; r < replicas; r++) {
    for (let i = 0; i < 800; i++)
      hosts.push({ type: i % 2 === 0 ? "hp-ml110-g4" : "hp-ml110-g5", count: 1 });
    vms.push({
      types: ["high-cpu-medium", "extra-large", "small", "micro"],
      count: files,
      workload: { kind: "planetlab", folder, intervalSeconds: 300 },
    });
  }
  const day = basename(folder);
  const policyName =
    policy.overload === "none" || policy.overload === "dvfs"
      ? policy.overload
      : `${policy.overload}-${policy.selection}-${policy.parameter}`;
  return {
    name: `planetlab-${day}-${policyName}${replicas > 1 ? `-x${replicas}` : ""}`,
    seed,
    durationSeconds: 24 * 3600,
    stepSeconds: 300,
    hostTypes: CLOUDSIM_HOST_TYPES,
    hosts,
    vmTypes: CLOUDSIM_VM_TYPES,
    vms,
    network: { topology: "star", latencySeconds: 0 },
    policy,
    migration: { model: "cloudsim" },
    extensions: options.quirks === false ? {} : { cloudsim: { quirks: true } },
    baseDir: resolve("."),
  };
}
