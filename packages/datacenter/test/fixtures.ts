/** Small specs for the data-center tests, written as plain spec objects. */

import { Gbps, MB } from "@vx/core";
import type {
  DatacenterResult,
  DatacenterSpecInput,
  HostTypeSpec,
  MigrationInput,
  NetworkInput,
  PolicyInput,
  VmTypeInput,
} from "../src/index.js";

/** The PlanetLab day of the CloudSim comparison (packaged in @vx/traces-planetlab). */
export const DAY_20110303 = "20110303";

/** A linear power model: 100 W idle, 200 W at full load (P(u) = 100 + 100 u). */
export const LINEAR_POWER: readonly number[] = [
  100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200,
];

/** One core of 1000 MIPS, 1000 MB RAM, 1 Gbit/s, linear power. */
export const SMALL_HOST: HostTypeSpec = {
  cores: 1,
  mips: 1000,
  ram: MB(1000),
  nic: Gbps(1),
  power: LINEAR_POWER,
};

/** One core of 1000 MIPS, 100 MB RAM (1.6 s to migrate over half of 1 Gbit/s), no NIC share. */
export const SMALL_VM: VmTypeInput = {
  cores: 1,
  mips: 1000,
  ram: MB(100),
  nic: 0,
};

export interface SmallOptions {
  readonly hosts?: number;
  readonly hostType?: HostTypeSpec;
  readonly vmType?: VmTypeInput;
  /** Constant utilisation of each VM (one group per VM, in order). */
  readonly loads: readonly number[];
  readonly policy?: PolicyInput;
  readonly duration?: number;
  readonly step?: number;
  readonly cloudsim?: DatacenterSpecInput["cloudsim"];
  readonly migration?: MigrationInput;
  readonly network?: NetworkInput;
  readonly seed?: number;
}

/** THR (its default 0.8) with MMT, PABFD and under-load evacuation. */
export const THR_MMT: PolicyInput = {
  overload: "thr",
  selection: "mmt",
  placement: "pabfd",
  underload: true,
};

/** A data center of identical hosts and VMs with constant loads (VM i has loads[i]). */
export function smallSpec(o: SmallOptions): DatacenterSpecInput {
  return {
    name: "small",
    seed: o.seed ?? 1,
    duration: o.duration ?? 600,
    step: o.step ?? 300,
    hostTypes: { host: o.hostType ?? SMALL_HOST },
    hosts: [{ type: "host", count: o.hosts ?? 2 }],
    vmTypes: { vm: o.vmType ?? SMALL_VM },
    vms: o.loads.map((u) => ({
      types: ["vm"],
      count: 1,
      workload: { kind: "constant", utilisation: u },
    })),
    network: o.network ?? { topology: "star", latency: 0 },
    policy: { ...THR_MMT, ...o.policy },
    migration: o.migration ?? { model: "cloudsim" },
    ...(o.cloudsim === undefined ? {} : { cloudsim: o.cloudsim }),
  };
}

/** What an extension's `end` returned in a run (fails when the run has none by that name). */
export function extensionOutput<T>(result: DatacenterResult, name: string): T {
  const ext = result.extensions?.[name] as { output: T } | undefined;
  if (ext === undefined) throw new Error(`no extension ${name} in the result`);
  return ext.output;
}
