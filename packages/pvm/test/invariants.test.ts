import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  comparePvmPolicies,
  type DemandPatternInput,
  type PvmScenarioInput,
  resolveTopology,
  type TopologySource,
} from "../src/index.js";

const pattern: fc.Arbitrary<DemandPatternInput> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((level) => ({ kind: "constant", level }) as const),
  fc.constant({ kind: "idle" } as const),
  fc
    .record({
      min: fc.double({ min: 0, max: 0.5, noNaN: true }),
      max: fc.double({ min: 0.5, max: 1, noNaN: true }),
    })
    .map((r) => ({ kind: "random", min: r.min, max: r.max, every: "20ms" }) as const),
  fc.constant({ kind: "on-off", meanOn: "50ms", meanOff: "100ms" } as const),
  fc.constant({
    kind: "steps",
    steps: [
      { at: 0, level: 1 },
      { at: "100ms", level: 0 },
      { at: "200ms", level: 0.5 },
    ],
  } as const),
);

const scenario: fc.Arbitrary<PvmScenarioInput> = fc.record({
  topology: fc.constantFrom("1-socket", "2-socket", "4-socket", "8-node-epyc"),
  duration: fc.constant("300ms"),
  seed: fc.integer({ min: 0, max: 1000 }),
  guests: fc.array(
    fc.record({
      count: fc.integer({ min: 1, max: 12 }),
      vcpus: fc.integer({ min: 1, max: 4 }),
      memory: fc.constant("1GiB"),
      cpuUtilisation: fc.double({ min: 0, max: 1, noNaN: true }),
      network: fc.record({ rate: fc.integer({ min: 0, max: 20e9 / 8 }) }),
      block: fc.record({ iops: fc.integer({ min: 0, max: 200_000 }) }),
      deviceModel: fc.record({ iops: fc.integer({ min: 0, max: 20_000 }) }),
      demand: pattern,
    }),
    { minLength: 1, maxLength: 3 },
  ),
  pvm: fc.record({
    static: fc.record({
      vcpus: fc.integer({ min: 1, max: 16 }),
      memory: fc.constantFrom("2GiB", "7GiB"),
    }),
    closer: fc.record({
      reactionDelay: fc.constantFrom(0, "10ms", "100ms"),
      shrinkHold: fc.constantFrom(0, "50ms"),
    }),
  }),
});

describe("pVM runs (property)", () => {
  it("never serve more than asked, never use more CPU than held or than the host has, never hold more vCPUs than a node has", () => {
    fc.assert(
      fc.property(scenario, (input) => {
        const topology = resolveTopology(input.topology as TopologySource);
        const { results } = comparePvmPolicies(input);
        for (const r of results) {
          const s = r.summary;
          expect(s.throughputBytesPerSecond).toBeLessThanOrEqual(
            s.demandBytesPerSecond * (1 + 1e-9) + 1e-6,
          );
          expect(s.cpuUsedMean).toBeLessThanOrEqual(s.cpuReservedMean + 1e-9);
          expect(s.remoteAccessFraction).toBeGreaterThanOrEqual(0);
          expect(s.remoteAccessFraction).toBeLessThanOrEqual(1 + 1e-12);
          for (const g of r.guests) {
            expect(g.throughputBytesPerSecond).toBeLessThanOrEqual(
              g.demandBytesPerSecond * (1 + 1e-9) + 1e-6,
            );
            expect(g.cpuServed).toBeLessThanOrEqual(g.cpuDemand * (1 + 1e-9) + 1e-12);
          }
          // The host's CPUs: the guests' own work plus the pVM's (dedicated for static, charged to
          // the guests under Closer) never exceed them.
          const cpus = topology.nodes.reduce((sum, node) => sum + node.cpus.length, 0);
          const pvmCpus = s.policy === "static" ? s.cpuReservedMean : s.cpuUsedMean;
          expect(s.guestCpuServedMean + pvmCpus).toBeLessThanOrEqual(cpus + 1 + 1e-6);
          expect(s.guestCpuServedFraction).toBeLessThanOrEqual(1 + 1e-12);
          r.series.vcpusPerNode.forEach((perNode, i) => {
            perNode.forEach((v, m) => {
              expect(v).toBeLessThanOrEqual(topology.nodes[m]!.cpus.length);
            });
            expect(r.series.cpuUsed[i]!).toBeLessThanOrEqual(r.series.cpuReserved[i]! + 1e-9);
          });
          // The pVM's pages: never over a node's memory, and what it holds is what it reports.
          r.pvmPagesPerNode.forEach((series, m) => {
            for (const pages of series.values)
              expect(pages * r.pageBytes).toBeLessThanOrEqual(topology.nodes[m]!.memoryBytes);
          });
          const held =
            r.pvmPagesPerNode.reduce(
              (sum, series) => sum + series.values[series.values.length - 1]!,
              0,
            ) * r.pageBytes;
          if (s.policy === "static") expect(held).toBe(s.memoryReservedMeanBytes);
          else {
            expect(held).toBeGreaterThanOrEqual(512 * 2 ** 20);
            expect(held).toBeLessThanOrEqual(s.memoryReservedMaxBytes);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("the same input gives byte-identical JSON; another seed changes random demand", () => {
    const input: PvmScenarioInput = {
      topology: "8-node-epyc",
      duration: "500ms",
      seed: 7,
      guests: [
        { count: 20, network: { rate: "3Gbps" }, demand: { kind: "random", every: "10ms" } },
      ],
    };
    const a = JSON.stringify(comparePvmPolicies(input));
    expect(JSON.stringify(comparePvmPolicies(input))).toBe(a);
    expect(JSON.stringify(comparePvmPolicies({ ...input, seed: 8 }))).not.toBe(a);
  });
});
