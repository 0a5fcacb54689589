/**
 * The closed-form pre-copy model of Akoush et al. (MASCOTS 2010) and Liu et al. (HPDC 2011): a
 * fast estimator of rounds, downtime, bytes and time, used to cross-check the simulated
 * strategies.
 *
 * @module
 */
import { bytesSchema, durationSchema, rateSchema } from "@vx/core";
import { z } from "zod";
import { LIMIT_DEFAULTS, MAX_ROUNDS_LIMIT, QEMU_DEFAULTS } from "./defaults.js";
import { Issues } from "./internal/validate.js";
import type { BytesInput, DurationInput, RateInput } from "./options.js";

/** Input of {@link estimatePrecopy}. */
export interface PrecopyEstimateInput {
  /** Memory to migrate, M (> 0). */
  readonly ram: BytesInput;
  /** Link rate R (> 0). */
  readonly bandwidth: RateInput;
  /** Dirty rate D (≥ 0): bytes of distinct pages dirtied per second. */
  readonly dirtyRate: RateInput;
  /** Writable working set W: at most W bytes are dirty per round. Default: no cap (M). */
  readonly workingSet?: BytesInput;
  /** Downtime limit: stop when a round's bytes fit in `R × limit`. Default 300 ms (QEMU). */
  readonly downtimeLimit?: DurationInput;
  /** Most pre-copy rounds before giving up (at most {@link MAX_ROUNDS_LIMIT}). Default 1000. */
  readonly maxRounds?: number;
}

/** One pre-copy round of an estimate. */
export interface EstimateRound {
  /** Bytes sent, Vi. */
  readonly bytes: number;
  /** Its duration, ti = Vi / R. */
  readonly seconds: number;
}

/** What {@link estimatePrecopy} returns. */
export interface PrecopyEstimate {
  /** `completed`, or `did-not-converge` when no round fits the limit within `maxRounds`. */
  readonly outcome: "completed" | "did-not-converge";
  /** The pre-copy rounds V0 … V(n−1). */
  readonly rounds: EstimateRound[];
  /** Bytes of the stop-and-copy, Vn (0 when it did not converge). */
  readonly stopCopyBytes: number;
  /** Vn / R (0 when it did not converge). */
  readonly downtimeSeconds: number;
  /** Σ Vi, the stop-and-copy included. */
  readonly totalBytes: number;
  /** Σ ti, the stop-and-copy included. */
  readonly totalTimeSeconds: number;
}

/**
 * @internal the recurrence with any dirty function `dirtied(t)`: V0 = m, Vi = dirtied(t(i−1)),
 * stop at the first Vn ≤ r × limit.
 */
export function estimateWith(
  m: number,
  r: number,
  dirtied: (seconds: number) => number,
  limit: number,
  maxRounds: number,
): PrecopyEstimate {
  const rounds: EstimateRound[] = [];
  const threshold = r * limit;
  let v = m;
  let total = 0;
  let time = 0;
  for (;;) {
    const t = v / r;
    rounds.push({ bytes: v, seconds: t });
    total += v;
    time += t;
    const next = dirtied(t);
    if (next <= threshold) {
      return {
        outcome: "completed",
        rounds,
        stopCopyBytes: next,
        downtimeSeconds: next / r,
        totalBytes: total + next,
        totalTimeSeconds: time + next / r,
      };
    }
    if (rounds.length >= maxRounds) break;
    v = next;
  }
  return {
    outcome: "did-not-converge",
    rounds,
    stopCopyBytes: 0,
    downtimeSeconds: 0,
    totalBytes: total,
    totalTimeSeconds: time,
  };
}

/**
 * Estimates a pre-copy migration in closed form: `V0 = M`, `Vi = min(D·t(i−1), W)`,
 * `ti = Vi / R`; the first `Vn ≤ R × limit` is sent while the VM is paused (downtime `Vn / R`).
 * Without a working set this is `Vi = M·λ^i`, `λ = D/R`, total `M(1 − λ^(n+1))/(1 − λ)`.
 *
 * Use it as a fast estimator (no simulation) and to cross-check the simulated pre-copy
 * strategies: with uniform or hot/cold dirtying and QEMU's rules they give the same rounds.
 * Source: S. Akoush et al., "Predicting the Performance of Virtual Machine Migration",
 * MASCOTS 2010, §III; H. Liu et al., "Performance and Energy Modeling for Live Migration of
 * Virtual Machines", HPDC 2011, §3 (both report over 90 % accuracy against Xen).
 *
 * @param input - M, R, D, W, limit.
 * @returns the rounds, downtime, bytes and time.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for a RAM or bandwidth ≤ 0, a
 * negative dirty rate, or a limit that is not a duration.
 * @example
 * ```ts
 * const e = estimatePrecopy({ ram: "4GiB", bandwidth: "128MiB/s", dirtyRate: "32MiB/s" });
 * e.rounds.map((r) => r.bytes / 2 ** 20); // [4096, 1024, 256, 64]
 * e.stopCopyBytes / 2 ** 20; // 16
 * e.downtimeSeconds; // 0.125
 * e.totalTimeSeconds; // 42.625
 * ```
 */
export function estimatePrecopy(input: PrecopyEstimateInput): PrecopyEstimate {
  const issues = new Issues();
  const e = issues.parse(estimateSchema, input);
  issues.throwIfAny("estimate input");
  const m = e!.ram;
  const cap = Math.min(e!.workingSet ?? m, m);
  const d = e!.dirtyRate;
  return estimateWith(m, e!.bandwidth, (t) => Math.min(d * t, cap), e!.downtimeLimit, e!.maxRounds);
}

const estimateSchema = z.strictObject({
  ram: bytesSchema({ allowZero: false }),
  bandwidth: rateSchema({ allowZero: false }),
  dirtyRate: rateSchema(),
  workingSet: bytesSchema().optional(),
  downtimeLimit: durationSchema({ allowZero: false }).default(QEMU_DEFAULTS.downtimeLimit),
  maxRounds: z.int().min(1).max(MAX_ROUNDS_LIMIT).default(LIMIT_DEFAULTS.maxRounds),
});
