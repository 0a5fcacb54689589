import { GiB, MiB } from "@vx/core";
import { migrate } from "@vx/migration";
import { describe, expect, it } from "vitest";
import {
  type DatacenterExtension,
  type DatacenterSpecInput,
  type MigrationInput,
  type MigrationRecord,
  type NetworkInput,
  runDatacenter,
} from "../src/index.js";

/** 1 Gbit/s in bytes per second. */
const NIC = 125e6;
const POWER = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];

interface Options {
  readonly hosts?: number;
  readonly vms: number;
  readonly utilisation?: number;
  readonly ram?: number;
  readonly dirtyRate?: number | string;
  readonly cores?: number;
  readonly migration: MigrationInput;
  readonly network?: NetworkInput;
  readonly duration?: number;
}

/**
 * A data center where nothing migrates on its own (the non-power-aware baseline): hosts of 8 cores
 * of 1000 MIPS, 16 GiB, 1 Gbit/s; VMs of `cores` × 1000 MIPS at a constant load, placed first-fit
 * (VM i on host floor(i / per-host)).
 */
function spec(o: Options): DatacenterSpecInput {
  return {
    name: "migrations",
    duration: o.duration ?? 3600,
    step: 300,
    hostTypes: { h: { cores: 8, mips: 1000, ram: "16GiB", nic: NIC, power: POWER } },
    hosts: [{ type: "h", count: o.hosts ?? 2 }],
    vmTypes: {
      vm: {
        cores: o.cores ?? 1,
        mips: 1000,
        ram: o.ram ?? GiB(1),
        nic: 0,
        dirtyRate: o.dirtyRate ?? 0,
      },
    },
    vms: [
      {
        types: "vm",
        count: o.vms,
        workload: { kind: "constant", utilisation: o.utilisation ?? 0.5 },
      },
    ],
    network: o.network ?? { topology: "star", latency: 0 },
    policy: { overload: "none" },
    migration: o.migration,
  };
}

/** An extension that migrates VM `vm` to host `to` at time `at`, for each entry. */
function mover(moves: readonly { vm: number; to: number; at: number }[]): DatacenterExtension<{
  readonly refused: number;
}> {
  let refused = 0;
  return {
    name: "mover",
    start(ctx) {
      for (const m of moves) {
        ctx.schedule(m.at, () => {
          if (!ctx.migrate(m.vm, m.to)) refused++;
        });
      }
    },
    end: () => ({ refused }),
  };
}

function moved(log: readonly MigrationRecord[]): MigrationRecord[] {
  return log.filter((m) => m.origin === "mover");
}

describe("one migration in the data center is the same migration as vx migrate", () => {
  it.each([
    ["precopy", "precopy-qemu", {}],
    ["precopy-simgrid", "precopy-simgrid", { simgrid: { speedCap: 1e15 } }],
    ["postcopy", "postcopy", {}],
    ["hybrid", "hybrid", {}],
  ] as const)("%s: total time and downtime within 0.1 %%", (model, strategy, extra) => {
    // A 2-vCPU VM at 50 % (one busy core): CPU-coupled dirtying at 64 MiB/s, capped at 90 % of
    // its 2 GiB per round; 1 Gbit/s NICs, 100 µs latency.
    const r = runDatacenter(
      spec({
        vms: 1,
        cores: 2,
        ram: GiB(2),
        dirtyRate: MiB(64),
        migration: { model, maxOutgoing: 1 },
        network: { topology: "star", latency: 100e-6 },
      }),
      { extensions: [mover([{ vm: 0, to: 1, at: 100 }])] },
    );
    const [m] = moved(r.migrationLog);
    const alone = migrate(
      {
        ram: GiB(2),
        vcpus: 2,
        cpuShare: 0.5,
        dirty: { model: "cpu-coupled", intensity: 1, speedCap: MiB(64), workingSetCap: 0.9 },
      },
      {
        strategy,
        link: { bandwidth: NIC, latency: 100e-6 },
        limits: { maxTime: 800 * 2 },
        ...extra,
      },
    );
    expect(m?.outcome).toBe("completed");
    expect(alone.outcome).toBe("completed");
    expect(m!.durationSeconds).toBeGreaterThan(17); // 2 GiB at 1 Gbit/s alone takes 17.2 s
    expect(Math.abs(m!.durationSeconds / alone.totalTimeSeconds - 1)).toBeLessThan(1e-3);
    if (alone.downtimeSeconds > 0) {
      expect(Math.abs(m!.downtimeSeconds / alone.downtimeSeconds - 1)).toBeLessThan(1e-3);
    } else expect(m!.downtimeSeconds).toBe(0);
    expect(m!.bytes).toBeCloseTo(alone.bytesSent.total, -3);
  });
});

describe("migrations share the links (hand-computed)", () => {
  // An idle guest (no dirtying): round 0 sends the RAM, then a stop-and-copy of nothing.
  const ram = GiB(1);
  const alone = ram / NIC; // 8.589934592 s

  it("one migration alone takes RAM / NIC; two at once on one link take twice as long; four, four times", () => {
    for (const n of [1, 2, 4]) {
      const r = runDatacenter(
        spec({
          vms: n,
          ram,
          migration: { model: "precopy", maxOutgoing: "unlimited", maxBandwidth: "10Gbps" },
        }),
        {
          extensions: [mover(Array.from({ length: n }, (_, vm) => ({ vm, to: 1, at: 60 })))],
        },
      );
      const times = moved(r.migrationLog).map((m) => m.durationSeconds);
      expect(times).toHaveLength(n);
      for (const t of times) expect(t).toBeCloseTo(n * alone, 6);
      // The source's NIC carried the n GiB; it was busy n × alone seconds of the hour.
      expect(r.summary.migrationBytes).toBeCloseTo(n * ram, 0);
      expect(r.summary.peakNicUtilisation).toBeCloseTo((n * ram) / (NIC * 3600), 9);
    }
  });

  it("QEMU's max-bandwidth caps a lone migration: 128 MiB/s on a 10 Gbit/s NIC", () => {
    const fast = spec({ vms: 1, ram, migration: { model: "precopy" } });
    const r = runDatacenter(
      { ...fast, hostTypes: { h: { ...fastHost(), nic: "10Gbps" } } },
      { extensions: [mover([{ vm: 0, to: 1, at: 0 }])] },
    );
    expect(moved(r.migrationLog)[0]!.durationSeconds).toBeCloseTo(ram / MiB(128), 6);
  });

  it("a concurrency limit queues the rest first-in first-out: two at a time, four VMs", () => {
    const r = runDatacenter(
      spec({
        vms: 4,
        ram,
        migration: { model: "precopy", maxOutgoing: 2, maxBandwidth: "10Gbps" },
      }),
      { extensions: [mover([0, 1, 2, 3].map((vm) => ({ vm, to: 1, at: 60 })))] },
    );
    const log = moved(r.migrationLog);
    // The first two share the NIC (2 × alone each); the last two start when those end.
    expect(log.map((m) => m.queueSeconds)).toEqual([0, 0, expect.any(Number), expect.any(Number)]);
    expect(log[2]!.queueSeconds).toBeCloseTo(2 * alone, 6);
    expect(log[3]!.queueSeconds).toBeCloseTo(2 * alone, 6);
    for (const m of log) expect(m.durationSeconds).toBeCloseTo(2 * alone, 6);
    expect(r.summary.maxQueueSeconds).toBeCloseTo(2 * alone, 6);
  });

  it("a 4:1 tree: four migrations across racks share one uplink and take four times longer than inside a rack", () => {
    // Racks of 4 hosts; each rack's uplink carries 4 NICs / 4 = one NIC. Four VMs on hosts 0–3
    // (rack 0) move at once, either to hosts 4–7 (rack 1) or among rack 0.
    const network: NetworkInput = {
      topology: "tree",
      hostsPerRack: 4,
      oversubscription: 4,
      latency: 0,
    };
    const base = {
      ...spec({
        hosts: 8,
        vms: 4,
        ram,
        migration: { model: "precopy", maxBandwidth: "10Gbps" },
        network,
      }),
      hostTypes: { h: { cores: 1, mips: 1000, ram: "2GiB", nic: NIC, power: POWER } },
    };
    const cross = runDatacenter(base, {
      extensions: [mover([0, 1, 2, 3].map((vm) => ({ vm, to: 4 + vm, at: 60 })))],
    });
    const inside = runDatacenter(base, {
      extensions: [mover([0, 1, 2, 3].map((vm) => ({ vm, to: (vm + 1) % 4, at: 60 })))],
    });
    for (const m of moved(inside.migrationLog)) expect(m.durationSeconds).toBeCloseTo(alone, 6);
    for (const m of moved(cross.migrationLog)) expect(m.durationSeconds).toBeCloseTo(4 * alone, 6);
    expect(cross.summary.peakUplinkUtilisation).toBeCloseTo((4 * ram) / (NIC * 3600), 9);
    expect(inside.summary.peakUplinkUtilisation).toBe(0);
  });

  it("the VMs' own traffic takes its share: a constant rate, from the trace, or CloudSim's half of the NIC", () => {
    // Host 0 holds 2 VMs sending 20 Mbit/s each: a flow bounded at 40 Mbit/s, so the migration
    // gets the rest of the NIC.
    const rate = 2.5e6;
    const r = runDatacenter(
      spec({
        vms: 2,
        ram,
        migration: { model: "precopy", maxBandwidth: "10Gbps" },
        network: { topology: "star", latency: 0, vmTraffic: { kind: "constant", rate } },
      }),
      { extensions: [mover([{ vm: 0, to: 1, at: 60 }])] },
    );
    expect(moved(r.migrationLog)[0]!.durationSeconds).toBeCloseTo(ram / (NIC - 2 * rate), 6);
    // From the trace: each VM uses its type's NIC (40 Mbit/s) in proportion to its CPU (50 %),
    // so the same 2 × 20 Mbit/s as above.
    const traced = spec({
      vms: 2,
      ram,
      migration: { model: "precopy", maxBandwidth: "10Gbps" },
      network: { topology: "star", latency: 0, vmTraffic: { kind: "trace" } },
    });
    const t = runDatacenter(
      {
        ...traced,
        vmTypes: { vm: { cores: 1, mips: 1000, ram, nic: "40Mbps", dirtyRate: 0 } },
      },
      { extensions: [mover([{ vm: 0, to: 1, at: 60 }])] },
    );
    expect(moved(t.migrationLog)[0]!.durationSeconds).toBeCloseTo(ram / (NIC - 2 * rate), 6);
    // CloudSim's assumption: VM traffic takes half of a busy NIC and the migration the other half,
    // which is CloudSim's delay, RAM / (NIC / 2).
    const half = runDatacenter(
      spec({
        vms: 1,
        ram,
        migration: { model: "precopy", maxBandwidth: "10Gbps" },
        network: { topology: "star", latency: 0, vmTraffic: { kind: "half-nic" } },
      }),
      { extensions: [mover([{ vm: 0, to: 1, at: 60 }])] },
    );
    expect(moved(half.migrationLog)[0]!.durationSeconds).toBeCloseTo(ram / (NIC / 2), 6);
  });
});

function fastHost(): {
  cores: number;
  mips: number;
  ram: string;
  nic: number;
  power: number[];
} {
  return { cores: 8, mips: 1000, ram: "16GiB", nic: NIC, power: POWER };
}

describe("outcomes inside the data center", () => {
  const ram = GiB(1);

  it("a pre-copy that does not converge is cancelled at its cap; the VM stays on its source", () => {
    // A busy 1 GiB VM dirtying 1 GiB/s over a 1 Gbit/s link never converges; the cap is 60 s per
    // GiB of RAM.
    const r = runDatacenter(
      spec({
        vms: 1,
        ram,
        utilisation: 1,
        dirtyRate: "1GiB/s",
        migration: { model: "precopy", completionTimeoutPerGiB: "60s" },
      }),
      { extensions: [mover([{ vm: 0, to: 1, at: 60 }])] },
    );
    const [m] = moved(r.migrationLog);
    expect(m!.outcome).toBe("did-not-converge");
    expect(m!.durationSeconds).toBeGreaterThanOrEqual(60);
    expect(m!.durationSeconds).toBeLessThan(80);
    expect(r.summary.migrationsCancelled).toBe(1);
    expect(r.summary.migrationsCompleted).toBe(0);
    // Host 1 never ran it: only host 0 drew power past the migration.
    expect(r.summary.vmsLost).toBe(0);
  });

  it("post-copy under a link failure loses the VM; the result counts it", () => {
    const lose: DatacenterExtension = {
      name: "mover",
      start(ctx) {
        ctx.schedule(60, () => {
          ctx.migrate(0, 1);
          // Two seconds into post-copy the source's NIC fails.
          ctx.schedule(2, () => {
            const link = ctx.network.route(0, 1).resources[0];
            if (link !== undefined) ctx.network.fluid.setCapacity(link, 0);
          });
        });
      },
    };
    const r = runDatacenter(
      spec({ vms: 1, ram, dirtyRate: MiB(32), migration: { model: "postcopy" } }),
      { extensions: [lose] },
    );
    const [m] = moved(r.migrationLog);
    expect(m!.outcome).toBe("vm-lost");
    expect(r.summary.vmsLost).toBe(1);
    expect(r.summary.unservedCpuShare).toBeGreaterThan(0.9);
  });

  it("downtime costs CPU: PDM counts what the VM did not execute", () => {
    const r = runDatacenter(
      spec({
        vms: 1,
        ram,
        utilisation: 1,
        dirtyRate: MiB(64),
        migration: { model: "precopy", downtimeLimit: "1s" },
      }),
      { extensions: [mover([{ vm: 0, to: 1, at: 60 }])] },
    );
    const [m] = moved(r.migrationLog);
    expect(m!.downtimeSeconds).toBeGreaterThan(0.1);
    // Lost: 1000 MIPS during the downtime; requested: 1000 MIPS for the hour.
    expect(r.summary.pdm).toBeCloseTo((1000 * m!.downtimeSeconds) / (1000 * 3600), 9);
    expect(r.summary.downtimeShare).toBeCloseTo(m!.downtimeSeconds / 3600, 9);
  });

  it("the cloudsim model keeps CloudSim's delay and 10 % CPU loss, whatever the network", () => {
    const r = runDatacenter(
      spec({
        vms: 1,
        ram,
        migration: { model: "cloudsim" },
        network: { topology: "tree", hostsPerRack: 1 },
      }),
      { extensions: [mover([{ vm: 0, to: 1, at: 60 }])] },
    );
    const [m] = moved(r.migrationLog);
    expect(m!.durationSeconds).toBeCloseTo(ram / (NIC / 2), 9);
    expect(m!.downtimeSeconds).toBe(0);
    expect(r.summary.meanNicUtilisation).toBeNull(); // no network was built
  });
});
