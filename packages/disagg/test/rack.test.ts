import { FluidSystem, GiB, MiB, Simulation } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  DisaggregatedRack,
  estimateSharedRegion,
  parseRackLayout,
  parseRackSettings,
  parseWorkload,
  type RackLayoutInput,
  type RackSettingsInput,
  runDisaggregated,
  type WorkloadInput,
} from "../src/index.js";

const RACK: RackLayoutInput = {
  trays: [
    {
      bricks: [
        { kind: "compute", count: 2 },
        { kind: "memory", count: 2 },
      ],
    },
    { bricks: [{ kind: "memory" }] },
  ],
};

function run(
  workload: WorkloadInput,
  duration = "2h",
  rack = RACK,
  settings: RackSettingsInput = {},
) {
  return runDisaggregated({ rack, workload, duration, ...settings });
}

describe("slot assembly, worked by hand", () => {
  // VM: 4 vCPUs, 20 GiB = 160 sections of 128 MiB. Its brick's 16 GiB local memory gives 128,
  // the first memory brick (same tray, 510 ns away) 32.
  const r = run({
    vms: [{ name: "a", vcpus: 4, memory: "20GiB", cpuUtilisation: 0.5, lifetime: "1h" }],
  });
  const vm = r.vms[0]!;

  it("takes local memory first, then the first memory brick: 160 sections, 20 % remote", () => {
    expect(vm.computeBrick).toBe("tray0.compute0");
    expect(vm.sections).toBe(160);
    expect(vm.remoteFraction).toBeCloseTo(0.2, 12);
  });

  it("assembly: 1 ms decision + 25 ms circuit + 160 × 1 ms section maps = 186 ms", () => {
    expect(vm.assemblySeconds).toBeCloseTo(0.186, 12);
  });

  it("slowdown 1.4533: latency × (1 + 0.2 × 1020 ns / 90 ns), 20 % of the time stalled", () => {
    const factor = 1 + (0.2 * 1.02e-6) / 90e-9;
    expect(vm.slowdown).toBeCloseTo(0.8 + 0.2 * factor, 9);
  });

  it("utilisation over 2 h: 4 of 64 cores and 160 of 6400 sections for half the time", () => {
    expect(r.summary.utilisation.cores).toBeCloseTo(4 / 64 / 2, 12);
    expect(r.summary.utilisation.memory).toBeCloseTo(160 / 6400 / 2, 12);
    expect(r.summary.utilisation.memoryRequested).toBeCloseTo(160 / 6400 / 2, 12);
    expect(r.summary.roundingWasteBytes).toBe(0);
    expect(r.summary.bricksPowered).toEqual({ mean: 1, peak: 2, total: 5 });
  });

  it("energy: 66.25 W compute + 25.94 W memory + 2 ports for 1 h, a 50 W switch for 2 h", () => {
    const e = r.summary.energyJoules;
    expect(e.compute).toBeCloseTo((60 + 100 * ((4 * 0.5) / 32)) * 3600, 6);
    expect(e.memory).toBeCloseTo((25 + 60 * (32 / 2048)) * 3600, 6);
    expect(e.fabric).toBeCloseTo(50 * 7200 + 2 * 1 * 3600, 6);
    expect(e.total).toBeCloseTo(e.compute + e.memory + e.fabric, 6);
  });
});

describe("hot-plug and unplug by sections", () => {
  it("x86_64: 1000 MiB is 8 sections; growing to 2000 MiB plugs 8 more, shrinking to 500 MiB unplugs 12", () => {
    const r = run({
      vms: [
        {
          name: "a",
          memory: "1000MiB",
          memorySteps: [
            { at: "10min", memory: "2000MiB" },
            { at: "20min", memory: "500MiB" },
          ],
        },
      ],
    });
    expect(r.vms[0]!.sections).toBe(4);
    const h = r.summary.hotplug;
    expect([h.plugs, h.unplugs, h.sectionsPlugged, h.sectionsUnplugged]).toEqual([1, 1, 8, 12]);
    // Local memory: no circuit. 8 × 0.125 GiB × 39.06 ms/GiB, 12 × 0.125 GiB × 42.97 ms/GiB.
    expect(h.latencySeconds.count).toBe(2);
    expect(h.latencySeconds.max).toBeCloseTo(12 * 0.125 * (11 / 256), 12);
    expect(r.summary.hotplug.latencySeconds.mean).toBeCloseTo(
      (8 * 0.125 * (10 / 256) + 12 * 0.125 * (11 / 256)) / 2,
      12,
    );
  });

  it("arm64 on Linux 5.10: 1000 MiB is one 1 GiB section, 24 MiB of rounding waste", () => {
    const r = run({ vms: [{ name: "a", memory: "1000MiB" }] }, "1h", RACK, {
      memory: { arch: "arm64", kernel: "5.10" },
    });
    expect(r.summary.sectionBytes).toBe(GiB(1));
    expect(r.vms[0]!.sections).toBe(1);
    expect(r.summary.roundingWasteBytes).toBeCloseTo(MiB(24), 6);
  });

  it("a plug that finds no room fails (an outcome) and the VM keeps its memory", () => {
    const small: RackLayoutInput = {
      trays: [{ bricks: [{ kind: "compute", localMemory: "2GiB" }] }],
    };
    const r = run(
      { vms: [{ name: "a", memory: "1GiB", memorySteps: [{ at: "1s", memory: "4GiB" }] }] },
      "1h",
      small,
    );
    expect(r.vms[0]!.hotplugs).toEqual({ done: 0, failed: 1 });
    expect(r.vms[0]!.sections).toBe(8);
    expect(r.summary.hotplug.failed).toBe(1);
  });
});

describe("rejections are outcomes, by reason", () => {
  it("cores: no compute brick has 64 free cores", () => {
    const r = run({ vms: [{ name: "big", vcpus: 64, memory: "1GiB" }] });
    expect(r.vms[0]).toMatchObject({ status: "rejected", rejectReason: "cores" });
    expect(r.summary.rejected.cores).toBe(1);
  });

  it("memory: 1 TiB is more than the rack holds", () => {
    const r = run({ vms: [{ name: "big", memory: "1TiB" }] });
    expect(r.vms[0]!.rejectReason).toBe("memory");
  });

  it("ports: the memory is there but a one-port compute brick can reach only one memory brick", () => {
    const rack: RackLayoutInput = {
      trays: [
        {
          bricks: [
            { kind: "compute", localMemory: 0, ports: 1 },
            { kind: "memory", count: 2, memory: "64GiB" },
          ],
        },
      ],
    };
    const r = run({ vms: [{ name: "v", memory: "100GiB" }] }, "1h", rack);
    expect(r.vms[0]!.rejectReason).toBe("ports");
  });

  it("device: the rack has no accelerator", () => {
    const r = run({ vms: [{ name: "v", memory: "1GiB", devices: [{ kind: "accelerator" }] }] });
    expect(r.vms[0]!.rejectReason).toBe("device");
  });
});

describe("stranding, worked by hand", () => {
  it("a one-port brick whose only circuit leads to a full memory brick strands its cores and the other brick", () => {
    const rack: RackLayoutInput = {
      trays: [
        {
          bricks: [
            { kind: "compute", localMemory: 0, ports: 1 },
            { kind: "memory", count: 2, memory: "8GiB" },
          ],
        },
      ],
    };
    // For the first hour: 28 of 32 cores free but no free section reachable; the second memory
    // brick's 64 sections free but no compute brick with a free core can reach it. Then nothing.
    const r = run({ vms: [{ name: "a", vcpus: 4, memory: "8GiB", lifetime: "1h" }] }, "2h", rack);
    expect(r.summary.stranded.cores).toBeCloseTo((28 / 32) * 0.5, 12);
    expect(r.summary.stranded.memory).toBeCloseTo((64 / 128) * 0.5, 12);
    // On a packet fabric nothing is stranded: every free section stays reachable.
    const p = run({ vms: [{ name: "a", vcpus: 4, memory: "8GiB", lifetime: "1h" }] }, "2h", {
      ...rack,
      fabric: { kind: "packet" },
    });
    expect(p.summary.stranded.cores).toBe(0);
    expect(p.summary.stranded.memory).toBe(0);
  });
});

describe("remote device passthrough", () => {
  it("latency: the unit's 20 µs plus a fabric round trip; bandwidth: one 25 Gbit/s circuit per direction", () => {
    const rack: RackLayoutInput = {
      trays: [{ bricks: [{ kind: "compute" }] }, { bricks: [{ kind: "accelerator" }] }],
    };
    const r = run(
      {
        vms: [
          { name: "v", memory: "1GiB", devices: [{ kind: "accelerator", bandwidth: "8GB/s" }] },
        ],
      },
      "1h",
      rack,
    );
    const vm = r.vms[0]!;
    expect(vm.ioLatencySeconds).toBeCloseTo(20e-6 + 2 * 540e-9, 15);
    // 4 GB/s each way asked, 3.125 GB/s per direction of the circuit delivered.
    expect(vm.ioBandwidthFraction).toBeCloseTo(3.125 / 4, 9);
    expect(r.summary.utilisation.devices.accelerator).toBeCloseTo(1 / 4, 12);
  });
});

describe("shared regions in the rack", () => {
  it("two VMs on two compute bricks pay the lock's cost, as the closed form gives", () => {
    const r = run({
      regions: [{ name: "kv", memory: "1GiB", method: "lock" }],
      vms: [
        {
          name: "a",
          vcpus: 32,
          memory: "1GiB",
          shared: [{ region: "kv", accessesPerSecond: 2000, criticalSection: "100us" }],
        },
        {
          name: "b",
          vcpus: 32,
          memory: "1GiB",
          shared: [{ region: "kv", accessesPerSecond: 2000, criticalSection: "100us" }],
        },
      ],
    });
    // The region sits in compute0's local memory (first fit for the first VM): a is local to it.
    const cost = estimateSharedRegion({
      method: "lock",
      bytesPerSecond: 3.125e9,
      accessors: [
        { brick: 0, accessesPerSecond: 2000, criticalSectionSeconds: 100e-6, oneWaySeconds: 0 },
        {
          brick: 1,
          accessesPerSecond: 2000,
          criticalSectionSeconds: 100e-6,
          oneWaySeconds: 510e-9,
        },
      ],
    });
    const factor = (i: number) => 1 + 2000 * (cost.accessors[i]!.accessSeconds! - 100e-6);
    expect(r.vms[0]!.slowdown).toBeCloseTo(factor(0), 9);
    expect(r.vms[1]!.slowdown).toBeCloseTo(factor(1), 9);
    expect(r.summary.sharedRegions[0]).toMatchObject({ name: "kv", sections: 8, peakAccessors: 2 });
    expect(r.summary.sharedRegions[0]!.peakUtilisation).toBeCloseTo(cost.utilisation, 12);
  });
});

describe("fabric contention", () => {
  // One compute brick with one port and no local memory: every access is remote.
  const rack: RackLayoutInput = {
    trays: [
      {
        bricks: [
          { kind: "compute", localMemory: 0, ports: 1 },
          { kind: "memory", count: 2 },
        ],
      },
    ],
    fabric: { kind: "packet" },
  };
  const latency = 0.8 + 0.2 * (1 + 1.02e-6 / 90e-9);
  // Reads (70 %) at the latency-limited pace fill the brick's 3.125 GB/s port exactly.
  const bandwidth = (3.125e9 * latency) / 0.7;
  const vm = (name: string) => ({ name, memory: "8GiB", memoryBandwidth: bandwidth });

  it("one VM alone fills its port exactly: no bandwidth penalty", () => {
    const r = run({ vms: [vm("a")] }, "1h", rack);
    expect(r.vms[0]!.slowdown).toBeCloseTo(latency, 9);
  });

  it("two VMs asking twice the port's rate each get half: the slowdown doubles", () => {
    const r = run({ vms: [vm("a"), vm("b")] }, "1h", rack);
    expect(r.vms[0]!.slowdown).toBeCloseTo(2 * latency, 6);
    expect(r.vms[1]!.slowdown).toBeCloseTo(2 * latency, 6);
  });
});

describe("the engine on a caller's simulation", () => {
  it("runs beside other traffic on the same fluid system and reports at the caller's time", () => {
    const sim = new Simulation();
    const fluid = new FluidSystem(sim);
    const rack = new DisaggregatedRack({ sim, fluid }, parseRackLayout(RACK), parseRackSettings());
    rack.schedule(parseWorkload({ vms: [{ name: "a", memory: "40GiB", lifetime: "30min" }] }));
    sim.run({ until: 600 });
    expect(rack.result().vms[0]!.status).toBe("running");
    expect(rack.fabric.openCircuits).toBe(1);
    sim.run({ until: 3600 });
    const r = rack.result();
    expect(r.vms[0]!.status).toBe("departed");
    expect(r.summary.durationSeconds).toBe(3600);
    expect(rack.fabric.openCircuits).toBe(0);
    expect(rack.checkInvariants()).toBeUndefined();
  });
});
