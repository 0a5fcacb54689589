import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  type DatacenterContext,
  type DatacenterExtension,
  type DatacenterSpecInput,
  type MigrationInput,
  runDatacenter,
} from "../src/index.js";
import { extensionOutput } from "./fixtures.js";

const POWER = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];

/** 4 hosts of 4 × 1000 MIPS, 4 GiB; 6 VMs of 1000 MIPS, 1 GiB, at 20 %; THR-MMT consolidation. */
function spec(migration: MigrationInput = { model: "precopy" }): DatacenterSpecInput {
  return {
    name: "extensions",
    duration: "4h",
    step: "300s",
    hostTypes: { h: { cores: 4, mips: 1000, ram: "4GiB", power: POWER } },
    hosts: [{ type: "h", count: 4 }],
    vmTypes: { vm: { mips: 1000, ram: "1GiB", nic: 0 } },
    vms: [{ types: "vm", count: 6, workload: { kind: "constant", utilisation: 0.2 } }],
    policy: { overload: "thr", underload: false },
    migration,
  };
}

interface DrainReport {
  readonly drained: number;
  readonly moved: number;
  readonly outAt: number;
  readonly backAt: number;
  readonly vmsWhileOut: number;
  readonly targetedWhileOut: number;
}

/**
 * The seam's test extension: at 1 h it empties the busiest host by live migration (the spec's
 * model, the shared network), takes it out of service once its last VM has left, and puts it back
 * at 3 h.
 */
function drainer(): DatacenterExtension<DrainReport> {
  let host = -1;
  let moved = 0;
  let pending = 0;
  let outAt = -1;
  let backAt = -1;
  let vmsWhileOut = 0;
  let targetedWhileOut = 0;
  const out = (ctx: DatacenterContext): void => {
    ctx.setInService(host, false);
    outAt = ctx.now;
    ctx.record("hostsOut", 1);
  };
  return {
    name: "drain",
    start(ctx) {
      ctx.schedule(3600, () => {
        let busiest = 0;
        for (let h = 0; h < ctx.hostCount; h++) {
          if (ctx.host(h).vms.length > ctx.host(busiest).vms.length) busiest = h;
        }
        host = busiest;
        for (const vm of ctx.host(host).vms) {
          const to = ctx.findHost(vm, (h) => h === host);
          if (to >= 0 && ctx.migrate(vm, to)) {
            moved++;
            pending++;
          }
        }
        if (pending === 0) out(ctx);
      });
      ctx.schedule(3 * 3600, () => {
        ctx.setInService(host, true);
        backAt = ctx.now;
        ctx.record("hostsOut", 0);
      });
    },
    round(ctx) {
      if (outAt >= 0 && backAt < 0) vmsWhileOut += ctx.host(host).vms.length;
    },
    migrationEnded(ctx, record) {
      if (record.origin === "drain" && record.from === host) {
        pending--;
        if (pending === 0) out(ctx);
      }
      if (outAt >= 0 && backAt < 0 && record.to === host) targetedWhileOut++;
    },
    end(ctx) {
      ctx.metric("moved", moved);
      return { drained: host, moved, outAt, backAt, vmsWhileOut, targetedWhileOut };
    },
  };
}

describe("the extension seam", () => {
  it("an extension drains a host at 1 h by migrations, holds it out of service, then brings it back", () => {
    const r = runDatacenter(spec(), { extensions: [drainer()] });
    const ext = r.extensions?.drain as {
      output: DrainReport;
      series: Record<string, { time: number[]; value: number[] }>;
      metrics: Record<string, number>;
    };
    const o = ext.output;
    expect(o.moved).toBeGreaterThan(0);
    // Its migrations are in the log, from the drained host, decided at 1 h, all completed.
    const drained = r.migrationLog.filter((m) => m.origin === "drain");
    expect(drained).toHaveLength(o.moved);
    expect(drained.every((m) => m.from === o.drained && m.time === 3600)).toBe(true);
    expect(drained.every((m) => m.outcome === "completed")).toBe(true);
    // Out once the last one landed, back at 3 h; nothing was placed on it meanwhile.
    const lastLanding = Math.max(
      ...drained.map((m) => m.time + m.queueSeconds + m.durationSeconds),
    );
    expect(o.outAt).toBeCloseTo(lastLanding, 9);
    expect(o.backAt).toBe(3 * 3600);
    expect(o.vmsWhileOut).toBe(0);
    expect(o.targetedWhileOut).toBe(0);
    expect(ext.series.hostsOut).toEqual({ time: [o.outAt, 3 * 3600], value: [1, 0] });
    expect(ext.metrics).toEqual({ moved: o.moved });
    // No VM was lost on the way.
    expect(r.summary.vmsLost).toBe(0);
  });

  it("works the same with CloudSim's delay model", () => {
    const r = runDatacenter(spec({ model: "cloudsim" }), { extensions: [drainer()] });
    const o = extensionOutput<DrainReport>(r, "drain");
    expect(o.moved).toBeGreaterThan(0);
    expect(o.vmsWhileOut).toBe(0);
  });

  it("suspends a VM (it holds nothing, consolidation leaves it alone) and resumes it where there is room", () => {
    const seen: { ram: number; state: string; host: number }[] = [];
    let resumedOn = -2;
    const park: DatacenterExtension<{ resumedOn: number }> = {
      name: "park",
      start(ctx) {
        ctx.schedule(1800, () => {
          const host = ctx.vm(0).host;
          const before = ctx.host(host).ramFreeBytes;
          expect(ctx.suspendVm(0)).toBe(true);
          expect(ctx.suspendVm(0)).toBe(false); // already suspended
          seen.push({
            ram: ctx.host(host).ramFreeBytes - before,
            state: ctx.vm(0).state,
            host: ctx.vm(0).host,
          });
        });
        ctx.schedule(7200, () => {
          resumedOn = ctx.resumeVm(0);
          seen.push({ ram: 0, state: ctx.vm(0).state, host: ctx.vm(0).host });
        });
      },
      end: () => ({ resumedOn }),
    };
    const r = runDatacenter(spec(), { extensions: [park] });
    expect(seen[0]).toEqual({ ram: 2 ** 30, state: "suspended", host: -1 });
    expect(seen[1]!.state).toBe("running");
    expect(seen[1]!.host).toBeGreaterThanOrEqual(0);
    expect(extensionOutput<{ resumedOn: number }>(r, "park").resumedOn).toBe(seen[1]!.host);
    expect(r.migrationLog.every((m) => m.vm !== 0 || m.time < 1800 || m.time >= 7200)).toBe(true);
  });

  it("reads a workload at any time, suspended VMs included, and refuses a time that is not ≥ 0", () => {
    const u: number[] = [];
    let code = "";
    const ext: DatacenterExtension = {
      name: "peek",
      start(ctx) {
        ctx.schedule(600, () => {
          ctx.suspendVm(0);
          u.push(ctx.workload(0), ctx.workload(0, 7200));
          try {
            ctx.workload(0, -1);
          } catch (error) {
            code = VxError.isInstance(error) ? error.code : "?";
          }
        });
      },
    };
    runDatacenter(spec(), { extensions: [ext] });
    expect(u).toEqual([0.2, 0.2]);
    expect(code).toBe("VX_CORE_BAD_DELAY");
  });

  it("a held host stays on (idle power) with no VM, and switches off once released", () => {
    // Two VMs on four hosts without consolidation: hosts 2 and 3 stay empty (off) unless held.
    const base = {
      ...spec(),
      vms: [{ types: "vm", count: 2, workload: { kind: "constant", utilisation: 0.2 } }],
    } as DatacenterSpecInput;
    const active: boolean[] = [];
    const ext: DatacenterExtension = {
      name: "hold",
      start(ctx) {
        let empty = 0;
        while (ctx.host(empty).vms.length > 0) empty++;
        const release = ctx.holdHost(empty);
        active.push(ctx.host(empty).active);
        ctx.schedule(3600, () => {
          release();
          release(); // a second call does nothing
          active.push(ctx.host(empty).active);
        });
      },
    };
    const held = runDatacenter(base, { extensions: [ext] });
    const plain = runDatacenter(base);
    expect(active).toEqual([true, false]);
    // One host at idle power (100 W) for one hour more: 0.1 kWh.
    expect(held.summary.energyKWh - plain.summary.energyKWh).toBeCloseTo(0.1, 6);
  });

  it("a host holding VMs is refused out of service unless its VMs may be lost", () => {
    let code = "";
    let lost = 0;
    const ext: DatacenterExtension = {
      name: "fail",
      start(ctx) {
        ctx.schedule(600, () => {
          const host = ctx.vm(0).host;
          try {
            ctx.setInService(host, false);
          } catch (error) {
            code = VxError.isInstance(error) ? error.code : "not a VxError";
          }
          lost = ctx.host(host).vms.length;
          ctx.setInService(host, false, { vms: "lose" });
          expect(ctx.host(host).vms).toEqual([]);
          expect(ctx.host(host).inService).toBe(false);
          expect(ctx.vm(0).state).toBe("lost");
        });
      },
    };
    const r = runDatacenter(spec(), { extensions: [ext] });
    expect(code).toBe("VX_DC_HOST_NOT_EMPTY");
    expect(r.summary.vmsLost).toBe(lost);
  });

  it("a draining host keeps its VMs, receives none (not even from under-load consolidation) and empties as they leave", () => {
    let drained = -1;
    let drainedAt = -1;
    let kept = 0;
    let refused = false;
    let emptyAt = -1;
    const ext: DatacenterExtension = {
      name: "drain-keep",
      start(ctx) {
        ctx.schedule(600, () => {
          drained = ctx.vm(0).host;
          kept = ctx.host(drained).vms.length;
          ctx.setInService(drained, false, { vms: "keep" });
          drainedAt = ctx.now;
          expect(ctx.host(drained).inService).toBe(false);
          expect(ctx.host(drained).vms.length).toBe(kept);
          expect(ctx.vm(0).state).toBe("running");
          // Nothing may land on it.
          for (let vm = 0; vm < ctx.vmCount; vm++) {
            if (ctx.vm(vm).host === drained) continue;
            expect(ctx.findHost(vm)).not.toBe(drained);
            if (ctx.migrate(vm, drained)) refused = false;
            else refused = true;
          }
          for (const vm of ctx.host(drained).vms) {
            const to = ctx.findHost(vm);
            if (to >= 0) ctx.migrate(vm, to);
          }
        });
      },
      migrationEnded(ctx) {
        if (drained >= 0 && emptyAt < 0 && ctx.host(drained).vms.length === 0) emptyAt = ctx.now;
      },
    };
    const s = { ...spec(), policy: { overload: "thr" as const, underload: true } };
    const r = runDatacenter(s, { extensions: [ext] });
    expect(kept).toBeGreaterThan(0);
    expect(refused).toBe(true);
    expect(emptyAt).toBeGreaterThan(drainedAt);
    expect(r.migrationLog.filter((m) => m.time >= drainedAt && m.to === drained)).toEqual([]);
    expect(r.summary.vmsLost).toBe(0);
  });

  it("adds flows of its own to the network, metered with the rest", () => {
    let done = -1;
    const ext: DatacenterExtension = {
      name: "flow",
      start(ctx) {
        ctx.schedule(60, () => {
          ctx.network.startFlow({
            from: 0,
            to: 1,
            bytes: 125e6,
            onEnd: () => {
              done = ctx.now;
            },
          });
        });
      },
    };
    const r = runDatacenter(spec({ model: "cloudsim" }), { extensions: [ext] });
    // 125 MB at 1 Gbit/s (125 MB/s) plus the 100 µs default latency.
    expect(done).toBeCloseTo(61 + 100e-6, 9);
    expect(r.summary.peakNicUtilisation).toBeCloseTo(125e6 / (125e6 * 4 * 3600), 12);
  });

  it("reads the energy drawn so far: 0 at the start, rising by rounds, the result's total at the end", () => {
    const seen: number[] = [];
    const ext: DatacenterExtension<number> = {
      name: "meter",
      start(ctx) {
        seen.push(ctx.energyJoules);
      },
      round(ctx) {
        seen.push(ctx.energyJoules);
      },
      end: (ctx) => ctx.energyJoules,
    };
    for (const model of ["cloudsim", "precopy"] as const) {
      seen.length = 0;
      const r = runDatacenter(spec({ model }), { extensions: [ext] });
      expect(seen[0]).toBe(0);
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
      }
      expect(seen[seen.length - 1]).toBeGreaterThan(0);
      expect(extensionOutput<number>(r, "meter") / 3.6e6).toBeCloseTo(r.summary.energyKWh, 12);
    }
  });

  it("draws from seeded streams of its own, and extensions need distinct names", () => {
    const draws: number[] = [];
    const ext: DatacenterExtension = {
      name: "dice",
      start(ctx) {
        draws.push(ctx.random("roll").uniform(0, 1));
      },
    };
    runDatacenter(spec(), { extensions: [ext] });
    runDatacenter(spec(), { extensions: [ext] });
    expect(draws[0]).toBe(draws[1]);
    let code = "";
    try {
      runDatacenter(spec(), { extensions: [ext, ext] });
    } catch (error) {
      code = VxError.isInstance(error) ? error.code : "?";
    }
    expect(code).toBe("VX_DC_BAD_EXTENSION");
  });

  it("hand-built extensions and options are refused with a VxError naming the field, never a TypeError", () => {
    const refused = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        if (!VxError.isInstance(error)) return `not a VxError: ${String(error)}`;
        return `${error.code} ${error.path.join(".")}`;
      }
      return "nothing thrown";
    };
    expect(refused(() => runDatacenter(spec(), { extensions: [{} as DatacenterExtension] }))).toBe(
      "VX_DC_BAD_EXTENSION extensions.0.name",
    );
    expect(refused(() => runDatacenter(spec(), { extensions: [null as never] }))).toBe(
      "VX_DC_BAD_EXTENSION extensions.0.name",
    );
    const bad = { name: "x", start: 5 } as unknown as DatacenterExtension;
    expect(refused(() => runDatacenter(spec(), { extensions: [bad] }))).toBe(
      "VX_DC_BAD_EXTENSION extensions.0.start",
    );
    expect(refused(() => runDatacenter(spec(), { extensions: {} as never }))).toBe(
      "VX_DC_BAD_EXTENSION extensions",
    );
    expect(refused(() => runDatacenter(spec(), null as never))).toBe("VX_SIM_BAD_OPTION ");
  });
});
