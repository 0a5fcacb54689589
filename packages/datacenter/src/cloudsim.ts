/**
 * The CloudSim-compatible PlanetLab configuration of Beloglazov & Buyya (CCPE 2012), as a
 * spec.
 *
 * @module
 */

import { VxError } from "@vx/core";
import type { CloudsimSpec } from "./compat.js";
import { CLOUDSIM_PARAMETERS, OVERLOAD_DETECTORS } from "./overload.js";
import type { PolicyInput } from "./policy.js";
import { POWER_HP_ML110_G4, POWER_HP_ML110_G5 } from "./power.js";
import type { DatacenterSpecInput, HostTypeSpec, VmTypeSpec } from "./spec.js";

/** Options of {@link cloudsimPlanetLabSpec}. */
export interface CloudsimPlanetLabOptions {
  /**
   * A PlanetLab day of `@vx/traces-planetlab` (`"20110303"` … `"20110420"`): one VM per trace.
   * Give `day` or `folder`.
   */
  readonly day?: string;
  /**
   * A PlanetLab day folder, as the trace loader knows it (e.g. a path for `nodeTraceLoader`):
   * one VM per trace file. Give `day` or `folder`.
   */
  readonly folder?: string;
  /**
   * Policy fields to override. Default THR 0.8 + MMT + PABFD with under-load evacuation; the
   * parameter defaults to CloudSim's for the detector chosen (THR 0.8, IQR 1.5, MAD 2.5, LR and
   * LRR 1.2).
   */
  readonly policy?: PolicyInput;
  /**
   * Reproduce CloudSim 4.0's quirks (`cloudsim.quirks`, see `docs/cloudsim-comparison.md`).
   * Default true: this is the configuration compared with CloudSim.
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
export const CLOUDSIM_HOST_TYPES: Readonly<Record<"hp-ml110-g4" | "hp-ml110-g5", HostTypeSpec>> = {
  "hp-ml110-g4": {
    cores: 2,
    mips: 1860,
    ram: 4096e6,
    nic: 125e6,
    power: POWER_HP_ML110_G4,
  },
  "hp-ml110-g5": {
    cores: 2,
    mips: 2660,
    ram: 4096e6,
    nic: 125e6,
    power: POWER_HP_ML110_G5,
  },
};

/**
 * CloudSim's four PlanetLab VM types (`Constants.java`), 1 core and 100 Mbit/s each; assigned by
 * blocks in this order. Their dirtying (for the real migration models, which CloudSim does not
 * have) is the spec's default.
 */
export const CLOUDSIM_VM_TYPES: Readonly<
  Record<
    "high-cpu-medium" | "extra-large" | "small" | "micro",
    Omit<VmTypeSpec, "dirtyRate" | "workingSet">
  >
> = {
  "high-cpu-medium": { cores: 1, mips: 2500, ram: 870e6, nic: 12.5e6 },
  "extra-large": { cores: 1, mips: 2000, ram: 1740e6, nic: 12.5e6 },
  small: { cores: 1, mips: 1000, ram: 1740e6, nic: 12.5e6 },
  micro: { cores: 1, mips: 500, ram: 613e6, nic: 12.5e6 },
};

/**
 * Builds the CloudSim-compatible PlanetLab spec: 800 hosts alternating HP ProLiant ML110 G4
 * (2 × 1860 MIPS) and G5 (2 × 2660 MIPS), 4096 MB RAM and 1 Gbit/s each, with their SPECpower
 * tables; one VM per trace file of the folder, its type assigned by blocks in CloudSim's order
 * (high-CPU medium 2500 MIPS / 870 MB, extra large 2000 / 1740, small 1000 / 1740, micro
 * 500 / 613; 1 core, 100 Mbit/s); 300 s scheduling interval; 24 h; CloudSim's migration model;
 * and, unless `quirks: false`, CloudSim's quirks.
 *
 * Sizes use decimal megabytes as CloudSim's constants do (so an 870 MB VM migrates in 13.92 s
 * over half of 1 Gbit/s). Host `i` is a G4 when `i` is even, as in CloudSim's
 * `Helper.createHostList`. Run it with a trace loader that knows the folder.
 *
 * Sources: CloudSim 4.0 `examples/power/Constants`, `Helper`, `planetlab/PlanetLabConstants`,
 * `RunnerAbstract`; Beloglazov & Buyya, CCPE 24(13), 2012 (performance evaluation).
 *
 * @param options - the day (or a trace folder), policy overrides, quirks, replicas and seed.
 * @returns the spec.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_OPTION` for a bad replica count or seed, or
 * unless exactly one of `day` and `folder` is given.
 * @example
 * ```ts
 * const spec = cloudsimPlanetLabSpec({ day: "20110303", policy: { overload: "lr" } });
 * runDatacenter(spec, { loader: nodeTraceLoader() }).summary.energyKWh;
 * ```
 */
export function cloudsimPlanetLabSpec(options: CloudsimPlanetLabOptions): DatacenterSpecInput {
  const replicas = options.replicas ?? 1;
  if (!(Number.isInteger(replicas) && replicas >= 1)) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `replicas must be an integer ≥ 1; got ${String(replicas)}.`,
      { path: ["replicas"] },
    );
  }
  if ((options.day === undefined) === (options.folder === undefined)) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      'give the PlanetLab day (`day`, e.g. "20110303") or a folder of trace files (`folder`), exactly one.',
      { path: [options.day === undefined ? "day" : "folder"] },
    );
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) {
    throw new VxError("VX_SIM_BAD_OPTION", `seed must be a safe integer; got ${String(seed)}.`, {
      path: ["seed"],
    });
  }
  const overload = options.policy?.overload ?? "thr";
  const parameter = options.policy?.parameter ?? CLOUDSIM_PARAMETERS[overload];
  const policy: PolicyInput = {
    overload,
    ...(OVERLOAD_DETECTORS[overload].parameter === undefined ? {} : { parameter }),
    selection: options.policy?.selection ?? "mmt",
    placement: options.policy?.placement ?? "pabfd",
    underload: options.policy?.underload ?? true,
    ...(options.policy?.unplaced === undefined ? {} : { unplaced: options.policy.unplaced }),
  };
  const hosts: { type: string; count: number }[] = [];
  const vms: DatacenterSpecInput["vms"][number][] = [];
  for (let r = 0; r < replicas; r++) {
    for (let i = 0; i < 800; i++) {
      hosts.push({ type: i % 2 === 0 ? "hp-ml110-g4" : "hp-ml110-g5", count: 1 });
    }
    vms.push({
      types: ["high-cpu-medium", "extra-large", "small", "micro"],
      workload:
        options.day === undefined
          ? { kind: "planetlab", folder: options.folder as string, interval: 300 }
          : { kind: "planetlab", day: options.day, interval: 300 },
    });
  }
  const folder = options.folder ?? "";
  const day =
    options.day ??
    folder
      .replace(/[\\/]+$/, "")
      .split(/[\\/]/)
      .pop() ??
    folder;
  const entry = OVERLOAD_DETECTORS[overload];
  const policyName = entry.consolidates ? `${overload}-${policy.selection}-${parameter}` : overload;
  const cloudsim: CloudsimSpec = { quirks: options.quirks !== false };
  return {
    name: `planetlab-${day}-${policyName}${replicas > 1 ? `-x${replicas}` : ""}`,
    seed,
    duration: 24 * 3600,
    step: 300,
    hostTypes: CLOUDSIM_HOST_TYPES,
    hosts,
    vmTypes: CLOUDSIM_VM_TYPES,
    vms,
    network: { topology: "star", latency: 0 },
    policy,
    migration: { model: "cloudsim" },
    cloudsim,
  };
}
