import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Gbps, MB } from "@vx/core";
import { vxErrorOf } from "@vx/dev/matchers";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  cloudsimMigrationModel,
  cloudsimPlanetLabSpec,
  type DatacenterSpecInput,
  POWER_HP_ML110_G4,
  POWER_HP_ML110_G5,
  parseDatacenterSpec,
  resolveQuirks,
  runDatacenter,
  specPower,
  type VmGroupInput,
  type WorkloadInput,
} from "../src/index.js";
import { nodeTraceLoader } from "../src/node.js";
import { DAY_20110303, SMALL_HOST, SMALL_VM, smallSpec } from "./fixtures.js";

const scratch = mkdtempSync(join(tmpdir(), "vx-datacenter-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const loader = nodeTraceLoader();

/** The first issue of the error a spec is refused with. */
function refused(spec: unknown): { code: string; path: readonly (string | number)[] } {
  const e = vxErrorOf(() => runDatacenter(spec as DatacenterSpecInput, { loader }));
  expect(e.code).toBe("VX_SIM_BAD_SCENARIO");
  const issue = e.issues[0];
  if (issue === undefined) throw new Error("no issue");
  return { code: issue.code, path: issue.path };
}

describe("power and migration models", () => {
  it("interpolates SPECpower tables linearly, as CloudSim does", () => {
    expect(specPower(POWER_HP_ML110_G4, 0)).toBe(86);
    expect(specPower(POWER_HP_ML110_G4, 0.55)).toBeCloseTo(104, 12);
    expect(specPower(POWER_HP_ML110_G5, 1)).toBe(135);
    expect(specPower(POWER_HP_ML110_G5, 0.95)).toBeCloseTo(134, 12);
    expect(specPower(POWER_HP_ML110_G5, 1.5)).toBe(135); // clamped
  });

  it("CloudSim's migration takes RAM / (half the destination's bandwidth): 870 MB in 13.92 s at 1 Gbit/s", () => {
    const request = {
      ramBytes: MB(870),
      sourceNicBytesPerSecond: Gbps(1),
      targetNicBytesPerSecond: Gbps(1),
    };
    expect(cloudsimMigrationModel.durationSeconds(request)).toBeCloseTo(13.92, 12);
  });
});

describe("worked examples on small data centers (checked by hand)", () => {
  it("one host, one VM at 50 %: 150 W for 600 s = 0.025 kWh, no migration, no violation", () => {
    const r = runDatacenter(smallSpec({ hosts: 1, loads: [0.5] }));
    expect(r.summary.energyKWh).toBeCloseTo((150 * 600) / 3.6e6, 12);
    expect(r.summary.migrations).toBe(0);
    expect(r.summary.slatah).toBe(0);
    expect(r.summary.pdm).toBe(0);
    expect(r.summary.meanActiveHosts).toBe(1);
    expect(r.series.time).toEqual([0, 300]);
    expect(r.series.powerWatts).toEqual([150, 150]);
  });

  it("two hosts at 30 %: one migration consolidates them; energy, PDM and shutdowns by hand", () => {
    // Placement at t = 0: each VM asks its full 1000 MIPS, so they land on hosts 0 and 1.
    // Round at t = 0: both hosts are at 30 %; host 0 (first on a tie) is evacuated: VM 0 to
    // host 1 (→ 60 % ≤ 80 %), 100 MB over half of 1 Gbit/s = 1.6 s.
    // Energy (P = 100 + 100 u): during the migration host 0 draws 130 W (VM 0 at 90 % of 300
    // MIPS counts as 300) and host 1 133 W (its 300 MIPS + 10 % of VM 0's); then host 1 alone at
    // 160 W for 598.4 s; host 0 is off.
    const r = runDatacenter(smallSpec({ loads: [0.3, 0.3] }));
    const joules = 130 * 1.6 + 133 * 1.6 + 160 * 598.4;
    expect(r.summary.energyKWh).toBeCloseTo(joules / 3.6e6, 12);
    expect(r.summary.migrations).toBe(1);
    expect(r.migrationLog).toEqual([
      {
        time: 0,
        vm: 0,
        from: 0,
        to: 1,
        queueSeconds: 0,
        durationSeconds: 1.6,
        downtimeSeconds: 0,
        bytes: MB(100),
        outcome: "completed",
        origin: "consolidation",
      },
    ]);
    // PDM: VM 0 loses 10 % of 300 MIPS for 1.6 s, out of 2 × 300 MIPS × 600 s requested.
    expect(r.summary.pdm).toBeCloseTo((30 * 1.6) / (2 * 300 * 600), 15);
    expect(r.summary.slatah).toBe(0);
    expect(r.summary.slav).toBe(0);
    expect(r.summary.hostShutdowns).toBe(1);
    expect(r.summary.meanActiveHosts).toBeCloseTo((600 + 1.6) / 600, 12);
    expect(r.series.activeHosts).toEqual([2, 1]);
    expect(r.series.migrations).toEqual([1, 0]);
    expect(r.series.powerWatts[1]).toBeCloseTo(160, 12);
  });

  it("with CloudSim's accounting, the destination violates its SLA during the migration", () => {
    const r = runDatacenter(
      smallSpec({
        loads: [0.3, 0.3],
        cloudsim: { quirks: { incomingMigrationViolates: true } },
      }),
    );
    // Host 1 is asked 600 MIPS but allocates 330 for 1.6 s; active time 600 s (host 1) + 1.6 s (host 0).
    expect(r.summary.slatah).toBeCloseTo(1.6 / 601.6, 15);
    expect(r.summary.slav).toBeCloseTo(r.summary.slatah * r.summary.pdm, 18);
    expect(r.summary.esv).toBeCloseTo(r.summary.energyKWh * r.summary.slav, 18);
  });

  it("a host asked more than its capacity violates its SLA until the overload is migrated away", () => {
    // Two VMs at 20 % are consolidated on host 1 at t = 0 (VM 0 moves, 1.6 s). At 300 s both ask
    // 90 %: host 1 is asked 1800 MIPS of 1000 (every VM scaled to 500, SLA violated). THR moves
    // VM 1 (MMT tie: first in host 1's list) to the empty host 0; VM 0 cannot follow (0 + 1.8 >
    // 0.8 there). Host 1 violates its SLA from 300 s to 301.6 s only.
    const csv = join(scratch, "jump.csv");
    writeFileSync(csv, "time,a,b\n0,0.2,0.2\n300,0.9,0.9\n600,0.9,0.9\n");
    const s: DatacenterSpecInput = {
      ...smallSpec({ loads: [] }),
      vms: [{ types: ["vm"], count: 2, workload: { kind: "csv", file: csv } }],
    };
    const r = runDatacenter(s, { loader });
    expect(r.migrationLog.map((m) => [m.time, m.vm, m.from, m.to])).toEqual([
      [0, 0, 0, 1],
      [300, 1, 1, 0],
    ]);
    // Active: host 0 for 1.6 s then from 300 s; host 1 all along.
    expect(r.summary.slatah).toBeCloseTo(1.6 / (1.6 + 300 + 600), 14);
    expect(r.series.overloadedHosts).toEqual([0, 1]);
    // PDM: VM 0 loses 20 MIPS for 1.6 s; VM 1, scaled to 500 and then to 90 % of it on the
    // overloaded source, gets 450 of 900 MIPS for 1.6 s. Requested MIPS·s per VM: 200 × 1.6 +
    // 203.73… × 298.4 (demand at 1.6 s, interpolated) + 900 × 300.
    const early = 200 + 700 * (1.6 / 300);
    const perVm = 200 * 1.6 + early * 298.4 + 900 * 300;
    expect(r.summary.pdm).toBeCloseTo((20 * 1.6 + 450 * 1.6) / (2 * perVm), 12);
  });

  it("NPA: every host draws its maximum all the time; DVFS: only hosts holding VMs draw, by load", () => {
    const npa = runDatacenter(smallSpec({ loads: [0.3], policy: { overload: "none" } }));
    expect(npa.summary.energyKWh).toBeCloseTo((2 * 200 * 600) / 3.6e6, 12);
    expect(npa.summary.migrations).toBe(0);
    expect(npa.summary.meanActiveHosts).toBe(2);
    expect(npa.series.activeHosts).toEqual([2, 2]);
    const dvfs = runDatacenter(smallSpec({ loads: [0.3], policy: { overload: "dvfs" } }));
    expect(dvfs.summary.energyKWh).toBeCloseTo((130 * 600) / 3.6e6, 12);
    expect(dvfs.summary.meanActiveHosts).toBe(1);
  });

  it("at t = 0 the overload check sees only the VM being created, as in CloudSim's processVmCreate", () => {
    // One host of 2 × 1000 MIPS, two VMs of 800 MIPS at 50 %. Placing VM 1 next to VM 0 would be
    // 1600 / 2000 = 0.8 > 0.7 at full MIPS, but VM 0, once created, requests nothing until its
    // workload starts: both VMs are placed (THR 0.7, and IQR through its THR 0.7 fallback), the
    // host then runs at 800 / 2000 = 0.4: 140 W for 300 s.
    const host = { ...SMALL_HOST, cores: 2 };
    const vm = { ...SMALL_VM, mips: 800 };
    for (const policy of [
      { overload: "thr", parameter: 0.7 },
      { overload: "iqr", parameter: 1.5 },
    ] as const) {
      const r = runDatacenter(
        smallSpec({
          hosts: 1,
          hostType: host,
          vmType: vm,
          loads: [0.5, 0.5],
          duration: 300,
          policy: { ...policy, underload: false },
        }),
      );
      expect(r.series.meanUtilisation).toEqual([0.4]);
      expect(r.summary.energyKWh).toBeCloseTo((140 * 300) / 3.6e6, 12);
      expect(r.summary.migrations).toBe(0);
    }
  });

  it("with CloudSim's clock, rounds run at 300.1, 600.1, … and the first interval draws nothing", () => {
    const r = runDatacenter(
      smallSpec({
        hosts: 1,
        loads: [0.5],
        duration: 1200,
        cloudsim: { quirks: { timeline: true } },
      }),
    );
    expect(r.series.time).toEqual([300.1, 600.1, 900.1]);
    // Energy from 300.1 s to the last round at 900.1 s only: 600 s at 150 W.
    expect(r.summary.energyKWh).toBeCloseTo((150 * 600) / 3.6e6, 9);
  });

  it("with CloudSim's VM removal, a VM whose demand is 0 is destroyed for good", () => {
    const csv = join(scratch, "zero.csv");
    writeFileSync(csv, "time,a,b\n0,0.5,0.5\n300,0,0.5\n600,0,0.5\n900,0.5,0.5\n");
    const s: DatacenterSpecInput = {
      ...smallSpec({ loads: [], duration: 1200, hosts: 2 }),
      vms: [{ types: ["vm"], count: 2, workload: { kind: "csv", file: csv } }],
    };
    const vx = runDatacenter(s, { loader });
    const quirk = runDatacenter(
      { ...s, cloudsim: { quirks: { finishIdleVms: true } } },
      { loader },
    );
    // vx: VM a comes back at 900 s and draws again; with the quirk it is gone after 300 s.
    expect(quirk.summary.energyKWh).toBeLessThan(vx.summary.energyKWh);
  });
});

describe("determinism and progress", () => {
  function mixed(seed: number): DatacenterSpecInput {
    const groups: VmGroupInput[] = [
      {
        types: ["vm"],
        count: 6,
        workload: {
          kind: "bursty",
          base: 0.1,
          peak: 0.9,
          meanGap: 1800,
          meanBurst: 600,
        },
      },
      {
        types: ["vm"],
        count: 4,
        workload: {
          kind: "diurnal",
          mean: 0.4,
          amplitude: 0.3,
          period: 86_400,
          noise: 0.05,
        },
      },
    ];
    return {
      ...smallSpec({
        loads: [],
        hosts: 8,
        duration: 6 * 3600,
        seed,
        policy: { selection: "rs" },
      }),
      vms: groups,
    };
  }

  it("the same scenario and seed give byte-identical JSON; another seed another result", () => {
    const a = JSON.stringify(runDatacenter(mixed(11)));
    const b = JSON.stringify(runDatacenter(mixed(11)));
    expect(a).toBe(b);
    expect(JSON.stringify(runDatacenter(mixed(12)))).not.toBe(a);
  });

  it("reports progress after every round, ending at 1", () => {
    const seen: number[] = [];
    runDatacenter(mixed(1), { onProgress: (f) => seen.push(f) });
    expect(seen.length).toBe(72);
    expect(seen[seen.length - 1]).toBe(1);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });
});

describe("bad input is refused before anything runs, every problem at once", () => {
  const base = smallSpec({ loads: [0.5] });

  it("an unknown host or VM type: VX_SIM_UNKNOWN_TYPE with its path", () => {
    expect(refused({ ...base, hosts: [{ type: "nope", count: 1 }] })).toEqual({
      code: "VX_SIM_UNKNOWN_TYPE",
      path: ["hosts", 0, "type"],
    });
    expect(
      refused({
        ...base,
        vms: [
          { types: ["vm", "nope"], count: 2, workload: { kind: "constant", utilisation: 0.1 } },
        ],
      }),
    ).toEqual({ code: "VX_SIM_UNKNOWN_TYPE", path: ["vms", 0, "types", 1] });
  });

  it("a VM larger than every host: VX_SIM_VM_TOO_LARGE on the VM type", () => {
    expect(refused({ ...base, vmTypes: { vm: { ...SMALL_VM, ram: MB(2000) } } })).toEqual({
      code: "VX_SIM_VM_TOO_LARGE",
      path: ["vmTypes", "vm"],
    });
    // Per-core speed counts, not only the total: a 1500 MIPS core does not fit 2 × 1000.
    const host = { ...SMALL_HOST, cores: 2 };
    expect(
      refused({ ...base, hostTypes: { host }, vmTypes: { vm: { ...SMALL_VM, mips: 1500 } } }),
    ).toEqual({ code: "VX_SIM_VM_TOO_LARGE", path: ["vmTypes", "vm"] });
    // And the NIC.
    expect(refused({ ...base, vmTypes: { vm: { ...SMALL_VM, nic: "2Gbps" } } }).code).toBe(
      "VX_SIM_VM_TOO_LARGE",
    );
  });

  it("a missing trace folder: VX_SIM_TRACE_NOT_FOUND under vms[i].workload.folder", () => {
    const workload: WorkloadInput = { kind: "planetlab", folder: join(scratch, "missing") };
    expect(refused({ ...base, vms: [{ types: ["vm"], count: 1, workload }] })).toEqual({
      code: "VX_SIM_TRACE_NOT_FOUND",
      path: ["vms", 0, "workload", "folder"],
    });
  });

  it("a file workload without a loader: VX_SIM_NO_LOADER", () => {
    const workload: WorkloadInput = { kind: "planetlab", folder: "anywhere" };
    const e = vxErrorOf(() => runDatacenter({ ...base, vms: [{ types: ["vm"], workload }] }));
    expect(e.issues[0]?.code).toBe("VX_SIM_NO_LOADER");
    expect(e.issues[0]?.path).toEqual(["vms", 0, "workload"]);
  });

  it("more VMs than traces: VX_SIM_TOO_FEW_TRACES on the count", () => {
    const dir = join(scratch, "two");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "a"), "10\n");
    writeFileSync(join(dir, "b"), "20\n");
    const workload: WorkloadInput = { kind: "planetlab", folder: dir };
    expect(refused({ ...base, vms: [{ types: ["vm"], count: 3, workload }] })).toEqual({
      code: "VX_SIM_TOO_FEW_TRACES",
      path: ["vms", 0, "count"],
    });
  });

  it("impossible values: schema issues, VX_SIM_BAD_POWER_TABLE, a bad cloudsim field", () => {
    expect(refused({ ...base, step: 0 }).path).toEqual(["step"]);
    expect(refused({ ...base, hosts: [] }).path).toEqual(["hosts"]);
    const powerless = { ...SMALL_HOST, power: [1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11] };
    expect(refused({ ...base, hostTypes: { host: powerless } }).code).toBe(
      "VX_SIM_BAD_POWER_TABLE",
    );
    expect(refused({ ...base, cloudsim: { quirks: "yes" } }).path[0]).toBe("cloudsim");
  });

  it("an unknown workload kind lists the kinds", () => {
    const e = refused({
      ...base,
      vms: [{ types: ["vm"], count: 1, workload: { kind: "sinus" } }],
    });
    expect(e.path).toEqual(["vms", 0, "workload", "kind"]);
  });

  it("hand-built nonsense and undefined are refused with a VxError, never a TypeError", () => {
    for (const value of [
      undefined,
      null,
      42,
      "spec",
      [],
      {},
      { hosts: [{}], vms: [{}] },
      { ...base, vms: [{ types: ["vm"], count: 1, workload: null }] },
      { ...base, hostTypes: { host: null } },
      { ...base, network: { topology: "ring" } },
      { ...base, migration: { model: "teleport" } },
      { ...base, policy: { overload: "thr", parameter: "high" } },
    ]) {
      const e = vxErrorOf(() => runDatacenter(value as DatacenterSpecInput));
      expect(e.code).toBe("VX_SIM_BAD_SCENARIO");
      expect(e.issues.length).toBeGreaterThan(0);
    }
  });

  it("every problem at once, each with its path", () => {
    const e = vxErrorOf(() =>
      runDatacenter({
        ...base,
        step: 3600,
        duration: 600,
        hosts: [{ type: "nope", count: 1 }],
        policy: { overload: "thr", parameter: 1.5 },
      }),
    );
    expect(e.issues.map((i) => [i.code, i.path])).toEqual([
      ["VX_SIM_BAD_PARAMETER", ["policy", "parameter"]],
      ["VX_SIM_STEP_TOO_LONG", ["step"]],
      ["VX_SIM_UNKNOWN_TYPE", ["hosts", 0, "type"]],
    ]);
  });

  it("parseDatacenterSpec returns the spec in base units with every default, and it parses to itself", () => {
    const spec = parseDatacenterSpec({ ...base, duration: "1h", policy: { overload: "mad" } });
    expect(spec.duration).toBe(3600);
    expect(spec.policy).toEqual({
      overload: "mad",
      parameter: 2.5,
      selection: "mmt",
      placement: "pabfd",
      underload: true,
      unplaced: "count",
    });
    expect(spec.vmTypes.vm).toEqual({
      cores: 1,
      mips: 1000,
      ram: MB(100),
      nic: 0,
      dirtyRate: 32 * 2 ** 20,
      workingSet: 0.9,
    });
    expect(parseDatacenterSpec(spec)).toEqual(spec);
  });
});

describe("the CloudSim-compatible PlanetLab spec", () => {
  it("builds 800 alternating G4/G5 hosts, one VM per file typed by blocks, and CloudSim's quirks", () => {
    const dir = join(scratch, "day");
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 10; i++) writeFileSync(join(dir, `vm${i}`), "10\n20\n");
    const s = parseDatacenterSpec(
      cloudsimPlanetLabSpec({ folder: dir, policy: { overload: "iqr" } }),
      {
        loader,
      },
    );
    expect(s.hosts.length).toBe(800);
    expect(s.hosts[0]?.type).toBe("hp-ml110-g4");
    expect(s.hosts[1]?.type).toBe("hp-ml110-g5");
    expect(s.vms).toEqual([
      {
        types: ["high-cpu-medium", "extra-large", "small", "micro"],
        count: 10,
        workload: { kind: "planetlab", folder: dir, interval: 300 },
      },
    ]);
    expect(s.policy).toEqual({
      overload: "iqr",
      parameter: 1.5,
      selection: "mmt",
      placement: "pabfd",
      underload: true,
      unplaced: "count",
    });
    expect(resolveQuirks(s.cloudsim).finishIdleVms).toBe(true);
    expect(
      resolveQuirks(cloudsimPlanetLabSpec({ folder: dir, quirks: false }).cloudsim as never)
        .finishIdleVms,
    ).toBe(false);
    expect(cloudsimPlanetLabSpec({ folder: dir, replicas: 3 }).hosts.length).toBe(2400);
    expect(vxErrorOf(() => cloudsimPlanetLabSpec({ folder: dir, replicas: 0 })).code).toBe(
      "VX_SIM_BAD_OPTION",
    );
    expect(refused(cloudsimPlanetLabSpec({ folder: join(scratch, "nothing") })).code).toBe(
      "VX_SIM_TRACE_NOT_FOUND",
    );
  });

  it("20110303, NPA: 800 hosts at full power until CloudSim's last round, 2410.80 kWh", () => {
    const r = runDatacenter(
      cloudsimPlanetLabSpec({ day: DAY_20110303, policy: { overload: "none" } }),
      { loader },
    );
    // (400 × 117 W + 400 × 135 W) × 86,100.1 s (0 to the round at 86,100.1 s) = 2410.80 kWh.
    expect(r.summary.energyKWh).toBeCloseTo((100_800 * 86_100.1) / 3.6e6, 6);
    expect(r.summary.vms).toBe(1052);
  });
});

describe("invariants (property tests on small random data centers)", () => {
  const workload = fc.oneof(
    fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((u): WorkloadInput => ({ kind: "constant", utilisation: u })),
    fc
      .record({
        mean: fc.double({ min: 0, max: 0.8, noNaN: true }),
        amplitude: fc.double({ min: 0, max: 0.5, noNaN: true }),
      })
      .map((d): WorkloadInput => ({ kind: "diurnal", ...d, period: 7200, noise: 0.1 })),
    fc
      .record({
        base: fc.double({ min: 0, max: 0.5, noNaN: true }),
        extra: fc.double({ min: 0, max: 0.5, noNaN: true }),
      })
      .map(
        (b): WorkloadInput => ({
          kind: "bursty",
          base: b.base,
          peak: b.base + b.extra,
          meanGap: 1200,
          meanBurst: 600,
        }),
      ),
  );
  const scenario = fc
    .record({
      hosts: fc.integer({ min: 1, max: 6 }),
      groups: fc.array(fc.record({ count: fc.integer({ min: 1, max: 4 }), workload }), {
        minLength: 1,
        maxLength: 4,
      }),
      overload: fc.constantFrom("thr", "iqr", "mad", "lr", "lrr", "none", "dvfs" as const),
      selection: fc.constantFrom("mmt", "mc", "mu", "rs" as const),
      quirks: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1000 }),
    })
    .map(({ hosts, groups, overload, selection, quirks, seed }): DatacenterSpecInput => {
      const base = smallSpec({
        hosts,
        loads: [],
        duration: 3 * 3600,
        seed,
        hostType: { ...SMALL_HOST, cores: 2, ram: MB(400) },
        policy: { overload, selection, parameter: undefined },
        cloudsim: { quirks },
      });
      return { ...base, vms: groups.map((g) => ({ types: ["vm"], ...g })) };
    });

  it("energy ≥ 0, SLAV = SLATAH × PDM, ESV = energy × SLAV, a log entry per migration, consistent series", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = runDatacenter(s);
        const m = r.summary;
        const hosts = s.hosts.reduce((a, g) => a + g.count, 0);
        const rounds = r.series.time.length;
        return (
          m.energyKWh >= 0 &&
          m.slatah >= 0 &&
          m.slatah <= 1 &&
          m.pdm >= 0 &&
          m.pdm <= 0.1 &&
          m.slav === m.slatah * m.pdm &&
          m.esv === m.energyKWh * m.slatah * m.pdm &&
          m.migrations === r.migrationLog.length &&
          r.series.migrations.reduce((a, b) => a + b, 0) === m.migrations &&
          [
            r.series.activeHosts,
            r.series.powerWatts,
            r.series.meanUtilisation,
            r.series.overloadedHosts,
          ].every((a) => a.length === rounds) &&
          r.series.activeHosts.every((a) => a >= 0 && a <= hosts) &&
          r.series.powerWatts.every((p) => p >= 0 && p <= 200 * hosts + 1e-9)
        );
      }),
      { numRuns: 60 },
    );
  });

  it("migrations leave an active host for another one and take RAM / (NIC / 2)", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = runDatacenter(s);
        const hosts = s.hosts.reduce((a, g) => a + g.count, 0);
        return r.migrationLog.every(
          (m) =>
            m.from >= 0 &&
            m.from < hosts &&
            m.to >= 0 &&
            m.to < hosts &&
            m.from !== m.to &&
            Math.abs(m.durationSeconds - MB(100) / (Gbps(1) / 2)) < 1e-12 &&
            m.bytes === MB(100),
        );
      }),
      { numRuns: 40 },
    );
  });
});
