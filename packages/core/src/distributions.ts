/**
 * Reusable samplers for discrete distributions (Zipf, weighted choice) and parameter helpers.
 *
 * A sampler precomputes its constants once and then draws from any {@link RandomStream}, so a
 * workload generator that draws millions of keys pays the set-up cost once.
 *
 * @module
 */

import type { VxPath } from "./errors.js";
import { VxError } from "./errors.js";
import type { RandomStream } from "./random.js";

/** Error code of every bad distribution parameter. */
const BAD = "VX_CORE_BAD_DISTRIBUTION";

/**
 * Builds the error for a bad distribution parameter (kept out of line so draws stay small).
 *
 * @internal
 */
export function badDistribution(message: string, path: VxPath): VxError {
  return new VxError(BAD, message, { path });
}

/** True for a finite number (false for NaN and ±Infinity), in one comparison. */
function isFiniteNumber(x: number): boolean {
  return x - x === 0;
}

/**
 * Checks `weights` (each finite and ≥ 0, at least one > 0) and returns their sum.
 *
 * @internal
 */
export function checkedWeightSum(weights: ArrayLike<number>, path: VxPath): number {
  const n = weights.length;
  if (n === 0) throw badDistribution("weights must hold at least one weight.", path);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    if (!(w >= 0 && w < Infinity)) {
      throw badDistribution(`each weight must be a finite number >= 0; got ${w}.`, [...path, i]);
    }
    total += w;
  }
  if (!(total > 0)) {
    throw badDistribution("at least one weight must be > 0; all weights are 0.", path);
  }
  if (!(total < Infinity)) {
    throw badDistribution("the weights sum to Infinity; scale them down.", path);
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Zipf
// ---------------------------------------------------------------------------------------------

/**
 * A Zipf sampler with its constants precomputed: draws an integer `k` in `1..n` with
 * `P(k) ∝ k^-s`.
 *
 * Create one with {@link zipfSampler}.
 */
export interface ZipfSampler {
  /** Number of elements: draws are in `1..n`. */
  readonly n: number;
  /** Exponent `s > 0` (`s = 1` is the classic Zipf law). */
  readonly s: number;
  /**
   * Draws one value.
   *
   * @param rng - the stream to draw from.
   * @returns an integer in `1..n`.
   */
  sample(rng: RandomStream): number;
}

/**
 * `log1p(x) / x`, accurate near 0 (helper of the hat-function inverse).
 *
 * Source: Apache Commons RNG `RejectionInversionZipfSampler.helper1`.
 */
function helper1(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/**
 * `expm1(x) / x`, accurate near 0 (helper of the hat-function integral).
 *
 * Source: Apache Commons RNG `RejectionInversionZipfSampler.helper2`.
 */
function helper2(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/**
 * Zipf by rejection-inversion (Hörmann & Derflinger 1996, algorithm ZRI), with the integral
 * `H(x) = (x^(1-s) - 1) / (1-s)` of the hat `h(x) = x^-s`, which has a limit (`log x`) at
 * `s = 1`, so every `s > 0` works. Expected draws per sample are bounded for all `n`.
 * Layout follows Apache Commons RNG's `RejectionInversionZipfSampler`.
 */
class RejectionInversionZipf implements ZipfSampler {
  readonly n: number;
  readonly s: number;
  /** `H(1.5) - 1`: lower end of the uniform range. */
  private readonly hX1: number;
  /** `H(n + 0.5)`: upper end of the uniform range. */
  private readonly hN: number;
  /** Squeeze: `k - x <= squeeze` accepts without evaluating `H`. */
  private readonly squeeze: number;

  constructor(n: number, s: number) {
    this.n = n;
    this.s = s;
    this.hX1 = this.hIntegral(1.5) - 1;
    this.hN = this.hIntegral(n + 0.5);
    this.squeeze = 2 - this.hIntegralInverse(this.hIntegral(2.5) - this.h(2));
  }

  /** `H(x) = (x^(1-s) - 1) / (1-s)`, or `log x` at `s = 1`. */
  private hIntegral(x: number): number {
    const logX = Math.log(x);
    return helper2((1 - this.s) * logX) * logX;
  }

  /** The hat `h(x) = x^-s`. */
  private h(x: number): number {
    return Math.exp(-this.s * Math.log(x));
  }

  /** Inverse of `hIntegral`. */
  private hIntegralInverse(x: number): number {
    let t = x * (1 - this.s);
    if (t < -1) t = -1; // numerical guard: t >= -1 holds in exact arithmetic
    return Math.exp(helper1(t) * x);
  }

  sample(rng: RandomStream): number {
    const n = this.n;
    const hN = this.hN;
    const span = this.hX1 - hN;
    for (;;) {
      // u is uniform in (hX1, hN].
      const u = hN + rng.next() * span;
      const x = this.hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= this.squeeze || u >= this.hIntegral(k + 0.5) - this.h(k)) return k;
    }
  }
}

/**
 * Creates a Zipf sampler: integers `k` in `1..n` with `P(k) ∝ k^-s`, O(1) per draw for any `n`.
 *
 * Use it for popularity skew (hot keys, hot VM images, hot tenants). The constants are computed
 * once here; keep the sampler and call `sample(rng)` for each draw. For a one-off draw,
 * {@link RandomStream.zipf} caches the last sampler for you.
 *
 * Algorithm: rejection-inversion, W. Hörmann and G. Derflinger, "Rejection-inversion to generate
 * variates from monotone discrete distributions", ACM TOMACS 6(3):169–184, 1996; with the
 * `s = 1`-safe hat integral of Apache Commons RNG's `RejectionInversionZipfSampler`.
 *
 * @param n - number of elements, a safe integer ≥ 1.
 * @param s - exponent, a finite number > 0 (`1` is the classic Zipf law).
 * @returns a reusable sampler.
 * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["n"]` or `["s"]`) for a bad parameter.
 * @example
 * ```ts
 * const keys = zipfSampler(1_000_000, 1.1);
 * const rng = createRandom(42).stream("workload");
 * const key = keys.sample(rng); // 1 is the most popular key
 * ```
 */
export function zipfSampler(n: number, s: number): ZipfSampler {
  if (!(Number.isSafeInteger(n) && n >= 1)) {
    throw badDistribution(`n must be an integer >= 1 (the number of elements); got ${n}.`, ["n"]);
  }
  if (!(s > 0 && s < Infinity)) {
    throw badDistribution(`s must be a finite number > 0 (the Zipf exponent); got ${s}.`, ["s"]);
  }
  return new RejectionInversionZipf(n, s);
}

// ---------------------------------------------------------------------------------------------
// Weighted choice: Walker/Vose alias method
// ---------------------------------------------------------------------------------------------

/**
 * An alias-method sampler: draws an index `i` in `0..size-1` with probability
 * `weights[i] / sum(weights)` in O(1).
 *
 * Create one with {@link weightedSampler}.
 */
export interface WeightedSampler {
  /** Number of weights (draws are in `0..size-1`). */
  readonly size: number;
  /**
   * Draws one index.
   *
   * @param rng - the stream to draw from.
   * @returns an index in `0..size-1`; indices of zero weight are never drawn.
   */
  sample(rng: RandomStream): number;
}

class AliasSampler implements WeightedSampler {
  readonly size: number;
  /** Probability of keeping column `i` rather than taking its alias. */
  private readonly prob: Float64Array;
  /** Alias of column `i`. */
  private readonly alias: Int32Array;

  constructor(size: number, prob: Float64Array, alias: Int32Array) {
    this.size = size;
    this.prob = prob;
    this.alias = alias;
  }

  sample(rng: RandomStream): number {
    // One 53-bit uniform gives both the column (high part) and the coin (fraction).
    // u*n < n always: u <= 1 - 2^-53 and n < 2^53, so the product cannot round up to n.
    const x = rng.next() * this.size;
    const i = Math.floor(x);
    return x - i < (this.prob[i] as number) ? i : (this.alias[i] as number);
  }
}

/**
 * Creates a sampler of indices `0..weights.length-1` weighted by `weights`, O(1) per draw.
 *
 * Use it when drawing many times from the same weights (placement by capacity, a workload mix);
 * for a single draw, {@link RandomStream.choice} with weights scans once and allocates nothing.
 * The weights need not sum to 1. Set-up is O(n) and copies what it needs, so later changes to
 * `weights` do not affect the sampler.
 *
 * Algorithm: Walker's alias method in the numerically stable O(n) form of M. D. Vose,
 * "A linear algorithm for generating random numbers with a given distribution",
 * IEEE Transactions on Software Engineering 17(9):972–975, 1991.
 *
 * @param weights - finite numbers ≥ 0, at least one > 0.
 * @returns a reusable sampler.
 * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` with path `["weights"]` (empty, all zero) or
 * `["weights", i]` (negative, NaN or infinite weight).
 * @example
 * ```ts
 * const mix = weightedSampler([70, 20, 10]); // read, write, delete
 * const op = mix.sample(createRandom(1).stream("ops")); // 0 with probability 0.7
 * ```
 */
export function weightedSampler(weights: ArrayLike<number>): WeightedSampler {
  const total = checkedWeightSum(weights, ["weights"]);
  const n = weights.length;
  const scaled = new Float64Array(n);
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  let positive = 0; // some index of positive weight, for rounding leftovers of zero weight
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    if (w > 0) positive = i;
    const p = (w * n) / total;
    scaled[i] = p;
    if (p < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const l = small[--ns] as number;
    const g = large[--nl] as number;
    const pl = scaled[l] as number;
    prob[l] = pl;
    alias[l] = g;
    const pg = (scaled[g] as number) + pl - 1; // Vose's stable update
    scaled[g] = pg;
    if (pg < 1) small[ns++] = g;
    else large[nl++] = g;
  }
  while (nl > 0) {
    const g = large[--nl] as number;
    prob[g] = 1;
    alias[g] = g;
  }
  // Leftovers come only from rounding: their scaled weight is 1 up to rounding.
  while (ns > 0) {
    const l = small[--ns] as number;
    if ((weights[l] as number) > 0) {
      prob[l] = 1;
      alias[l] = l;
    } else {
      prob[l] = 0;
      alias[l] = positive;
    }
  }
  return new AliasSampler(n, prob, alias);
}

// ---------------------------------------------------------------------------------------------
// Log-normal parameters
// ---------------------------------------------------------------------------------------------

/** Parameters `mu`, `sigma` of the normal distribution underlying a log-normal. */
export interface LogNormalParams {
  /** Mean of `ln X`. */
  readonly mu: number;
  /** Standard deviation of `ln X` (≥ 0). */
  readonly sigma: number;
}

/**
 * Converts a desired mean and standard deviation of a log-normal variable into the
 * `(mu, sigma)` of its underlying normal, for {@link RandomStream.logNormal}.
 *
 * Use it when you know the real-world mean and spread (e.g. "VM lifetimes average 4 h with
 * standard deviation 6 h") rather than the parameters of `ln X`.
 * Formulas: `sigma² = ln(1 + sd²/mean²)`, `mu = ln(mean) − sigma²/2`
 * (moments of the log-normal distribution, e.g. Johnson, Kotz & Balakrishnan,
 * "Continuous Univariate Distributions", vol. 1, ch. 14).
 *
 * @param mean - desired mean, a finite number > 0.
 * @param sd - desired standard deviation, a finite number ≥ 0.
 * @returns `{ mu, sigma }` such that `exp(N(mu, sigma²))` has that mean and standard deviation.
 * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` with path `["mean"]` or `["sd"]`.
 * @example
 * ```ts
 * const { mu, sigma } = logNormalParams(4, 6);
 * const hours = createRandom(7).stream("lifetimes").logNormal(mu, sigma); // mean 4, sd 6
 * ```
 */
export function logNormalParams(mean: number, sd: number): LogNormalParams {
  if (!(mean > 0 && mean < Infinity)) {
    throw badDistribution(`mean must be a finite number > 0; got ${mean}.`, ["mean"]);
  }
  if (!(sd >= 0 && isFiniteNumber(sd))) {
    throw badDistribution(`sd must be a finite number >= 0; got ${sd}.`, ["sd"]);
  }
  const cv = sd / mean;
  const sigma2 = Math.log1p(cv * cv);
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}
