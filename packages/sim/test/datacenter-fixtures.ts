/** Small scenarios for the data-center tests, built directly as validated `Scenario` objects. */

import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Gbps, MB } from "@vx/core";
import type { HostType, PolicySpec, Scenario, VmGroup, VmType } from "../src/scenario/types.js";

const repoRoot = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");
/** The PlanetLab day of the CloudSim comparison, if the shared data is present. */
export const DAY_20110303: string = join(repoRoot, "..", "shared", "data", "planetlab", "20110303");
export const haveTraces: boolean = existsSync(DAY_20110303);

/** A linear power model: 100 W idle, 200 W at full load (P(u) = 100 + 100 u). */
export const LINEAR_POWER: readonly number[] = [
  100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200,
];

/** One core of 1000 MIPS, 1000 MB RAM, 1 Gbit/s, linear power. */
export const SMALL_HOST: HostType = {
  cores: 1,
  mipsPerCore: 1000,
  ramBytes: MB(1000),
  nicBytesPerSecond: Gbps(1),
  powerWatts: LINEAR_POWER,
};

/** One core of 1000 MIPS, 100 MB RAM (1.6 s to migrate over half of 1 Gbit/s), no NIC share. */
export const SMALL_VM: VmType = {
  cores: 1,
  mipsPerCore: 1000,
  ramBytes: MB(100),
  nicBytesPerSecond: 0,
};

export interface SmallOptions {
  readonly hosts?: number;
  readonly hostType?: HostType;
  readonly vmType?: VmType;
  /** Constant utilisation of each VM (one group per distinct value, in order). */
  readonly loads: readonly number[];
  readonly policy?: Partial<PolicySpec>;
  readonly durationSeconds?: number;
  readonly stepSeconds?: number;
  readonly extensions?: Record<string, unknown>;
  readonly seed?: number;
}

export const THR_MMT: PolicySpec = {
  overload: "thr",
  parameter: 0.8,
  selection: "mmt",
  placement: "pabfd",
  underload: true,
};

/** A data center of identical hosts and VMs with constant loads (VM i has loads[i]). */
export function smallScenario(o: SmallOptions): Scenario {
  const vms: VmGroup[] = o.loads.map((u) => ({
    types: ["vm"],
    count: 1,
    workload: { kind: "constant", utilisation: u },
  }));
  return {
    name: "small",
    seed: o.seed ?? 1,
    durationSeconds: o.durationSeconds ?? 600,
    stepSeconds: o.stepSeconds ?? 300,
    hostTypes: { host: o.hostType ?? SMALL_HOST },
    hosts: [{ type: "host", count: o.hosts ?? 2 }],
    vmTypes: { vm: o.vmType ?? SMALL_VM },
    vms,
    network: { topology: "star", latencySeconds: 0 },
    policy: { ...THR_MMT, ...o.policy },
    migration: { model: "cloudsim" },
    extensions: o.extensions ?? {},
    baseDir: resolve("."),
  };
}
