import { FluidSystem, Simulation, VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  compareStrategies,
  LIMIT_DEFAULTS,
  MAX_ROUNDS_LIMIT,
  migrate,
  prepareMigration,
  ROUND_RECORDS_KEPT,
  STRATEGIES,
  startMigration,
} from "../src/index.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe("the time cap bounds every strategy", () => {
  it("64 GiB over 1 kbit/s: every strategy stops at the 1-day default, none runs on", () => {
    // Round 0 alone would take 17 years; post-copy as long. Each stops at 86,400 s.
    const results = compareStrategies({ ram: "64GiB" }, { link: { bandwidth: "1kbps" } });
    expect(results.map((r) => r.strategy)).toEqual(STRATEGIES);
    for (const r of results) {
      expect(r.outcome).toBe("did-not-converge");
      expect(r.totalTimeSeconds).toBe(LIMIT_DEFAULTS.maxTime);
      expect(r.reason).toMatch(/time cap \(24 h\)/);
      // What was sent is what the link carried until then (1 kbit/s = 125 B/s), not the plan.
      expect(r.bytesSent.total).toBeLessThanOrEqual(125 * 86_400 + 1e-6);
    }
    const qemu = results[0]!;
    expect(qemu.bytesSent.total).toBeCloseTo(125 * 86_400, 6);
    expect(qemu.reason).toMatch(/keeps running on the source/);
    expect(qemu.downtimeSeconds).toBe(0);
  });

  it("post-copy over 1 bit/s stops at the time cap with the VM on the destination", () => {
    for (const maxTime of ["1h", "10000d"]) {
      const r = migrate(
        { ram: "1GiB" },
        { strategy: "postcopy", link: { bandwidth: "1bps" }, limits: { maxTime } },
      );
      expect(r.outcome).toBe("did-not-converge");
      expect(r.totalTimeSeconds).toBe(maxTime === "1h" ? 3600 : 864_000_000);
      expect(r.reason).toMatch(/post-copy had not finished .* runs on the destination/);
      expect(r.postcopy.switchSeconds).toBe(0);
    }
  });

  it("a time cap during the stop-and-copy resumes the VM on the source", () => {
    // 1 GiB at 128 MiB/s (8 s), then the dirtied 1 MiB/s × 8 s = 8 MiB pass the test
    // (≤ 128 MiB/s × 300 ms) and go in a stop-and-copy of 62.5 ms: the cap at 8.05 s strikes it.
    const r = migrate(
      { ram: "1GiB", dirty: { model: "uniform", rate: "1MiB/s" } },
      { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" }, limits: { maxTime: "8.05s" } },
    );
    expect(r.outcome).toBe("did-not-converge");
    expect(r.reason).toMatch(/during the stop-and-copy; the VM resumes on the source/);
    expect(r.totalTimeSeconds).toBeCloseTo(8.05, 12);
    expect(r.downtimeSeconds).toBeCloseTo(0.05, 9);
    // Round 0, then 0.05 s of the 8 MiB stop-and-copy at 128 MiB/s.
    expect(r.bytesSent.total).toBeCloseTo(GiB + 0.05 * 128 * MiB, 3);
  });

  it("CloudSim's delay and the closed form stop at the time cap too", () => {
    for (const strategy of ["cloudsim", "analytic"] as const) {
      // CloudSim: 8 GiB / (50 % of 1 Gbit/s) = 137 s; the closed form: 8 GiB / 128 MiB/s = 64 s.
      const r = migrate(
        { ram: "8GiB" },
        { strategy, link: { bandwidth: "1Gbps" }, limits: { maxTime: "30s" } },
      );
      expect(r.outcome).toBe("did-not-converge");
      expect(r.totalTimeSeconds).toBe(30);
    }
  });

  it("the closed form keeps the rounds that ended before the cap", () => {
    // 4 GiB at 128 MiB/s with 32 MiB/s of dirtying: rounds of 32, 8, 2, 0.5 s (42.5 s in all).
    const r = migrate(
      { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
      { strategy: "analytic", link: { bandwidth: "10Gbps" }, limits: { maxTime: "41s" } },
    );
    expect(r.outcome).toBe("did-not-converge");
    expect(r.rounds.map((x) => x.bytes / MiB)).toEqual([4096, 1024]);
    // Rounds 0 and 1 (40 s), then 1 s of round 2 at 128 MiB/s.
    expect(r.bytesSent.total / MiB).toBeCloseTo(4096 + 1024 + 128, 6);
  });
});

describe("migrations that share a time cap instant", () => {
  /** 100 migrations started at 0 with a 100 s cap; those at `slow` indices cannot finish in time. */
  function storm(slow: (i: number) => boolean): { sim: Simulation; ended: string[] } {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const plan = prepareMigration(
      { ram: "1GiB" },
      { strategy: "precopy-qemu", limits: { maxTime: "100s" } },
    );
    const ended: string[] = [];
    for (let i = 0; i < 100; i++) {
      // 1 GiB under QEMU's default 128 MiB/s cap takes 8 s; at 10 Mbit/s, 859 s.
      const link = fluid.resource({ name: `l${i}`, capacity: slow(i) ? 1.25e6 : 1.25e9 });
      startMigration({ sim, fluid }, plan, {
        route: { resources: [link] },
        name: `vm${i}`,
        onEnd: (r) =>
          ended.push(`${r.name} ${r.outcome} ${r.totalTimeSeconds >= 100 ? "at-cap" : "early"}`),
      });
    }
    sim.run();
    return { sim, ended };
  }

  it("the ones still running reach the cap at 100 s, in the order they started", () => {
    // 90 end early (the group drops them as they end), 10 reach the cap.
    const { sim, ended } = storm((i) => i % 10 === 7);
    expect(sim.now).toBe(100);
    expect(ended.slice(0, 90).every((e) => e.endsWith("completed early"))).toBe(true);
    expect(ended.slice(90)).toEqual(
      Array.from({ length: 10 }, (_, k) => `vm${10 * k + 7} did-not-converge at-cap`),
    );
  });

  it("when every one ends before the cap, the cap's event goes too: the run ends with the last", () => {
    const { sim, ended } = storm(() => false);
    expect(ended).toHaveLength(100);
    expect(sim.now).toBeCloseTo(8, 6);
  });
});

describe("the closed form sees link failures", () => {
  it("a link failure during round 0 aborts it at that instant, with what was sent", () => {
    const r = migrate(
      { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
      {
        strategy: "analytic",
        link: { bandwidth: "10Gbps" },
        faults: [{ at: "5s", target: "link" }],
      },
    );
    expect(r.outcome).toBe("aborted");
    expect(r.totalTimeSeconds).toBe(5);
    expect(r.reason).toMatch(/link/);
    expect(r.bytesSent.total).toBe(5 * 128 * MiB);
    expect(r.rounds).toEqual([]);
  });

  it("a link failure during the estimated stop-and-copy resumes the VM on the source", () => {
    // Pre-copy ends at 42.5 s; the 16 MiB stop-and-copy would end at 42.625 s.
    const r = migrate(
      { ram: "4GiB", dirty: { model: "uniform", rate: "32MiB/s" } },
      {
        strategy: "analytic",
        link: { bandwidth: "10Gbps" },
        faults: [{ at: "42.6s", target: "link" }],
      },
    );
    expect(r.outcome).toBe("aborted");
    expect(r.downtimeSeconds).toBeCloseTo(0.1, 9);
    expect(r.rounds).toHaveLength(4);
  });
});

describe("a route that is down from the start", () => {
  it.each(STRATEGIES.filter((x) => x !== "cloudsim" && x !== "analytic"))(
    "%s: a migration started on a link at capacity 0 ends at once (not at the time cap)",
    (strategy) => {
      const sim = new Simulation();
      const fluid = new FluidSystem(sim);
      const link = fluid.resource({ name: "l", capacity: 0 });
      const m = startMigration({ sim, fluid }, prepareMigration({ ram: "1GiB" }, { strategy }), {
        route: { resources: [link] },
      });
      sim.run();
      expect(["aborted", "vm-lost"]).toContain(m.outcome);
      expect(m.result!.totalTimeSeconds).toBe(0);
      expect(m.result!.bytesSent.total).toBe(0);
    },
  );
});

describe("bytes sent by an interrupted transfer", () => {
  it.each(["precopy-qemu", "precopy-xen", "precopy-simgrid", "postcopy"] as const)(
    "%s: a link failure at 3 s counts only the bytes that crossed",
    (strategy) => {
      // Round 0 (or the post-copy stream) runs at the strategy's first rate for 3 s: the 1 Gbit/s
      // link (below QEMU's 128 MiB/s), or legacy Xen's 100 Mbit/s.
      const rate = {
        "precopy-qemu": 125e6,
        "precopy-xen": 100e6 / 8,
        "precopy-simgrid": 125e6,
        postcopy: 125e6,
      }[strategy];
      const r = migrate(
        { ram: "1GiB" },
        { strategy, link: { bandwidth: "1Gbps" }, faults: [{ at: "3s", target: "link" }] },
      );
      expect(["aborted", "vm-lost"]).toContain(r.outcome);
      expect(r.bytesSent.total).toBeCloseTo(3 * rate, 3);
    },
  );
});

describe("the round cap and bounded results", () => {
  it(`more than ${MAX_ROUNDS_LIMIT} rounds is refused before anything runs`, () => {
    try {
      migrate(
        { ram: "1GiB" },
        { strategy: "precopy-qemu", link: { bandwidth: "1Gbps" }, limits: { maxRounds: 1e7 } },
      );
      expect.unreachable();
    } catch (e) {
      expect(VxError.isInstance(e)).toBe(true);
      expect((e as VxError).code).toBe("VX_MIGRATION_BAD_OPTIONS");
      expect((e as VxError).path).toEqual(["limits", "maxRounds"]);
      expect((e as VxError).message).toMatch(/at most 100000 rounds/);
    }
  });

  it(`a run of 3,000 rounds lists ${ROUND_RECORDS_KEPT} and sums the others`, () => {
    // 64 MiB dirtied at 1 GiB/s is fully dirty every round: each round resends 64 MiB.
    const r = migrate(
      { ram: "64MiB", dirty: { model: "uniform", rate: "1GiB/s" } },
      { strategy: "precopy-qemu", link: { bandwidth: "10Gbps" }, limits: { maxRounds: 3000 } },
    );
    expect(r.outcome).toBe("did-not-converge");
    expect(r.roundCount).toBe(3000);
    expect(r.rounds).toHaveLength(ROUND_RECORDS_KEPT);
    const half = ROUND_RECORDS_KEPT / 2;
    expect(r.rounds[half - 1]!.index).toBe(half - 1);
    expect(r.rounds[half]!.index).toBe(3000 - half);
    expect(r.rounds[ROUND_RECORDS_KEPT - 1]!.index).toBe(2999);
    const omitted = r.omittedRounds!;
    expect(omitted.fromIndex).toBe(half);
    expect(omitted.count).toBe(3000 - ROUND_RECORDS_KEPT);
    expect(omitted.bytes).toBe(omitted.count * 64 * MiB);
    // Listed and omitted rounds account for every byte and every second.
    let bytes = omitted.bytes;
    let seconds = omitted.durationSeconds;
    for (const x of r.rounds) {
      bytes += x.bytes;
      seconds += x.durationSeconds;
    }
    expect(bytes).toBe(r.bytesSent.total);
    expect(seconds).toBeCloseTo(r.totalTimeSeconds, 6);
    // The time series is bounded too, and ends with the last point.
    expect(r.series.timesSeconds.length).toBeLessThanOrEqual(2 * ROUND_RECORDS_KEPT + 1);
    expect(r.series.timesSeconds.at(-1)).toBeCloseTo(r.totalTimeSeconds, 9);
  });

  it("roundRecords: 0 lists no round and sums all of them; 3 lists the first 2 and the last", () => {
    const vm = { ram: "64MiB", dirty: { model: "uniform", rate: "1GiB/s" } } as const;
    const options = {
      strategy: "precopy-qemu",
      link: { bandwidth: "10Gbps" },
      limits: { maxRounds: 10 },
    } as const;
    const all = migrate(vm, options);
    const none = migrate(vm, { ...options, roundRecords: 0 });
    const three = migrate(vm, { ...options, roundRecords: 3 });
    expect(all.roundCount).toBe(10);
    expect(all.rounds).toHaveLength(10);
    // Everything but the listing is the same.
    for (const r of [none, three]) {
      expect(r.roundCount).toBe(10);
      expect(r.totalTimeSeconds).toBe(all.totalTimeSeconds);
      expect(r.bytesSent).toEqual(all.bytesSent);
    }
    expect(none.rounds).toEqual([]);
    const sum = (key: "bytes" | "durationSeconds" | "pages" | "dirtyBytes") =>
      all.rounds.reduce((a, x) => a + x[key], 0);
    expect(none.omittedRounds).toEqual({
      fromIndex: 0,
      count: 10,
      durationSeconds: sum("durationSeconds"),
      bytes: sum("bytes"),
      pages: sum("pages"),
      dirtyBytes: sum("dirtyBytes"),
      skippedBytes: 0,
    });
    expect(three.rounds.map((x) => x.index)).toEqual([0, 1, 9]);
    expect(three.rounds).toEqual([all.rounds[0], all.rounds[1], all.rounds[9]]);
    expect(three.omittedRounds).toMatchObject({ fromIndex: 2, count: 7 });
    expect(three.omittedRounds!.bytes).toBe(7 * 64 * MiB);
  });

  it("roundRecords outside the integers 0 … 100000 is refused with its path", () => {
    for (const roundRecords of [-1, 1.5, MAX_ROUNDS_LIMIT + 1]) {
      expect(() =>
        prepareMigration({ ram: "1GiB" }, { strategy: "precopy-qemu", roundRecords }),
      ).toThrowVx("VX_MIGRATION_BAD_OPTIONS", ["roundRecords"]);
    }
  });

  it("a short run lists every round and omits none", () => {
    const r = migrate({ ram: "1GiB" }, { strategy: "precopy-qemu", link: { bandwidth: "1Gbps" } });
    expect(r.roundCount).toBe(r.rounds.length);
    expect(r.omittedRounds).toBeNull();
  });

  it("legacy Xen gives up at the round cap when it is below its 30 iterations", () => {
    const r = migrate(
      { ram: "1GiB", workingSet: "16MiB", dirty: { model: "hot-cold", rate: "100MB/s" } },
      {
        strategy: "precopy-xen",
        link: { bandwidth: "10Gbps" },
        xen: { skipRedirtied: false },
        limits: { maxRounds: 5 },
      },
    );
    expect(r.outcome).toBe("did-not-converge");
    expect(r.roundCount).toBe(5);
  });
});

describe("a rate cap changed while the migration runs", () => {
  it("QEMU: 1 GiB at 128 MiB/s, capped at 64 MiB/s from 4 s on, ends at 12 s in one round", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "l", capacity: 1.25e9 });
    const m = startMigration(
      { sim, fluid },
      prepareMigration({ ram: "1GiB" }, { strategy: "precopy-qemu" }),
      { route: { resources: [link] } },
    );
    sim.schedule(4, () => expect(m.setMaxBandwidth("64MiB/s")).toBe(true));
    sim.run();
    const r = m.result!;
    expect(r.outcome).toBe("completed");
    // 512 MiB in 4 s, the other 512 MiB at 64 MiB/s in 8 s: the same round, not a restart.
    expect(r.totalTimeSeconds).toBeCloseTo(12, 9);
    expect(r.rounds.map((x) => x.phase)).toEqual(["precopy", "stop-and-copy"]);
    expect(r.bytesSent.total).toBe(GiB);
    expect(m.setMaxBandwidth("1GiB/s")).toBe(false); // ended
  });

  it("SimGrid's speed and post-copy's cap change the same way; CloudSim has no stream", () => {
    for (const [strategy, expected] of [
      ["precopy-simgrid", 12],
      ["postcopy", 12],
    ] as const) {
      const sim = new Simulation();
      const fluid = new FluidSystem(sim);
      const link = fluid.resource({ name: "l", capacity: 128 * MiB });
      const m = startMigration({ sim, fluid }, prepareMigration({ ram: "1GiB" }, { strategy }), {
        route: { resources: [link] },
      });
      sim.schedule(4, () => m.setMaxBandwidth(64 * MiB));
      sim.run();
      expect(m.result!.totalTimeSeconds).toBeCloseTo(expected, 9);
    }
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "l", capacity: 128 * MiB });
    const m = startMigration(
      { sim, fluid },
      prepareMigration({ ram: "1GiB" }, { strategy: "cloudsim" }),
      {
        route: { resources: [link] },
      },
    );
    expect(m.setMaxBandwidth(64 * MiB)).toBe(false);
    expect(() => m.setMaxBandwidth(0)).toThrow(/rate/);
  });
});
