import { GiB, MiB } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createTopology,
  MemoryLedger,
  type MemoryPolicy,
  presetTopology,
  xenMemoryPolicy,
} from "../src/index.js";

/** Three nodes of 100 pages each (4 KiB pages), SLIT: 0–1 close (12), 2 far (20). */
function small(): MemoryLedger {
  const t = createTopology({
    nodes: [
      { cpus: 2, memory: 100 * 4096 },
      { cpus: 2, memory: 100 * 4096 },
      { cpus: 2, memory: 100 * 4096 },
    ],
    distances: [
      [10, 12, 20],
      [12, 10, 20],
      [20, 20, 10],
    ],
  });
  return new MemoryLedger(t);
}

describe("MemoryLedger policies", () => {
  it("first-touch fills the touching CPU's node, then the nearest (node 1 before node 2)", () => {
    const m = small();
    const d = m.addDomain("vm");
    const r = m.allocatePages(d, 150, { kind: "first-touch" }, { cpuNode: 0 });
    expect([...r.pages]).toEqual([100, 50, 0]);
    expect(r.shortfallPages).toBe(0);
    const r2 = m.allocatePages(d, 120, { kind: "first-touch" }, { cpuNode: 0 });
    expect([...r2.pages]).toEqual([0, 50, 70]);
  });

  it("first-touch splits pages by the weights of the touching vCPUs", () => {
    const m = small();
    const d = m.addDomain("vm");
    m.allocatePages(d, 90, { kind: "first-touch" }, { cpuNode: [2, 1, 0] });
    expect([...m.domainPages(d)]).toEqual([60, 30, 0]);
  });

  it("bind never leaves its node set: what does not fit is a shortfall", () => {
    const m = small();
    const d = m.addDomain("dom0");
    const r = m.allocatePages(d, 130, { kind: "bind", nodes: [2] }, { cpuNode: 0 });
    expect([...r.pages]).toEqual([0, 0, 100]);
    expect(r.shortfallPages).toBe(30);
    expect(r.allocatedPages).toBe(100);
  });

  it("bind takes the set's node nearest to the touching CPU first", () => {
    const m = small();
    const d = m.addDomain("vm");
    const r = m.allocatePages(d, 120, { kind: "bind", nodes: [1, 2] }, { cpuNode: 0 });
    expect([...r.pages]).toEqual([0, 100, 20]);
  });

  it("interleave deals pages round-robin and continues where it stopped", () => {
    const m = small();
    const d = m.addDomain("vm");
    m.allocatePages(d, 7, { kind: "interleave" });
    expect([...m.domainPages(d)]).toEqual([3, 2, 2]);
    m.allocatePages(d, 2, { kind: "interleave" });
    expect([...m.domainPages(d)]).toEqual([3, 3, 3]);
  });

  it("interleave falls back from a full node to its nearest", () => {
    const m = small();
    const hog = m.addDomain("hog");
    m.allocatePages(hog, 100, { kind: "preferred", node: 1 });
    const d = m.addDomain("vm");
    m.allocatePages(d, 30, { kind: "interleave", nodes: [0, 1] });
    expect([...m.domainPages(d)]).toEqual([30, 0, 0]);
  });

  it("preferred starts at its node and falls back by distance from it", () => {
    const m = small();
    const d = m.addDomain("vm");
    const r = m.allocatePages(d, 250, { kind: "preferred", node: 2 });
    expect([...r.pages]).toEqual([100, 50, 100]);
  });

  it("a full host is a shortfall, not an error", () => {
    const m = small();
    const d = m.addDomain("vm");
    const r = m.allocatePages(d, 400, { kind: "first-touch" }, { cpuNode: 1 });
    expect(r.allocatedPages).toBe(300);
    expect(r.shortfallPages).toBe(100);
  });

  it("allocate rounds bytes up to pages", () => {
    const m = new MemoryLedger(presetTopology("2-socket"));
    const d = m.addDomain("vm");
    m.allocate(d, GiB(4) + 1, { kind: "interleave" });
    expect(m.totalPages(d)).toBe(GiB(4) / 4096 + 1);
    expect(m.pagesOn(d, 1)).toBe(GiB(2) / 4096);
  });

  it("frees from a node, or proportionally from all", () => {
    const m = small();
    const d = m.addDomain("vm");
    m.allocatePages(d, 150, { kind: "first-touch" }, { cpuNode: 0 });
    expect(m.freePages(d, 30, 1)).toBe(30);
    expect([...m.domainPages(d)]).toEqual([100, 20, 0]);
    expect(m.freePages(d, 60)).toBe(60);
    expect([...m.domainPages(d)]).toEqual([50, 10, 0]);
    expect(m.freePages(d, 1000, 0)).toBe(50);
    expect(m.freeAll(d)).toBe(10);
    expect(m.usedPagesOn(0) + m.usedPagesOn(1) + m.usedPagesOn(2)).toBe(0);
  });

  it("migrate moves what fits; transfer swaps ownership on one node", () => {
    const m = small();
    const a = m.addDomain("a");
    const b = m.addDomain("b");
    m.allocatePages(a, 100, { kind: "bind", nodes: [0] });
    m.allocatePages(b, 90, { kind: "bind", nodes: [1] });
    expect(m.migrate(a, 0, 1, 50)).toBe(10);
    expect(m.transfer(a, b, 0, 40)).toBe(40);
    expect([...m.domainPages(a)]).toEqual([50, 10, 0]);
    expect([...m.domainPages(b)]).toEqual([40, 90, 0]);
    expect(m.remoteFraction(a, 0)).toBeCloseTo(10 / 60, 12);
    m.check();
  });

  it("records each domain's pages per node over time", () => {
    const clock = { now: 0 };
    const m = new MemoryLedger(presetTopology("2-socket"), { clock, pageBytes: MiB(2) });
    const d = m.addDomain("pvm");
    m.allocate(d, MiB(64), { kind: "bind", nodes: [1] });
    clock.now = 2;
    m.freePages(d, 16, 1);
    const [n0, n1] = m.history(d);
    expect(n0).toEqual({ kind: "timeseries", name: "pvm.node0.pages", times: [0], values: [0] });
    expect(n1).toEqual({
      kind: "timeseries",
      name: "pvm.node1.pages",
      times: [0, 2],
      values: [32, 16],
    });
  });

  it("xenMemoryPolicy: explicit node, then vCPU affinity, then every node", () => {
    expect(xenMemoryPolicy({ node: 1 })).toEqual({ kind: "bind", nodes: [1] });
    expect(xenMemoryPolicy({ vcpuNodes: [1, 0, 1] })).toEqual({
      kind: "interleave",
      nodes: [0, 1],
    });
    expect(xenMemoryPolicy({ vcpuNodes: [3] })).toEqual({ kind: "bind", nodes: [3] });
    expect(xenMemoryPolicy({})).toEqual({ kind: "interleave" });
  });

  it("rejects bad arguments", () => {
    const m = small();
    const d = m.addDomain("vm");
    expect(() => m.allocatePages(9, 1, { kind: "first-touch" })).toThrowVx("VX_NUMA_BAD_ARGUMENT");
    expect(() => m.allocatePages(d, 1.5, { kind: "first-touch" })).toThrowVx(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(() => m.allocate(d, -1, { kind: "first-touch" })).toThrowVx("VX_NUMA_BAD_ARGUMENT");
    expect(() => m.allocatePages(d, 1, { kind: "bind", nodes: [] })).toThrowVx(
      "VX_NUMA_BAD_POLICY",
    );
    expect(() => m.allocatePages(d, 1, { kind: "bind", nodes: [3] })).toThrowVx("VX_NUMA_BAD_NODE");
    expect(() => m.allocatePages(d, 1, { kind: "preferred", node: -1 })).toThrowVx(
      "VX_NUMA_BAD_NODE",
    );
    expect(() => m.allocatePages(d, 1, { kind: "lifo" } as unknown as MemoryPolicy)).toThrowVx(
      "VX_NUMA_BAD_POLICY",
    );
    expect(() => m.allocatePages(d, 1, { kind: "first-touch" }, { cpuNode: [1, 1] })).toThrowVx(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(() => m.history(d)).toThrowVx("VX_NUMA_BAD_ARGUMENT");
    expect(() => new MemoryLedger(presetTopology("2-socket"), { pageBytes: 0 })).toThrowVx(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(() => new MemoryLedger(presetTopology("2-socket"), { reservedBytes: -1 })).toThrowVx(
      "VX_NUMA_BAD_ARGUMENT",
    );
  });
});

describe("MemoryLedger invariants (property)", () => {
  const policy: fc.Arbitrary<MemoryPolicy> = fc.oneof(
    fc.constant({ kind: "first-touch" } as const),
    fc
      .uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 })
      .map((nodes) => ({ kind: "bind", nodes }) as const),
    fc
      .uniqueArray(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 })
      .map((nodes) => ({ kind: "interleave", nodes }) as const),
    fc.integer({ min: 0, max: 3 }).map((node) => ({ kind: "preferred", node }) as const),
  );
  const op = fc.oneof(
    fc.record({
      op: fc.constant("alloc" as const),
      d: fc.nat(4),
      pages: fc.nat(400),
      policy,
      cpu: fc.nat(3),
    }),
    fc.record({
      op: fc.constant("free" as const),
      d: fc.nat(4),
      pages: fc.nat(300),
      node: fc.option(fc.nat(3), { nil: undefined }),
    }),
    fc.record({
      op: fc.constant("migrate" as const),
      d: fc.nat(4),
      from: fc.nat(3),
      to: fc.nat(3),
      pages: fc.nat(300),
    }),
    fc.record({
      op: fc.constant("transfer" as const),
      d: fc.nat(4),
      e: fc.nat(4),
      node: fc.nat(3),
      pages: fc.nat(300),
    }),
    fc.record({ op: fc.constant("freeAll" as const), d: fc.nat(4) }),
  );

  it("no node over capacity; every page on exactly one node; pages conserved", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 4, maxLength: 4 }),
        fc.array(op, { maxLength: 60 }),
        (sizes, ops) => {
          const t = createTopology({
            nodes: sizes.map((p) => ({ cpus: 1, memory: p * 4096 })),
            distances: [
              [10, 16, 32, 32],
              [16, 10, 32, 32],
              [32, 32, 10, 16],
              [32, 32, 16, 10],
            ],
          });
          const m = new MemoryLedger(t);
          for (let d = 0; d < 5; d++) m.addDomain(`d${d}`);
          const expected = new Float64Array(5); // pages each domain should hold
          for (const o of ops) {
            if (o.op === "alloc") {
              const r = m.allocatePages(o.d, o.pages, o.policy, { cpuNode: o.cpu });
              expect(r.allocatedPages + r.shortfallPages).toBe(o.pages);
              expect(r.pages.reduce((a, b) => a + b, 0)).toBe(r.allocatedPages);
              const pol = o.policy;
              if (pol.kind === "bind") {
                const set = pol.nodes;
                r.pages.forEach((p, i) => {
                  if (!set.includes(i)) expect(p).toBe(0);
                });
              }
              expected[o.d]! += r.allocatedPages;
            } else if (o.op === "free") {
              expected[o.d]! -= m.freePages(o.d, o.pages, o.node);
            } else if (o.op === "migrate") {
              m.migrate(o.d, o.from, o.to, o.pages);
            } else if (o.op === "transfer") {
              const moved = m.transfer(o.d, o.e, o.node, o.pages);
              expected[o.d]! -= moved;
              expected[o.e]! += moved;
            } else {
              expected[o.d]! -= m.freeAll(o.d);
            }
            m.check();
            let used = 0;
            for (let i = 0; i < 4; i++) {
              expect(m.usedPagesOn(i)).toBeLessThanOrEqual(m.capacityPagesOn(i));
              used += m.usedPagesOn(i);
            }
            let held = 0;
            for (let d = 0; d < 5; d++) {
              expect(m.totalPages(d)).toBe(expected[d]);
              held += m.totalPages(d);
            }
            expect(held).toBe(used);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
