import { GiB, VxError } from "@vx/core";
import { type DatacenterSpecInput, runDatacenter } from "@vx/datacenter";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkComparison,
  type DisaggComparison,
  disaggComparison,
  hostCapacities,
  parseComparison,
  parseRackLayout,
  sameCapacityRack,
} from "../src/index.js";

const POWER = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];

/**
 * Two hosts of 4 cores and 8 GiB; two memory-heavy VMs (1 vCPU, 6 GiB) and a CPU-heavy one
 * (2 vCPUs, 3 GiB), constant 50 % load, no consolidation.
 */
function spec(extra: Partial<DatacenterSpecInput> = {}): DatacenterSpecInput {
  return {
    name: "strand",
    duration: "1h",
    step: "300s",
    hostTypes: { h: { cores: 4, mips: 1000, ram: "8GiB", power: POWER } },
    hosts: [{ type: "h", count: 2 }],
    vmTypes: {
      mem: { cores: 1, mips: 1000, ram: "6GiB", nic: 0 },
      cpu: { cores: 2, mips: 1000, ram: "3GiB", nic: 0 },
    },
    vms: [
      { types: "mem", count: 2, workload: { kind: "constant", utilisation: 0.5 } },
      { types: "cpu", count: 1, workload: { kind: "constant", utilisation: 0.5 } },
    ],
    policy: { overload: "thr", underload: false },
    migration: { model: "cloudsim" },
    ...extra,
  };
}

function compare(input: Parameters<typeof parseComparison>[0] = {}): {
  cmp: DisaggComparison;
  energyKWh: number;
} {
  const r = runDatacenter(spec(), { extensions: [disaggComparison(parseComparison(input))] });
  const ext = r.extensions?.disagg as { output: DisaggComparison } | undefined;
  if (ext === undefined) throw new Error("no disagg output");
  return { cmp: ext.output, energyKWh: r.summary.energyKWh };
}

function issues(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (!VxError.isInstance(e)) throw e;
    return e.issues.map((i) => `${i.code} ${i.path.join(".")}`);
  }
  throw new Error("expected a VxError");
}

describe("a rack of the same total capacity", () => {
  it("splits each host into a compute brick and its tray's memory brick, by hand", () => {
    // Two HP ML110 G5 (2 cores, 4 GiB, 93.7–135 W); 128 MiB sections; a quarter of the RAM local.
    const g5 = { type: "g5", cores: 2, ramBytes: GiB(4), idleWatts: 93.7, peakWatts: 135 };
    const r = sameCapacityRack([g5, g5], { sectionBytes: 2 ** 27 });
    expect(r.localMemoryBytes).toBe(GiB(2)); // 1 GiB = 8 sections per host
    expect(r.pooledMemoryBytes).toBe(GiB(6));
    expect(r.usableMemoryBytes).toBe(GiB(8));
    expect([r.trays, r.computeBricks, r.memoryBricks, r.cores, r.vcpuSlots]).toEqual([
      1, 2, 1, 4, 4,
    ]);
    const [compute, memory] = r.layout.trays[0]?.bricks ?? [];
    // The pooled 3 GiB of 4 take 0.3 × 3/4 = 22.5 % of each host's power to the memory brick.
    expect(compute).toMatchObject({ kind: "compute", count: 2, cores: 2, localMemory: GiB(1) });
    expect(compute?.idleWatts).toBeCloseTo(93.7 * 0.775, 12);
    expect(compute?.peakWatts).toBeCloseTo(135 * 0.775, 12);
    expect(memory).toMatchObject({ kind: "memory", memory: GiB(6) });
    expect(memory?.idleWatts).toBeCloseTo(2 * 93.7 * 0.225, 12);
    expect(parseRackLayout(r.layout).bricks.length).toBe(3);
  });

  it("keeps cores, bytes and watts of any hosts (fast-check, fixed seed)", () => {
    const host = fc.record({
      type: fc.constantFrom("a", "b"),
      cores: fc.integer({ min: 1, max: 128 }),
      ramBytes: fc.integer({ min: 1, max: 2 ** 16 }).map((k) => k * 2 ** 24),
      idleWatts: fc.integer({ min: 0, max: 300 }),
      peakWatts: fc.integer({ min: 300, max: 900 }),
    });
    fc.assert(
      fc.property(
        fc.array(host, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 9 }),
        (hosts, f, perTray) => {
          const S = 2 ** 27;
          const r = sameCapacityRack(hosts, {
            sectionBytes: S,
            localMemoryFraction: f,
            computePerTray: perTray,
          });
          const layout = parseRackLayout(r.layout);
          let cores = 0;
          let bytes = 0;
          let idle = 0;
          for (const b of layout.bricks) {
            cores += b.cores;
            bytes += b.memoryBytes;
            idle += b.power.idleWatts;
          }
          const sum = (k: "cores" | "ramBytes" | "idleWatts"): number =>
            hosts.reduce((s, h) => s + h[k], 0);
          expect(cores).toBe(sum("cores"));
          expect(bytes).toBe(sum("ramBytes"));
          expect(idle).toBeCloseTo(sum("idleWatts"), 6);
          expect(r.localMemoryBytes % S).toBe(0);
          expect(r.trays).toBe(Math.ceil(hosts.length / perTray));
          expect(sum("ramBytes") - r.usableMemoryBytes).toBeLessThan(
            S * (hosts.length + r.memoryBricks),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("rejects no hosts and options out of range", () => {
    expect(issues(() => sameCapacityRack([], { sectionBytes: 2 ** 27 }))).toEqual([
      "VX_DISAGG_BAD_ARGUMENT hosts",
    ]);
    const h = { type: "h", cores: 1, ramBytes: GiB(1), idleWatts: 1, peakWatts: 2 };
    expect(
      issues(() => sameCapacityRack([h], { sectionBytes: 2 ** 27, computePerTray: 0 })),
    ).toEqual(["VX_DISAGG_BAD_ARGUMENT computePerTray"]);
    expect(
      issues(() => sameCapacityRack([h], { sectionBytes: 2 ** 27, vcpusPerCore: 0.5 })),
    ).toEqual(["VX_DISAGG_BAD_ARGUMENT vcpusPerCore"]);
  });
});

describe("the clustered data center against the rack, on the same run", () => {
  it("strands cores on hosts full of memory where the rack strands nothing (stranding by hand)", () => {
    const { cmp, energyKWh } = compare({ settings: { policy: "locality-aware" } });
    // Clustered: one 6 GiB VM per host (two would need 12 GiB); the 3 GiB VM fits neither host's
    // 2 GiB left. Each host: 3 free cores, 2 GiB free < the smallest VM's 3 GiB, so all 6 free
    // cores of 8 are stranded; memory is not (its host has free cores).
    expect(cmp.clustered).toMatchObject({ placed: 2, refused: 1, migrations: 0 });
    expect(cmp.clustered.strandedCores).toBeCloseTo(6 / 8, 12);
    expect(cmp.clustered.strandedMemory).toBe(0);
    expect(cmp.clustered.reservedCores).toBeCloseTo(2 / 8, 12);
    expect(cmp.clustered.reservedMemory).toBeCloseTo(12 / 16, 12);
    expect(cmp.clustered.energyJoules / 3.6e6).toBeCloseTo(energyKWh, 12);
    expect(cmp.clustered.slowdown.mean).toBe(1);
    // The rack: 2 local GiB per compute brick, 12 GiB pooled: all three VMs get a slot (4 of 8
    // cores; 6 + 6 + 3 GiB = 120 of 128 sections), and the 4 free cores reach the free GiB.
    expect(cmp.capacity).toMatchObject({
      cores: 8,
      memoryBytes: GiB(16),
      computeBricks: 2,
      memoryBricks: 1,
    });
    expect(cmp.disaggregated).toMatchObject({ placed: 3, refused: 0, migrations: 0 });
    expect(cmp.disaggregated.reservedCores).toBeCloseTo(4 / 8, 12);
    expect(cmp.disaggregated.reservedMemory).toBeCloseTo(120 / 128, 12);
    expect(cmp.disaggregated.strandedCores).toBe(0);
    expect(cmp.disaggregated.strandedMemory).toBe(0);
    // Remote memory costs: every VM has some of its sections off its compute brick.
    expect(cmp.disaggregated.slowdown.mean).toBeGreaterThan(1);
    expect(cmp.disaggregated.energyJoules).toBeCloseTo(
      cmp.disaggregated.energy.compute +
        cmp.disaggregated.energy.memory +
        cmp.disaggregated.energy.fabric,
      6,
    );
  });

  it("leaves the run itself untouched: the clustered result is the same with and without it", () => {
    const plain = runDatacenter(spec());
    const withIt = runDatacenter(spec(), {
      extensions: [disaggComparison(parseComparison())],
    });
    const { extensions: _e, ...rest } = withIt;
    const { extensions: _p, ...plainRest } = plain;
    expect(rest).toEqual(plainRest);
  });

  it("is deterministic: the same run gives byte-identical output", () => {
    expect(JSON.stringify(compare().cmp)).toBe(JSON.stringify(compare().cmp));
  });

  it("rejects a bad section with the field's path; a rack that cannot be built is found before the run", () => {
    let code = "";
    const paths = issues(() => {
      try {
        return parseComparison({
          localMemory: "150%",
          computePerTray: 0,
          vcpusPerCore: 0,
          fabric: { kind: "bus" as "packet" },
          settings: { policy: "random" as "first-fit" },
          vmTypes: { mem: { memoryStallFraction: 2 } },
        });
      } catch (e) {
        code = (e as VxError).code;
        throw e;
      }
    }).map((i) => i.split(" ")[1]);
    expect(code).toBe("VX_DISAGG_BAD_COMPARISON");
    expect(paths.sort()).toEqual(
      [
        "computePerTray",
        "fabric.kind",
        "localMemory",
        "settings.policy",
        "vcpusPerCore",
        "vmTypes.mem.memoryStallFraction",
      ].sort(),
    );
    const hosts = {
      hostTypes: { big: { cores: 4, mips: 1, ram: 2 ** 45, nic: 1, power: POWER } },
      hosts: [{ type: "big", count: 1 }],
    };
    // 32 TiB pooled in 4 KiB sections: more than a brick may hold.
    const tiny = parseComparison({ settings: { memory: { sectionSize: "4KiB" } } });
    expect(checkComparison(hosts as never, tiny).map((i) => i.code)).toEqual([
      "VX_DISAGG_TOO_MANY_SECTIONS",
    ]);
    expect(checkComparison(hosts as never, parseComparison())).toEqual([]);
    expect(hostCapacities(hosts as never)).toHaveLength(1);
  });
});
