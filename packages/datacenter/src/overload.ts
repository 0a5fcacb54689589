/**
 * Host overload detection (Beloglazov & Buyya, CCPE 2012, "host overloading detection"): static threshold (THR),
 * inter-quartile range (IQR), median absolute deviation (MAD), local regression (LR) and robust
 * local regression (LRR), as CloudSim 4.0 implements them.
 *
 * @module
 */

import { iqr, loessEstimates, mad, robustLoessEstimates } from "./internal/stats.js";
import { HISTORY_LENGTH, type World } from "./internal/world.js";

/**
 * Decides whether a host is overloaded, from its current VM list, their demand and history.
 * `maxUtilisation` bounds the requested utilisation a host can have without being overloaded
 * (THR: its threshold; 1 for IQR and MAD, whose thresholds never exceed 1; Infinity for LR).
 */
export type OverloadDetector = ((host: number) => boolean) & { readonly maxUtilisation: number };

function detector(f: (host: number) => boolean, maxUtilisation: number): OverloadDetector {
  return Object.assign(f, { maxUtilisation });
}

/** The threshold adaptive detectors fall back to without enough history (CloudSim `RunnerAbstract`). */
export const FALLBACK_THRESHOLD = 0.7;
/** Minimum host history for IQR and MAD ("12 has been suggested as a safe value", CloudSim). */
export const MIN_HISTORY_IQR_MAD = 12;
/** History length LR and LRR regress over ("responsive enough to latest values", CloudSim). */
export const LR_WINDOW = 10;

/** The overload detection policies, by name (`policy.overload`). */
export type OverloadName = "thr" | "iqr" | "mad" | "lr" | "lrr" | "none" | "dvfs";

/** A tunable parameter of a policy, with its default and the range accepted. */
export interface PolicyParameter {
  /** What it is, for the docs and error messages. */
  readonly description: string;
  /** The value used when `policy.parameter` is omitted (CloudSim 4.0's `RunAll` value). */
  readonly default: number;
  /** Smallest value accepted, inclusive. */
  readonly min: number;
  /** Largest value accepted, inclusive. */
  readonly max: number;
}

/** One overload detection policy: a registry entry. */
export interface OverloadDetectorEntry {
  /** Its name in specs and scenario files (`policy.overload`). */
  readonly name: OverloadName;
  /** Short label for tables and summaries (`THR`). */
  readonly label: string;
  /** One sentence for the docs and the JSON Schema. */
  readonly description: string;
  /** Its parameter, or `undefined` when it takes none. */
  readonly parameter: PolicyParameter | undefined;
  /**
   * Whether the policy consolidates (detects overloads, migrates, switches hosts off). The two
   * baselines do not: `none` keeps every host on at full power, `dvfs` lets power follow load.
   */
  readonly consolidates: boolean;
  /** Whether power follows load (false only for the non-power-aware baseline, `none`). */
  readonly powerAware: boolean;
  /** Where the policy comes from. */
  readonly source: string;
  /**
   * Builds the detector on a world.
   *
   * @internal
   */
  readonly create: (world: World, parameter: number, stepSeconds: number) => OverloadDetector;
}

/**
 * The overload detection policies (Beloglazov & Buyya, CCPE 2012), one entry each: the only
 * place a detector is defined. The spec's enum, its default parameter and range, CloudSim's
 * parameters ({@link CLOUDSIM_PARAMETERS}), summary labels, sweep shorthands and the docs table
 * all derive from this list.
 *
 * Ranges (vx's choice, stated as an assumption: CCPE 2012 gives the defaults, not bounds): THR is
 * a utilisation, (0, 1]; the safety parameters of IQR and MAD scale a spread subtracted from 1,
 * and beyond 4 a host with any variation in its history counts as overloaded; LR and LRR
 * multiply a prediction compared with 1, and outside [0.5, 2] the detector fires either almost
 * never or at half load. A value that only makes sense for another detector can still be in
 * range (THR's 0.8 is a valid MAD safety parameter): the sweep shorthands that switch the
 * detector therefore switch to each detector's default parameter.
 */
export const OVERLOAD_DETECTORS: Readonly<Record<OverloadName, OverloadDetectorEntry>> = {
  thr: {
    name: "thr",
    label: "THR",
    description:
      "Static threshold: a host is overloaded when its VMs ask more than `parameter` of its CPU.",
    parameter: {
      description: "the CPU utilisation above which a host is overloaded",
      default: 0.8,
      min: 0.01,
      max: 1,
    },
    consolidates: true,
    powerAware: true,
    source:
      "Beloglazov & Buyya, CCPE 2012, §5.1; CloudSim 4.0 PowerVmAllocationPolicyMigrationStaticThreshold",
    create: (world, s) => thr(world, s),
  },
  iqr: {
    name: "iqr",
    label: "IQR",
    description:
      "Inter-quartile range: threshold 1 − parameter × IQR of the host's utilisation history (THR 0.7 with fewer than 12 values).",
    parameter: { description: "the safety parameter s", default: 1.5, min: 0, max: 4 },
    consolidates: true,
    powerAware: true,
    source:
      "Beloglazov & Buyya, CCPE 2012, §5.1; CloudSim 4.0 PowerVmAllocationPolicyMigrationInterQuartileRange",
    create: (world, s) => spreadDetector(world, s, iqr),
  },
  mad: {
    name: "mad",
    label: "MAD",
    description:
      "Median absolute deviation: threshold 1 − parameter × MAD of the host's utilisation history (THR 0.7 with fewer than 12 values).",
    parameter: { description: "the safety parameter s", default: 2.5, min: 0, max: 4 },
    consolidates: true,
    powerAware: true,
    source:
      "Beloglazov & Buyya, CCPE 2012, §5.1; CloudSim 4.0 PowerVmAllocationPolicyMigrationMedianAbsoluteDeviation",
    create: (world, s) => spreadDetector(world, s, mad),
  },
  lr: {
    name: "lr",
    label: "LR",
    description:
      "Local regression: overloaded when parameter × the utilisation predicted one migration ahead ≥ 1 (THR 0.7 with fewer than 10 values).",
    parameter: { description: "the safety parameter s", default: 1.2, min: 0.5, max: 2 },
    consolidates: true,
    powerAware: true,
    source:
      "Beloglazov & Buyya, CCPE 2012, §5.1; CloudSim 4.0 PowerVmAllocationPolicyMigrationLocalRegression",
    create: (world, s, step) => regressionDetector(world, s, step, loessEstimates),
  },
  lrr: {
    name: "lrr",
    label: "LRR",
    description:
      "Robust local regression: as LR with CloudSim's robust weights (which never apply, so LRR decides as LR).",
    parameter: { description: "the safety parameter s", default: 1.2, min: 0.5, max: 2 },
    consolidates: true,
    powerAware: true,
    source:
      "Beloglazov & Buyya, CCPE 2012, §5.1; CloudSim 4.0 PowerVmAllocationPolicyMigrationLocalRegressionRobust",
    create: (world, s, step) => regressionDetector(world, s, step, robustLoessEstimates),
  },
  none: {
    name: "none",
    label: "NPA",
    description:
      "Non-power-aware baseline: VMs placed first-fit, never migrated; every host on at full power.",
    parameter: undefined,
    consolidates: false,
    powerAware: false,
    source: "Beloglazov & Buyya, CCPE 2012, §7.2; CloudSim 4.0 NonPowerAware",
    create: () => {
      throw new Error("the none baseline has no detector");
    },
  },
  dvfs: {
    name: "dvfs",
    label: "DVFS",
    description:
      "DVFS baseline: VMs placed first-fit, never migrated; power follows load, empty hosts off.",
    parameter: undefined,
    consolidates: false,
    powerAware: true,
    source: "Beloglazov & Buyya, CCPE 2012, §7.2; CloudSim 4.0 Dvfs",
    create: () => {
      throw new Error("the dvfs baseline has no detector");
    },
  },
};

/** The detector names in registry order. */
export const OVERLOAD_NAMES: readonly OverloadName[] = Object.keys(
  OVERLOAD_DETECTORS,
) as OverloadName[];

/**
 * CloudSim's parameter for each overload detector (`RunAll`; Beloglazov & Buyya, CCPE 2012,
 * simulation results): the registry's defaults, 0 for the baselines that take none.
 */
export const CLOUDSIM_PARAMETERS: Readonly<Record<OverloadName, number>> = Object.fromEntries(
  OVERLOAD_NAMES.map((n) => [n, OVERLOAD_DETECTORS[n].parameter?.default ?? 0]),
) as Record<OverloadName, number>;

/**
 * Builds the overload detector of a policy on a world.
 *
 * - THR: overloaded when Σ requested MIPS / host MIPS > `parameter` (0.8).
 * - IQR / MAD: threshold `1 − parameter · IQR` (or `· MAD`) of the host's utilisation history
 *   (at least 12 values), compared with the current utilisation the same way.
 * - LR / LRR: the last 10 history values, oldest first at x = 1..10, fitted by CloudSim's
 *   (robust) Loess; the host is overloaded when `parameter × prediction ≥ 1`, the prediction
 *   being at x = 10 + ceil(longest migration time of its VMs / step).
 * - Without enough history the adaptive ones use THR 0.7.
 *
 * CloudSim's Loess weights are the inverse of tricube weights and are applied only when at least
 * 40 % of them are zero, which never happens: LR and LRR reduce to ordinary least squares, and
 * give the same decisions. vx reproduces that arithmetic (see `docs/datacenter.md`).
 *
 * Sources: CloudSim 4.0 `PowerVmAllocationPolicyMigrationStaticThreshold`,
 * `…InterQuartileRange`, `…MedianAbsoluteDeviation`, `…LocalRegression`,
 * `…LocalRegressionRobust`, `PowerHostUtilizationHistory`, `MathUtil`.
 *
 * @returns the detector, or `undefined` for the baselines.
 * @internal
 */
export function createOverloadDetector(
  world: World,
  policy: { readonly overload: OverloadName; readonly parameter?: number | undefined },
  stepSeconds: number,
): OverloadDetector | undefined {
  const entry = OVERLOAD_DETECTORS[policy.overload];
  if (!entry.consolidates) return undefined;
  return entry.create(world, policy.parameter ?? entry.parameter?.default ?? 0, stepSeconds);
}

function thr(world: World, threshold: number): OverloadDetector {
  return detector((h) => world.requested(h) / (world.hostMips[h] as number) > threshold, threshold);
}

function spreadDetector(
  world: World,
  s: number,
  spread: (data: ArrayLike<number>, n: number) => number,
): OverloadDetector {
  const fallback = thr(world, FALLBACK_THRESHOLD);
  const buf = new Float64Array(HISTORY_LENGTH);
  // Thresholds are 1 − s · spread ≤ 1, and the fallback's 0.7.
  return detector((h) => {
    const len = world.hostHistory(h, buf);
    if (len < MIN_HISTORY_IQR_MAD) return fallback(h);
    const upper = 1 - s * spread(buf, len);
    return world.requested(h) / (world.hostMips[h] as number) > upper;
  }, 1);
}

function regressionDetector(
  world: World,
  s: number,
  stepSeconds: number,
  estimate: (data: Float64Array, n: number, out: Float64Array) => boolean,
): OverloadDetector {
  const fallback = thr(world, FALLBACK_THRESHOLD);
  const buf = new Float64Array(HISTORY_LENGTH);
  const reversed = new Float64Array(LR_WINDOW);
  const est = new Float64Array(2);
  return detector((h) => {
    const len = world.hostHistory(h, buf);
    if (len < LR_WINDOW) return fallback(h);
    for (let i = 0; i < LR_WINDOW; i++) reversed[i] = buf[LR_WINDOW - i - 1] as number;
    if (!estimate(reversed, LR_WINDOW, est)) return fallback(h);
    const intervals = Math.ceil(maxMigrationSeconds(world, h) / stepSeconds);
    let predicted = (est[0] as number) + (est[1] as number) * (LR_WINDOW + intervals);
    predicted *= s;
    return predicted >= 1;
  }, Number.POSITIVE_INFINITY);
}

/** CloudSim `getMaximumVmMigrationTime(host)`: the largest VM of the host over its own NIC. */
function maxMigrationSeconds(world: World, h: number): number {
  const list = world.hostVms[h] as number[];
  let maxRam = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < list.length; i++) {
    const ram = world.vmRam[list[i] as number] as number;
    if (ram > maxRam) maxRam = ram;
  }
  const nic = world.hostNic[h] as number;
  return world.migration.durationSeconds({
    ramBytes: maxRam,
    sourceNicBytesPerSecond: nic,
    targetNicBytesPerSecond: nic,
  });
}
