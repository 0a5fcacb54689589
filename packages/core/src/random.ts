/**
 * Seeded, named random streams: every component of a simulation draws from its own stream, whose
 * state depends only on the run's seed and the stream's path, so adding a component or drawing
 * more in one place never shifts the draws of another.
 *
 * Generator: xoroshiro128+ (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4), 2021) from `pure-rand`, seeded with a full 128-bit state.
 *
 * Determinism across machines: stream derivation and the generator use only 32-bit integer
 * operations (`Math.imul`, `>>>`, `^`, `|0`), and uniform floats are built with exact IEEE-754
 * arithmetic, so `next()`, `int()` and the alias sampler give the same values everywhere.
 * Distributions that need `Math.log`, `Math.log1p`, `Math.exp`, `Math.expm1` or `Math.sqrt`
 * (normal, exponential, log-normal, Pareto, Zipf) are also identical on every machine running the
 * same Node.js major: `Math.sqrt` is correctly rounded by IEEE-754, and V8 implements the others
 * with its own platform-independent software port of fdlibm (`src/base/ieee754.cc`) rather than
 * the C library, so results do not depend on the OS or CPU.
 *
 * @module
 */

import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import {
  badDistribution,
  checkedWeightSum,
  type ZipfSampler,
  zipfSampler,
} from "./distributions.js";
import { VxError } from "./errors.js";

/** 2^-53: scales a 53-bit integer into [0, 1). */
const TWO_POW_MINUS_53 = 1.1102230246251565e-16;
/** 2^26. */
const TWO_POW_26 = 67108864;
/** 2^32. */
const TWO_POW_32 = 4294967296;
/** 2^-32. */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
/** 2^53. */
const TWO_POW_53 = 9007199254740992;
/** Largest range size for which `uint32 * range` is exact in a double (2^21). */
const SMALL_RANGE = 2097152;

/**
 * A seeded stream of random numbers, with the distributions a simulator needs.
 *
 * Get the root with {@link createRandom} and one named child per component with
 * {@link RandomStream.stream}. A stream is a mutable cursor: each draw advances it. Draws never
 * allocate. Every distribution method checks its parameters and throws a {@link VxError} with
 * code `VX_CORE_BAD_DISTRIBUTION` and the name of the bad argument as path.
 *
 * @example
 * ```ts
 * const root = createRandom(42);
 * const arrivals = root.stream("arrivals");
 * const gap = arrivals.exponential(10); // mean 0.1
 * const die = root.stream("dice").int(1, 6);
 * ```
 */
export interface RandomStream {
  /** The root seed of the run this stream belongs to. */
  readonly seed: number | string;
  /** The full path of names from the root, joined with `/` (`""` for the root), e.g. `"net/link-3"`. */
  readonly path: string;
  /** The last name of {@link RandomStream.path} (`""` for the root). */
  readonly name: string;

  /**
   * Returns a child stream whose state is derived only from the root seed and the child's path.
   *
   * Creating or drawing from one stream never changes another's draws, and a child created after
   * draws equals one created before. Calling `stream` twice with the same name gives two
   * independent cursors that produce the same draws, so create each stream once and keep it.
   * A name may hold `/`: `s.stream("net/link-3")` is the same stream as
   * `s.stream("net").stream("link-3")`.
   *
   * @param name - non-empty; `/`-separated parts must be non-empty.
   * @returns the child stream at path `this.path + "/" + name`.
   * @throws {@link VxError} `VX_CORE_BAD_STREAM_NAME` (path `["name"]`) for an empty name or part.
   * @example
   * ```ts
   * const link3 = createRandom(42).stream("net").stream("link-3");
   * link3.path; // "net/link-3"
   * ```
   */
  stream(name: string): RandomStream;

  /**
   * Returns a float uniform in [0, 1) with 53 random bits.
   *
   * Built from the high 27 and 26 bits of two generator outputs (the low bits of xoroshiro128+
   * are weak): `((a >>> 5) * 2^26 + (b >>> 6)) / 2^53`.
   *
   * @returns a number `u` with `0 <= u < 1`, a multiple of 2^-53.
   * @example
   * ```ts
   * createRandom(42).next(); // always the same value for seed 42
   * ```
   */
  next(): number;

  /**
   * Returns the generator's next raw 32-bit output as an unsigned integer.
   *
   * For hashing or bit tricks; its lowest bits are weak (xoroshiro128+), so prefer
   * {@link RandomStream.int} for ranges.
   *
   * @returns an integer in `0..2^32-1`.
   * @example
   * ```ts
   * const salt = createRandom(42).nextUint32();
   * ```
   */
  nextUint32(): number;

  /**
   * Returns an integer uniform in `[min, max]` (both inclusive), without modulo bias.
   *
   * Method: Lemire's nearly divisionless rejection for ranges up to 2^21 (D. Lemire, "Fast random
   * integer generation in an interval", ACM TOMACS 29(1), 2019), rejection on 53 bits beyond.
   *
   * @param min - lowest value, a safe integer.
   * @param max - highest value, a safe integer ≥ `min`.
   * @returns an integer in `[min, max]`.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["min"]` or `["max"]`).
   * @example
   * ```ts
   * const die = createRandom(42).int(1, 6);
   * ```
   */
  int(min: number, max: number): number;

  /**
   * Returns a float uniform in `[min, max)` (`min` when `min === max`).
   *
   * @param min - lower bound, finite.
   * @param max - upper bound, finite, ≥ `min`, with `max - min` finite.
   * @returns `min + (max - min) * u`.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["min"]` or `["max"]`).
   * @example
   * ```ts
   * const jitterMs = createRandom(42).uniform(-5, 5);
   * ```
   */
  uniform(min: number, max: number): number;

  /**
   * Returns an exponential variate with the given rate (mean `1 / rate`), by inversion:
   * `-ln(1 - u) / rate` (L. Devroye, "Non-Uniform Random Variate Generation", 1986, §II.2).
   *
   * Use for inter-arrival times of a Poisson process and memoryless lifetimes.
   *
   * @param rate - events per unit of time, a finite number > 0.
   * @returns a number ≥ 0.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["rate"]`).
   * @example
   * ```ts
   * const gapSeconds = createRandom(42).stream("arrivals").exponential(100); // 100 per second
   * ```
   */
  exponential(rate: number): number;

  /**
   * Returns a normal (Gaussian) variate by Marsaglia's polar method (G. Marsaglia and T. A. Bray,
   * "A convenient method for generating normal variables", SIAM Review 6(3), 1964).
   *
   * Each round makes two standard deviates; the second is kept in the stream and returned by the
   * next call (whatever its `mean` and `sd`), so the sequence stays deterministic.
   *
   * @param mean - the mean, finite; default 0.
   * @param sd - the standard deviation, a finite number ≥ 0; default 1.
   * @returns `mean + sd * z` with `z` standard normal.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["mean"]` or `["sd"]`).
   * @example
   * ```ts
   * const latencyMs = createRandom(42).normal(20, 3);
   * ```
   */
  normal(mean?: number, sd?: number): number;

  /**
   * Returns a log-normal variate `exp(mu + sigma * z)`, `z` standard normal.
   *
   * `mu` and `sigma` are the mean and standard deviation of `ln X`, not of `X`; to get them from a
   * desired mean and standard deviation of `X` use {@link logNormalParams}.
   *
   * @param mu - mean of `ln X`, finite.
   * @param sigma - standard deviation of `ln X`, a finite number ≥ 0.
   * @returns a number > 0.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["mu"]` or `["sigma"]`).
   * @example
   * ```ts
   * const { mu, sigma } = logNormalParams(4, 6);
   * const hours = createRandom(42).logNormal(mu, sigma);
   * ```
   */
  logNormal(mu: number, sigma: number): number;

  /**
   * Returns a Pareto (type I) variate by inversion: `scale * (1 - u)^(-1 / shape)`.
   *
   * `P(X > x) = (scale / x)^shape` for `x ≥ scale`; the mean is `shape * scale / (shape - 1)` when
   * `shape > 1`. Use for heavy-tailed sizes (flows, files, jobs).
   *
   * @param scale - the minimum value `xm`, a finite number > 0.
   * @param shape - the tail index `alpha`, a finite number > 0.
   * @returns a number ≥ `scale`.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["scale"]` or `["shape"]`).
   * @example
   * ```ts
   * const flowBytes = createRandom(42).pareto(1000, 1.2);
   * ```
   */
  pareto(scale: number, shape: number): number;

  /**
   * Returns `true` with probability `p`.
   *
   * @param p - a probability in `[0, 1]`.
   * @returns whether the event happened.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["p"]`).
   * @example
   * ```ts
   * const dropped = createRandom(42).stream("loss").bernoulli(0.01);
   * ```
   */
  bernoulli(p: number): boolean;

  /**
   * Returns an integer `k` in `1..n` with `P(k) ∝ k^-s`, O(1) per draw for any `n`.
   *
   * The stream keeps the sampler of the last `(n, s)`, so repeated calls with the same parameters
   * compute the constants once; when alternating parameters, hold one {@link zipfSampler} each.
   * Algorithm: rejection-inversion (Hörmann & Derflinger, ACM TOMACS 6(3), 1996).
   *
   * @param n - number of elements, a safe integer ≥ 1.
   * @param s - exponent, a finite number > 0.
   * @returns an integer in `1..n`.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["n"]` or `["s"]`).
   * @example
   * ```ts
   * const hotKey = createRandom(42).zipf(1_000_000, 1);
   * ```
   */
  zipf(n: number, s: number): number;

  /**
   * Returns one of `items`: uniformly, or with probability `weights[i] / sum(weights)`.
   *
   * One linear scan, no allocation; for many draws from the same weights use
   * {@link weightedSampler}.
   *
   * @param items - at least one item.
   * @param weights - optional, same length as `items`, finite numbers ≥ 0, at least one > 0.
   * @returns an item; items of zero weight are never returned.
   * @throws {@link VxError} `VX_CORE_BAD_DISTRIBUTION` (path `["items"]`, `["weights"]` or
   * `["weights", i]`).
   * @example
   * ```ts
   * const zone = createRandom(42).choice(["a", "b", "c"], [5, 3, 2]);
   * ```
   */
  choice<T>(items: readonly T[], weights?: readonly number[]): T;

  /**
   * Shuffles `array` in place, every permutation equally likely (Fisher–Yates, in Durstenfeld's
   * form: R. Durstenfeld, "Algorithm 235: Random permutation", CACM 7(7), 1964).
   *
   * @param array - the array to permute.
   * @returns the same array, shuffled.
   * @example
   * ```ts
   * const order = createRandom(42).shuffle([1, 2, 3, 4]);
   * ```
   */
  shuffle<T>(array: T[]): T[];
}

// ---------------------------------------------------------------------------------------------
// Stream derivation: (seed, path) -> 128-bit state
// ---------------------------------------------------------------------------------------------

/**
 * The 32-bit finalizer of MurmurHash3 (A. Appleby, "SMHasher/MurmurHash3", 2011): a bijection
 * on 32-bit words with full avalanche.
 *
 * @internal
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The four lane salts: the first 128 bits of the fractional part of π (0x243F6A88 85A308D3
 * 13198A2E 03707344), a "nothing up my sleeve" choice.
 */
const SALTS: readonly number[] = [0x243f6a88, 0x85a308d3 | 0, 0x13198a2e, 0x03707344];

/** Golden-ratio odd multiplier 0x9E3779B1 (Knuth's multiplicative hashing constant). */
const GOLDEN = 0x9e3779b1 | 0;

/** Kind tags of the seed encoding. */
const KIND_NUMBER = 1;
const KIND_STRING = 2;

/** Encodes a seed as 32-bit words, prefix-free: `[1, lo, hi]` or `[2, length, ...code units]`. */
function seedWords(seed: number | string): number[] {
  if (typeof seed === "number") {
    // Two's-complement 64-bit halves of a safe integer; both exact.
    return [KIND_NUMBER, seed >>> 0, Math.floor(seed * TWO_POW_MINUS_32) | 0];
  }
  const words = [KIND_STRING, seed.length];
  for (let i = 0; i < seed.length; i++) words.push(seed.charCodeAt(i));
  return words;
}

/**
 * Hashes `words ++ [path.length, ...path code units]` to 128 bits with four lanes.
 *
 * Each lane `i` starts at `SALTS[i]` and absorbs each word `w` as
 * `h = fmix32(imul(h ^ w, 0x9E3779B1) + SALTS[i])`. Every step is a bijection of `h`, so a lane is
 * injective on encodings of equal length; the encoding is prefix-free; the salts make the lanes
 * differ. An all-zero result (probability 2^-128) is replaced, since xoroshiro128+ would only
 * ever output 0 from it.
 */
function hashState(words: readonly number[], path: string): [number, number, number, number] {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let lane = 0; lane < 4; lane++) {
    const salt = SALTS[lane] as number;
    let h = salt;
    for (let i = 0; i < words.length; i++) {
      h = fmix32((Math.imul(h ^ (words[i] as number), GOLDEN) + salt) | 0);
    }
    h = fmix32((Math.imul(h ^ path.length, GOLDEN) + salt) | 0);
    for (let i = 0; i < path.length; i++) {
      h = fmix32((Math.imul(h ^ path.charCodeAt(i), GOLDEN) + salt) | 0);
    }
    out[lane] = h;
  }
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = GOLDEN;
  return out;
}

/**
 * The 128-bit xoroshiro128+ state (four int32 words, in `pure-rand`'s
 * `xoroshiro128plusFromState` order) of the stream at `path` of a run seeded with `seed`.
 *
 * @internal
 */
export function deriveStreamState(
  seed: number | string,
  path: string,
): [number, number, number, number] {
  checkSeed(seed);
  return hashState(seedWords(seed), path);
}

function checkSeed(seed: number | string): void {
  if (typeof seed === "string") return;
  if (!Number.isSafeInteger(seed)) {
    throw new VxError(
      "VX_CORE_BAD_SEED",
      `seed must be a safe integer (|seed| <= 2^53 - 1) or a string; got ${String(seed)}.`,
      { path: ["seed"] },
    );
  }
}

function checkName(name: string): void {
  if (
    typeof name !== "string" ||
    name.length === 0 ||
    name.charCodeAt(0) === 47 ||
    name.charCodeAt(name.length - 1) === 47 ||
    name.includes("//")
  ) {
    throw new VxError(
      "VX_CORE_BAD_STREAM_NAME",
      `a stream name must be a non-empty string whose "/"-separated parts are non-empty; got ${JSON.stringify(name)}.`,
      { path: ["name"] },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Cold validation errors (out of line so the draw methods stay small and inlinable)
// ---------------------------------------------------------------------------------------------

function isFiniteNumber(x: number): boolean {
  return x - x === 0;
}

function badInt(min: number, max: number): never {
  if (!Number.isSafeInteger(min)) {
    throw badDistribution(`min must be a safe integer; got ${min}.`, ["min"]);
  }
  if (!Number.isSafeInteger(max)) {
    throw badDistribution(`max must be a safe integer; got ${max}.`, ["max"]);
  }
  throw badDistribution(`max must be >= min; got min ${min}, max ${max}.`, ["max"]);
}

function badUniform(min: number, max: number): never {
  if (!isFiniteNumber(min)) throw badDistribution(`min must be finite; got ${min}.`, ["min"]);
  if (!isFiniteNumber(max)) throw badDistribution(`max must be finite; got ${max}.`, ["max"]);
  if (min > max) {
    throw badDistribution(`max must be >= min; got min ${min}, max ${max}.`, ["max"]);
  }
  throw badDistribution(`max - min overflows to Infinity; use a narrower range.`, ["max"]);
}

function badPositive(name: string, what: string, value: number): never {
  throw badDistribution(`${name} must be a finite number > 0 (${what}); got ${value}.`, [name]);
}

function badLocationScale(locName: string, loc: number, scaleName: string, scale: number): never {
  if (!isFiniteNumber(loc)) {
    throw badDistribution(`${locName} must be a finite number; got ${loc}.`, [locName]);
  }
  throw badDistribution(`${scaleName} must be a finite number >= 0; got ${scale}.`, [scaleName]);
}

// ---------------------------------------------------------------------------------------------
// The stream
// ---------------------------------------------------------------------------------------------

type Generator = ReturnType<typeof xoroshiro128plusFromState>;

class Stream implements RandomStream {
  readonly seed: number | string;
  readonly path: string;
  readonly name: string;
  /** Encoded root seed, shared by all streams of the run. */
  private readonly seedWords: readonly number[];
  private readonly g: Generator;
  private spare: number = 0;
  private hasSpare: boolean = false;
  private zipfCache: ZipfSampler | undefined = undefined;

  constructor(seed: number | string, words: readonly number[], path: string) {
    this.seed = seed;
    this.seedWords = words;
    this.path = path;
    this.name = path.slice(path.lastIndexOf("/") + 1);
    this.g = xoroshiro128plusFromState(hashState(words, path));
  }

  stream(name: string): RandomStream {
    checkName(name);
    return new Stream(
      this.seed,
      this.seedWords,
      this.path.length === 0 ? name : `${this.path}/${name}`,
    );
  }

  /** A 53-bit integer from the high bits of two outputs. */
  private bits53(): number {
    const g = this.g;
    const a = g.next() >>> 5;
    const b = g.next() >>> 6;
    return a * TWO_POW_26 + b;
  }

  next(): number {
    return this.bits53() * TWO_POW_MINUS_53;
  }

  nextUint32(): number {
    return this.g.next() >>> 0;
  }

  /** Uniform integer in `[0, r)` for an integer `1 <= r <= 2^53`. */
  private below(r: number): number {
    if (r <= SMALL_RANGE) {
      // Lemire (2019): m = x * r < 2^53 is exact; the result is the high 32 bits of m.
      const g = this.g;
      let m = (g.next() >>> 0) * r;
      let hi = Math.floor(m * TWO_POW_MINUS_32);
      let lo = m - hi * TWO_POW_32;
      if (lo < r) {
        const t = (TWO_POW_32 - r) % r; // 2^32 mod r
        while (lo < t) {
          m = (g.next() >>> 0) * r;
          hi = Math.floor(m * TWO_POW_MINUS_32);
          lo = m - hi * TWO_POW_32;
        }
      }
      return hi;
    }
    // Rejection to the largest multiple of r not above 2^53, then reduce.
    const limit = TWO_POW_53 - (TWO_POW_53 % r);
    let k = this.bits53();
    while (k >= limit) k = this.bits53();
    return k % r;
  }

  int(min: number, max: number): number {
    if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max)) badInt(min, max);
    const d = max - min; // exact when < 2^53
    if (d < TWO_POW_53) return min + this.below(d + 1);
    // Range wider than 2^53 (min < 0 < max): draw over [-2^53, 2^53) and reject outside.
    for (;;) {
      const k = this.bits53();
      const v = this.g.next() < 0 ? -k - 1 : k;
      if (v >= min && v <= max) return v;
    }
  }

  uniform(min: number, max: number): number {
    const range = max - min;
    if (!(min <= max && range - range === 0)) badUniform(min, max);
    const x = min + range * this.next();
    // Rounding can reach max when the range is wide relative to max's precision.
    return x < max ? x : min;
  }

  exponential(rate: number): number {
    if (!(rate > 0 && rate < Infinity)) badPositive("rate", "events per unit; mean 1/rate", rate);
    return -Math.log(1 - this.next()) / rate;
  }

  /** A standard normal deviate (polar method, spare cached). */
  private standardNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let x: number;
    let y: number;
    let s: number;
    do {
      x = 2 * this.next() - 1;
      y = 2 * this.next() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = y * f;
    this.hasSpare = true;
    return x * f;
  }

  normal(mean = 0, sd = 1): number {
    if (!(sd >= 0 && sd < Infinity && mean - mean === 0)) badLocationScale("mean", mean, "sd", sd);
    return mean + sd * this.standardNormal();
  }

  logNormal(mu: number, sigma: number): number {
    if (!(sigma >= 0 && sigma < Infinity && mu - mu === 0)) {
      badLocationScale("mu", mu, "sigma", sigma);
    }
    return Math.exp(mu + sigma * this.standardNormal());
  }

  pareto(scale: number, shape: number): number {
    if (!(scale > 0 && scale < Infinity)) badPositive("scale", "the minimum value xm", scale);
    if (!(shape > 0 && shape < Infinity)) badPositive("shape", "the tail index alpha", shape);
    return scale * Math.exp(-Math.log(1 - this.next()) / shape);
  }

  bernoulli(p: number): boolean {
    if (!(p >= 0 && p <= 1)) {
      throw badDistribution(`p must be a probability in [0, 1]; got ${p}.`, ["p"]);
    }
    return this.next() < p;
  }

  zipf(n: number, s: number): number {
    let z = this.zipfCache;
    if (z === undefined || z.n !== n || z.s !== s) {
      z = zipfSampler(n, s);
      this.zipfCache = z;
    }
    return z.sample(this);
  }

  choice<T>(items: readonly T[], weights?: readonly number[]): T {
    const n = items.length;
    if (n === 0) throw badDistribution("items must hold at least one item.", ["items"]);
    if (weights === undefined) return items[this.below(n)] as T;
    if (weights.length !== n) {
      throw badDistribution(
        `weights must have one weight per item (${n}); got ${weights.length}.`,
        ["weights"],
      );
    }
    const total = checkedWeightSum(weights, ["weights"]);
    const target = this.next() * total;
    let acc = 0;
    let last = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i] as number;
      if (w > 0) {
        acc += w;
        last = i;
        if (target < acc) return items[i] as T;
      }
    }
    return items[last] as T; // rounding: target >= the running sum of all weights
  }

  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = array[i] as T;
      array[i] = array[j] as T;
      array[j] = t;
    }
    return array;
  }
}

/**
 * Creates the root random stream of a run.
 *
 * Give every component its own child via {@link RandomStream.stream} (e.g. `"net/link-3"`):
 * a child's draws depend only on the seed and its path, so results are reproducible and adding
 * or removing components does not change the others. The seed is hashed (with its type: `42` and
 * `"42"` are different seeds) together with the path to a 128-bit xoroshiro128+ state; see the
 * module documentation for cross-machine determinism.
 *
 * @param seed - a safe integer (all 53 bits and the sign are used) or any string.
 * @returns the root stream (path `""`).
 * @throws {@link VxError} `VX_CORE_BAD_SEED` (path `["seed"]`) for a non-integer or unsafe number.
 * @example
 * ```ts
 * const rng = createRandom(42);
 * const failures = rng.stream("failures");
 * if (failures.bernoulli(0.001)) {
 *   // fail a disk
 * }
 * ```
 */
export function createRandom(seed: number | string): RandomStream {
  if (typeof seed !== "string" && typeof seed !== "number") {
    throw new VxError("VX_CORE_BAD_SEED", "seed must be a safe integer or a string.", {
      path: ["seed"],
    });
  }
  checkSeed(seed);
  return new Stream(seed, seedWords(seed), "");
}
