import { FluidSystem, Simulation } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DisaggregatedRack,
  type DisaggScenarioInput,
  ORCHESTRATOR_POLICY_NAMES,
  parseDisaggScenario,
  runDisaggregated,
} from "../src/index.js";

const GIB = 2 ** 30;

/** A random small rack, workload (regions, devices, resizes, migrations) and settings. */
const scenarioArb: fc.Arbitrary<DisaggScenarioInput> = fc
  .record({
    trays: fc.array(
      fc.record({
        compute: fc.integer({ min: 1, max: 3 }),
        cores: fc.integer({ min: 4, max: 16 }),
        local: fc.integer({ min: 0, max: 4 }),
        memory: fc.integer({ min: 0, max: 3 }),
        memGiB: fc.integer({ min: 4, max: 32 }),
        nic: fc.boolean(),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    kind: fc.constantFrom("circuit" as const, "packet" as const),
    ports: fc.integer({ min: 1, max: 4 }),
    policy: fc.constantFrom(...ORCHESTRATOR_POLICY_NAMES),
    arm: fc.boolean(),
    method: fc.constantFrom("lock" as const, "token" as const, "versioned" as const),
    vms: fc.array(
      fc.record({
        vcpus: fc.integer({ min: 1, max: 8 }),
        memMiB: fc.integer({ min: 100, max: 12_000 }),
        arrival: fc.integer({ min: 0, max: 3000 }),
        life: fc.integer({ min: 1, max: 4000 }),
        steps: fc.array(fc.integer({ min: 100, max: 20_000 }), { maxLength: 3 }),
        nic: fc.boolean(),
        shared: fc.boolean(),
        migrate: fc.option(fc.constantFrom("compute" as const, "memory" as const), {
          nil: undefined,
        }),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  })
  .map((r) => ({
    rack: {
      trays: r.trays.map((t) => ({
        bricks: [
          {
            kind: "compute" as const,
            count: t.compute,
            cores: t.cores,
            localMemory: t.local * GIB,
          },
          ...(t.memory > 0
            ? [{ kind: "memory" as const, count: t.memory, memory: t.memGiB * GIB }]
            : []),
          ...(t.nic ? [{ kind: "nic" as const, units: 2 }] : []),
        ],
      })),
      fabric: { kind: r.kind, ports: r.ports },
    },
    policy: r.policy,
    memory: r.arm ? { arch: "arm64" as const, kernel: "5.4" } : {},
    duration: 8000,
    series: false,
    workload: {
      regions: [{ name: "shm", memory: 2 * GIB, method: r.method }],
      vms: r.vms.map((v, i) => ({
        name: `v${i}`,
        vcpus: v.vcpus,
        memory: v.memMiB * 2 ** 20,
        arrival: v.arrival,
        departure: v.arrival + v.life,
        memorySteps: v.steps.map((m, k) => ({
          at: v.arrival + ((k + 1) * v.life) / (v.steps.length + 1),
          memory: m * 2 ** 20,
        })),
        devices: v.nic ? [{ kind: "nic" as const, bandwidth: 2e9 }] : [],
        shared: v.shared ? [{ region: "shm", accessesPerSecond: 500 }] : [],
      })),
      migrations: r.vms.flatMap((v, i) =>
        v.migrate === undefined
          ? []
          : [{ at: v.arrival + v.life / 2, vm: `v${i}`, kind: v.migrate }],
      ),
    },
  }));

describe("properties of the rack (fast-check, fixed seed)", () => {
  it("after every event: a section belongs to at most one VM or region; no brick above capacity; all freed at the end", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const s = parseDisaggScenario(input);
        const sim = new Simulation();
        const rack = new DisaggregatedRack(
          { sim, fluid: new FluidSystem(sim) },
          s.rack,
          s.settings,
        );
        rack.schedule(s.workload);
        let steps = 0;
        while (sim.step()) {
          const bad = rack.checkInvariants();
          if (bad !== undefined) throw new Error(`after event ${steps} at t=${sim.now}: ${bad}`);
          steps++;
        }
        // Every VM has left: every section is free, no circuit is open.
        for (const b of s.rack.bricks) {
          expect(rack.freeSections(b.id)).toBe(Math.floor(b.memoryBytes / s.settings.sectionBytes));
          expect(rack.freeCores(b.id)).toBe(b.cores);
          expect(rack.freeUnits(b.id)).toBe(b.units);
        }
        expect(rack.fabric.openCircuits).toBe(0);
        const r = rack.result();
        expect(
          r.summary.admitted + Object.values(r.summary.rejected).reduce((a, b) => a + b, 0),
        ).toBe(r.summary.requests);
        for (const vm of r.vms)
          if (vm.slowdown !== null) expect(vm.slowdown).toBeGreaterThanOrEqual(1 - 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it("same input, byte-identical JSON; and the JSON holds no NaN or Infinity", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const a = JSON.stringify(runDisaggregated(input));
        const b = JSON.stringify(runDisaggregated(input));
        expect(a).toBe(b);
        expect(a).not.toMatch(/NaN|Infinity/);
        expect(JSON.parse(a)).toEqual(runDisaggregated(input));
      }),
      { numRuns: 15 },
    );
  });
});
