/**
 * A scenario after validation: every quantity in base units (bytes, seconds, bytes per second,
 * fractions), every default filled in. The schema (`scenario/schema.ts`) turns a YAML or JSON file
 * into this; the data-center model (`datacenter/`) runs it. This file is the contract between them.
 *
 * @module
 */

/** A kind of physical host. */
export interface HostType {
  /** Cores (CloudSim's processing elements). */
  readonly cores: number;
  /** Speed of one core in MIPS. */
  readonly mipsPerCore: number;
  readonly ramBytes: number;
  readonly nicBytesPerSecond: number;
  /** SPECpower table: watts at 0 %, 10 %, …, 100 % CPU load (11 values), linear in between. */
  readonly powerWatts: readonly number[];
}

/** A kind of VM. */
export interface VmType {
  readonly cores: number;
  /** Speed of one virtual core in MIPS (the VM's CPU demand at 100 % utilisation). */
  readonly mipsPerCore: number;
  readonly ramBytes: number;
  readonly nicBytesPerSecond: number;
}

/** Hosts of one type. */
export interface HostGroup {
  readonly type: string;
  readonly count: number;
}

/** Where a VM's CPU utilisation over time (a fraction of its cores) comes from. */
export type WorkloadSpec =
  /** One VM per trace file of a PlanetLab folder (files sorted by name), 288 samples at 300 s. */
  | { readonly kind: "planetlab"; readonly folder: string; readonly intervalSeconds: number }
  | { readonly kind: "constant"; readonly utilisation: number }
  /** Sinusoid around `mean` with a period (default 24 h), a seeded phase per VM and noise. */
  | {
      readonly kind: "diurnal";
      readonly mean: number;
      readonly amplitude: number;
      readonly periodSeconds: number;
      readonly noise: number;
    }
  /** A base load with bursts arriving as a Poisson process, burst lengths exponential. */
  | {
      readonly kind: "bursty";
      readonly base: number;
      readonly peak: number;
      readonly meanGapSeconds: number;
      readonly meanBurstSeconds: number;
    }
  /** Mostly idle, with rare short spikes (the idle VMs SEaMLESS parks). */
  | {
      readonly kind: "idle-spikes";
      readonly idle: number;
      readonly spike: number;
      readonly meanGapSeconds: number;
      readonly spikeSeconds: number;
    }
  /** A generic CSV time series: one column per VM (or one shared column), a time column in seconds. */
  | {
      readonly kind: "csv";
      readonly file: string;
      readonly timeColumn: string;
      readonly columns: readonly string[] | "all";
      readonly percent: boolean;
    };

/** VMs of one or several types with one workload source. */
export interface VmGroup {
  /** VM types, assigned round-robin by blocks (CloudSim: vm i gets types[floor(i / ceil(count / types.length))]), or one type. */
  readonly types: readonly string[];
  /** Number of VMs; for `planetlab` and `csv` workloads, at most the number of traces (default: all of them). */
  readonly count: number;
  readonly workload: WorkloadSpec;
}

/** The network between hosts. */
export type NetworkSpec =
  /** Every host's NIC to one non-blocking switch. */
  | { readonly topology: "star"; readonly latencySeconds: number }
  /** Racks of `hostsPerRack` under top-of-rack switches, uplinks to a core with an oversubscription ratio. */
  | {
      readonly topology: "tree";
      readonly hostsPerRack: number;
      readonly oversubscription: number;
      readonly latencySeconds: number;
    };

/** Consolidation policies (Beloglazov & Buyya, CCPE 2012). */
export interface PolicySpec {
  /** Overload detection; `none` = non-power-aware baseline (no consolidation, hosts always on, full power); `dvfs` = power follows load, no migration. */
  readonly overload: "thr" | "iqr" | "mad" | "lr" | "lrr" | "none" | "dvfs";
  /** THR: the threshold (default 0.8); IQR/MAD: the safety parameter s (1.5 / 2.5); LR/LRR: s (1.2). */
  readonly parameter: number;
  /** VM selection on an overloaded host. */
  readonly selection: "mmt" | "mc" | "mu" | "rs";
  /** Placement of VMs to migrate: power-aware best-fit decreasing. */
  readonly placement: "pabfd";
  /** Evacuate under-loaded hosts and switch them off. */
  readonly underload: boolean;
}

/** How a migration is modelled. */
export type MigrationSpec =
  /** CloudSim: delay = RAM / (50 % of the host bandwidth); 10 % CPU lost during it (PDM). */
  | { readonly model: "cloudsim" }
  /** Real pre-copy from @vx/migration on the shared network (dirtying, contention, downtime). */
  | {
      readonly model: "precopy";
      readonly rules: "qemu" | "xen" | "simgrid";
      readonly downtimeLimitSeconds: number;
      readonly maxBandwidthBytesPerSecond: number;
      /** Bytes dirtied per second at 100 % CPU (CPU-coupled dirtying). */
      readonly dirtyBytesPerSecondAtFullLoad: number;
    };

/** A validated scenario. */
export interface Scenario {
  readonly name: string;
  readonly seed: number;
  readonly durationSeconds: number;
  /** Scheduling interval: utilisation is sampled and policies run every step (CloudSim: 300 s). */
  readonly stepSeconds: number;
  readonly hostTypes: Readonly<Record<string, HostType>>;
  readonly hosts: readonly HostGroup[];
  readonly vmTypes: Readonly<Record<string, VmType>>;
  readonly vms: readonly VmGroup[];
  readonly network: NetworkSpec;
  readonly policy: PolicySpec;
  readonly migration: MigrationSpec;
  /**
   * Sections that feature packages add (`numa`, `pageflip`, `upgrade`, …), validated by the schema
   * each registers; the data-center model ignores those it does not know.
   */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Folder the scenario file was read from: relative paths (traces, CSV) resolve against it. */
  readonly baseDir: string;
}
