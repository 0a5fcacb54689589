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
});
