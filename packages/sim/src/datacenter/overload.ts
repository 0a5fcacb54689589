/**
 * Host overload detection (Beloglazov & Buyya, CCPE 2012, "host overloading detection"): static threshold (THR),
 * inter-quartile range (IQR), median absolute deviation (MAD), local regression (LR) and robust
 * local regression (LRR), as CloudSim 4.0 implements them.
 *
 * @module
 */

import type { PolicySpec } from "../scenario/types.js";
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
 * @internal
 */
export function createOverloadDetector(
  world: World,
  policy: PolicySpec,
  stepSeconds: number,
): OverloadDetector | undefined {
  const thr = (threshold: number): OverloadDetector =>
    detector((h) => world.requested(h) / (world.hostMips[h] as number) > threshold, threshold);
  const fallback = thr(FALLBACK_THRESHOLD);
  const buf = new Float64Array(HISTORY_LENGTH);
  const reversed = new Float64Array(LR_WINDOW);
  const est = new Float64Array(2);
  const s = policy.parameter;
  switch (policy.overload) {
    case "none":
    case "dvfs":
      return undefined;
    case "thr":
      return thr(s);
    case "iqr":
    case "mad": {
      const spread = policy.overload === "iqr" ? iqr : mad;
      // Thresholds are 1 − s · spread ≤ 1, and the fallback's 0.7.
      return detector((h) => {
        const len = world.hostHistory(h, buf);
        if (len < MIN_HISTORY_IQR_MAD) return fallback(h);
        const upper = 1 - s * spread(buf, len);
        return world.requested(h) / (world.hostMips[h] as number) > upper;
      }, 1);
    }
    case "lr":
    case "lrr": {
      const estimate = policy.overload === "lr" ? loessEstimates : robustLoessEstimates;
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
  }
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
