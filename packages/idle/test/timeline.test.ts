import { VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  IDLE_TECHNIQUES,
  type IdleParametersInput,
  type IdleTechniqueName,
  idleParametersSchema,
  requestTimes,
  simulateIdleVm,
  swapInSeconds,
  synAnsweredAfter,
} from "../src/index.js";

const GiB = 2 ** 30;
const REQUESTS = { kind: "times", times: [100, 2000, 2000.2] } as const;

function run(technique: IdleTechniqueName, extra: IdleParametersInput = {}) {
  return simulateIdleVm({
    ramBytes: GiB,
    horizonSeconds: 3600,
    requests: REQUESTS,
    parameters: { technique, idleAfterSeconds: 900, ...extra },
  });
}

describe("single-VM timelines, computed by hand with the defaults (NVMe 2 GB/s read, 1 GB/s write, 100 µs)", () => {
  it("SEaMLESS: converts in 0.5 + 0.01 + 0.0001 + 1.0737 s, the first request waits 0.0001 + 0.5369 + 0.01 s (< 1 s, as published)", () => {
    const t = run("seamless");
    const C = 0.5 + 0.01 + 1e-4 + GiB / 1e9; // 1.583841824
    const R = 1e-4 + GiB / 2e9 + 0.01; // 0.546970912
    expect(t.phases.map((p) => p.state)).toEqual([
      "active",
      "idle",
      "converting",
      "parked",
      "restoring",
      "idle",
      "converting",
      "parked",
    ]);
    expect(t.phases[1]).toEqual({ state: "idle", start: 100, end: 1000 });
    expect(t.phases[2]!.end).toBeCloseTo(1000 + C, 9);
    expect(t.wakes).toHaveLength(1);
    expect(t.wakes[0]!.firstRequestWait).toBeCloseTo(0.546970912, 9);
    expect(t.wakes[0]!.firstRequestWait).toBeLessThan(1);
    // The request 0.2 s later waits for the same restore: R − 0.2.
    expect(t.requestsDelayed).toBe(2);
    expect(t.delaySeconds).toBeCloseTo(2 * R - 0.2, 9);
    // Parked 1000 + C → 2000, and from 2000 + R + 900 + C to the horizon.
    const parked = 2000 - (1000 + C) + (3600 - (2000 + R + 900 + C));
    expect(t.parkedSeconds).toBeCloseTo(parked, 9);
    expect(t.releasedByteSeconds).toBeCloseTo(parked * GiB, 0);
    expect(t.requestsFailed).toBe(0);
  });

  it("suspend-to-disk: no proxy, so the client is answered at its first SYN retransmission (1 s) although the image is back in 0.537 s", () => {
    const t = run("suspend-to-disk");
    expect(t.phases[2]!.end - t.phases[2]!.start).toBeCloseTo(1e-4 + GiB / 1e9, 9);
    expect(t.wakes[0]!.serving - t.wakes[0]!.restoreStart).toBeCloseTo(1e-4 + GiB / 2e9, 9);
    expect(t.wakes[0]!.firstRequestWait).toBe(1);
    expect(t.delaySeconds).toBe(2); // both requests answered 1 s after their SYN
  });

  it("suspend-to-disk on a slow disk: a restore longer than the last retransmission (63 s) loses the request", () => {
    const t = run("suspend-to-disk", { disk: { readBytesPerSecond: "10MBps" } });
    // 1 GiB at 10 MB/s: 107 s; retransmissions at 1, 3, 7, 15, 31, 63 s; the client gives up.
    expect(t.wakes[0]!.firstRequestWait).toBeNull();
    expect(t.requestsFailed).toBe(2);
    expect(synAnsweredAfter(idleParametersSchema.parse({}), 40)).toBe(63);
  });

  it("suspend-to-swap: swaps 1 GiB out in 1.0737 s and pages 10 % back in 3277 faults of 100 µs + 32 KiB", () => {
    const t = run("suspend-to-swap");
    expect(t.phases[2]!.end - t.phases[2]!.start).toBeCloseTo(GiB / 1e9, 9);
    const R = 3277 * (1e-4 + 32768 / 2e9); // 0.381390368
    expect(swapInSeconds(idleParametersSchema.parse({}), GiB)).toBeCloseTo(R, 12);
    expect(t.wakes[0]!.firstRequestWait).toBeCloseTo(0.381390368, 9);
  });

  it("suspend-to-swap on an HDD (8 ms per fault): the first request waits 26.9 s, worse than SEaMLESS's 7.2 s image read", () => {
    const hdd = {
      readBytesPerSecond: "150MBps",
      writeBytesPerSecond: "150MBps",
      latencySeconds: "8ms",
    };
    const swap = run("suspend-to-swap", { disk: hdd });
    const seamless = run("seamless", { disk: hdd });
    expect(swap.wakes[0]!.firstRequestWait).toBeCloseTo(3277 * (0.008 + 32768 / 150e6), 9);
    expect(seamless.wakes[0]!.firstRequestWait).toBeCloseTo(0.008 + GiB / 150e6 + 0.01, 9);
    expect(swap.wakes[0]!.firstRequestWait!).toBeGreaterThan(seamless.wakes[0]!.firstRequestWait!);
  });

  it("none: the VM never parks; a request during the conversion waits for it, then for the restore", () => {
    const none = run("none");
    expect(none.wakes).toHaveLength(0);
    expect(none.parkedSeconds).toBe(0);
    expect(none.phases.map((p) => p.state)).toEqual(["active", "idle"]);
    const t = simulateIdleVm({
      ramBytes: GiB,
      horizonSeconds: 1200,
      requests: { kind: "times", times: [100, 1000.5] },
      parameters: { technique: "seamless", idleAfterSeconds: 900 },
    });
    const C = 0.5 + 0.01 + 1e-4 + GiB / 1e9;
    const R = 1e-4 + GiB / 2e9 + 0.01;
    expect(t.wakes[0]!.restoreStart).toBeCloseTo(1000 + C, 9);
    expect(t.wakes[0]!.firstRequestWait).toBeCloseTo(1000 + C + R - 1000.5, 9);
    expect(t.phases.find((p) => p.state === "parked")).toBeUndefined();
  });
});

describe("request sources", () => {
  it("a utilisation trace gives a request at each busy sample, the first of a stretch where it crosses the threshold", () => {
    const times = requestTimes(
      { kind: "utilisation", intervalSeconds: 300, values: [0.2, 0.01, 0.01, 0.09, 0.3] },
      1200,
      0.05,
      1,
    );
    expect(times).toEqual([0, 750, 1200]);
  });

  it("Poisson arrivals are seeded (same seed, same times) and average rate × horizon", () => {
    const a = requestTimes({ kind: "poisson", ratePerSecond: 1 }, 10_000, 0.05, 7);
    const b = requestTimes({ kind: "poisson", ratePerSecond: 1 }, 10_000, 0.05, 7);
    expect(a).toEqual(b);
    // 10,000 expected; 4 standard deviations is 400.
    expect(Math.abs(a.length - 10_000)).toBeLessThan(400);
  });
});

describe("invariants (property)", () => {
  it("with a proxy or swap no request is lost, only delayed; parked time never exceeds the horizon", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("seamless", "suspend-to-swap" as const),
        fc.array(fc.double({ min: 0, max: 86_400, noNaN: true }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 7200 }),
        (technique, raw, idleAfter) => {
          const times = raw.slice().sort((x, y) => x - y);
          const t = simulateIdleVm({
            ramBytes: GiB,
            horizonSeconds: 86_400,
            requests: { kind: "times", times },
            parameters: { technique, idleAfterSeconds: idleAfter },
          });
          expect(t.requestsFailed).toBe(0);
          expect(t.wakes.every((w) => w.firstRequestWait !== null && w.firstRequestWait >= 0)).toBe(
            true,
          );
          expect(t.parkedSeconds).toBeGreaterThanOrEqual(0);
          expect(t.parkedSeconds).toBeLessThanOrEqual(86_400);
          for (let i = 1; i < t.phases.length; i++) {
            expect(t.phases[i]!.start).toBeCloseTo(t.phases[i - 1]!.end, 9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("bad input", () => {
  function code(f: () => unknown): [string, unknown] {
    try {
      f();
    } catch (error) {
      if (VxError.isInstance(error)) return [error.code, error.path];
      throw error;
    }
    return ["none", undefined];
  }

  it("refuses a negative RAM, an unknown technique, unsorted times and a runaway Poisson rate, with the path", () => {
    const base = { ramBytes: GiB, horizonSeconds: 3600, requests: REQUESTS };
    expect(code(() => simulateIdleVm({ ...base, ramBytes: -1 }))).toEqual([
      "VX_IDLE_BAD_OPTIONS",
      ["ramBytes"],
    ]);
    expect(
      code(() => simulateIdleVm({ ...base, parameters: { technique: "hibernate" as "none" } })),
    ).toEqual(["VX_IDLE_BAD_OPTIONS", ["parameters", "technique"]]);
    expect(
      code(() => simulateIdleVm({ ...base, requests: { kind: "times", times: [5, 1] } })),
    ).toEqual(["VX_IDLE_BAD_OPTIONS", ["requests", "times", 1]]);
    expect(
      code(() =>
        simulateIdleVm({
          ...base,
          horizonSeconds: "100d",
          requests: { kind: "poisson", ratePerSecond: 10 },
        }),
      ),
    ).toEqual(["VX_IDLE_BAD_OPTIONS", ["requests", "ratePerSecond"]]);
  });

  it("the registry has one entry per technique, and parking ones take time", () => {
    const p = idleParametersSchema.parse({});
    for (const [name, e] of Object.entries(IDLE_TECHNIQUES)) {
      expect(e.name).toBe(name);
      if (e.parks) expect(e.convertSeconds(p, GiB)).toBeGreaterThan(0);
    }
  });
});
