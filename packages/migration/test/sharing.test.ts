import { FluidSystem, Simulation } from "@vx/core";
import { describe, expect, it } from "vitest";
import { type Migration, prepareMigration, startMigration } from "../src/index.js";

describe("concurrent migrations share the links they cross", () => {
  it("two post-copy migrations on one link take twice as long as one", () => {
    const times = (n: number): number[] => {
      const sim = new Simulation();
      const fluid = new FluidSystem(sim);
      const link = fluid.resource({ name: "link", capacity: 1.25e9 });
      const plan = prepareMigration({ ram: "4GiB" }, { strategy: "postcopy" });
      const ms: Migration[] = [];
      for (let i = 0; i < n; i++) {
        ms.push(
          startMigration({ sim, fluid }, plan, { route: { resources: [link] }, name: `vm${i}` }),
        );
      }
      sim.run();
      return ms.map((m) => m.result!.totalTimeSeconds);
    };
    const [one] = times(1);
    const two = times(2);
    expect(two[0]).toBeCloseTo(2 * one!, 9);
    expect(two[1]).toBeCloseTo(2 * one!, 9);
  });

  it("a storm of SimGrid-compatible migrations between host pairs: each pair at its own pace", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const plan = prepareMigration({ ram: "1GiB" }, { strategy: "precopy-simgrid" });
    const ms: Migration[] = [];
    for (let h = 0; h < 20; h += 2) {
      const up = fluid.resource({ name: `h${h}.up`, capacity: 1.25e9 });
      const down = fluid.resource({ name: `h${h + 1}.down`, capacity: 1.25e9 });
      // Host pair h sends h/2 + 1 VMs.
      for (let v = 0; v <= h / 2; v++) {
        ms.push(
          startMigration({ sim, fluid }, plan, {
            route: { resources: [up, down] },
            name: `h${h}-vm${v}`,
          }),
        );
      }
    }
    sim.run();
    for (const m of ms) {
      const pair = Number(/^h(\d+)/.exec(m.name)![1]) / 2;
      expect(m.result!.totalTimeSeconds).toBeCloseTo(((pair + 1) * 2 ** 30) / 1.25e9, 6);
    }
  });

  it("startMigration also takes inline options with the VM, validated on the spot", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const link = fluid.resource({ name: "link", capacity: 1.25e9 });
    const m = startMigration(
      { sim, fluid },
      { vm: { ram: "1.25GB" }, strategy: "postcopy" },
      { route: { resources: [link] } },
    );
    sim.run();
    expect(m.result!.totalTimeSeconds).toBeCloseTo(1, 12);
    expect(() =>
      startMigration(
        { sim, fluid },
        { vm: { ram: -1 }, strategy: "postcopy" },
        { route: { resources: [link] } },
      ),
    ).toThrow(/vm\.ram/);
  });
});
