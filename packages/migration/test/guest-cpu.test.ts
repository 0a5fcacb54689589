import { FluidSystem, Simulation } from "@vx/core";
import { describe, expect, it } from "vitest";
import { GuestCpu } from "../src/index.js";

function world(cores: number): {
  sim: Simulation;
  fluid: FluidSystem;
  cpu: ReturnType<FluidSystem["resource"]>;
} {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  return { sim, fluid, cpu: fluid.resource({ name: "cpu", capacity: cores * 1e9 }) };
}

describe("a guest's CPU load", () => {
  it("executes its vCPUs × core speed when the host has room", () => {
    const { sim, fluid, cpu } = world(4);
    const g = new GuestCpu(fluid, { host: cpu, coreSpeed: 1e9, vcpus: 2 });
    sim.run({ until: 10 });
    expect(g.work).toBeCloseTo(2e10, 0);
    expect(g.rate).toBe(2e9);
  });

  it("shares a contended host max-min fairly", () => {
    const { sim, fluid, cpu } = world(1);
    const a = new GuestCpu(fluid, { host: cpu, coreSpeed: 1e9 });
    const b = new GuestCpu(fluid, { host: cpu, coreSpeed: 1e9, demand: 0.2 });
    sim.run({ until: 10 });
    expect(b.work).toBeCloseTo(2e9, 0);
    expect(a.work).toBeCloseTo(8e9, 0);
  });

  it("throttle, suspend and resume on another host change what it executes", () => {
    const { sim, fluid, cpu } = world(2);
    const other = fluid.resource({ name: "other", capacity: 1e9 });
    const g = new GuestCpu(fluid, { host: cpu, coreSpeed: 1e9 });
    sim.run({ until: 1 });
    g.setThrottle(0.3);
    sim.run({ until: 2 });
    g.suspend();
    expect(g.running).toBe(false);
    sim.run({ until: 3 });
    g.resume(other);
    sim.run({ until: 4 });
    expect(g.host).toBe(other);
    expect(g.work).toBeCloseTo(1e9 + 0.7e9 + 0 + 0.7e9, 0);
  });

  it("a throttle re-caps the running load in place: no new activity is started", () => {
    const { sim, fluid, cpu } = world(1);
    const g = new GuestCpu(fluid, { host: cpu, coreSpeed: 1e9 });
    sim.run({ until: 1 });
    g.setThrottle(0.5);
    g.setThrottle(0.75);
    sim.run({ until: 2 });
    // Activities are numbered in order: the guest's is 0, so this probe is 1 if none restarted.
    const probe = fluid.start({ amount: 1, resources: [], bound: 1 });
    expect(probe.id).toBe(1);
    expect(g.rate).toBe(0.25e9);
    expect(g.work).toBeCloseTo(1e9 + 0.25e9, 0);
  });

  it("keeps counting across its activity's restarts, and fails with its host", () => {
    const { sim, fluid, cpu } = world(1);
    const g = new GuestCpu(fluid, { host: cpu, coreSpeed: 1e9 });
    sim.run({ until: 3e6 });
    expect(g.work).toBeCloseTo(3e15, -3);
    fluid.setCapacity(cpu, 0);
    sim.run({ until: sim.now });
    expect(g.failed).toBe(true);
    expect(g.running).toBe(false);
  });
});
