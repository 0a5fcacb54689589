import { FluidSystem, Simulation } from "@vx/core";
import { describe, expect, it } from "vitest";
import { GuestCpu, migrate, prepareMigration, startMigration } from "../src/index.js";

describe("CloudSim-compatible migration", () => {
  it("870 MB over 1 Gbit/s takes RAM / (50 % of the bandwidth) = 13.92 s", () => {
    const r = migrate({ ram: "870MB" }, { strategy: "cloudsim", link: { bandwidth: "1Gbps" } });
    expect(r.outcome).toBe("completed");
    expect(r.totalTimeSeconds).toBeCloseTo(13.92, 12);
    expect(r.downtimeSeconds).toBe(0);
    expect(r.bytesSent.total).toBe(870e6);
    expect(r.rounds).toHaveLength(1);
  });

  it("ignores dirtying and contention: two migrations on one link each take the same 13.92 s", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "link", capacity: 125e6 });
    const plan = prepareMigration(
      { ram: "870MB", dirty: { model: "uniform", rate: "1GB/s" } },
      { strategy: "cloudsim" },
    );
    const a = startMigration({ sim, fluid }, plan, { route: { resources: [link] }, name: "a" });
    const b = startMigration({ sim, fluid }, plan, { route: { resources: [link] }, name: "b" });
    sim.run();
    expect(a.result!.totalTimeSeconds).toBeCloseTo(13.92, 12);
    expect(b.result!.totalTimeSeconds).toBeCloseTo(13.92, 12);
  });

  it("takes 10 % of the VM's CPU while it migrates (CloudSim's PDM)", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "link", capacity: 125e6 });
    const src = fluid.resource({ name: "src", capacity: 2e9 });
    const dst = fluid.resource({ name: "dst", capacity: 2e9 });
    const cpu = new GuestCpu(fluid, { host: src, coreSpeed: 1e9 });
    const plan = prepareMigration({ ram: "870MB" }, { strategy: "cloudsim" });
    const m = startMigration({ sim, fluid }, plan, {
      route: { resources: [link] },
      cpu,
      destinationCpu: dst,
    });
    sim.run({ until: 20 });
    expect(m.result!.throttleSteps.map((s) => s.value)).toEqual([0.1, 0]);
    // 13.92 s at 90 % of a core, then 6.08 s at a full core, now on the destination.
    expect(cpu.work).toBeCloseTo(13.92 * 0.9e9 + 6.08 * 1e9, 0);
    expect(cpu.host).toBe(dst);
  });
});
