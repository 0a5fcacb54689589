import { describe, expect, it } from "vitest";
import { estimatePrecopy, migrate } from "../src/index.js";

const MiB = 2 ** 20;

describe("closed-form pre-copy estimate (Akoush et al., Liu et al.)", () => {
  it("4 GiB, 128 MiB/s, 32 MiB/s, 300 ms: 4096, 1024, 256, 64 MiB then 16 MiB, 5456 MiB, 42.6 s", () => {
    const e = estimatePrecopy({ ram: "4GiB", bandwidth: "128MiB/s", dirtyRate: "32MiB/s" });
    expect(e.outcome).toBe("completed");
    expect(e.rounds.map((r) => r.bytes / MiB)).toEqual([4096, 1024, 256, 64]);
    expect(e.rounds.map((r) => r.seconds)).toEqual([32, 8, 2, 0.5]);
    expect(e.stopCopyBytes / MiB).toBe(16);
    expect(e.downtimeSeconds).toBe(0.125);
    expect(e.totalBytes / MiB).toBe(5456);
    expect(e.totalTimeSeconds).toBe(42.625);
  });

  it("sums the geometric series M(1 − λ^(n+1))/(1 − λ)", () => {
    const e = estimatePrecopy({ ram: "4GiB", bandwidth: "128MiB/s", dirtyRate: "32MiB/s" });
    const lambda = 0.25;
    const n = 4;
    expect(e.totalBytes).toBeCloseTo((4096 * MiB * (1 - lambda ** (n + 1))) / (1 - lambda), 3);
  });

  it("with a writable working set, rounds stay at W until they fit", () => {
    const e = estimatePrecopy({
      ram: "4GiB",
      bandwidth: "128MiB/s",
      dirtyRate: "64MiB/s",
      workingSet: "512MiB",
    });
    // V1 = min(64 × 32, 512) = 512, then min(64 × 4, 512) = 256, 128, 64, 32 ≤ 38.4.
    expect(e.rounds.map((r) => r.bytes / MiB)).toEqual([4096, 512, 256, 128, 64]);
    expect(e.stopCopyBytes / MiB).toBe(32);
  });

  it("does not converge when the dirty rate reaches the link rate", () => {
    const e = estimatePrecopy({
      ram: "1GiB",
      bandwidth: "100MB/s",
      dirtyRate: "100MB/s",
      maxRounds: 30,
    });
    expect(e.outcome).toBe("did-not-converge");
    expect(e.rounds).toHaveLength(30);
    expect(e.downtimeSeconds).toBe(0);
  });

  it("agrees with the simulated QEMU pre-copy for hot/cold dirtying (the WWS model)", () => {
    const vm = {
      ram: "8GiB",
      workingSet: "1GiB",
      dirty: { model: "hot-cold" as const, rate: "100MiB/s" },
    };
    const link = { bandwidth: "10Gbps" };
    const sim = migrate(vm, { strategy: "precopy-qemu", link });
    const est = migrate(vm, { strategy: "analytic", link });
    expect(est.rounds).toHaveLength(sim.rounds.length);
    est.rounds.forEach((r, i) => {
      expect(r.bytes / sim.rounds[i]!.bytes).toBeCloseTo(1, 9);
      expect(r.phase).toBe(sim.rounds[i]!.phase);
    });
    expect(est.totalTimeSeconds).toBeCloseTo(sim.totalTimeSeconds, 9);
    expect(est.downtimeSeconds).toBeCloseTo(sim.downtimeSeconds, 9);
  });
});
