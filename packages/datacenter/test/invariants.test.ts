import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DatacenterContext,
  type DatacenterExtension,
  type DatacenterSpecInput,
  type MigrationInput,
  type NetworkInput,
  runDatacenter,
} from "../src/index.js";
import { extensionOutput } from "./fixtures.js";

const POWER = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];

/** Problems an inspector found, by kind. */
interface Findings {
  checks: number;
  overCapacity: number;
  misplaced: number;
  ramMismatch: number;
}

/**
 * An extension that inspects the world at seeded random times and at every round: no link above
 * its capacity; every VM on exactly one host (resident), or, while it migrates, on its source and
 * reserved on exactly one destination (CloudSim's model may hold a second one: its rounds can move
 * a VM twice, as CloudSim does); every host's free RAM equal to its RAM minus what its VMs
 * (resident, leaving and arriving) hold.
 */
function inspector(
  times: readonly number[],
  maxReservations: number,
): DatacenterExtension<Findings> {
  const f: Findings = { checks: 0, overCapacity: 0, misplaced: 0, ramMismatch: 0 };
  const inspect = (ctx: DatacenterContext): void => {
    f.checks++;
    const H = ctx.hostCount;
    if (H > 1) {
      const seen = new Set<unknown>();
      for (let a = 0; a < H; a++) {
        for (let b = 0; b < H; b++) {
          if (a === b) continue;
          for (const r of ctx.network.route(a, b).resources) {
            if (seen.has(r)) continue;
            seen.add(r);
            if (r.load > r.capacity * (1 + 1e-9) + 1e-6) f.overCapacity++;
          }
        }
      }
    }
    const resident = new Map<number, number>();
    const arriving = new Map<number, number>();
    for (let h = 0; h < H; h++) {
      const host = ctx.host(h);
      let ram = 0;
      for (const vm of host.vms) {
        ram += ctx.vm(vm).ramBytes;
        if (host.incoming.includes(vm)) arriving.set(vm, (arriving.get(vm) ?? 0) + 1);
        else resident.set(vm, (resident.get(vm) ?? 0) + 1);
      }
      if (Math.abs(host.ramBytes - ram - host.ramFreeBytes) > 1) f.ramMismatch++;
    }
    for (let vm = 0; vm < ctx.vmCount; vm++) {
      const v = ctx.vm(vm);
      const onHosts = resident.get(vm) ?? 0;
      const reserved = arriving.get(vm) ?? 0;
      if (v.state === "running" && (onHosts !== 1 || reserved !== 0)) f.misplaced++;
      if (
        v.state === "migrating" &&
        (onHosts !== 1 || reserved < 1 || reserved > maxReservations)
      ) {
        f.misplaced++;
      }
      if ((v.state === "lost" || v.state === "unplaced") && onHosts + reserved !== 0) f.misplaced++;
      if (v.state !== "suspended" && v.host >= 0 && !ctx.host(v.host).vms.includes(vm)) {
        f.misplaced++;
      }
    }
  };
  return {
    name: "inspector",
    start(ctx) {
      for (const t of times) ctx.schedule(t, () => inspect(ctx));
    },
    round: inspect,
    end: () => f,
  };
}

const migration: fc.Arbitrary<MigrationInput> = fc.oneof(
  fc.constant<MigrationInput>({ model: "cloudsim" }),
  fc.record({ out: fc.constantFrom(1, 2, "unlimited" as const), auto: fc.boolean() }).map(
    ({ out, auto }): MigrationInput => ({
      model: "precopy",
      maxOutgoing: out,
      autoConverge: auto,
    }),
  ),
  fc.constant<MigrationInput>({ model: "precopy-simgrid", maxBandwidth: "1Gbps" }),
  fc.constant<MigrationInput>({ model: "postcopy", maxIncoming: 1 }),
  fc.constant<MigrationInput>({ model: "hybrid" }),
);

const network: fc.Arbitrary<NetworkInput> = fc.oneof(
  fc.constant<NetworkInput>({ topology: "star" }),
  fc
    .record({
      perRack: fc.integer({ min: 1, max: 3 }),
      ratio: fc.constantFrom(1, 2, 4),
      traffic: fc.constantFrom("none", "trace", "half-nic", "constant"),
    })
    .map(
      ({ perRack, ratio, traffic }): NetworkInput => ({
        topology: "tree",
        hostsPerRack: perRack,
        oversubscription: ratio,
        vmTraffic:
          traffic === "constant"
            ? { kind: "constant", rate: "10Mbps" }
            : { kind: traffic as "none" | "trace" | "half-nic" },
      }),
    ),
);

const specs: fc.Arbitrary<{ spec: DatacenterSpecInput; times: number[] }> = fc
  .record({
    hosts: fc.integer({ min: 2, max: 6 }),
    vms: fc.integer({ min: 1, max: 10 }),
    migration,
    network,
    overload: fc.constantFrom("thr", "mad", "lr" as const),
    seed: fc.integer({ min: 0, max: 1000 }),
    times: fc.array(fc.double({ min: 0, max: 3 * 3600, noNaN: true }), { maxLength: 12 }),
  })
  .map(({ hosts, vms, migration, network, overload, seed, times }) => ({
    spec: {
      name: "invariants",
      seed,
      duration: "3h",
      step: "300s",
      hostTypes: { h: { cores: 2, mips: 1000, ram: "3GiB", nic: "1Gbps", power: POWER } },
      hosts: [{ type: "h", count: hosts }],
      vmTypes: {
        vm: { mips: 1000, ram: "1GiB", nic: "100Mbps", dirtyRate: "48MiB/s" },
      },
      vms: [
        {
          types: "vm",
          count: vms,
          workload: { kind: "bursty", base: 0.1, peak: 0.9, meanGap: "20min", meanBurst: "10min" },
        },
      ],
      network,
      policy: { overload },
      migration,
    } satisfies DatacenterSpecInput,
    times,
  }));

describe("invariants of runs with real migrations (property tests)", () => {
  it("no link above capacity, every VM on one host or in flight with both reservations, RAM conserved", () => {
    fc.assert(
      fc.property(specs, ({ spec, times }) => {
        const cloudsim = spec.migration?.model === "cloudsim";
        const r = runDatacenter(spec, { extensions: [inspector(times, cloudsim ? 2 : 1)] });
        const f = extensionOutput<Findings>(r, "inspector");
        expect(f.checks).toBeGreaterThan(0);
        expect(f).toMatchObject({ overCapacity: 0, misplaced: 0, ramMismatch: 0 });
        // Every decided migration has ended one way or another, or was still going at the end.
        const s = r.summary;
        const lost = r.migrationLog.filter(
          (m) => m.outcome === "vm-lost" || m.outcome === "paused",
        );
        expect(
          s.migrationsCompleted + s.migrationsCancelled + s.migrationsUnfinished + lost.length,
        ).toBe(s.migrations);
        expect(s.energyKWh).toBeGreaterThan(0);
        expect(s.pdm).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 40 },
    );
  });

  it("the same spec and seed give byte-identical results with real migrations", () => {
    fc.assert(
      fc.property(specs, ({ spec }) => {
        expect(JSON.stringify(runDatacenter(spec))).toBe(JSON.stringify(runDatacenter(spec)));
      }),
      { numRuns: 10 },
    );
  });
});
