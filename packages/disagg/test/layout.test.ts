import { FluidSystem, Gbps, GiB, Simulation, VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { BRICK_DEFAULTS, FABRIC_DEFAULTS, Fabric, parseRackLayout } from "../src/index.js";

function issues(f: () => unknown): { code: string; path: string }[] {
  try {
    f();
  } catch (e) {
    expect(VxError.isInstance(e)).toBe(true);
    return (e as VxError).issues.map((i) => ({ code: i.code, path: i.path.join(".") }));
  }
  throw new Error("expected a VxError");
}

describe("rack layout", () => {
  it("numbers bricks tray by tray and fills every default", () => {
    const rack = parseRackLayout({
      trays: [
        { bricks: [{ kind: "compute", count: 2 }, { kind: "memory" }] },
        { name: "io", bricks: [{ kind: "nic" }, { kind: "memory", memory: "512GiB", count: 2 }] },
      ],
    });
    expect(rack.bricks.map((b) => b.name)).toEqual([
      "tray0.compute0",
      "tray0.compute1",
      "tray0.memory0",
      "io.nic0",
      "io.memory0",
      "io.memory1",
    ]);
    expect(rack.bricks.map((b) => b.id)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rack.bricks[0]).toMatchObject({
      kind: "compute",
      tray: 0,
      cores: BRICK_DEFAULTS.compute.cores,
      memoryBytes: BRICK_DEFAULTS.compute.localMemoryBytes,
      ports: FABRIC_DEFAULTS.ports,
    });
    expect(rack.bricks[4]!.memoryBytes).toBe(GiB(512));
    expect(rack.bricks[3]!.units).toBe(BRICK_DEFAULTS.nic.units);
    expect(rack.fabric).toMatchObject({
      kind: "circuit",
      portBytesPerSecond: Gbps(25),
      switchLatencySeconds: FABRIC_DEFAULTS.switchLatencySeconds.circuit,
      reconfigurationSeconds: FABRIC_DEFAULTS.reconfigurationSeconds,
    });
  });

  it("a packet fabric takes the packet switch's latency and never reconfigures", () => {
    const rack = parseRackLayout({
      trays: [{ bricks: [{ kind: "compute" }] }],
      fabric: { kind: "packet" },
    });
    expect(rack.fabric.switchLatencySeconds).toBe(FABRIC_DEFAULTS.switchLatencySeconds.packet);
    expect(rack.fabric.reconfigurationSeconds).toBe(0);
    expect(rack.fabric.switchWatts).toBe(FABRIC_DEFAULTS.switchWatts.packet);
  });

  it("reports every bad field with its path, before anything is built", () => {
    const found = issues(() =>
      parseRackLayout({
        trays: [
          {
            bricks: [
              { kind: "compute", memory: "1GiB" },
              { kind: "memory", count: 0 },
              { kind: "accelerator", idleWatts: 500, peakWatts: 100 },
              { kind: "gpu" as "nic" },
            ],
          },
        ],
        fabric: { portBandwidth: "10 parsecs" },
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { code: "VX_SCHEMA_OUT_OF_RANGE", path: "trays.0.bricks.1.count" },
        { code: "VX_SCHEMA_INVALID_VALUE", path: "trays.0.bricks.3.kind" },
        { code: "VX_CORE_BAD_UNIT", path: "fabric.portBandwidth" },
      ]),
    );
  });

  it("rejects fields a brick kind does not have, duplicate names and idle above peak", () => {
    expect(
      issues(() => parseRackLayout({ trays: [{ bricks: [{ kind: "compute", memory: "1GiB" }] }] })),
    ).toEqual([{ code: "VX_DISAGG_BAD_BRICK", path: "trays.0.bricks.0.memory" }]);
    expect(
      issues(() =>
        parseRackLayout({
          trays: [
            {
              bricks: [
                { kind: "memory", name: "m" },
                { kind: "memory", name: "m" },
              ],
            },
          ],
        }),
      ),
    ).toEqual([{ code: "VX_DISAGG_DUPLICATE", path: "trays.0.bricks.1.name" }]);
    expect(
      issues(() =>
        parseRackLayout({ trays: [{ bricks: [{ kind: "nic", idleWatts: 90, peakWatts: 10 }] }] }),
      ),
    ).toEqual([{ code: "VX_SCHEMA_OUT_OF_RANGE", path: "trays.0.bricks.0.idleWatts" }]);
    expect(issues(() => parseRackLayout({ trays: [] }))).toEqual([
      { code: "VX_SCHEMA_OUT_OF_RANGE", path: "trays" },
    ]);
  });
});

describe("fabric latency and bandwidth", () => {
  const rack = parseRackLayout({
    trays: [
      { bricks: [{ kind: "compute" }, { kind: "memory" }] },
      { bricks: [{ kind: "memory" }] },
    ],
    fabric: { ports: 2 },
  });

  it("one-way latency: two ports plus the tray's backplane, or plus fibre and switch across trays", () => {
    const fabric = new Fabric(new FluidSystem(new Simulation()), rack);
    // 2 × 250 ns + 10 ns within the tray.
    expect(fabric.oneWaySeconds(0, 1)).toBeCloseTo(510e-9, 15);
    // 2 × 250 ns + 10 ns switch + 2 × 3 m × 5 ns/m across trays.
    expect(fabric.oneWaySeconds(0, 2)).toBeCloseTo(540e-9, 15);
    expect(fabric.oneWaySeconds(1, 1)).toBe(0);
  });

  it("a circuit takes a port at each end; the last user closes it and frees them", () => {
    const fabric = new Fabric(new FluidSystem(new Simulation()), rack);
    expect(fabric.openCircuit(0, 1)).toBe("opened");
    expect(fabric.openCircuit(1, 0)).toBe("connected");
    expect(fabric.freePorts(0)).toBe(1);
    expect(fabric.openCircuit(0, 2)).toBe("opened");
    expect(fabric.freePorts(0)).toBe(0);
    // No port left on brick 0: a third circuit cannot be set up.
    expect(fabric.reachable(0, 1)).toBe(true);
    fabric.closeCircuit(0, 1);
    expect(fabric.connected(0, 1)).toBe(true);
    fabric.closeCircuit(0, 1);
    expect(fabric.connected(0, 1)).toBe(false);
    expect(fabric.freePorts(0)).toBe(1);
    expect(fabric.reconfigurations).toBe(2);
    expect(() => fabric.closeCircuit(0, 1)).toThrow(/not open/);
    expect(() => fabric.route(0, 1)).toThrow(/no circuit/);
  });

  it("a transfer over a circuit runs at the port's rate: 1 GiB at 25 Gbit/s in 0.344 s", () => {
    const sim = new Simulation();
    const fabric = new Fabric(new FluidSystem(sim), rack);
    fabric.openCircuit(1, 0);
    const a = fabric.fluid.start({ amount: GiB(1), resources: fabric.route(1, 0) });
    sim.run();
    expect(a.endTime).toBeCloseTo(GiB(1) / Gbps(25), 9);
  });

  it("on a packet fabric two flows into one brick share its receive ports", () => {
    const sim = new Simulation();
    const packet = parseRackLayout({
      trays: [
        {
          bricks: [
            { kind: "compute", ports: 1 },
            { kind: "memory", count: 2 },
          ],
        },
      ],
      fabric: { kind: "packet" },
    });
    const fabric = new Fabric(new FluidSystem(sim), packet);
    const a = fabric.fluid.start({ amount: GiB(1), resources: fabric.route(1, 0) });
    const b = fabric.fluid.start({ amount: GiB(1), resources: fabric.route(2, 0) });
    sim.run();
    // Each gets half of the compute brick's single 25 Gbit/s port.
    expect(a.endTime).toBeCloseTo((2 * GiB(1)) / Gbps(25), 9);
    expect(b.endTime).toBeCloseTo((2 * GiB(1)) / Gbps(25), 9);
  });
});
