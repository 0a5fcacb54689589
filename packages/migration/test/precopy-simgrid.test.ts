import { FluidSystem, type Resource, Simulation } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  GuestCpu,
  type Migration,
  prepareMigration,
  type SimGridLink,
  SimGridNetwork,
  startMigration,
} from "../src/index.js";

/** SimGrid's examples/platforms/small_platform.xml: the links on the routes used below. */
const LINKS: Record<string, readonly [bandwidthBps: number, latencyS: number]> = {
  "0": [41.279125e6, 59.904e-6],
  "1": [34.285625e6, 514.433e-6],
  "2": [118.6825e6, 136.931e-6],
  "3": [34.285625e6, 514.433e-6],
  "4": [10.099625e6, 479.78e-6],
  "6": [41.279125e6, 59.904e-6],
  "7": [11.618875e6, 189.98e-6],
  "8": [8.158e6, 270.544e-6],
};
/** Routes of small_platform (Fafard to Tremblay and to Bourassa). */
const FAFARD_TREMBLAY = ["8", "1", "0", "2", "3", "4"];
const FAFARD_BOURASSA = ["8", "6", "7"];

function smallPlatform(): {
  sim: Simulation;
  fluid: FluidSystem;
  route: (ids: readonly string[]) => ReturnType<SimGridNetwork["route"]>;
} {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const net = new SimGridNetwork(fluid);
  const links = new Map<string, SimGridLink>();
  for (const [id, [bandwidth, latency]] of Object.entries(LINKS)) {
    links.set(id, net.link({ name: id, bandwidth, latency }));
  }
  return { sim, fluid, route: (ids) => net.route(ids.map((id) => links.get(id)!)) };
}

describe("SimGrid-compatible pre-copy on SimGrid's small platform (examples/cpp/cloud-migration)", () => {
  it("an idle 1e9-byte VM migrates Fafard → Tremblay in 132.766 s", () => {
    const { sim, fluid, route } = smallPlatform();
    const plan = prepareMigration({ ram: 1e9 }, { strategy: "precopy-simgrid" });
    const m = startMigration({ sim, fluid }, plan, { route: route(FAFARD_TREMBLAY) });
    sim.run();
    expect(m.result!.outcome).toBe("completed");
    expect(m.result!.totalTimeSeconds).toBeCloseTo(132.765801, 6);
    // Stage 1 carries everything; the stop-and-copy carries nothing but pays a latency.
    expect(m.result!.rounds.map((r) => r.bytes)).toEqual([1e9, 0]);
    expect(m.result!.downtimeSeconds).toBeCloseTo(13.01 * 1.976025e-3, 9);
  });

  it("an idle 1e8-byte VM migrates in 13.346 s", () => {
    const { sim, fluid, route } = smallPlatform();
    const plan = prepareMigration({ ram: 1e8 }, { strategy: "precopy-simgrid" });
    const m = startMigration({ sim, fluid }, plan, { route: route(FAFARD_TREMBLAY) });
    sim.run();
    expect(m.result!.totalTimeSeconds).toBeCloseTo(13.345992, 6);
  });

  it("two 1e9-byte VMs on the same route take 265.454 s each", () => {
    const { sim, fluid, route } = smallPlatform();
    const plan = prepareMigration({ ram: 1e9 }, { strategy: "precopy-simgrid" });
    const r = route(FAFARD_TREMBLAY);
    const a = startMigration({ sim, fluid }, plan, { route: r, name: "VM0" });
    const b = startMigration({ sim, fluid }, plan, { route: r, name: "VM1" });
    sim.run();
    expect(a.result!.totalTimeSeconds).toBeCloseTo(265.454478, 6);
    expect(b.result!.totalTimeSeconds).toBeCloseTo(265.454478, 6);
  });

  it("two VMs to different hosts share link 8 by SimGrid's weights: 216.509 s and 265.436 s", () => {
    const { sim, fluid, route } = smallPlatform();
    const plan = prepareMigration({ ram: 1e9 }, { strategy: "precopy-simgrid" });
    const a = startMigration({ sim, fluid }, plan, { route: route(FAFARD_TREMBLAY), name: "VM0" });
    const b = startMigration({ sim, fluid }, plan, { route: route(FAFARD_BOURASSA), name: "VM1" });
    sim.run();
    expect(b.result!.totalTimeSeconds).toBeCloseTo(216.508796, 5);
    expect(a.result!.totalTimeSeconds).toBeCloseTo(265.435541, 5);
  });
});

/** One host pair with 1 Gbit/s links and 4-core CPUs of 1e9 op/s per core. */
function hostPair(): {
  sim: Simulation;
  fluid: FluidSystem;
  link: Resource;
  src: Resource;
  dst: Resource;
} {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  return {
    sim,
    fluid,
    link: fluid.resource({ name: "link", capacity: 125e6 }),
    src: fluid.resource({ name: "src.cpu", capacity: 4e9 }),
    dst: fluid.resource({ name: "dst.cpu", capacity: 4e9 }),
  };
}

const BUSY_VM = {
  ram: "1GiB",
  dirty: { model: "cpu-coupled" as const, intensity: "10%", speedCap: "100MB/s" },
};

describe("SimGrid-compatible pre-copy with CPU-coupled dirtying", () => {
  it("a busy VM dirties intensity × speed cap per second of CPU, integer bytes per round", () => {
    const { sim, fluid, link, src, dst } = hostPair();
    const cpu = new GuestCpu(fluid, { host: src, coreSpeed: 1e9 });
    const plan = prepareMigration(BUSY_VM, { strategy: "precopy-simgrid" });
    const m = startMigration({ sim, fluid }, plan, {
      route: { resources: [link] },
      cpu,
      destinationCpu: dst,
    });
    sim.run({ until: () => m.result !== undefined });
    const r = m.result!;
    expect(r.outcome).toBe("completed");
    // Stage 1: 2^30 B at the 1e8 B/s cap takes 10.737 s, during which 1e7 B/s are dirtied.
    expect(r.rounds[0]!.durationSeconds).toBeCloseTo(2 ** 30 / 1e8, 9);
    expect(r.rounds[0]!.dirtyBytes).toBe(Math.floor((2 ** 30 / 1e8) * 1e7));
    for (const x of r.rounds) expect(Number.isInteger(x.bytes)).toBe(true);
    // Each stage-2 message carries what the previous one let the guest dirty.
    for (let i = 1; i < r.rounds.length; i++) {
      expect(r.rounds[i]!.bytes).toBe(r.rounds[i - 1]!.dirtyBytes);
    }
    // It ends when the rest fits in 30 ms at the measured rate.
    const last = r.rounds[r.rounds.length - 1]!;
    expect(last.phase).toBe("stop-and-copy");
    expect(last.bytes).toBeLessThanOrEqual(0.03 * 1e8);
    // After the migration the VM's CPU runs on the destination.
    expect(cpu.host).toBe(dst);
    expect(cpu.running).toBe(true);
  });

  it("a VM given half a core by CPU contention dirties half as much", () => {
    const run = (neighbours: number): number => {
      const { sim, fluid, link, dst } = hostPair();
      const small = fluid.resource({ name: "src.cpu", capacity: 1e9 }); // one core
      const cpu = new GuestCpu(fluid, { host: small, coreSpeed: 1e9 });
      for (let i = 0; i < neighbours; i++) new GuestCpu(fluid, { host: small, coreSpeed: 1e9 });
      const plan = prepareMigration(BUSY_VM, { strategy: "precopy-simgrid" });
      const m = startMigration({ sim, fluid }, plan, {
        route: { resources: [link] },
        cpu,
        destinationCpu: dst,
      });
      sim.run({ until: () => m.result !== undefined });
      return m.result!.rounds[0]!.dirtyBytes;
    };
    const alone = run(0);
    const shared = run(1);
    expect(shared / alone).toBeCloseTo(0.5, 6);
  });

  it("concurrent migrations on one link each take longer, and their rounds couple", () => {
    const one = (count: number): Migration[] => {
      const { sim, fluid, link, src, dst } = hostPair();
      const plan = prepareMigration(BUSY_VM, { strategy: "precopy-simgrid" });
      const ms: Migration[] = [];
      for (let i = 0; i < count; i++) {
        ms.push(
          startMigration({ sim, fluid }, plan, {
            route: { resources: [link] },
            cpu: new GuestCpu(fluid, { host: src, coreSpeed: 1e9 }),
            destinationCpu: dst,
            name: `vm${i}`,
          }),
        );
      }
      sim.run({ until: () => ms.every((m) => m.result !== undefined) });
      return ms;
    };
    const [alone] = one(1);
    const pair = one(2);
    // 2 × 1e8 B/s caps exceed the link (1.25e8 B/s): each gets 62.5 MB/s, so stage 1 is longer
    // and dirties more; more rounds follow.
    expect(pair[0]!.result!.rounds[0]!.durationSeconds).toBeCloseTo(2 ** 30 / 62.5e6, 6);
    expect(pair[0]!.result!.totalTimeSeconds).toBeGreaterThan(
      1.5 * alone!.result!.totalTimeSeconds,
    );
    expect(pair[0]!.result!.rounds.length).toBeGreaterThan(alone!.result!.rounds.length);
  });

  it("a VM that dirties faster than its speed cap ends did-not-converge at the round cap", () => {
    const { sim, fluid, link, src, dst } = hostPair();
    const plan = prepareMigration(
      {
        ram: "256MiB",
        vcpus: 2,
        dirty: { model: "cpu-coupled", intensity: "100%", speedCap: "100MB/s" },
      },
      { strategy: "precopy-simgrid", limits: { maxRounds: 20 } },
    );
    const m = startMigration({ sim, fluid }, plan, {
      route: { resources: [link] },
      cpu: new GuestCpu(fluid, { host: src, coreSpeed: 1e9, vcpus: 2 }),
      destinationCpu: dst,
    });
    sim.run({ until: () => m.result !== undefined });
    expect(m.result!.outcome).toBe("did-not-converge");
    expect(m.result!.rounds).toHaveLength(20);
    // The working-set cap (90 % of RAM) bounds every round.
    for (const r of m.result!.rounds.slice(1)) {
      expect(r.bytes).toBe(Math.floor(0.9 * 256 * 2 ** 20));
    }
  });
});
