import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CpuLedger, createTopology, presetTopology, type VcpuPlacement } from "../src/index.js";

describe("CpuLedger placements", () => {
  it("pinned puts vCPU k on cpus[k mod n], like dom0_vcpus_pin", () => {
    const l = new CpuLedger(presetTopology("2-socket"));
    const r = l.place("dom0", 4, { kind: "pinned", cpus: [0, 16] });
    expect([...r.cpus]).toEqual([0, 16, -1, -1]);
    expect(r.unplaced).toBe(2); // dedicated CPUs: the second round finds them taken
    const over = new CpuLedger(presetTopology("2-socket"), { vcpusPerCpu: 2 });
    expect([...over.place("dom0", 4, { kind: "pinned", cpus: [0, 16] }).nodes]).toEqual([
      0, 1, 0, 1,
    ]);
  });

  it("node-local fills the chosen node, least loaded CPU first, then spills to the nearest", () => {
    const t = presetTopology("8-node-epyc");
    const l = new CpuLedger(t);
    const r = l.place("big", 20, { kind: "node-local", node: 5 });
    expect(r.perNode[5]).toBe(16);
    expect(r.perNode[4]).toBe(4); // same package, nearest
    expect(l.vcpusOnNode(5)).toBe(16);
    const next = l.place("vm", 2, { kind: "node-local" });
    expect([...next.nodes]).toEqual([0, 0]); // the roomiest node, ties to the lowest index
  });

  it("spread deals vCPUs round-robin over the nodes", () => {
    const l = new CpuLedger(presetTopology("4-socket"));
    const r = l.place("vm", 6, { kind: "spread" });
    expect([...r.perNode]).toEqual([2, 2, 1, 1]);
    const s = l.place("vm2", 2, { kind: "spread", nodes: [1, 3] });
    expect([...s.nodes]).toEqual([3, 1]); // node 3 has more room, so it goes first
  });

  it("release frees the CPUs", () => {
    const l = new CpuLedger(presetTopology("1-socket"));
    l.place("a", 32, { kind: "node-local" });
    expect(l.place("b", 1, { kind: "node-local" }).unplaced).toBe(1);
    expect(l.release("a")).toBe(32);
    expect(l.place("c", 1, { kind: "node-local" }).placed).toBe(1);
    l.check();
  });

  it("rejects bad arguments", () => {
    const l = new CpuLedger(presetTopology("2-socket"));
    expect(() => l.place("x", 1, { kind: "pinned", cpus: [999] })).toThrowVx("VX_NUMA_BAD_CPU");
    expect(() => l.place("x", 1, { kind: "pinned", cpus: [] })).toThrowVx("VX_NUMA_BAD_ARGUMENT");
    expect(() => l.place("x", -1, { kind: "spread" })).toThrowVx("VX_NUMA_BAD_ARGUMENT");
    expect(() => l.place("x", 1, { kind: "node-local", node: 2 })).toThrowVx("VX_NUMA_BAD_NODE");
    expect(() => l.place("x", 1, { kind: "spread", nodes: [] })).toThrowVx("VX_NUMA_BAD_ARGUMENT");
    expect(() => l.place("x", 1, { kind: "random" } as unknown as VcpuPlacement)).toThrowVx(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(() => new CpuLedger(presetTopology("2-socket"), { vcpusPerCpu: 0 })).toThrowVx(
      "VX_NUMA_BAD_ARGUMENT",
    );
  });
});

describe("CpuLedger invariants (property)", () => {
  const placement: fc.Arbitrary<VcpuPlacement> = fc.oneof(
    fc
      .array(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 6 })
      .map((cpus) => ({ kind: "pinned", cpus }) as const),
    fc
      .option(fc.nat(2), { nil: undefined })
      .map(
        (node) =>
          (node === undefined
            ? { kind: "node-local" }
            : { kind: "node-local", node }) as VcpuPlacement,
      ),
    fc
      .uniqueArray(fc.nat(2), { minLength: 1, maxLength: 3 })
      .map((nodes) => ({ kind: "spread", nodes }) as const),
  );
  it("no CPU and no node ever carries more than its capacity; releases give everything back", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(
          fc.record({ domain: fc.nat(5), count: fc.nat(10), placement, release: fc.boolean() }),
          { maxLength: 40 },
        ),
        (ratio, ops) => {
          const t = createTopology({
            nodes: [
              { cpus: 4, memory: 1 },
              { cpus: 4, memory: 1 },
              { cpus: 4, memory: 1 },
            ],
          });
          const l = new CpuLedger(t, { vcpusPerCpu: ratio });
          const held = new Map<string, number>();
          for (const o of ops) {
            const name = `d${o.domain}`;
            if (o.release) {
              expect(l.release(name)).toBe(held.get(name) ?? 0);
              held.delete(name);
            } else {
              const r = l.place(name, o.count, o.placement);
              expect(r.placed + r.unplaced).toBe(o.count);
              held.set(name, (held.get(name) ?? 0) + r.placed);
            }
            l.check();
            let total = 0;
            for (let i = 0; i < 3; i++) {
              expect(l.vcpusOnNode(i)).toBeLessThanOrEqual(l.capacityOn(i));
              total += l.vcpusOnNode(i);
            }
            expect(total).toBe([...held.values()].reduce((a, b) => a + b, 0));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
