import { describe, expect, it } from "vitest";
import { type MigrationResult, migrate } from "../src/index.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const BUSY = {
  ram: "1GiB",
  workingSet: "128MiB",
  freePages: "25%",
  dirty: { model: "hot-cold" as const, rate: "64MiB/s" },
};
const LINK = { bandwidth: "1Gbps", latency: "100us" };

function run(
  strategy: "postcopy" | "postcopy-enlightened" | "hybrid",
  fidelity: "fluid" | "page",
  prepaging = true,
): MigrationResult {
  return migrate(BUSY, { strategy, fidelity, link: LINK, postcopy: { prepaging } });
}

describe("post-copy", () => {
  it("switches at once and sends every page exactly once", () => {
    const r = run("postcopy", "page");
    expect(r.outcome).toBe("completed");
    expect(r.postcopy.switchSeconds).toBe(0);
    expect(r.bytesSent.total).toBe(GiB);
    expect(r.pages!.sent).toBe(GiB / 4096);
    expect(r.pages!.duplicated).toBe(0);
    expect(r.pages!.redundant).toBe(0);
    expect(r.pages!.lost).toBe(0);
    expect(r.postcopy.pushedBytes + r.postcopy.faultBytes).toBeCloseTo(GiB, 0);
    // The link is never idle: the total time is the image over the link, plus one latency.
    expect(r.totalTimeSeconds).toBeCloseTo(GiB / 125e6 + 100e-6, 9);
    // The downtime is the switch: one latency to get the CPU state across.
    expect(r.downtimeSeconds).toBeCloseTo(100e-6, 12);
    expect(r.sourceCpuReleasedSeconds).toBe(0);
    expect(r.sourceMemoryFreedSeconds).toBeCloseTo(r.totalTimeSeconds, 9);
  });

  it("faults on the working set stall the guest one round trip plus a page each", () => {
    const r = run("postcopy", "page", false);
    expect(r.postcopy.faults).toBeGreaterThan(1000);
    const perFault = 2 * 100e-6 + 4096 / 125e6;
    expect(r.postcopy.stallSeconds).toBeCloseTo(r.postcopy.faults * perFault, 6);
    expect(r.pages!.faulted).toBe(r.postcopy.faults);
  });

  it("pre-paging (the push restarting past the faulting page) cuts the faults", () => {
    const withPrepaging = run("postcopy", "page", true);
    const without = run("postcopy", "page", false);
    expect(withPrepaging.postcopy.faults).toBeLessThan(without.postcopy.faults);
  });

  it("an idle guest has no faults", () => {
    const r = migrate({ ram: "1GiB" }, { strategy: "postcopy", fidelity: "page", link: LINK });
    expect(r.postcopy.faults).toBe(0);
    expect(r.postcopy.pushedBytes).toBe(GiB);
  });

  it("a 1 GiB huge page takes about a second to fetch at 10 Gbit/s and blocks the faulting vCPU", () => {
    const r = migrate(
      {
        ram: "8GiB",
        pageSize: "1GiB",
        workingSet: "1GiB",
        dirty: { model: "hot-cold", rate: "1GiB/s" },
      },
      {
        strategy: "postcopy",
        fidelity: "page",
        link: { bandwidth: "10Gbps", latency: "50us" },
        postcopy: { prepaging: false },
      },
    );
    expect(r.postcopy.faults).toBe(1);
    expect(r.postcopy.stallSeconds).toBeGreaterThan(0.8);
    expect(r.postcopy.stallSeconds).toBeLessThan(1.0);
  });

  it("page and fluid fidelity agree on faults within 2 % without pre-paging", () => {
    for (const strategy of ["postcopy", "postcopy-enlightened", "hybrid"] as const) {
      const page = run(strategy, "page", false);
      const fluid = run(strategy, "fluid", false);
      expect(page.totalTimeSeconds).toBeCloseTo(fluid.totalTimeSeconds, 6);
      expect(page.bytesSent.total / fluid.bytesSent.total).toBeCloseTo(1, 4);
      expect(Math.abs(page.postcopy.faults / fluid.postcopy.faults - 1)).toBeLessThan(0.02);
    }
  });
});

describe("the planner's VM (examples/migration-planner): a regression check, not a validation", () => {
  // Hines & Gopalan (VEE 2009) report network faults within 21 % of the working set with
  // pre-paging, for their workloads (SPECweb, kernel compile, ...), whose traces are not
  // available. vx's figure for this VM happens to be about the same; it follows from the
  // hot/cold dirtying model, not from pre-paging (which changes it by well under a point here),
  // so this pins vx's own output and does not reproduce their result.
  const PLANNER = {
    ram: "16GiB",
    workingSet: "1GiB",
    freePages: "20%",
    zeroPages: "5%",
    dirty: { model: "hot-cold" as const, rate: "400MiB/s", hotShare: "90%" },
  };
  const link = { bandwidth: "10Gbps", latency: "100us" };
  const share = (r: MigrationResult): number => (r.postcopy.faults * 4096) / GiB;

  it("faults on 21 % of the working set at page level (fluid within 1 %), 10 % when enlightened", () => {
    const page = migrate(PLANNER, { strategy: "postcopy", fidelity: "page", link, seed: 42 });
    const fluid = migrate(PLANNER, { strategy: "postcopy", link });
    expect(share(page)).toBeGreaterThan(0.205);
    expect(share(page)).toBeLessThan(0.215);
    expect(Math.abs(share(fluid) / share(page) - 1)).toBeLessThan(0.01);
    const enlightened = migrate(PLANNER, { strategy: "postcopy-enlightened", link });
    expect(share(enlightened)).toBeGreaterThan(0.095);
    expect(share(enlightened)).toBeLessThan(0.105);
  });

  it("pre-paging changes the faults by under a point of the working set here", () => {
    const on = migrate(PLANNER, { strategy: "postcopy", fidelity: "page", link, seed: 42 });
    const off = migrate(PLANNER, {
      strategy: "postcopy",
      fidelity: "page",
      link,
      seed: 42,
      postcopy: { prepaging: false },
    });
    expect(Math.abs(share(on) - share(off))).toBeLessThan(0.01);
  });
});

describe("enlightened post-copy", () => {
  it("never sends the guest's free pages and frees the source sooner", () => {
    const plain = run("postcopy", "page");
    const e = run("postcopy-enlightened", "page");
    expect(e.bytesSent.total).toBe(0.75 * GiB);
    expect(e.pages!.lost).toBe(0);
    expect(e.pages!.duplicated).toBe(0);
    expect(e.sourceMemoryFreedSeconds!).toBeLessThan(plain.sourceMemoryFreedSeconds!);
    expect(e.sourceCpuReleasedSeconds).toBe(0);
  });

  it("pushes the working set first, so the guest faults far less", () => {
    for (const fidelity of ["fluid", "page"] as const) {
      const plain = run("postcopy", fidelity, false);
      const e = run("postcopy-enlightened", fidelity, false);
      expect(e.postcopy.faults).toBeLessThan(0.25 * plain.postcopy.faults);
    }
  });
});

describe("hybrid", () => {
  it("one pre-copy round, then post-copy for what the round left dirty", () => {
    for (const fidelity of ["fluid", "page"] as const) {
      const r = run("hybrid", fidelity);
      expect(r.rounds.map((x) => x.phase)).toEqual(["precopy", "postcopy"]);
      expect(r.rounds[0]!.bytes).toBe(GiB);
      // Round 0 leaves the 128 MiB working set dirty: post-copy fetches it, once.
      expect(r.rounds[1]!.bytes).toBeCloseTo(128 * MiB, 0);
      expect(r.postcopy.switchSeconds).toBeCloseTo(GiB / 125e6, 9);
      expect(r.sourceCpuReleasedSeconds).toBeCloseTo(GiB / 125e6, 9);
      if (fidelity === "page") expect(r.pages!.lost).toBe(0);
    }
  });

  it("completes as pre-copy when QEMU's switch-over test passes first", () => {
    const r = migrate(
      { ram: "1GiB", dirty: { model: "uniform", rate: "1MiB/s" } },
      { strategy: "hybrid", link: LINK, hybrid: { precopyRounds: 3 } },
    );
    // 8.6 MiB dirtied during round 0 fit in 300 ms at 1 Gbit/s.
    expect(r.rounds.map((x) => x.phase)).toEqual(["precopy", "stop-and-copy"]);
    expect(r.postcopy.switchSeconds).toBeNull();
  });
});
