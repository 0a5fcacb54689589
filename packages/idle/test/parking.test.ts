import { VxError } from "@vx/core";
import {
  type DatacenterExtension,
  type DatacenterResult,
  type DatacenterSpecInput,
  memoryTraceLoader,
  runDatacenter,
} from "@vx/datacenter";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type IdleParametersInput,
  type IdleParkingOutput,
  idleParking,
  idleParkingResult,
} from "../src/index.js";

const GiB = 2 ** 30;
const POWER = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];

/**
 * One 1 GiB VM of 1000 MIPS on two 4 × 1000 MIPS hosts, for 2 h: busy (50 %) until 300 s, idle
 * (1 %) from 600 s to 3000 s, busy again (21 %) from 3300 s: its trace crosses 5 % at
 * 3000 + 300 × 0.04 / 0.2 = 3060 s.
 */
function oneVm(): { spec: DatacenterSpecInput; loader: ReturnType<typeof memoryTraceLoader> } {
  const rows = ["time,vm"];
  for (let t = 0; t <= 7200; t += 300) {
    const u = t <= 300 ? 0.5 : t <= 3000 ? 0.01 : 0.21;
    rows.push(`${t},${u}`);
  }
  return {
    spec: {
      name: "one-idle-vm",
      duration: "2h",
      step: "300s",
      hostTypes: { h: { cores: 4, mips: 1000, ram: "4GiB", power: POWER } },
      hosts: [{ type: "h", count: 2 }],
      vmTypes: { vm: { mips: 1000, ram: "1GiB", nic: 0 } },
      vms: [{ types: "vm", count: 1, workload: { kind: "csv", file: "trace.csv" } }],
      policy: { overload: "thr", underload: false },
      migration: { model: "cloudsim" },
    },
    loader: memoryTraceLoader({ files: { "trace.csv": `${rows.join("\n")}\n` } }),
  };
}

function idleOutput(r: DatacenterResult): IdleParkingOutput {
  const x = idleParkingResult(r);
  if (x === undefined) throw new Error("no idle output");
  return x.output;
}

function runOne(options: IdleParametersInput): DatacenterResult {
  const { spec, loader } = oneVm();
  return runDatacenter(spec, { loader, extensions: [idleParking(options)] });
}

describe("one VM in a data center, computed by hand", () => {
  const { spec, loader } = oneVm();
  const base = runDatacenter(spec, { loader });

  it("SEaMLESS parks it at 1500 s (idle since the 600 s round, 900 s), its host switches off until the request at 3060 s, served 0.547 s later", () => {
    const r = runOne({ technique: "seamless", threshold: "5%", idleAfterSeconds: "15min" });
    const o = idleOutput(r);
    expect(o.parks).toBe(1);
    expect(o.wakes).toBe(1);
    expect(o.served).toBe(1);
    expect(o.wait.max).toBeCloseTo(1e-4 + GiB / 2e9 + 0.01, 9);
    expect(o.restoresWaited).toBe(0);
    // Host off from 1500 + 1.583841824 s to 3060 s. Without parking it drew P(1 % × 1000 / 4000)
    // = 100.25 W until 3000 s, then a power rising linearly to P(0.05 / 4) = 101.25 W at 3060 s.
    const off = 3000 - (1500 + 0.5 + 0.01 + 1e-4 + GiB / 1e9);
    const saved = 100.25 * off + ((100.25 + 101.25) / 2) * 60;
    expect(base.summary.energyKWh - r.summary.energyKWh).toBeCloseTo(saved / 3.6e6, 9);
    // One sink on while the proxy is there: 93.7 W from 1500 s to the restore's end.
    const sinkSeconds = 3060 + 1e-4 + GiB / 2e9 + 0.01 - 1500;
    expect(o.sinkEnergyKWh).toBeCloseTo((93.7 * sinkSeconds) / 3.6e6, 9);
    const series = idleParkingResult(r)?.series ?? {};
    const parked = series.parkedVms;
    const released = series.releasedRamBytes;
    if (parked === undefined || released === undefined) throw new Error("series missing");
    const i = parked.time.indexOf(1800);
    expect(parked.value[i]).toBe(1);
    expect(released.value[i]).toBe(GiB);
  });

  it("suspend-to-swap: its host stays on (held) at idle power, saving only 0.25 W until the request; it waits for 3277 swap faults", () => {
    const r = runOne({ technique: "suspend-to-swap" });
    const o = idleOutput(r);
    expect(o.wait.max).toBeCloseTo(0.381390368, 9);
    // Held empty at P(0) = 100 W instead of 100.25 W until 3000 s, and instead of 100.25 → 101.25 W
    // from 3000 to 3060 s.
    const parked = 3000 - (1500 + GiB / 1e9);
    const saved = 0.25 * parked + ((100.25 + 101.25) / 2 - 100) * 60;
    expect(base.summary.energyKWh - r.summary.energyKWh).toBeCloseTo(saved / 3.6e6, 9);
    expect(o.sinkEnergyKWh).toBe(0);
  });

  it("suspend-to-disk: served at the client's first SYN retransmission, 1 s after the request", () => {
    const o = idleOutput(runOne({ technique: "suspend-to-disk" }));
    expect(o.wait.max).toBe(1);
    expect(o.requestsDelayed).toBe(1);
  });

  it("none: nothing parks, the energy is consolidation's alone", () => {
    const r = runOne({ technique: "none" });
    expect(idleOutput(r).parks).toBe(0);
    expect(r.summary.energyKWh).toBe(base.summary.energyKWh);
  });

  it("a restore with no room waits, counted, until a host has room (here 3060 s → the 4200 s round)", () => {
    // Two 2 GiB hosts: the idle VM (1 GiB) on host 0, a busy 1.5 GiB VM on host 1. A test
    // extension suspends the busy VM at once, then at 2000 s (the idle VM parked) resumes it on
    // host 0 and takes host 1 out of service; host 1 returns at 4000 s.
    const rows = ["time,idle,busy"];
    for (let t = 0; t <= 7200; t += 300) {
      rows.push(`${t},${t <= 300 ? 0.5 : t <= 3000 ? 0.01 : 0.21},0.3`);
    }
    const squeeze: DatacenterExtension = {
      name: "squeeze",
      start(ctx) {
        expect(ctx.vm(1).host).toBe(1);
        ctx.suspendVm(1);
        ctx.schedule(2000, () => {
          expect(ctx.resumeVm(1, 0)).toBe(0);
          ctx.setInService(1, false);
        });
        ctx.schedule(4000, () => ctx.setInService(1, true));
      },
    };
    const r = runDatacenter(
      {
        name: "no-room",
        duration: "2h",
        step: "300s",
        hostTypes: { h: { cores: 4, mips: 1000, ram: "2GiB", power: POWER } },
        hosts: [{ type: "h", count: 2 }],
        vmTypes: {
          a: { mips: 1000, ram: "1GiB", nic: 0 },
          c: { mips: 1000, ram: "1.5GiB", nic: 0 },
        },
        vms: [
          { types: "a", count: 1, workload: { kind: "csv", file: "t.csv", columns: ["idle"] } },
          { types: "c", count: 1, workload: { kind: "csv", file: "t.csv", columns: ["busy"] } },
        ],
        policy: { overload: "thr", underload: false },
        migration: { model: "cloudsim" },
      },
      {
        loader: memoryTraceLoader({ files: { "t.csv": `${rows.join("\n")}\n` } }),
        extensions: [squeeze, idleParking({ technique: "seamless" })],
      },
    );
    const o = idleOutput(r);
    expect(o.wakes).toBe(1);
    expect(o.restoresWaited).toBe(1);
    expect(o.restoreWaitSeconds).toBeCloseTo(4200 - 3060, 9);
    expect(o.wait.max).toBeCloseTo(4200 - 3060 + 1e-4 + GiB / 2e9 + 0.01, 9);
    expect(o.served).toBe(1);
  });
});

describe("invariants (property)", () => {
  it("a parked VM never holds host RAM, host RAM is the sum of its VMs', and no request is lost, only delayed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom("seamless", "suspend-to-swap" as const),
        fc.integer({ min: 2, max: 6 }),
        fc.double({ min: 0.03, max: 0.3, noNaN: true }),
        (seed, technique, hosts, threshold) => {
          const problems: string[] = [];
          const checker: DatacenterExtension = {
            name: "checker",
            round(ctx) {
              const where = new Map<number, number>();
              for (let h = 0; h < ctx.hostCount; h++) {
                const s = ctx.host(h);
                let ram = 0;
                for (const vm of s.vms) {
                  ram += ctx.vm(vm).ramBytes;
                  where.set(vm, h);
                }
                if (Math.abs(s.ramBytes - s.ramFreeBytes - ram) > 1) problems.push(`host ${h} RAM`);
              }
              for (let vm = 0; vm < ctx.vmCount; vm++) {
                const v = ctx.vm(vm);
                if (v.state === "suspended" && (v.host !== -1 || where.has(vm))) {
                  problems.push(`parked VM ${vm} on a host`);
                }
              }
            },
          };
          const r = runDatacenter(
            {
              name: "prop",
              seed,
              duration: "12h",
              step: "300s",
              hostTypes: { h: { cores: 4, mips: 1000, ram: "4GiB", power: POWER } },
              hosts: [{ type: "h", count: hosts }],
              vmTypes: { vm: { mips: 1000, ram: "1GiB", nic: 0 } },
              vms: [
                {
                  types: "vm",
                  count: hosts * 2,
                  workload: { kind: "idle-spikes", meanGap: "1h", spikeDuration: "10min" },
                },
              ],
              migration: { model: "cloudsim" },
            },
            { extensions: [idleParking({ technique, threshold, idleAfterSeconds: 600 }), checker] },
          );
          const o = idleOutput(r);
          expect(problems).toEqual([]);
          expect(o.failed).toBe(0);
          expect(o.served + o.pendingAtEnd).toBe(o.wakes);
          expect(o.parks).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("bad input", () => {
  it("refuses options before any run, with the path of the field", () => {
    const cases: [IdleParametersInput, (string | number)[]][] = [
      [{ disk: { readBytesPerSecond: 0 } }, ["disk", "readBytesPerSecond"]],
      [{ threshold: "150%" }, ["threshold"]],
      [{ seamless: { maxSinks: -1 } }, ["seamless", "maxSinks"]],
      [{ swap: { pageCluster: 2.5 } }, ["swap", "pageCluster"]],
      [{ idleAfter: 3 } as IdleParametersInput, ["idleAfter"]],
    ];
    for (const [options, path] of cases) {
      let got: unknown;
      try {
        idleParking(options);
      } catch (error) {
        got = VxError.isInstance(error) ? [error.code, error.path] : error;
      }
      expect(got).toEqual(["VX_IDLE_BAD_OPTIONS", path]);
    }
  });
});
