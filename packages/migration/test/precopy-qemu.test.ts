import { describe, expect, it } from "vitest";
import { estimatePrecopy, type MigrationResult, migrate } from "../src/index.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function mib(xs: readonly number[]): number[] {
  return xs.map((x) => Math.round((x / MiB) * 1e6) / 1e6);
}

describe("pre-copy with QEMU's rules", () => {
  for (const fidelity of ["fluid", "page"] as const) {
    it(`4 GiB at 128 MiB/s with 32 MiB/s uniform dirtying and a 300 ms limit sends 4096, 1024, 256, 64 MiB, then 16 MiB in 125 ms (${fidelity})`, () => {
      const r = migrate(
        { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
        { strategy: "precopy-qemu", fidelity, link: { bandwidth: "10Gbps" } },
      );
      expect(r.outcome).toBe("completed");
      expect(mib(r.rounds.map((x) => x.bytes))).toEqual([4096, 1024, 256, 64, 16]);
      expect(r.rounds.map((x) => x.phase)).toEqual([
        "precopy",
        "precopy",
        "precopy",
        "precopy",
        "stop-and-copy",
      ]);
      expect(r.downtimeSeconds).toBeCloseTo(0.125, 9);
      expect(r.expectedDowntimeSeconds).toBeCloseTo(0.125, 9);
      expect(r.bytesSent.total / MiB).toBeCloseTo(5456, 6);
      expect(r.totalTimeSeconds).toBeCloseTo(42.625, 9);
      expect(r.rounds.map((x) => x.dirtyRateBytesPerSecond / MiB)).toEqual([32, 32, 32, 32, 0]);
      if (fidelity === "page") {
        expect(r.pages!.lost).toBe(0);
        expect(r.pages!.sent).toBe(5456 * 256);
      }
    });
  }

  it("matches the closed-form estimate round for round", () => {
    const e = estimatePrecopy({ ram: "4GiB", bandwidth: "128MiB/s", dirtyRate: "32MiB/s" });
    const r = migrate(
      { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
      { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" } },
    );
    const pre = r.rounds.filter((x) => x.phase === "precopy");
    expect(pre.map((x) => x.bytes)).toEqual(e.rounds.map((x) => x.bytes));
    expect(r.totalTimeSeconds).toBeCloseTo(e.totalTimeSeconds, 9);
    expect(r.downtimeSeconds).toBeCloseTo(e.downtimeSeconds, 9);
  });

  it("a VM that dirties as fast as the link never converges without auto-converge", () => {
    const r = migrate(
      { ram: "256MiB", dirty: { model: "uniform", rate: "128MiB/s" } },
      { strategy: "precopy-qemu", link: { bandwidth: "1Gbps" }, limits: { maxRounds: 50 } },
    );
    expect(r.outcome).toBe("did-not-converge");
    expect(r.rounds).toHaveLength(50);
    expect(r.downtimeSeconds).toBe(0);
    expect(r.reason).toMatch(/no switch-over after 50 rounds/);
    // Every round after the first resends the whole image.
    for (const x of r.rounds.slice(1)) expect(x.bytes).toBe(256 * MiB);
  });

  it("the time cap also ends a migration that does not converge", () => {
    const r = migrate(
      { ram: "256MiB", dirty: { model: "uniform", rate: "200MiB/s" } },
      { strategy: "precopy-qemu", link: { bandwidth: "1Gbps" }, limits: { maxTime: "30s" } },
    );
    expect(r.outcome).toBe("did-not-converge");
    expect(r.totalTimeSeconds).toBeGreaterThanOrEqual(30);
    expect(r.totalTimeSeconds).toBeLessThan(32);
  });

  it("auto-converge throttles by 20, 30, 40 % … every second check and then converges", () => {
    const r = migrate(
      { ram: "1GiB", dirty: { model: "uniform", rate: "256MiB/s" } },
      { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" }, qemu: { autoConverge: true } },
    );
    expect(r.outcome).toBe("completed");
    const steps = r.throttleSteps.map((s) => Math.round(s.value * 100));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.slice(0, 3)).toEqual([20, 30, 40]);
    for (let i = 1; i < steps.length; i++) expect(steps[i]! - steps[i - 1]!).toBe(10);
    expect(r.finalThrottle).toBeCloseTo(steps[steps.length - 1]! / 100, 12);
    // Throttling slows the dirtying: the rounds' dirty rates fall as (1 − throttle) × 256 MiB/s.
    for (const x of r.rounds.filter((x) => x.phase === "precopy" && x.dirtyBytes < GiB)) {
      expect(x.dirtyRateBytesPerSecond / MiB).toBeCloseTo(256 * (1 - x.throttle), 6);
    }
    expect(r.rounds.some((x) => x.throttle > 0 && x.dirtyBytes < GiB)).toBe(true);
    // Throttle changes happen at syncs at least 1 s apart, and the counter fires at 2.
    const times = r.throttleSteps.map((s) => s.atSeconds);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1);
  });

  it("the same VM without auto-converge does not converge", () => {
    const r = migrate(
      { ram: "1GiB", dirty: { model: "uniform", rate: "256MiB/s" } },
      { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" }, limits: { maxRounds: 40 } },
    );
    expect(r.outcome).toBe("did-not-converge");
    expect(r.throttleSteps).toEqual([]);
  });

  it("zero pages cost a 9-byte flag in the first round", () => {
    const r = migrate(
      { ram: "1GiB", zeroPages: "50%" },
      { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" } },
    );
    const zeroPages = (0.5 * GiB) / 4096;
    expect(r.bytesSent.zeroPageFlags).toBeCloseTo(zeroPages * 9, 6);
    expect(r.bytesSent.fullPages).toBeCloseTo(0.5 * GiB, 6);
    expect(r.totalTimeSeconds).toBeCloseTo((0.5 * GiB + zeroPages * 9) / (128 * MiB), 9);
    const off = migrate(
      { ram: "1GiB", zeroPages: "50%" },
      {
        strategy: "precopy-qemu",
        link: { bandwidth: "10Gbps" },
        qemu: { zeroPageDetection: false },
      },
    );
    expect(off.bytesSent.total).toBe(GiB);
  });

  it("max-bandwidth caps the stream; the default is 128 MiB/s", () => {
    const r = migrate({ ram: "1GiB" }, { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" } });
    expect(r.rounds[0]!.bandwidthBytesPerSecond).toBeCloseTo(128 * MiB, 3);
    const fast = migrate(
      { ram: "1GiB" },
      {
        strategy: "precopy-qemu",
        link: { bandwidth: "10Gbps" },
        qemu: { maxBandwidth: "100Gbps" },
      },
    );
    expect(fast.rounds[0]!.bandwidthBytesPerSecond).toBeCloseTo(1.25e9, 0);
  });

  it("multifd channels lift a CPU-bound stream up to the link", () => {
    const vm = { ram: "8GiB" };
    const base = { link: { bandwidth: "40Gbps" }, strategy: "precopy-qemu" as const };
    const one = migrate(vm, { ...base, qemu: { maxBandwidth: "100Gbps" } });
    const four = migrate(vm, {
      ...base,
      qemu: { maxBandwidth: "100Gbps", multifd: true, multifdChannels: 4 },
    });
    expect(one.rounds[0]!.bandwidthBytesPerSecond).toBeCloseTo(1.25e9, 0); // one 10 Gbit/s stream
    expect(four.rounds[0]!.bandwidthBytesPerSecond).toBeCloseTo(5e9, 0); // the 40 Gbit/s link
  });

  it("xbzrle sends deltas for re-sent pages found in its cache", () => {
    const vm = {
      ram: "2GiB",
      workingSet: "32MiB",
      dirty: { model: "hot-cold" as const, rate: "100MiB/s" },
    };
    const run = (xbzrle: boolean, fidelity: "fluid" | "page"): MigrationResult =>
      migrate(vm, {
        strategy: "precopy-qemu",
        fidelity,
        link: { bandwidth: "1Gbps" },
        qemu: { xbzrle, xbzrleCacheSize: "1GiB", downtimeLimit: "100ms" },
      });
    const plain = run(false, "fluid");
    for (const fidelity of ["fluid", "page"] as const) {
      const x = run(true, fidelity);
      expect(x.outcome).toBe("completed");
      expect(x.bytesSent.deltas).toBeGreaterThan(0);
      expect(x.bytesSent.total).toBeLessThan(plain.bytesSent.total);
      // Round 1 misses (the cache fills after the bulk round) and sends full pages; round 2
      // finds nearly all its pages in the cache and sends 25 % deltas.
      expect(x.rounds[1]!.bytes).toBe(x.rounds[0]!.dirtyBytes);
      expect(x.rounds[2]!.bytes).toBeLessThan(0.3 * x.rounds[1]!.dirtyBytes);
    }
  });

  it("free page hinting skips the guest's free pages in the first round", () => {
    const r = migrate(
      { ram: "1GiB", freePages: "40%" },
      {
        strategy: "precopy-qemu",
        link: { bandwidth: "10Gbps" },
        qemu: { freePageHinting: true },
      },
    );
    expect(r.bytesSent.total).toBeCloseTo(0.6 * GiB, 0);
  });
});
