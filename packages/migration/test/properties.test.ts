import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DirtyModelOptions,
  FLUID_ONLY_STRATEGIES,
  type MigrateOptions,
  migrate,
  STRATEGIES,
  type VmOptions,
} from "../src/index.js";

const MiB = 2 ** 20;

const dirtyArb: fc.Arbitrary<DirtyModelOptions> = fc.oneof(
  fc.constant<DirtyModelOptions>({ model: "none" }),
  fc.integer({ min: 1, max: 200 }).map((r) => ({ model: "uniform" as const, rate: r * MiB })),
  fc.integer({ min: 1, max: 200 }).map((r) => ({ model: "scan" as const, rate: r * MiB })),
  fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([r, h]) => ({ model: "hot-cold" as const, rate: r * MiB, hotShare: h })),
  fc
    .tuple(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.3, max: 1.5, noNaN: true }))
    .map(([r, s]) => ({ model: "zipf" as const, rate: r * MiB, exponent: s })),
  fc
    .tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 10, max: 500 }))
    .map(([i, c]) => ({ model: "cpu-coupled" as const, intensity: i, speedCap: c * MiB })),
);

const caseArb = fc.record({
  mib: fc.integer({ min: 8, max: 96 }),
  zero: fc.double({ min: 0, max: 0.3, noNaN: true }),
  free: fc.double({ min: 0, max: 0.3, noNaN: true }),
  hot: fc.double({ min: 0.01, max: 0.3, noNaN: true }),
  dirty: dirtyArb,
  strategy: fc.constantFrom(...STRATEGIES),
  fidelity: fc.constantFrom("fluid" as const, "page" as const),
  gbps: fc.integer({ min: 1, max: 20 }),
  seed: fc.integer({ min: 0, max: 1000 }),
  autoConverge: fc.boolean(),
  xbzrle: fc.boolean(),
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function build(c: Case): [VmOptions, MigrateOptions] {
  const ram = c.mib * MiB;
  const vm: VmOptions = {
    ram,
    zeroPages: c.zero,
    freePages: c.free,
    workingSet: Math.floor((c.hot * ram) / 4096) * 4096 || 4096,
    dirty: c.dirty,
  };
  const options: MigrateOptions = {
    strategy: c.strategy,
    fidelity: c.fidelity,
    seed: c.seed,
    link: { bandwidth: c.gbps * 1.25e8, latency: "50us" },
    limits: { maxRounds: 40 },
    qemu: { autoConverge: c.autoConverge, xbzrle: c.xbzrle },
  };
  return [vm, options];
}

describe("invariants of every strategy", () => {
  it("bytes sent ≥ RAM minus the pages it may skip; downtime ≤ total time; the page checks hold", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const [vm, options] = build(c);
        const r = migrate(vm, options);
        expect(r.downtimeSeconds).toBeGreaterThanOrEqual(0);
        expect(r.downtimeSeconds).toBeLessThanOrEqual(r.totalTimeSeconds + 1e-9);
        expect(r.bytesSent.total).toBeCloseTo(
          r.bytesSent.fullPages + r.bytesSent.deltas + r.bytesSent.zeroPageFlags,
          3,
        );
        if (r.outcome !== "completed") return;
        const ram = c.mib * MiB;
        const skipFree = c.strategy === "postcopy-enlightened";
        // Full pages and deltas cover everything but zero pages (sent as flags) and the free
        // pages a strategy may leave behind; a delta stands for a page that was sent before.
        const mustSend = ram - c.zero * ram - (skipFree ? c.free * ram : 0);
        expect(r.bytesSent.fullPages).toBeGreaterThanOrEqual(mustSend * (1 - 1e-9) - 2 * 4096);
        if (r.pages !== null) {
          expect(r.pages.lost).toBe(0);
          expect(r.pages.duplicated).toBe(0);
        }
        const expectedFidelity = FLUID_ONLY_STRATEGIES.includes(c.strategy) ? "fluid" : c.fidelity;
        expect(r.fidelity).toBe(expectedFidelity);
      }),
      { numRuns: 60 },
    );
  });

  it("the same seed and inputs give byte-identical results", () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const [vm, options] = build(c);
        expect(JSON.stringify(migrate(vm, options))).toBe(JSON.stringify(migrate(vm, options)));
      }),
      { numRuns: 20 },
    );
  });

  it("post-copy sends each page exactly once, however the guest touches its pages", () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), (c, prepaging) => {
        const [vm, options] = build({ ...c, fidelity: "page" });
        for (const strategy of ["postcopy", "postcopy-enlightened"] as const) {
          const r = migrate(vm, { ...options, strategy, postcopy: { prepaging } });
          expect(r.outcome).toBe("completed");
          const pages = r.pages!;
          const free = strategy === "postcopy-enlightened" ? Math.round(c.free * pages.pages) : 0;
          expect(pages.sent).toBe(pages.pages - free);
          expect(pages.duplicated).toBe(0);
          expect(pages.redundant).toBe(0);
          expect(pages.lost).toBe(0);
        }
      }),
      { numRuns: 20 },
    );
  });
});
