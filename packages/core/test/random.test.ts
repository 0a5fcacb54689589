import fc from "fast-check";
import { xoroshiro128plusFromState } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { logNormalParams, weightedSampler, zipfSampler } from "../src/distributions.js";
import type { RandomStream } from "../src/random.js";
import { createRandom, deriveStreamState, fmix32 } from "../src/random.js";

const N = 100_000;

function draws<T>(count: number, draw: () => T): T[] {
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(draw());
  return out;
}

/** Central fourth moment from raw moments E[X], E[X^2], E[X^3], E[X^4]. */
function centralFourth(m1: number, m2: number, m3: number, m4: number): number {
  return m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 ** 4;
}

/**
 * Checks the sample mean and variance of N draws against the exact values, each within 5 standard
 * errors: SE(mean) = sqrt(var / N), SE(variance) = sqrt((mu4 - var^2) / N).
 */
function expectMoments(draw: () => number, mean: number, variance: number, mu4: number): void {
  let sum = 0;
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const x = draw();
    xs[i] = x;
    sum += x;
  }
  const m = sum / N;
  let ss = 0;
  for (let i = 0; i < N; i++) ss += ((xs[i] as number) - m) ** 2;
  const v = ss / (N - 1);
  expect(Math.abs(m - mean)).toBeLessThanOrEqual(5 * Math.sqrt(variance / N));
  expect(Math.abs(v - variance)).toBeLessThanOrEqual(5 * Math.sqrt((mu4 - variance ** 2) / N));
}

/** Pearson chi-square statistic of observed counts vs expected probabilities. */
function chiSquare(counts: ArrayLike<number>, probs: ArrayLike<number>, total: number): number {
  let chi = 0;
  for (let i = 0; i < counts.length; i++) {
    const e = (probs[i] as number) * total;
    chi += ((counts[i] as number) - e) ** 2 / e;
  }
  return chi;
}

/** 99.99 % quantiles of the chi-square distribution, by degrees of freedom. */
const CHI2_9999: Record<number, number> = { 2: 18.42, 4: 23.51, 5: 25.74, 9: 33.72 };

describe("stream derivation", () => {
  it("uses the MurmurHash3 fmix32 finalizer (murmur3_32 of the empty input with seed 1 is 0x514E28B7)", () => {
    expect(fmix32(1) >>> 0).toBe(0x514e28b7);
    expect(fmix32(0)).toBe(0);
  });

  it("pins the first next() draws of seed 42 (root)", () => {
    const r = createRandom(42);
    expect(draws(5, () => r.next())).toEqual([
      0.09698740202570089, 0.3634253639800308, 0.18465100519116928, 0.3198575303301108,
      0.7749068198541147,
    ]);
  });

  it("pins the first int(1, 6) draws of seed 42 (root)", () => {
    const r = createRandom(42);
    expect(draws(5, () => r.int(1, 6))).toEqual([1, 5, 3, 4, 2]);
  });

  it('pins the first next() draws of seed 42, stream "net"', () => {
    const r = createRandom(42).stream("net");
    expect(draws(5, () => r.next())).toEqual([
      0.7884533128622173, 0.5341098778905419, 0.5850636362211155, 0.5482367636901593,
      0.9291388290360211,
    ]);
  });

  it('pins the first int(1, 6) draws of seed 42, stream "net"', () => {
    const r = createRandom(42).stream("net");
    expect(draws(5, () => r.int(1, 6))).toEqual([5, 2, 4, 2, 4]);
  });

  it("pins the derived 128-bit states", () => {
    expect(deriveStreamState(42, "")).toEqual([-1966202763, -1008605240, -185692409, 1425162963]);
    expect(deriveStreamState(42, "net")).toEqual([-193335619, -399456660, -1499457595, -509129445]);
  });

  it("builds next() from the high 27 and 26 bits of two xoroshiro128+ outputs", () => {
    const g = xoroshiro128plusFromState(deriveStreamState(42, "net/link-3"));
    const r = createRandom(42).stream("net/link-3");
    for (let i = 0; i < 100; i++) {
      const a = g.next() >>> 5;
      const b = g.next() >>> 6;
      expect(r.next()).toBe((a * 67108864 + b) / 9007199254740992);
    }
  });

  it("maps int(1, 6) to the high bits of a 32-bit output (Lemire), not its weak low bits", () => {
    const x = createRandom(42).nextUint32();
    expect(createRandom(42).int(1, 6)).toBe(Math.floor((x * 6) / 2 ** 32) + 1);
  });

  it("gives the same sequence for the same seed and path", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.maxSafeInteger(), fc.string()),
        fc.array(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 3 }),
        (seed, names) => {
          let a: RandomStream = createRandom(seed);
          let b: RandomStream = createRandom(seed);
          for (const name of names) {
            a = a.stream(name);
            b = b.stream(name);
          }
          expect(draws(20, () => a.next())).toEqual(draws(20, () => b.next()));
        },
      ),
    );
  });

  it("gives different sequences for different names", () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.stringMatching(/^[a-z0-9-]{1,8}$/),
        fc.stringMatching(/^[a-z0-9-]{1,8}$/),
        (seed, x, y) => {
          fc.pre(x !== y);
          const root = createRandom(seed);
          const a = root.stream(x);
          const b = root.stream(y);
          expect(draws(4, () => a.nextUint32())).not.toEqual(draws(4, () => b.nextUint32()));
        },
      ),
    );
  });

  it("distinguishes seeds by type, sign and both 32-bit halves", () => {
    const first = (seed: number | string): number => createRandom(seed).nextUint32();
    const values = [first(42), first("42"), first(1), first(1 + 2 ** 32), first(-1), first(0)];
    expect(new Set(values).size).toBe(values.length);
    expect(first(Number.MAX_SAFE_INTEGER)).not.toBe(first(Number.MIN_SAFE_INTEGER));
  });

  it("keeps a stream's draws unchanged by any interleaving of draws and streams elsewhere", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.array(fc.constantFrom("a", "b", "root", "newChild", "normalA"), { maxLength: 60 }),
        (seed, ops) => {
          const root = createRandom(seed);
          const a = root.stream("A");
          const b = root.stream("B");
          const seen: number[] = [];
          for (const op of ops) {
            if (op === "a") a.next();
            else if (op === "normalA") a.normal();
            else if (op === "root") root.int(0, 9);
            else if (op === "newChild") root.stream("C").next();
            else seen.push(b.next());
          }
          const alone = createRandom(seed).stream("B");
          expect(seen).toEqual(draws(seen.length, () => alone.next()));
        },
      ),
    );
  });

  it("gives a child created after draws the same draws as one created before", () => {
    const root = createRandom(7);
    const before = root.stream("disk").stream("3");
    draws(1000, () => root.next());
    const parent = root.stream("disk");
    draws(10, () => parent.next());
    const after = parent.stream("3");
    expect(draws(10, () => after.next())).toEqual(draws(10, () => before.next()));
  });

  it("identifies a stream by its path: stream('a/b') equals stream('a').stream('b')", () => {
    const root = createRandom("run-1");
    const ab = root.stream("a/b");
    const aThenB = root.stream("a").stream("b");
    expect(ab.path).toBe("a/b");
    expect(aThenB.path).toBe("a/b");
    expect(ab.name).toBe("b");
    expect(draws(5, () => ab.next())).toEqual(draws(5, () => aThenB.next()));
    expect(root.path).toBe("");
    expect(root.name).toBe("");
    expect(ab.seed).toBe("run-1");
  });
});

describe("uniform draws", () => {
  it("keeps next() in [0, 1)", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.string({ minLength: 1 }), (seed, name) => {
        fc.pre(!name.startsWith("/") && !name.endsWith("/") && !name.includes("//"));
        const r = createRandom(seed).stream(name);
        let outside = 0;
        for (let i = 0; i < 1000; i++) {
          const u = r.next();
          if (!(u >= 0 && u < 1)) outside++;
        }
        expect(outside).toBe(0);
      }),
    );
  });

  it("gives next() mean 1/2 and variance 1/12", () => {
    const r = createRandom(1).stream("next");
    expectMoments(() => r.next(), 0.5, 1 / 12, 1 / 80);
  });

  it("keeps nextUint32() an unsigned 32-bit integer", () => {
    const r = createRandom(2);
    for (let i = 0; i < 10_000; i++) {
      const x = r.nextUint32();
      expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
    }
  });

  it("draws int(1, 6) uniformly (chi-square over the 6 faces)", () => {
    const r = createRandom(3).stream("dice");
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < N; i++) {
      const k = r.int(1, 6);
      counts[k - 1] = (counts[k - 1] as number) + 1;
    }
    expect(chiSquare(counts, new Array<number>(6).fill(1 / 6), N)).toBeLessThan(
      CHI2_9999[5] as number,
    );
  });

  it("draws int() uniformly over ranges wider than 2^21 (53-bit rejection path)", () => {
    const r = createRandom(4).stream("wide");
    const third = 2 ** 22;
    const counts = [0, 0, 0];
    for (let i = 0; i < N; i++) {
      const v = r.int(0, 3 * third - 1);
      const b = Math.floor(v / third);
      counts[b] = (counts[b] as number) + 1;
    }
    expect(chiSquare(counts, [1 / 3, 1 / 3, 1 / 3], N)).toBeLessThan(CHI2_9999[2] as number);
  });

  it("draws int() over the full safe-integer range, half of it negative", () => {
    const r = createRandom(5).stream("full");
    let negative = 0;
    let unsafe = 0;
    for (let i = 0; i < N; i++) {
      const v = r.int(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      if (!Number.isSafeInteger(v)) unsafe++;
      if (v < 0) negative++;
    }
    expect(unsafe).toBe(0);
    expect(Math.abs(negative / N - 0.5)).toBeLessThanOrEqual(5 * Math.sqrt(0.25 / N));
  });

  it("returns min for int(min, min) and stays in range near the safe-integer limits", () => {
    const r = createRandom(6);
    expect(r.int(5, 5)).toBe(5);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(Number.MAX_SAFE_INTEGER - 3, Number.MAX_SAFE_INTEGER);
      expect(v >= Number.MAX_SAFE_INTEGER - 3 && v <= Number.MAX_SAFE_INTEGER).toBe(true);
      const w = r.int(0, 2 ** 53 - 1);
      expect(Number.isSafeInteger(w) && w >= 0).toBe(true);
    }
  });

  it("gives uniform(-3, 5) mean 1 and variance 64/12", () => {
    const r = createRandom(7).stream("uniform");
    expectMoments(() => r.uniform(-3, 5), 1, 64 / 12, 8 ** 4 / 80);
    expect(r.uniform(2.5, 2.5)).toBe(2.5);
  });
});

describe("continuous distributions", () => {
  it("gives exponential(2) mean 1/2 and variance 1/4", () => {
    const r = createRandom(8).stream("exp");
    // Raw moments of Exp(rate): k! / rate^k.
    const rate = 2;
    expectMoments(
      () => r.exponential(rate),
      1 / rate,
      1 / rate ** 2,
      centralFourth(1 / rate, 2 / rate ** 2, 6 / rate ** 3, 24 / rate ** 4),
    );
  });

  it("gives normal(10, 3) mean 10 and variance 9", () => {
    const r = createRandom(9).stream("normal");
    expectMoments(() => r.normal(10, 3), 10, 9, 3 * 9 ** 2);
  });

  it("gives consecutive normal() draws no correlation (the cached spare is independent)", () => {
    const r = createRandom(24).stream("pairs");
    let sxy = 0;
    let prev = r.normal();
    for (let i = 0; i < N; i++) {
      const z = r.normal();
      sxy += prev * z;
      prev = z;
    }
    // Lag-1 sample correlation of standard normals has standard error about 1/sqrt(N).
    expect(Math.abs(sxy / N)).toBeLessThanOrEqual(5 / Math.sqrt(N));
  });

  it("gives normal() mean 0 and variance 1 by default", () => {
    const r = createRandom(10).stream("std");
    expectMoments(() => r.normal(), 0, 1, 3);
  });

  it("gives logNormal(logNormalParams(10, 5)) mean 10 and standard deviation 5", () => {
    const { mu, sigma } = logNormalParams(10, 5);
    // Raw moments of a log-normal: E[X^k] = exp(k mu + k^2 sigma^2 / 2).
    const raw = (k: number): number => Math.exp(k * mu + (k * k * sigma * sigma) / 2);
    expect(raw(1)).toBeCloseTo(10, 12);
    expect(raw(2) - raw(1) ** 2).toBeCloseTo(25, 10);
    const r = createRandom(11).stream("lognormal");
    expectMoments(
      () => r.logNormal(mu, sigma),
      10,
      25,
      centralFourth(raw(1), raw(2), raw(3), raw(4)),
    );
  });

  it("computes logNormalParams by hand for mean 1, sd 1: sigma^2 = ln 2, mu = -ln(2)/2", () => {
    const { mu, sigma } = logNormalParams(1, 1);
    expect(sigma).toBeCloseTo(Math.sqrt(Math.LN2), 15);
    expect(mu).toBeCloseTo(-Math.LN2 / 2, 15);
    expect(logNormalParams(3, 0)).toEqual({ mu: Math.log(3), sigma: 0 });
  });

  it("gives pareto(2, 10) its mean and variance", () => {
    const r = createRandom(12).stream("pareto");
    const xm = 2;
    const alpha = 10;
    // Raw moments of Pareto(xm, alpha): alpha xm^k / (alpha - k) for alpha > k.
    const raw = (k: number): number => (alpha * xm ** k) / (alpha - k);
    expectMoments(
      () => r.pareto(xm, alpha),
      raw(1),
      raw(2) - raw(1) ** 2,
      centralFourth(raw(1), raw(2), raw(3), raw(4)),
    );
  });

  it("gives heavy-tailed pareto(1, 1.5) draws >= scale with ln(X / xm) ~ Exp(alpha)", () => {
    const r = createRandom(13).stream("heavy");
    const alpha = 1.5;
    let below = 0;
    expectMoments(
      () => {
        const x = r.pareto(1, alpha);
        if (x < 1) below++;
        return Math.log(x);
      },
      1 / alpha,
      1 / alpha ** 2,
      9 / alpha ** 4,
    );
    expect(below).toBe(0);
  });

  it("gives bernoulli(0.3) frequency 0.3; p = 0 never and p = 1 always", () => {
    const r = createRandom(14).stream("coin");
    const p = 0.3;
    const q = 1 - p;
    expectMoments(() => (r.bernoulli(p) ? 1 : 0), p, p * q, p * q * (q ** 3 + p ** 3));
    for (let i = 0; i < 1000; i++) {
      expect(r.bernoulli(0)).toBe(false);
      expect(r.bernoulli(1)).toBe(true);
    }
  });
});

describe("Zipf", () => {
  function zipfPmf(n: number, s: number): number[] {
    let h = 0;
    for (let k = 1; k <= n; k++) h += k ** -s;
    return Array.from({ length: n }, (_, i) => (i + 1) ** -s / h);
  }

  for (const s of [0.5, 1, 1.2, 3]) {
    it(`matches the exact pmf for n = 10, s = ${s} (chi-square)`, () => {
      const r = createRandom(15).stream(`zipf-${s}`);
      const counts = new Array<number>(10).fill(0);
      for (let i = 0; i < N; i++) {
        const k = r.zipf(10, s);
        counts[k - 1] = (counts[k - 1] as number) + 1; // NaN for a k outside 1..10
      }
      expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
      expect(chiSquare(counts, zipfPmf(10, s), N)).toBeLessThan(CHI2_9999[9] as number);
    });
  }

  it("works for n = 1e6: draws in 1..n, P(1) = 1 / H(n, 1)", () => {
    const n = 1_000_000;
    const sampler = zipfSampler(n, 1);
    expect(sampler.n).toBe(n);
    expect(sampler.s).toBe(1);
    const p1 = zipfPmf(n, 1)[0] as number;
    const r = createRandom(16).stream("zipf-big");
    let ones = 0;
    let above = 0;
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const k = sampler.sample(r);
      if (!(Number.isInteger(k) && k >= 1 && k <= n)) outside++;
      if (k === 1) ones++;
      if (k > n / 2) above++;
    }
    expect(Math.abs(ones / N - p1)).toBeLessThanOrEqual(5 * Math.sqrt((p1 * (1 - p1)) / N));
    expect(outside).toBe(0);
    expect(above).toBeGreaterThan(0); // the tail is reached
  });

  it("returns 1 for n = 1", () => {
    const r = createRandom(17);
    for (let i = 0; i < 100; i++) expect(r.zipf(1, 1.5)).toBe(1);
  });

  it("draws the same from stream.zipf as from a zipfSampler on an identical stream", () => {
    const a = createRandom(18).stream("z");
    const b = createRandom(18).stream("z");
    const sampler = zipfSampler(1000, 0.9);
    expect(draws(100, () => a.zipf(1000, 0.9))).toEqual(draws(100, () => sampler.sample(b)));
  });
});

describe("weighted choice", () => {
  const weights = [1, 2, 3, 0, 4, 10];
  const probs = weights.filter((w) => w > 0).map((w) => w / 20);

  function positiveCounts(counts: number[]): number[] {
    return counts.filter((_, i) => (weights[i] as number) > 0);
  }

  it("draws alias-method indices with frequencies proportional to the weights", () => {
    const sampler = weightedSampler(weights);
    expect(sampler.size).toBe(6);
    const r = createRandom(19).stream("alias");
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < N; i++) {
      const k = sampler.sample(r);
      counts[k] = (counts[k] as number) + 1;
    }
    expect(counts[3]).toBe(0);
    expect(chiSquare(positiveCounts(counts), probs, N)).toBeLessThan(CHI2_9999[4] as number);
  });

  it("handles a single weight and many equal weights in the alias method", () => {
    const r = createRandom(20);
    const one = weightedSampler([5]);
    for (let i = 0; i < 100; i++) expect(one.sample(r)).toBe(0);
    const flat = weightedSampler(new Float64Array(1000).fill(1));
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < N; i++) {
      const k = Math.floor(flat.sample(r) / 100);
      counts[k] = (counts[k] as number) + 1;
    }
    expect(chiSquare(counts, new Array<number>(10).fill(0.1), N)).toBeLessThan(
      CHI2_9999[9] as number,
    );
  });

  it("chooses items with frequencies proportional to the weights (linear scan)", () => {
    const items = ["a", "b", "c", "d", "e", "f"];
    const r = createRandom(21).stream("choice");
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < N; i++) {
      const k = items.indexOf(r.choice(items, weights));
      counts[k] = (counts[k] as number) + 1;
    }
    expect(counts[3]).toBe(0);
    expect(chiSquare(positiveCounts(counts), probs, N)).toBeLessThan(CHI2_9999[4] as number);
  });

  it("chooses uniformly without weights", () => {
    const items = ["a", "b", "c", "d", "e", "f"];
    const r = createRandom(22).stream("choice");
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < N; i++) {
      const k = items.indexOf(r.choice(items));
      counts[k] = (counts[k] as number) + 1;
    }
    expect(chiSquare(counts, new Array<number>(6).fill(1 / 6), N)).toBeLessThan(
      CHI2_9999[5] as number,
    );
  });
});

describe("shuffle", () => {
  it("returns the same array holding the same elements", () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer()), (seed, xs) => {
        const copy = [...xs];
        const out = createRandom(seed).shuffle(copy);
        expect(out).toBe(copy);
        expect([...out].sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b));
      }),
    );
  });

  it("makes all 6 permutations of 3 elements equally likely", () => {
    const r = createRandom(23).stream("shuffle");
    const index = new Map<string, number>();
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < N; i++) {
      const key = r.shuffle([1, 2, 3]).join("");
      let k = index.get(key);
      if (k === undefined) {
        k = index.size;
        index.set(key, k);
      }
      counts[k] = (counts[k] as number) + 1;
    }
    expect(index.size).toBe(6);
    expect(chiSquare(counts, new Array<number>(6).fill(1 / 6), N)).toBeLessThan(
      CHI2_9999[5] as number,
    );
  });
});

describe("bad parameters", () => {
  const BAD = "VX_CORE_BAD_DISTRIBUTION";
  const r = createRandom(0);

  it("rejects a seed that is not a safe integer", () => {
    expect(() => createRandom(1.5)).toThrowVx("VX_CORE_BAD_SEED", ["seed"]);
    expect(() => createRandom(Number.NaN)).toThrowVx("VX_CORE_BAD_SEED", ["seed"]);
    expect(() => createRandom(2 ** 53)).toThrowVx("VX_CORE_BAD_SEED", ["seed"]);
  });

  it("rejects an empty stream name or an empty part of it", () => {
    expect(() => r.stream("")).toThrowVx("VX_CORE_BAD_STREAM_NAME", ["name"]);
    expect(() => r.stream("a//b")).toThrowVx("VX_CORE_BAD_STREAM_NAME", ["name"]);
    expect(() => r.stream("/a")).toThrowVx("VX_CORE_BAD_STREAM_NAME", ["name"]);
    expect(() => r.stream("a/")).toThrowVx("VX_CORE_BAD_STREAM_NAME", ["name"]);
  });

  it("rejects int bounds that are not safe integers or with min > max", () => {
    expect(() => r.int(0.5, 3)).toThrowVx(BAD, ["min"]);
    expect(() => r.int(0, 2 ** 53)).toThrowVx(BAD, ["max"]);
    expect(() => r.int(0, Number.NaN)).toThrowVx(BAD, ["max"]);
    expect(() => r.int(4, 3)).toThrowVx(BAD, ["max"]);
  });

  it("rejects uniform bounds that are not finite, reversed or too far apart", () => {
    expect(() => r.uniform(Number.NaN, 1)).toThrowVx(BAD, ["min"]);
    expect(() => r.uniform(0, Number.POSITIVE_INFINITY)).toThrowVx(BAD, ["max"]);
    expect(() => r.uniform(2, 1)).toThrowVx(BAD, ["max"]);
    expect(() => r.uniform(-Number.MAX_VALUE, Number.MAX_VALUE)).toThrowVx(BAD, ["max"]);
  });

  it("rejects a rate <= 0, NaN or infinite", () => {
    expect(() => r.exponential(0)).toThrowVx(BAD, ["rate"]);
    expect(() => r.exponential(-1)).toThrowVx(BAD, ["rate"]);
    expect(() => r.exponential(Number.NaN)).toThrowVx(BAD, ["rate"]);
    expect(() => r.exponential(Number.POSITIVE_INFINITY)).toThrowVx(BAD, ["rate"]);
  });

  it("rejects a negative or NaN standard deviation and a non-finite mean", () => {
    expect(() => r.normal(0, -1)).toThrowVx(BAD, ["sd"]);
    expect(() => r.normal(0, Number.NaN)).toThrowVx(BAD, ["sd"]);
    expect(() => r.normal(Number.NaN, 1)).toThrowVx(BAD, ["mean"]);
    expect(() => r.logNormal(0, -0.1)).toThrowVx(BAD, ["sigma"]);
    expect(() => r.logNormal(Number.POSITIVE_INFINITY, 1)).toThrowVx(BAD, ["mu"]);
  });

  it("rejects logNormalParams with mean <= 0 or sd < 0", () => {
    expect(() => logNormalParams(0, 1)).toThrowVx(BAD, ["mean"]);
    expect(() => logNormalParams(1, -1)).toThrowVx(BAD, ["sd"]);
    expect(() => logNormalParams(1, Number.NaN)).toThrowVx(BAD, ["sd"]);
  });

  it("rejects a Pareto scale or shape <= 0", () => {
    expect(() => r.pareto(0, 1)).toThrowVx(BAD, ["scale"]);
    expect(() => r.pareto(1, 0)).toThrowVx(BAD, ["shape"]);
    expect(() => r.pareto(1, Number.NaN)).toThrowVx(BAD, ["shape"]);
  });

  it("rejects a probability outside [0, 1]", () => {
    expect(() => r.bernoulli(-0.1)).toThrowVx(BAD, ["p"]);
    expect(() => r.bernoulli(1.1)).toThrowVx(BAD, ["p"]);
    expect(() => r.bernoulli(Number.NaN)).toThrowVx(BAD, ["p"]);
  });

  it("rejects a Zipf n < 1 or not an integer", () => {
    expect(() => r.zipf(0, 1)).toThrowVx(BAD, ["n"]);
    expect(() => zipfSampler(2.5, 1)).toThrowVx(BAD, ["n"]);
  });

  it("rejects a Zipf exponent s <= 0 or NaN", () => {
    expect(() => r.zipf(10, 0)).toThrowVx(BAD, ["s"]);
    expect(() => zipfSampler(10, -1)).toThrowVx(BAD, ["s"]);
    expect(() => zipfSampler(10, Number.NaN)).toThrowVx(BAD, ["s"]);
  });

  it("rejects negative, NaN, infinite, all-zero or missing weights", () => {
    expect(() => weightedSampler([1, -1])).toThrowVx(BAD, ["weights", 1]);
    expect(() => weightedSampler([Number.NaN])).toThrowVx(BAD, ["weights", 0]);
    expect(() => weightedSampler([1, Number.POSITIVE_INFINITY])).toThrowVx(BAD, ["weights", 1]);
    expect(() => weightedSampler([0, 0])).toThrowVx(BAD, ["weights"]);
    expect(() => weightedSampler([])).toThrowVx(BAD, ["weights"]);
    expect(() => r.choice(["a", "b"], [0, -2])).toThrowVx(BAD, ["weights", 1]);
    expect(() => r.choice(["a", "b"], [0, 0])).toThrowVx(BAD, ["weights"]);
  });

  it("rejects choice from no items or with one weight per item missing", () => {
    expect(() => r.choice([])).toThrowVx(BAD, ["items"]);
    expect(() => r.choice(["a", "b"], [1])).toThrowVx(BAD, ["weights"]);
  });

  it("says what is allowed in the message", () => {
    expect(() => r.exponential(-1)).toThrow(/rate must be a finite number > 0/);
  });
});
