import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  compareEvacuations,
  type EvacuationOptions,
  evacuateHost,
  MAX_EVACUATION_VMS,
  migrate,
  STRATEGIES,
  type VmOptions,
} from "../src/index.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const LINK = { bandwidth: "10Gbps" }; // 1.25e9 B/s

describe("host evacuation: hand-computed cases", () => {
  it("two idle 1 GiB VMs at the link's rate: together both land at 1.72 s, one after another at 0.86 s and 1.72 s", () => {
    const options = {
      strategy: "precopy-qemu",
      link: LINK,
      vms: 2,
      qemu: { maxBandwidth: "10Gbps" },
    } as const;
    const one = GiB / 1.25e9; // 0.859 s alone on the link
    const together = evacuateHost({ ram: "1GiB" }, options);
    expect(together.outcome).toBe("completed");
    expect(together.landed).toBe(2);
    expect(together.totalTimeSeconds).toBeCloseTo(2 * one, 12);
    for (const r of together.vms) {
      expect(r.startSeconds).toBe(0);
      expect(r.totalTimeSeconds).toBeCloseTo(2 * one, 12); // half the link each
      expect(r.downtimeSeconds).toBe(0);
    }
    const sequential = evacuateHost({ ram: "1GiB" }, { ...options, sequential: true });
    expect(sequential.totalTimeSeconds).toBeCloseTo(2 * one, 12);
    expect(sequential.vms.map((r) => r.startSeconds)).toEqual([
      0,
      sequential.vms[0]!.totalTimeSeconds,
    ]);
    for (const r of sequential.vms) expect(r.totalTimeSeconds).toBeCloseTo(one, 12);
    expect(sequential.bytesSent.total).toBe(2 * GiB);
    expect(sequential.vms.map((r) => r.name)).toEqual(["vm-1", "vm-2"]);
  });

  it("under QEMU's 128 MiB/s cap the link has room for both: together 8 s, one after another 16 s", () => {
    const options = { strategy: "precopy-qemu", link: LINK, vms: 2 } as const;
    expect(evacuateHost({ ram: "1GiB" }, options).totalTimeSeconds).toBeCloseTo(8, 12);
    expect(
      evacuateHost({ ram: "1GiB" }, { ...options, sequential: true }).totalTimeSeconds,
    ).toBeCloseTo(16, 12);
  });

  it("four VMs on one core dirty a quarter as much per round as on four cores (CPU-coupled, as SimGrid)", () => {
    // 64 MiB/s of dirtying at a full core; round 0 sends 1 GiB at a quarter of the link each.
    const vm: VmOptions = {
      ram: "1GiB",
      dirty: { model: "cpu-coupled", intensity: 1, speedCap: "64MiB/s" },
    };
    const base = {
      strategy: "precopy-qemu",
      link: LINK,
      vms: 4,
      qemu: { maxBandwidth: "10Gbps" },
    } as const;
    const spread = evacuateHost(vm, { ...base, hostCores: 4 });
    const packed = evacuateHost(vm, { ...base, hostCores: 1 });
    const t0 = GiB / (1.25e9 / 4);
    for (const r of spread.vms) {
      expect(r.rounds[0]!.durationSeconds).toBeCloseTo(t0, 12);
      expect(r.rounds[0]!.dirtyBytes).toBeCloseTo(64 * MiB * t0, 0);
    }
    for (const r of packed.vms) expect(r.rounds[0]!.dirtyBytes).toBeCloseTo((64 * MiB * t0) / 4, 0);
    expect(packed.bytesSent.total).toBeLessThan(spread.bytesSent.total);
  });

  it("one VM alone gives what migrate gives, strategy by strategy", () => {
    const vm: VmOptions = {
      ram: "2GiB",
      vcpus: 2,
      cpuShare: "50%",
      dirty: { model: "cpu-coupled", intensity: "40%", speedCap: "1GiB/s" },
    };
    for (const strategy of STRATEGIES) {
      const options: EvacuationOptions = {
        strategy,
        link: { bandwidth: "10Gbps", latency: "1ms" },
      };
      const alone = migrate(vm, options);
      const e = evacuateHost(vm, { ...options, vms: 1 });
      const r = e.vms[0]!;
      expect(r.outcome, strategy).toBe(alone.outcome);
      // Within 5 ns: the guest's CPU load and migrate's clock count the same work with different
      // roundings, and Xen's skip-rule ticks (at least 1 ns apart) may then end a round one tick
      // apart.
      expect(r.totalTimeSeconds, strategy).toBeCloseTo(alone.totalTimeSeconds, 8);
      expect(r.downtimeSeconds, strategy).toBeCloseTo(alone.downtimeSeconds, 8);
      expect(r.bytesSent.total / alone.bytesSent.total, strategy).toBeCloseTo(1, 9);
      expect(r.roundCount, strategy).toBe(alone.roundCount);
    }
  });

  it("a link failure aborts every VM on the move, and those not started yet", () => {
    const options = {
      strategy: "precopy-qemu",
      link: LINK,
      vms: 3,
      faults: [{ at: "1s", target: "link" }],
    } as const;
    const together = evacuateHost({ ram: "1GiB" }, options);
    expect(together.vms.map((r) => r.outcome)).toEqual(["aborted", "aborted", "aborted"]);
    expect(together.landed).toBe(0);
    expect(together.outcome).toBe("aborted");
    expect(together.maxDowntimeSeconds).toBeNull();
    const sequential = evacuateHost({ ram: "1GiB" }, { ...options, sequential: true });
    expect(sequential.vms.map((r) => [r.outcome, r.startSeconds])).toEqual([
      ["aborted", 0],
      ["aborted", 1],
      ["aborted", 1],
    ]);
  });

  it("1,000 VMs one after another behind a link that failed at once all abort, without recursion", () => {
    const r = evacuateHost(
      { ram: "1GiB" },
      {
        strategy: "precopy-qemu",
        link: LINK,
        vms: 1000,
        sequential: true,
        faults: [{ at: 0, target: "link" }],
      },
    );
    expect(r.landed).toBe(0);
    expect(r.vms.every((x) => x.outcome === "aborted" && x.totalTimeSeconds === 0)).toBe(true);
  });

  it("a source failure after the first VM landed loses the others", () => {
    // Sequential at 128 MiB/s: the first lands at 8 s, the second is on its way at 10 s.
    const r = evacuateHost(
      { ram: "1GiB" },
      {
        strategy: "precopy-qemu",
        link: LINK,
        vms: 3,
        sequential: true,
        faults: [{ at: "10s", target: "source" }],
      },
    );
    expect(r.vms.map((x) => x.outcome)).toEqual(["completed", "vm-lost", "vm-lost"]);
    expect(r.landed).toBe(1);
    expect(r.outcome).toBe("vm-lost");
    expect(r.totalTimeSeconds).toBe(10);
  });

  it("compareEvacuations runs each strategy in its own world", () => {
    const results = compareEvacuations(
      { ram: "1GiB" },
      { link: LINK, vms: 2, strategies: ["postcopy", "cloudsim"] },
    );
    expect(results.map((r) => [r.strategy, r.landed])).toEqual([
      ["postcopy", 2],
      ["cloudsim", 2],
    ]);
    // Post-copy shares the link: 2 GiB at 10 Gbit/s. CloudSim does not share (a fixed delay).
    expect(results[0]!.totalTimeSeconds).toBeCloseTo((2 * GiB) / 1.25e9, 9);
    expect(results[1]!.totalTimeSeconds).toBeCloseTo(GiB / 0.625e9, 9);
  });
});

describe("evacuation bad input", () => {
  it.each([
    [{ vms: 0 }, ["vms"]],
    [{ vms: 1.5 }, ["vms"]],
    [{ vms: MAX_EVACUATION_VMS + 1 }, ["vms"]],
    [{ hostCores: 0 }, ["hostCores"]],
    [{ sequential: "yes" }, ["sequential"]],
  ])("%j is a VxError at %j, before anything runs", (bad, path) => {
    try {
      evacuateHost({ ram: "1GiB" }, { strategy: "postcopy", link: LINK, ...(bad as object) });
      expect.unreachable();
    } catch (e) {
      expect(VxError.isInstance(e)).toBe(true);
      expect((e as VxError).code).toBe("VX_MIGRATION_BAD_OPTIONS");
      expect((e as VxError).path).toEqual(path);
    }
  });

  it("lists the evacuation's problems with the migration's", () => {
    try {
      compareEvacuations({ ram: -1 }, { link: LINK, vms: 0, strategies: ["postcopy"] });
      expect.unreachable();
    } catch (e) {
      expect((e as VxError).issues.map((i) => i.path.join("."))).toEqual(["vm.ram", "vms"]);
    }
  });
});
