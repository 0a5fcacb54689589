import { describe, expect, it } from "vitest";
import { type DirtyModelOptions, migrate, parseDirtyTrace, type VmOptions } from "../src/index.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** Bytes dirtied during each pre-copy round (QEMU rules, capped rounds) at a fidelity. */
function dirtied(vm: VmOptions, fidelity: "fluid" | "page", rounds = 4): number[] {
  const r = migrate(vm, {
    strategy: "precopy-qemu",
    fidelity,
    link: { bandwidth: "10Gbps" },
    limits: { maxRounds: rounds },
  });
  return r.rounds.filter((x) => x.phase === "precopy").map((x) => x.dirtyBytes);
}

function agree(vm: VmOptions, tolerance = 0.01): number[] {
  const f = dirtied(vm, "fluid");
  const p = dirtied(vm, "page");
  expect(p.length).toBe(f.length);
  for (let i = 0; i < f.length; i++) {
    // Within 1 % (and within a page of each other for tiny amounts).
    expect(Math.abs(p[i]! - f[i]!)).toBeLessThanOrEqual(Math.max(tolerance * f[i]!, 4096));
  }
  return f;
}

const vm = (dirty: DirtyModelOptions, extra: Partial<VmOptions> = {}): VmOptions => ({
  ram: "1GiB",
  ...extra,
  dirty,
});

describe("dirtying models, page level against fluid level", () => {
  it("none: nothing is ever dirty", () => {
    expect(agree(vm({ model: "none" }))).toEqual([0]);
  });

  it("uniform: rate × time, capped at the pages that can get dirty (all but the free ones)", () => {
    const f = agree(vm({ model: "uniform", rate: "32MiB/s" }));
    expect(f[0]).toBeCloseTo(32 * MiB * 8, 0); // round 0 lasts 8 s at 128 MiB/s
    const capped = agree(vm({ model: "uniform", rate: "1GiB/s" }, { freePages: "25%" }));
    expect(capped[0]).toBeCloseTo(0.75 * GiB, 0);
  });

  it("hot/cold: the working set takes its share and saturates; the cold pages the rest", () => {
    const f = agree(
      vm({ model: "hot-cold", rate: "64MiB/s", hotShare: 0.75 }, { workingSet: "128MiB" }),
    );
    // Round 0 (8 s): hot min(48 × 8, 128) = 128 MiB, cold 16 × 8 = 128 MiB.
    expect(f[0]! / MiB).toBeCloseTo(256, 6);
  });

  it("sequential scan: rate × time, swept in address order", () => {
    agree(vm({ model: "scan", rate: "16MiB/s" }));
  });

  it("Zipf: distinct pages grow sublinearly with the writes, as 1 − e^(−p·writes) per page", () => {
    const f = agree(vm({ model: "zipf", rate: "64MiB/s", exponent: 0.8 }));
    expect(f[0]).toBeLessThan(64 * MiB * 8);
    expect(f[0]).toBeGreaterThan(0.1 * 64 * MiB * 8);
  });

  it("CPU-coupled without a guest CPU: intensity × speed cap × vCPUs × CPU share", () => {
    const f = agree(
      vm(
        { model: "cpu-coupled", intensity: "10%", speedCap: "100MiB/s" },
        { vcpus: 2, cpuShare: "50%" },
      ),
    );
    expect(f[0]! / MiB).toBeCloseTo(0.1 * 100 * 2 * 0.5 * 8, 6);
  });

  it("trace replay: rate intervals agree like uniform dirtying; page lists mark their pages", () => {
    const rates = parseDirtyTrace("2s rate 10MiB/s\n6s rate 20MiB/s\n", "rates.trace");
    const f = agree(vm({ model: "trace", trace: rates }));
    expect(f[0]! / MiB).toBeCloseTo(20 + 120, 6); // round 0 lasts 8 s
    const lists = parseDirtyTrace("3s pages 0-4095\n5s pages 100000-102047\n", "lists.trace");
    const g = agree(vm({ model: "trace", trace: lists }));
    expect(g[0]).toBe((4096 + 2048) * 4096);
  });

  it("trace replay mixing both: the fluid level counts list pages as distinct from the rest", () => {
    const trace = parseDirtyTrace(
      "2s rate 10MiB/s\n1s pages 0-4095\n5s rate 20MiB/s\n",
      "mixed.trace",
    );
    const f = dirtied(vm({ model: "trace", trace }), "fluid");
    const p = dirtied(vm({ model: "trace", trace }), "page");
    // 20 MiB + 16 MiB + 100 MiB; the page level finds the list pages the rate part had already
    // dirtied (about 12 % of 16 MiB), an overlap the fluid level does not see.
    expect(f[0]! / MiB).toBeCloseTo(136, 6);
    expect(p[0]!).toBeLessThan(f[0]!);
    expect(p[0]! / f[0]!).toBeGreaterThan(0.98);
  });
});
