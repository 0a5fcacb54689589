/**
 * Validated options with every default filled in, in base units. Built once by
 * `prepareMigration` and shared by every migration started from the same plan.
 *
 * @internal
 */
import type {
  CloudSimSettings,
  PostcopySettings,
  QemuSettings,
  SimGridSettings,
  XenSettings,
} from "../defaults.js";
import type { DirtyTrace } from "../trace.js";

/**
 * How finely a migration is modelled: `"page"` keeps bit-packed bitmaps over the VM's pages
 * (which pages, which rounds, which faults), `"fluid"` keeps byte counts and rates (fast enough for
 * thousands of VMs). Where both apply they agree within 1 %.
 */
export type Fidelity = "page" | "fluid";

/**
 * A migration strategy: pre-copy with QEMU's, legacy Xen's, SimGrid's or CloudSim's rules,
 * post-copy, hybrid, enlightened post-copy, or the closed-form estimate. See docs/migration.
 */
export type StrategyName =
  | "precopy-qemu"
  | "precopy-xen"
  | "precopy-simgrid"
  | "cloudsim"
  | "postcopy"
  | "hybrid"
  | "postcopy-enlightened"
  | "analytic";

export type ResolvedDirty =
  | { readonly model: "none" }
  | { readonly model: "uniform"; readonly rate: number }
  | { readonly model: "scan"; readonly rate: number }
  | { readonly model: "hot-cold"; readonly rate: number; readonly hotShare: number }
  | { readonly model: "zipf"; readonly rate: number; readonly exponent: number }
  | {
      readonly model: "cpu-coupled";
      readonly intensity: number;
      readonly speedCap: number;
      readonly capFraction: number;
    }
  | { readonly model: "trace"; readonly trace: DirtyTrace; readonly loop: boolean };

export interface ResolvedVm {
  readonly ramBytes: number;
  readonly pageBytes: number;
  /** ceil(ram / page). */
  readonly pages: number;
  readonly zeroFraction: number;
  readonly freeFraction: number;
  readonly workingSetBytes: number;
  readonly dirty: ResolvedDirty;
  readonly vcpus: number;
  readonly cpuShare: number;
}

export type ResolvedQemu = QemuSettings;
export type ResolvedXen = XenSettings;
export type ResolvedSimGrid = SimGridSettings;
export type ResolvedCloudSim = CloudSimSettings;
export type ResolvedPostcopy = PostcopySettings;

export interface ResolvedPlan {
  readonly strategy: StrategyName;
  readonly fidelity: Fidelity;
  readonly seed: number | string;
  readonly rtt: number | undefined;
  readonly maxTime: number;
  readonly maxRounds: number;
  readonly tick: number | undefined;
  readonly series: boolean;
  readonly roundBitmaps: boolean;
  /** Rounds listed one by one in the result (see `MigrationOptions.roundRecords`). */
  readonly roundRecords: number;
  readonly vm: ResolvedVm;
  readonly qemu: ResolvedQemu;
  readonly xen: ResolvedXen;
  readonly simgrid: ResolvedSimGrid;
  readonly cloudsim: ResolvedCloudSim;
  readonly postcopy: ResolvedPostcopy;
  readonly hybridRounds: number;
}
