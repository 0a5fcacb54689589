import { FluidSystem, Gbps, GiB, KiB, MiB, Simulation, VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  compareMigrations,
  computeMigrationCost,
  DisaggregatedRack,
  memoryMigrationCost,
  parseRackLayout,
  parseRackSettings,
  parseWorkload,
  type RackLayoutInput,
  runDisaggregated,
} from "../src/index.js";

// Compute bricks without local memory, so every section sits on a memory brick.
const RACK: RackLayoutInput = {
  trays: [
    {
      bricks: [
        { kind: "compute", count: 2, localMemory: 0 },
        { kind: "memory", count: 2 },
      ],
    },
  ],
};
const B = Gbps(25);
const ONE_WAY = 510e-9; // two ports and the tray's backplane

describe("closed forms", () => {
  it("a compute migration moves only CPU and device state: 4 × 16 KiB + 1 MiB", () => {
    const c = computeMigrationCost({
      vcpus: 4,
      path: { bytesPerSecond: B, oneWaySeconds: ONE_WAY, setupSeconds: 0.025 },
    });
    expect(c.bytes).toBe(4 * KiB(16) + MiB(1));
    expect(c.sections).toBe(0);
    expect(c.downtimeSeconds).toBeCloseTo(1e-3 + ONE_WAY + c.bytes / B, 15);
    expect(c.timeSeconds).toBeCloseTo(0.025 + c.downtimeSeconds, 15);
  });

  it("a memory migration moves every section once and never pauses the VM", () => {
    const m = memoryMigrationCost({
      sections: 8,
      sectionBytes: MiB(128),
      path: { bytesPerSecond: B, oneWaySeconds: ONE_WAY },
    });
    expect(m.bytes).toBe(8 * MiB(128));
    expect(m.sections).toBe(8);
    expect(m.downtimeSeconds).toBe(0);
    expect(m.timeSeconds).toBeCloseTo(8 * (ONE_WAY + MiB(128) / B), 12);
  });

  it("against live migration: pre-copy sends at least the whole RAM, a compute move a few hundred KiB", () => {
    const c = compareMigrations({
      vm: { vcpus: 4, memoryBytes: GiB(16), dirtyBytesPerSecond: MiB(100) },
      rack: { sectionBytes: MiB(128), path: { bytesPerSecond: B, oneWaySeconds: ONE_WAY } },
      cluster: { bytesPerSecond: Gbps(10) },
    });
    expect(c.live.outcome).toBe("completed");
    expect(c.live.bytes).toBeGreaterThan(GiB(16));
    expect(c.memory.bytes).toBe(GiB(16));
    expect(c.compute.bytes).toBe(4 * KiB(16) + MiB(1));
    expect(c.compute.downtimeSeconds).toBeLessThan(c.live.downtimeSeconds);
    // Pre-copy's first round alone sends 16 GiB at 10 Gbit/s.
    expect(c.live.timeSeconds).toBeGreaterThan(GiB(16) / Gbps(10));
  });

  it("rejects bad figures with their path", () => {
    const path = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(VxError.isInstance(e) && e.code).toBe("VX_DISAGG_BAD_ARGUMENT");
        return (e as VxError).path.join(".");
      }
      throw new Error("expected a VxError");
    };
    expect(
      path(() => computeMigrationCost({ vcpus: 0, path: { bytesPerSecond: B, oneWaySeconds: 0 } })),
    ).toBe("vcpus");
    expect(
      path(() => computeMigrationCost({ vcpus: 1, path: { bytesPerSecond: 0, oneWaySeconds: 0 } })),
    ).toBe("path.bytesPerSecond");
    expect(
      path(() =>
        memoryMigrationCost({
          sections: 1.5,
          sectionBytes: 1,
          path: { bytesPerSecond: B, oneWaySeconds: 0 },
        }),
      ),
    ).toBe("sections");
    expect(
      path(() =>
        memoryMigrationCost({
          sections: 1,
          sectionBytes: 1,
          path: { bytesPerSecond: B, oneWaySeconds: -1 },
        }),
      ),
    ).toBe("path.oneWaySeconds");
  });
});

describe("migrations in the rack", () => {
  it("compute: the VM changes brick, keeps every section, and the fabric carries only its state", () => {
    const sim = new Simulation();
    const rack = new DisaggregatedRack(
      { sim, fluid: new FluidSystem(sim) },
      parseRackLayout(RACK),
      parseRackSettings(),
    );
    rack.schedule(
      parseWorkload({
        vms: [{ name: "v", vcpus: 4, memory: "1000MiB" }],
        migrations: [{ at: "10min", vm: "v", kind: "compute" }],
      }),
    );
    sim.run({ until: 599 });
    const before = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => rack.sectionOwner(2, i));
    sim.run({ until: 3600 });
    const after = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => rack.sectionOwner(2, i));
    expect(before).toEqual(Array(8).fill("v"));
    expect(after).toEqual(before);
    const r = rack.result();
    const m = r.migrations[0]!;
    const expected = computeMigrationCost({
      vcpus: 4,
      path: { bytesPerSecond: B, oneWaySeconds: ONE_WAY, setupSeconds: 0.025 },
    });
    expect(m).toMatchObject({
      outcome: "completed",
      from: "tray0.compute0",
      to: "tray0.compute1",
      sections: 0,
    });
    expect(m.bytes).toBe(expected.bytes);
    expect(m.downtimeSeconds).toBeCloseTo(expected.downtimeSeconds, 12);
    expect(m.timeSeconds).toBeCloseTo(expected.timeSeconds, 12);
    expect(r.vms[0]!.computeBrick).toBe("tray0.compute1");
    expect(r.vms[0]!.sections).toBe(8);
    expect(rack.checkInvariants()).toBeUndefined();
  });

  it("memory: all 8 sections are copied once to the new brick and the old ones are freed", () => {
    const r = runDisaggregated({
      rack: RACK,
      workload: {
        vms: [{ name: "v", vcpus: 4, memory: "1000MiB" }],
        migrations: [{ at: "10min", vm: "v", kind: "memory", to: "tray0.memory1" }],
      },
      duration: "1h",
    });
    const m = r.migrations[0]!;
    const expected = memoryMigrationCost({
      sections: 8,
      sectionBytes: MiB(128),
      path: { bytesPerSecond: B, oneWaySeconds: ONE_WAY, setupSeconds: 0.025 },
    });
    expect(m).toMatchObject({
      outcome: "completed",
      to: "tray0.memory1",
      sections: 8,
      bytes: 8 * MiB(128),
      downtimeSeconds: 0,
    });
    expect(m.timeSeconds).toBeCloseTo(expected.timeSeconds, 9);
    expect(r.summary.migrations.memory).toMatchObject({
      count: 1,
      completed: 1,
      failed: 0,
      sections: 8,
    });
  });

  it("memory migration while the VM's traffic shares the circuit: slower than on an idle fabric", () => {
    const busy = runDisaggregated({
      rack: { ...RACK, fabric: { kind: "packet", ports: 1 } },
      workload: {
        vms: [{ name: "v", memory: "1000MiB", memoryBandwidth: "40GB/s", writeFraction: 0.5 }],
        migrations: [{ at: "10min", vm: "v", kind: "memory", to: "tray0.memory1" }],
      },
      duration: "1h",
    });
    const idle = memoryMigrationCost({
      sections: 8,
      sectionBytes: MiB(128),
      path: { bytesPerSecond: B, oneWaySeconds: ONE_WAY },
    });
    expect(busy.migrations[0]!.timeSeconds!).toBeGreaterThan(1.2 * idle.timeSeconds);
  });

  it("a migration that cannot start is recorded with its reason", () => {
    const r = runDisaggregated({
      rack: { trays: [{ bricks: [{ kind: "compute", localMemory: 0 }, { kind: "memory" }] }] },
      workload: {
        vms: [{ name: "v", memory: "1GiB" }],
        migrations: [
          { at: "1min", vm: "v", kind: "compute" },
          { at: "2min", vm: "v", kind: "memory" },
        ],
      },
      duration: "1h",
    });
    expect(r.migrations.map((m) => m.outcome)).toEqual(["no-destination", "no-destination"]);
    expect(r.summary.migrations.compute.failed).toBe(1);
  });

  it("a VM that leaves during its memory migration cancels it and frees the reserved sections", () => {
    const sim = new Simulation();
    const rack = new DisaggregatedRack(
      { sim, fluid: new FluidSystem(sim) },
      parseRackLayout(RACK),
      parseRackSettings(),
    );
    rack.schedule(
      parseWorkload({
        vms: [{ name: "v", memory: "16GiB", departure: "601s" }],
        migrations: [{ at: "600s", vm: "v", kind: "memory" }],
      }),
    );
    sim.run({ until: 3600 });
    expect(rack.result().migrations[0]!.outcome).toBe("vm-left");
    expect(rack.checkInvariants()).toBeUndefined();
    expect(rack.freeSections(2) + rack.freeSections(3)).toBe(2 * 2048);
    expect(rack.fabric.openCircuits).toBe(0);
  });
});
