import { VxError } from "@vx/core";
import { runDatacenter } from "@vx/datacenter";
import { describe, expect, it } from "vitest";
import { parseCampaign, STRATEGY_NAMES, upgradeCampaign } from "../src/index.js";
import { cluster, runCampaign } from "./fixtures.js";

/** 8 GiB as a share of Hy-FiX's 256 GB reference VM. */
const SHARE_8GIB = (8 * 2 ** 30) / 256e9;

describe("a campaign inside the data center", () => {
  it("every strategy upgrades each of 10 hosts once and loses no VM", () => {
    for (const strategy of STRATEGY_NAMES) {
      const { output, result } = runCampaign(cluster(), { strategy, spareHosts: 1, start: 600 });
      expect(output.outcome, strategy).toBe("completed");
      expect(output.hostsUpgraded, strategy).toBe(10);
      expect(
        output.hosts.every((h) => h.upgrades === 1),
        strategy,
      ).toBe(true);
      expect(output.vmsLost, strategy).toBe(0);
      expect(result.summary.vmsLost, strategy).toBe(0);
      expect(output.downtime.vms, strategy).toBe(80);
    }
  });

  it("Hy-FiX, one host at a time: 10 × (8 VMs × 2.31 s × 8 GiB / 256 GB + 7.6 s), no bytes moved", () => {
    const { output } = runCampaign(cluster(), { strategy: "hyfix", spareHosts: 1 });
    const perHost = 8 * 2.31 * SHARE_8GIB + 7.6;
    expect(output.makespanSeconds).toBeCloseTo(10 * perHost, 6);
    expect(output.downtime.maxSeconds).toBeCloseTo(perHost, 6);
    expect(output.bytesMoved).toBe(0);
    expect(output.spareCapacityNeededBytes).toBe(0);
  });

  it("two hosts at a time halve an in-place campaign", () => {
    const one = runCampaign(cluster(), { strategy: "cpr-transfer" }).output;
    const two = runCampaign(cluster(), { strategy: "cpr-transfer", concurrency: 2 }).output;
    expect(one.makespanSeconds).toBeCloseTo(10 * 0.1, 9);
    expect(two.makespanSeconds).toBeCloseTo(5 * 0.1, 9);
    expect(two.peakHostsInUpgrade).toBe(2);
  });

  it("evacuation moves every byte of RAM over the network and needs a host's worth of room", () => {
    const { output, result } = runCampaign(cluster(), { strategy: "evacuate", spareHosts: 1 });
    expect(output.migrations).toBe(80);
    expect(output.bytesMoved).toBeGreaterThanOrEqual(80 * 8 * 2 ** 30);
    expect(output.spareHostsUsed).toBe(1);
    expect(output.spareCapacityNeededBytes).toBe(8 * 8 * 2 ** 30);
    // Each host: 64 GiB at 10 Gbit/s (≥ 55 s) then the 7.6 s reboot.
    expect(output.makespanSeconds).toBeGreaterThan(10 * ((64 * 2 ** 30) / 1.25e9 + 7.6));
    expect(result.migrationLog.filter((m) => m.origin === "upgrade")).toHaveLength(80);
  });

  it("evacuation makespan grows as bandwidth shrinks; Hy-FiX's does not change", () => {
    const evac = (link: string) =>
      runCampaign(cluster({ hosts: 4, link }), { strategy: "evacuate", spareHosts: 1 }).output
        .makespanSeconds as number;
    const hy = (link: string) =>
      runCampaign(cluster({ hosts: 4, link }), { strategy: "hyfix" }).output.makespanSeconds;
    expect(evac("5Gbps")).toBeGreaterThan(1.8 * evac("10Gbps"));
    expect(hy("5Gbps")).toBe(hy("10Gbps"));
  });

  it("with no room anywhere and no spare, evacuation waits and the campaign is unfinished", () => {
    // Three full hosts and nothing else: host 0's VMs fit nowhere.
    const spec = { ...cluster({ hosts: 3, duration: "1h" }), hosts: [{ type: "h", count: 3 }] };
    const { output } = runCampaign(spec, { strategy: "evacuate" });
    expect(output.outcome).toBe("unfinished");
    expect(output.migrations).toBe(0);
    expect(output.hostsUpgraded).toBe(0);
    expect(output.vmsLost).toBe(0);
    // With the same hosts, in place needs no room.
    expect(runCampaign(spec, { strategy: "hyfix" }).output.outcome).toBe("completed");
  });

  it("rack by rack: no two racks are ever in upgrade at once", () => {
    const { output } = runCampaign(cluster({ hosts: 9, hostsPerRack: 4 }), {
      strategy: "hyfix",
      order: "rack",
      concurrency: 3,
    });
    expect(output.outcome).toBe("completed");
    const hosts = output.hosts;
    for (const a of hosts) {
      for (const b of hosts) {
        const overlap =
          (a.startSeconds as number) < (b.endSeconds as number) &&
          (b.startSeconds as number) < (a.endSeconds as number);
        if (overlap) expect(Math.floor(a.host / 4)).toBe(Math.floor(b.host / 4));
      }
    }
  });

  it("least-loaded first starts with the empty host", () => {
    const { output } = runCampaign(cluster({ hosts: 3 }), {
      strategy: "hyfix",
      order: "least-loaded",
    });
    const first = [...output.hosts].sort(
      (a, b) => (a.startSeconds as number) - (b.startSeconds as number),
    )[0];
    expect(first?.host).toBe(3);
  });

  it("a deadline before the last host starts leaves hosts missed", () => {
    const { output } = runCampaign(cluster(), { strategy: "hyfix", deadline: 20, spareHosts: 1 });
    expect(output.outcome).toBe("deadline-missed");
    expect(output.hostsMissed).toBeGreaterThan(0);
    expect(output.hostsUpgraded + output.hostsMissed).toBe(10);
    expect(output.hosts.every((h) => h.upgrades <= 1)).toBe(true);
  });

  it("a mix by VM type terminates the stateless VMs and keeps the others in RAM", () => {
    const spec = cluster({ hosts: 2 });
    const mixed = {
      ...spec,
      vmTypes: { ...spec.vmTypes, web: { mips: 2000, ram: "8GiB", nic: 0 } },
      vms: [
        {
          types: ["web", "vm"],
          count: 16,
          workload: { kind: "constant" as const, utilisation: 0.2 },
        },
      ],
    };
    const { output } = runCampaign(mixed, {
      strategy: { default: "hyfix", byVmType: { web: "terminate" } },
    });
    expect(output.strategy).toBe("hyfix; web: terminate");
    expect(output.vmsRestarted).toBe(8);
    expect(output.vmsLost).toBe(0);
    // Terminated VMs: reboot (with the Hy-FiX host's schedule) + 30 s boot; kept ones far less.
    expect(output.downtime.maxSeconds).toBeGreaterThan(30);
    expect(output.downtime.p50Seconds).toBeLessThan(30);
  });
});

describe("faults are outcomes", () => {
  it("a host losing power while Hy-FiX holds its VMs in RAM loses them; the host still ends upgraded once", () => {
    const { output, result } = runCampaign(cluster({ hosts: 2 }), {
      strategy: "hyfix",
      spareHosts: 1,
      faults: { hostFailureProbability: 1, failureWindow: "1s", repairTime: "10min" },
    });
    expect(output.outcome).toBe("host-failed");
    expect(output.hostsFailed).toBe(2);
    expect(output.vmsLost).toBe(16);
    expect(output.hosts.every((h) => h.upgrades === 1)).toBe(true);
    expect(result.summary.simulatedSeconds).toBeGreaterThan(0);
  });

  it("the same failure during terminate-and-restart loses nothing (the VMs restart)", () => {
    const { output } = runCampaign(cluster({ hosts: 2 }), {
      strategy: "terminate",
      spareHosts: 1,
      faults: { hostFailureProbability: 1, failureWindow: "1s", repairTime: "10min" },
    });
    expect(output.hostsFailed).toBe(2);
    expect(output.vmsLost).toBe(0);
    // Down for the repair (10 min) and the boot, at most.
    expect(output.downtime.maxSeconds).toBeGreaterThan(600);
  });

  it("a failure after an evacuation finished loses nothing; one during it loses the VMs still there", () => {
    const late = runCampaign(cluster({ hosts: 1 }), {
      strategy: "evacuate",
      spareHosts: 1,
      faults: { hostFailureProbability: 1, failureWindow: "1000h" },
    }).output;
    expect(late.vmsLost).toBe(0);
    const early = runCampaign(cluster({ hosts: 1 }), {
      strategy: "evacuate",
      spareHosts: 1,
      faults: { hostFailureProbability: 1, failureWindow: "1ms" },
    });
    expect(early.output.outcome).toBe("host-failed");
    expect(early.output.vmsLost).toBeGreaterThan(0);
    expect(early.result.summary.vmsLost).toBe(early.output.vmsLost);
  });

  it("a VM whose migrations never converge makes its host given up after 3 attempts, losing nothing", () => {
    const { output } = runCampaign(
      cluster({
        hosts: 1,
        vmsPerHost: 2,
        utilisation: 1,
        dirtyRate: "1GiB/s",
        migration: { model: "precopy", maxBandwidth: "100MiB/s", completionTimeoutPerGiB: "5s" },
      }),
      { strategy: "evacuate", spareHosts: 1 },
    );
    expect(output.outcome).toBe("did-not-converge");
    expect(output.hostsGivenUp).toBe(1);
    expect(output.migrationsFailed).toBe(6);
    expect(output.vmsLost).toBe(0);
    expect(output.hosts[0]?.upgrades).toBe(0);
  });
});

describe("campaigns are deterministic and check their input", () => {
  it("the same spec and seed give byte-identical results, random order included", () => {
    const a = runCampaign(cluster(), { strategy: "evacuate", order: "random", spareHosts: 1 });
    const b = runCampaign(cluster(), { strategy: "evacuate", order: "random", spareHosts: 1 });
    expect(JSON.stringify(a.result)).toBe(JSON.stringify(b.result));
  });

  const issues = (f: () => unknown): string[] => {
    try {
      f();
    } catch (e) {
      if (VxError.isInstance(e))
        return (e.issues ?? []).map((i) => `${e.code} ${i.path.join(".")}`);
      throw e;
    }
    return [];
  };

  it("a bad strategy, order, concurrency and two in-place strategies in one mix are refused with paths", () => {
    expect(issues(() => parseCampaign({ strategy: "nope" as "hyfix" }))).toEqual([
      "VX_UPGRADE_BAD_CAMPAIGN strategy",
    ]);
    expect(
      issues(() =>
        parseCampaign({
          order: "biggest" as "index",
          concurrency: 0,
          strategy: { default: "hyfix", byVmType: { a: "multifix" } },
        }),
      ),
    ).toEqual(
      expect.arrayContaining([
        "VX_UPGRADE_BAD_CAMPAIGN order",
        "VX_UPGRADE_BAD_CAMPAIGN concurrency",
        "VX_UPGRADE_BAD_CAMPAIGN strategy",
      ]),
    );
    expect(issues(() => parseCampaign({ hosts: [1, 1] }))).toEqual([
      "VX_UPGRADE_BAD_CAMPAIGN hosts",
    ]);
    expect(issues(() => parseCampaign({ faults: { hostFailureProbability: 2 } }))).toEqual([
      "VX_UPGRADE_BAD_CAMPAIGN faults.hostFailureProbability",
    ]);
  });

  it("hosts the data center does not have and too many spares are refused before any upgrade", () => {
    const run = (c: Parameters<typeof upgradeCampaign>[0]) => () =>
      runDatacenter(cluster({ hosts: 2 }), { extensions: [upgradeCampaign(c)] });
    expect(issues(run({ hosts: [0, 7] }))).toEqual(["VX_UPGRADE_BAD_CAMPAIGN upgrade.hosts.1"]);
    expect(issues(run({ hosts: [2], spareHosts: 1 }))).toEqual([
      "VX_UPGRADE_BAD_CAMPAIGN upgrade.hosts.0",
    ]);
    expect(issues(run({ spareHosts: 3 }))).toEqual(["VX_UPGRADE_BAD_CAMPAIGN upgrade.spareHosts"]);
  });
});
