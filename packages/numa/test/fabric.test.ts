import { FluidSystem, GB, GBps, Simulation, VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linkRoute, MemoryFabric, presetTopology, type TrafficKind } from "../src/index.js";

function setup(name: "2-socket" | "8-node-epyc" = "2-socket"): {
  sim: Simulation;
  fluid: FluidSystem;
  fabric: MemoryFabric;
} {
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  return { sim, fluid, fabric: new MemoryFabric(fluid, presetTopology(name)) };
}

describe("MemoryFabric aggregate demands", () => {
  it("an oversubscribed controller gives every demand on it the same share (102.4 / 120)", () => {
    const { sim, fabric } = setup();
    fabric.setDemand("read", 0, 0, GBps(90));
    fabric.setDemand("read", 1, 0, GBps(30));
    expect(fabric.commit()).toBe(true);
    sim.run({ until: sim.now });
    expect(fabric.fraction("read", 0, 0)).toBeCloseTo(102.4 / 120, 9);
    expect(fabric.fraction("read", 1, 0)).toBeCloseTo(102.4 / 120, 9);
    expect(fabric.achieved("read", 1, 0)).toBeCloseTo(GBps(30) * (102.4 / 120), -2);
    expect(fabric.fraction("write", 1, 1)).toBe(1); // no demand
  });

  it("remote reads beyond the UPI link get the link's share: 41.6 / 60", () => {
    const { sim, fabric } = setup();
    fabric.setDemand("read", 0, 1, GBps(60));
    expect(fabric.commit()).toBe(true);
    sim.run({ until: sim.now });
    expect(fabric.fraction("read", 0, 1)).toBeCloseTo(41.6 / 60, 9);
  });

  it("without oversubscription every demand is met and nothing is solved", () => {
    const { fluid, fabric } = setup();
    fabric.setDemand("read", 0, 1, GBps(20));
    fabric.setDemand("write", 1, 0, GBps(20));
    expect(fabric.commit()).toBe(false);
    expect(fabric.unsaturated).toBe(true);
    expect(fabric.fraction("read", 0, 1)).toBe(1);
    expect(fabric.achieved("write", 1, 0)).toBe(GBps(20));
    expect(fluid.activityCount).toBe(0);
  });

  it("going back below capacity drops the rate holders", () => {
    const { sim, fluid, fabric } = setup();
    fabric.setDemand("read", 0, 1, GBps(60));
    fabric.commit();
    sim.run({ until: sim.now });
    expect(fluid.activityCount).toBe(1);
    fabric.clearDemands();
    fabric.addDemand(0, 0, 1, GBps(10));
    expect(fabric.commit()).toBe(false);
    sim.run({ until: sim.now });
    expect(fluid.activityCount).toBe(0);
    expect(fabric.fractionAt(0, 0, 1)).toBe(1);
  });

  it("a running stream competes with aggregate demands: they go through the solver", () => {
    const { sim, fabric } = setup();
    const copy = fabric.start({ kind: "read", cpuNode: 0, memNode: 1, amount: GB(41.6) });
    fabric.setDemand("read", 0, 1, GBps(20.8));
    expect(fabric.commit()).toBe(true);
    sim.run({ until: sim.now });
    // Max-min on the 41.6 GB/s channel: the stream (weight 1) and the demand (weight 20.8e9)
    // share by weight, capped by the demand's bound: the demand gets its 20.8, the stream the rest.
    expect(fabric.fraction("read", 0, 1)).toBeCloseTo(1, 6);
    expect(copy.rate).toBeCloseTo(GBps(20.8), -3);
    expect(fabric.route("read", 0, 1).map((r) => r.name)).toEqual(["mem.node1", "mem.upi0-1.1-0"]);
  });

  it("a stream alone moves at the bottleneck of its route (41.6 GB in 1 s over UPI)", () => {
    const { sim, fabric } = setup();
    const copy = fabric.start({ kind: "write", cpuNode: 0, memNode: 1, amount: GB(41.6) });
    sim.run();
    expect(copy.outcome?.status).toBe("completed");
    expect(copy.endTime).toBeCloseTo(1, 9);
  });

  it("rejects bad arguments", () => {
    const { fabric } = setup();
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        if (VxError.isInstance(e)) return e.code;
        throw e;
      }
      return "none";
    };
    expect(code(() => fabric.setDemand("read", 0, 1, -1))).toBe("VX_NUMA_BAD_ARGUMENT");
    expect(code(() => fabric.setDemand("read", 0, 1, Number.POSITIVE_INFINITY))).toBe(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(code(() => fabric.setDemand("copy" as TrafficKind, 0, 1, 1))).toBe(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(code(() => fabric.setDemand("read", 0, 2, 1))).toBe("VX_NUMA_BAD_NODE");
  });
});

describe("MemoryFabric sharing (property)", () => {
  it("no resource over capacity; every demand met or held by a saturated resource on its route", () => {
    const topology = presetTopology("8-node-epyc");
    const n = 8;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom<TrafficKind>("read", "write"),
            cpu: fc.nat(7),
            mem: fc.nat(7),
            gbps: fc.double({ min: 0, max: 40, noNaN: true }),
          }),
          { maxLength: 20 },
        ),
        (demands) => {
          const sim = new Simulation();
          const fabric = new MemoryFabric(new FluidSystem(sim), topology);
          for (const d of demands) fabric.setDemand(d.kind, d.cpu, d.mem, GBps(d.gbps));
          if (fabric.commit()) sim.run({ until: sim.now });
          const load = new Float64Array(n + 2 * topology.links.length);
          const classes: { kind: TrafficKind; cpu: number; mem: number; ids: number[] }[] = [];
          for (const kind of ["read", "write"] as const) {
            for (let cpu = 0; cpu < n; cpu++) {
              for (let mem = 0; mem < n; mem++) {
                const rate = fabric.achieved(kind, cpu, mem);
                const path =
                  kind === "read" ? linkRoute(topology, mem, cpu) : linkRoute(topology, cpu, mem);
                const ids = [mem, ...path.map((ch) => n + ch)];
                for (const id of ids) load[id]! += rate;
                classes.push({ kind, cpu, mem, ids });
                const f = fabric.fraction(kind, cpu, mem);
                expect(f).toBeGreaterThanOrEqual(0);
                expect(f).toBeLessThanOrEqual(1);
              }
            }
          }
          const cap = (id: number): number =>
            id < n
              ? topology.nodes[id]!.memoryBandwidthBytesPerSecond
              : topology.links[(id - n) >> 1]!.bytesPerSecond;
          for (let id = 0; id < load.length; id++)
            expect(load[id]!).toBeLessThanOrEqual(cap(id) * (1 + 1e-9));
          for (const c of classes) {
            if (fabric.fraction(c.kind, c.cpu, c.mem) < 1 - 1e-9) {
              expect(c.ids.some((id) => load[id]! >= cap(id) * (1 - 1e-6))).toBe(true);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
