import { FluidSystem, Simulation } from "@vx/core";
import { describe, expect, it } from "vitest";
import { GuestCpu, migrate, prepareMigration, startMigration } from "../src/index.js";

const VM = { ram: "1GiB", dirty: { model: "uniform" as const, rate: "8MiB/s" } };
const LINK = { bandwidth: "1Gbps" };

describe("failures during pre-copy", () => {
  it.each([
    ["link", "aborted"],
    ["destination", "aborted"],
    ["source", "vm-lost"],
  ] as const)("a %s failure in round 0 ends the migration %s", (target, outcome) => {
    const r = migrate(VM, { strategy: "precopy-qemu", link: LINK, faults: [{ at: "3s", target }] });
    expect(r.outcome).toBe(outcome);
    expect(r.totalTimeSeconds).toBeCloseTo(3, 9);
    expect(r.downtimeSeconds).toBe(0);
    expect(r.sourceMemoryFreedSeconds).toBeNull();
    expect(r.reason).toContain(target === "link" ? "link" : target);
  });

  it("a link failure during the stop-and-copy resumes the VM on the source", () => {
    // Round 0: 1 GiB in 8.590 s; round 1: 72.1 MB in 0.576 s (ends 9.166 s); the stop-and-copy
    // of 4.8 MB would end at 9.205 s.
    const r = migrate(VM, {
      strategy: "precopy-qemu",
      link: LINK,
      faults: [{ at: "9.18s", target: "link" }],
    });
    expect(r.outcome).toBe("aborted");
    expect(r.rounds.map((x) => x.phase)).toEqual(["precopy", "precopy"]);
    const stopStart = 2 ** 30 / 125e6 + (8 * 2 ** 20 * (2 ** 30 / 125e6)) / 125e6;
    expect(r.downtimeSeconds).toBeCloseTo(9.18 - stopStart, 9);
  });

  it("Xen and SimGrid migrations abort the same way", () => {
    for (const strategy of ["precopy-xen", "precopy-simgrid"] as const) {
      const r = migrate(VM, { strategy, link: LINK, faults: [{ at: "1s", target: "link" }] });
      expect(r.outcome).toBe("aborted");
    }
  });

  it("SimGrid: once the destination resumed the VM, a failure during the acknowledgement changes nothing", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "l", capacity: 125e6 });
    const m = startMigration(
      { sim, fluid },
      prepareMigration({ ram: "125MB" }, { strategy: "precopy-simgrid" }),
      {
        route: { resources: [link], latencySeconds: 0.5 },
      },
    );
    // Stage 1 ends at 1.5 s, the empty stage 3 at 2 s, the acknowledgement arrives at 2.5 s.
    sim.schedule(2.2, () => m.fail("source"));
    sim.run();
    expect(m.outcome).toBe("completed");
    expect(m.result!.totalTimeSeconds).toBeCloseTo(2.5, 12);
    expect(m.result!.downtimeSeconds).toBeCloseTo(0.5, 12);
  });

  it("a failure after completion changes nothing", () => {
    const r = migrate(
      { ram: "128MiB" },
      {
        strategy: "precopy-qemu",
        link: LINK,
        faults: [{ at: "100s", target: "source" }],
      },
    );
    expect(r.outcome).toBe("completed");
  });
});

describe("failures during post-copy", () => {
  it.each(["link", "source", "destination"] as const)("a %s failure loses the VM", (target) => {
    const r = migrate(VM, { strategy: "postcopy", link: LINK, faults: [{ at: "2s", target }] });
    expect(r.outcome).toBe("vm-lost");
    expect(r.totalTimeSeconds).toBeCloseTo(2, 9);
  });

  it("with postcopy-recovery a link failure pauses it instead; a host failure still loses it", () => {
    const paused = migrate(VM, {
      strategy: "postcopy",
      link: LINK,
      postcopy: { recovery: true },
      faults: [{ at: "2s", target: "link" }],
    });
    expect(paused.outcome).toBe("paused");
    expect(paused.reason).toMatch(/postcopy-recovery/);
    const lost = migrate(VM, {
      strategy: "postcopy",
      link: LINK,
      postcopy: { recovery: true },
      faults: [{ at: "2s", target: "destination" }],
    });
    expect(lost.outcome).toBe("vm-lost");
  });

  it("hybrid: a failure in its pre-copy round aborts, one in its post-copy phase loses the VM", () => {
    const early = migrate(VM, {
      strategy: "hybrid",
      link: LINK,
      faults: [{ at: "2s", target: "link" }],
    });
    expect(early.outcome).toBe("aborted");
    const late = migrate(VM, {
      strategy: "hybrid",
      link: LINK,
      faults: [{ at: "8.7s", target: "link" }],
    });
    expect(late.outcome).toBe("vm-lost");
  });
});

describe("failures in a shared simulation", () => {
  it("a link at zero capacity fails every migration crossing it as an outcome, not an exception", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "spine", capacity: 125e6 });
    const other = fluid.resource({ name: "other", capacity: 125e6 });
    const plan = prepareMigration(VM, { strategy: "precopy-qemu" });
    const a = startMigration({ sim, fluid }, plan, { route: { resources: [link] }, name: "a" });
    const b = startMigration({ sim, fluid }, plan, { route: { resources: [link] }, name: "b" });
    const c = startMigration({ sim, fluid }, plan, { route: { resources: [other] }, name: "c" });
    sim.schedule(5, () => fluid.setCapacity(link, 0));
    sim.run();
    expect(a.outcome).toBe("aborted");
    expect(b.outcome).toBe("aborted");
    expect(a.result!.reason).toContain("spine");
    expect(c.outcome).toBe("completed");
  });

  it("cancel aborts a pre-copy migration and resumes a paused guest; post-copy cannot be cancelled", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "l", capacity: 125e6 });
    const cpuRes = fluid.resource({ name: "cpu", capacity: 1e9 });
    const cpu = new GuestCpu(fluid, { host: cpuRes, coreSpeed: 1e9 });
    const m = startMigration({ sim, fluid }, prepareMigration(VM, { strategy: "precopy-qemu" }), {
      route: { resources: [link] },
      cpu,
    });
    sim.run({ until: 1 });
    expect(m.cancel()).toBe(true);
    expect(m.cancel()).toBe(false);
    expect(m.outcome).toBe("aborted");
    expect(cpu.running).toBe(true);
    const p = startMigration({ sim, fluid }, prepareMigration(VM, { strategy: "postcopy" }), {
      route: { resources: [link] },
      name: "p",
    });
    sim.run({ until: 2 });
    expect(p.cancel()).toBe(false);
    // The guest's CPU load runs forever: run until the migration has ended.
    sim.run({ until: () => p.result !== undefined });
    expect(p.outcome).toBe("completed");
  });

  it("a process can wait for a migration", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "l", capacity: 125e6 });
    const m = startMigration(
      { sim, fluid },
      prepareMigration({ ram: "125MB" }, { strategy: "postcopy" }),
      {
        route: { resources: [link] },
      },
    );
    let seen = "";
    sim.process(
      (function* () {
        const r = yield* m.done;
        seen = `${r.outcome} at ${sim.now}`;
      })(),
    );
    sim.run();
    expect(seen).toBe("completed at 1");
  });
});
