import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { estimateSharedRegion, type SharedAccessor, simulateSharedRegion } from "../src/index.js";

const B = 3.125e9; // one 25 Gbit/s port
const two = (rate: number, c: number): SharedAccessor[] =>
  [0, 1].map((brick) => ({
    brick,
    accessesPerSecond: rate,
    criticalSectionSeconds: c,
    oneWaySeconds: 1e-6,
    writeBytes: 4096,
  }));

describe("shared regions: closed form, checked by hand", () => {
  it("lock, two bricks at 1000/s with 100 µs sections: ρ = 0.204, wait by Pollaczek–Khinchine", () => {
    const c = estimateSharedRegion({
      method: "lock",
      bytesPerSecond: B,
      accessors: two(1000, 100e-6),
    });
    const S = 100e-6 + 2e-6; // critical section + grant out + release back
    const rho = 2000 * S;
    const W = (2000 * S * S) / (2 * (1 - rho));
    expect(c.utilisation).toBeCloseTo(rho, 12);
    expect(c.accessors[0]!.waitSeconds).toBeCloseTo(W, 15);
    expect(c.accessors[0]!.accessSeconds).toBeCloseTo(W + 2e-6 + 100e-6, 15);
    expect(c.saturated).toBe(false);
  });

  it("token on two symmetric bricks moves on half the accesses; on one brick it never moves", () => {
    const c = estimateSharedRegion({
      method: "token",
      bytesPerSecond: B,
      accessors: two(1000, 100e-6),
    });
    expect(c.tokenTransfersPerSecond).toBeCloseTo(1000, 9);
    const one = estimateSharedRegion({
      method: "token",
      bytesPerSecond: B,
      accessors: two(1000, 100e-6).map((a) => ({ ...a, brick: 7 })),
    });
    expect(one.tokenTransfersPerSecond).toBe(0);
    // With the token local, the service is the critical section alone: cheaper than the lock.
    const lock = estimateSharedRegion({
      method: "lock",
      bytesPerSecond: B,
      accessors: two(1000, 100e-6),
    });
    expect(one.meanAccessSeconds!).toBeLessThan(lock.meanAccessSeconds!);
  });

  it("versioned readers never wait; writers conflict as Poisson commits of the others", () => {
    const readers = two(1000, 100e-6).map((a) => ({ ...a, writeFraction: 0 }));
    const r = estimateSharedRegion({ method: "versioned", bytesPerSecond: B, accessors: readers });
    expect(r.accessors[0]!.waitSeconds).toBe(0);
    expect(r.accessors[0]!.accessSeconds).toBeCloseTo(2e-6 + 100e-6, 15);
    const w = estimateSharedRegion({
      method: "versioned",
      bytesPerSecond: B,
      accessors: two(1000, 100e-6),
    });
    const T = 100e-6 + 4096 / B + 2e-6;
    const p = 1 - Math.exp(-2000 * T); // every write's commit, the accessor's own included
    expect(w.conflictProbability).toBeCloseTo(p, 12);
    expect(w.accessors[0]!.accessSeconds).toBeCloseTo(T / (1 - p), 15);
  });

  it("a lock asked for more than it can serve is saturated: no mean wait, 1/ρ of the accesses", () => {
    const c = estimateSharedRegion({
      method: "lock",
      bytesPerSecond: B,
      accessors: two(6000, 100e-6),
    });
    expect(c.saturated).toBe(true);
    expect(c.accessors[0]!.accessSeconds).toBeNull();
    expect(c.accessors[0]!.throughputFraction).toBeCloseTo(1 / (12000 * 102e-6), 12);
    expect(c.meanAccessSeconds).toBeNull();
  });
});

describe("shared regions: event simulation agrees with the closed form", () => {
  const accessors = two(1500, 150e-6); // ρ = 0.456 for the lock
  for (const method of ["lock", "token"] as const) {
    it(`${method}: measured mean access within 3 % of the M/G/1 formula (≈ 270,000 accesses)`, () => {
      const est = estimateSharedRegion({ method, bytesPerSecond: B, accessors });
      const run = simulateSharedRegion({
        method,
        bytesPerSecond: B,
        accessors,
        durationSeconds: 90,
        warmupSeconds: 1,
        seed: 7,
      });
      expect(run.accesses).toBeGreaterThan(250_000);
      expect(Math.abs(run.meanAccessSeconds! / est.meanAccessSeconds! - 1)).toBeLessThan(0.03);
      if (method === "token") {
        expect(
          Math.abs(run.tokenTransfersPerSecond / est.tokenTransfersPerSecond - 1),
        ).toBeLessThan(0.02);
      }
    });
  }

  it("versioned at low contention (Λ·T ≈ 0.09): conflicts and access time within 5 % of the estimate", () => {
    const light = two(300, 150e-6);
    const est = estimateSharedRegion({ method: "versioned", bytesPerSecond: B, accessors: light });
    const run = simulateSharedRegion({
      method: "versioned",
      bytesPerSecond: B,
      accessors: light,
      durationSeconds: 60,
      seed: 3,
    });
    expect(Math.abs(run.conflictProbability / est.conflictProbability - 1)).toBeLessThan(0.05);
    expect(Math.abs(run.meanAccessSeconds! / est.meanAccessSeconds! - 1)).toBeLessThan(0.05);
  });

  it("versioned at high contention (Λ·T ≈ 0.46): the Poisson estimate underestimates conflicts by > 10 %", () => {
    const est = estimateSharedRegion({ method: "versioned", bytesPerSecond: B, accessors });
    const run = simulateSharedRegion({
      method: "versioned",
      bytesPerSecond: B,
      accessors,
      durationSeconds: 60,
      seed: 3,
    });
    expect(run.conflictProbability).toBeGreaterThan(1.1 * est.conflictProbability);
  });

  it("the same seed gives identical results", () => {
    const o = {
      method: "token" as const,
      bytesPerSecond: B,
      accessors,
      durationSeconds: 2,
      seed: 11,
    };
    expect(JSON.stringify(simulateSharedRegion(o))).toBe(JSON.stringify(simulateSharedRegion(o)));
  });
});

describe("shared regions: bad input", () => {
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(VxError.isInstance(e)).toBe(true);
      return `${(e as VxError).code} ${(e as VxError).path.join(".")}`;
    }
    throw new Error("expected a VxError");
  };
  it("rejects an unknown method, negative rates, fractions out of range and a bad duration", () => {
    expect(
      code(() =>
        estimateSharedRegion({ method: "mutex" as "lock", bytesPerSecond: B, accessors: [] }),
      ),
    ).toBe("VX_DISAGG_BAD_ARGUMENT method");
    expect(
      code(() =>
        estimateSharedRegion({
          method: "lock",
          bytesPerSecond: B,
          accessors: [{ ...two(1, 1e-6)[0]!, accessesPerSecond: -1 }],
        }),
      ),
    ).toBe("VX_DISAGG_BAD_ARGUMENT accessors.0.accessesPerSecond");
    expect(
      code(() =>
        estimateSharedRegion({
          method: "versioned",
          bytesPerSecond: B,
          accessors: [{ ...two(1, 1e-6)[0]!, writeFraction: 1.5 }],
        }),
      ),
    ).toBe("VX_DISAGG_BAD_ARGUMENT accessors.0.writeFraction");
    expect(
      code(() => estimateSharedRegion({ method: "lock", bytesPerSecond: 0, accessors: [] })),
    ).toBe("VX_DISAGG_BAD_ARGUMENT bytesPerSecond");
    expect(
      code(() =>
        simulateSharedRegion({
          method: "lock",
          bytesPerSecond: B,
          accessors: [],
          durationSeconds: 0,
        }),
      ),
    ).toBe("VX_DISAGG_BAD_ARGUMENT durationSeconds");
    expect(
      code(() =>
        simulateSharedRegion({
          method: "lock",
          bytesPerSecond: B,
          accessors: [],
          durationSeconds: 1,
          warmupSeconds: 1,
        }),
      ),
    ).toBe("VX_DISAGG_BAD_ARGUMENT warmupSeconds");
  });
});
