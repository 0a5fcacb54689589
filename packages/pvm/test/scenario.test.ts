import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Gbps, GiB, MiB, parseWith, type VxError } from "@vx/core";
import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import {
  BACKEND_DEFAULTS,
  comparePvmPolicies,
  GUEST_DEFAULTS,
  PVM_DEFAULTS,
  type PvmPolicy,
  type PvmScenarioInput,
  pvmScenarioSectionSchema,
  simulatePvm,
} from "../src/index.js";
import { nodeTopologyReader } from "../src/node.js";

const base: PvmScenarioInput = { topology: "2-socket", duration: "200ms", guests: [{}] };

describe("pvmScenarioSectionSchema", () => {
  it("fills every default, in base units", () => {
    const s = parseWith(pvmScenarioSectionSchema, { guests: [{}] });
    expect(s.topology).toBe("2-socket");
    expect([s.durationSeconds, s.stepSeconds, s.sampleSeconds, s.seed]).toEqual([10, 0.01, 0.1, 1]);
    expect(s.guests[0]).toEqual({ name: "guest", count: 1, node: "spread", ...GUEST_DEFAULTS });
    expect(s.pvm).toEqual({ policy: "both", ...PVM_DEFAULTS });
    expect(s.backends).toEqual(BACKEND_DEFAULTS);
  });

  it("reads human quantities and renames them to unit-suffixed fields", () => {
    const s = parseWith(pvmScenarioSectionSchema, {
      duration: "1min",
      guests: [
        {
          memory: "8GiB",
          cpuUtilisation: "25%",
          network: { rate: "10Gbps", packet: "9000B" },
          block: { iops: 5000, request: "64KiB" },
          demand: { kind: "on-off", meanOn: "200ms", meanOff: "1s" },
        },
      ],
      pvm: {
        baseMemory: "1GiB",
        static: { memory: "4GiB", vcpus: 4, nodes: [0, 1] },
        closer: { reactionDelay: "50ms" },
      },
      backends: { netback: { cpuPerItem: "1.5us" }, copyRate: "10GB/s" },
    });
    expect(s.durationSeconds).toBe(60);
    const g = s.guests[0]!;
    expect([
      g.memoryBytes,
      g.cpuUtilisation,
      g.network.bytesPerSecond,
      g.network.packetBytes,
    ]).toEqual([GiB(8), 0.25, Gbps(10), 9000]);
    expect(g.block).toEqual({ requestsPerSecond: 5000, requestBytes: 65536 });
    expect(g.demand).toEqual({ kind: "on-off", level: 1, meanOnSeconds: 0.2, meanOffSeconds: 1 });
    expect(s.pvm.baseMemoryBytes).toBe(GiB(1));
    expect(s.pvm.static).toEqual({ vcpus: 4, nodes: [0, 1], memoryBytes: GiB(4), memoryNode: 0 });
    expect(s.pvm.closer.reactionDelaySeconds).toBeCloseTo(0.05, 12);
    expect(s.backends.netback.cpuSecondsPerItem).toBeCloseTo(1.5e-6, 15);
    expect(s.backends.netback.bufferBytes).toBe(MiB(2));
    expect(s.backends.copyBytesPerSecond).toBe(10e9);
  });

  it("names the offending field of each kind of bad input, under the section's path", () => {
    const bad = (input: unknown): VxError =>
      vxErrorOf(() => comparePvmPolicies(input as PvmScenarioInput, { path: ["numa"] }));
    const unknown = bad({ ...base, pvm: { closr: {} } });
    expect(unknown.code).toBe("VX_PVM_BAD_SCENARIO");
    expect(unknown.issues[0]).toMatchObject({
      code: "VX_SCHEMA_UNKNOWN_KEY",
      path: ["numa", "pvm", "closr"],
    });
    const unit = bad({ ...base, guests: [{ network: { rate: "10 parsecs" } }] });
    expect(unit.issues[0]).toMatchObject({
      code: "VX_CORE_BAD_UNIT",
      path: ["numa", "guests", 0, "network", "rate"],
    });
    expect(bad({ ...base, guests: [] }).issues[0]!.path).toEqual(["numa", "guests"]);
    expect(bad({ ...base, topology: "3-socket" }).issues[0]!.path).toEqual(["numa", "topology"]);
    expect(bad({ ...base, guests: [{ demand: { kind: "sometimes" } }] }).issues[0]!.path).toEqual([
      "numa",
      "guests",
      0,
      "demand",
      "kind",
    ]);
    expect(bad({ ...base, guests: [{ cpuUtilisation: 1.5 }] }).issues[0]!.path).toEqual([
      "numa",
      "guests",
      0,
      "cpuUtilisation",
    ]);
    expect(bad({ ...base, pvm: { closer: { targetUtilisation: 0 } } }).issues[0]!.path).toEqual([
      "numa",
      "pvm",
      "closer",
      "targetUtilisation",
    ]);
  });

  it("checks node indices and sizes against the host before running", () => {
    const bad = (input: PvmScenarioInput): VxError =>
      vxErrorOf(() => comparePvmPolicies(input, { path: ["numa"] }));
    const node = bad({ ...base, guests: [{ node: 2 }] });
    expect(node).toMatchObject({
      code: "VX_PVM_BAD_SCENARIO",
      path: ["numa", "guests", 0, "node"],
    });
    expect(node.message).toContain("0–1");
    expect(bad({ ...base, pvm: { nicNode: 3 } }).path).toEqual(["numa", "pvm", "nicNode"]);
    expect(bad({ ...base, pvm: { static: { nodes: [0, 5] } } }).path).toEqual([
      "numa",
      "pvm",
      "static",
      "nodes",
      1,
    ]);
    expect(bad({ ...base, pvm: { static: { vcpus: 33 } } }).path).toEqual([
      "numa",
      "pvm",
      "static",
      "vcpus",
    ]);
    expect(bad({ ...base, sample: "1ms" }).path).toEqual(["numa", "sample"]);
    expect(
      bad({ ...base, guests: [{ demand: { kind: "random", min: 0.8, max: 0.2 } }] }).path,
    ).toEqual(["numa", "guests", 0, "demand", "min"]);
    const full = vxErrorOf(() =>
      comparePvmPolicies({ ...base, guests: [{ count: 100, memory: "4GiB" }] }),
    );
    expect(full).toMatchObject({ code: "VX_PVM_DOES_NOT_FIT", path: ["guests", 0, "memory"] });
    const cpus = vxErrorOf(() =>
      comparePvmPolicies({ ...base, guests: [{ count: 300, vcpus: 1, memory: "1GiB" }] }),
    );
    expect(cpus).toMatchObject({ code: "VX_PVM_DOES_NOT_FIT", path: ["guests", 0, "count"] });
    expect(vxErrorOf(() => simulatePvm(base, "dynamic" as PvmPolicy)).code).toBe(
      "VX_PVM_BAD_POLICY",
    );
  });

  it("reads the host from a sysfs copy or a numactl capture", () => {
    const fixtures = join(
      dirname(fileURLToPath(import.meta.url)),
      "..",
      "..",
      "numa",
      "test",
      "fixtures",
    );
    const files = { readTopology: nodeTopologyReader };
    const a = comparePvmPolicies(
      { ...base, topology: { sysfs: join(fixtures, "sysfs-2node") } },
      files,
    );
    const b = comparePvmPolicies(
      { ...base, topology: { numactl: join(fixtures, "numactl-2node.txt") } },
      files,
    );
    expect(a.results.map((r) => r.summary.throughputBytesPerSecond)).toEqual(
      b.results.map((r) => r.summary.throughputBytesPerSecond),
    );
    expect(
      vxErrorOf(() =>
        comparePvmPolicies(
          { ...base, topology: { sysfs: join(fixtures, "bad-sysfs-distance") } },
          files,
        ),
      ).code,
    ).toBe("VX_NUMA_BAD_SYSFS");
  });

  it("refuses a captured host without a file reader (the main entry reads no file)", () => {
    const error = vxErrorOf(() =>
      comparePvmPolicies({ ...base, topology: { numactl: "host.txt" } }, { path: ["numa"] }),
    );
    expect(error).toMatchObject({
      code: "VX_PVM_NO_TOPOLOGY_READER",
      path: ["numa", "topology", "numactl"],
    });
  });

  it("accepts an inline topology and the already validated section", () => {
    const input: PvmScenarioInput = {
      ...base,
      topology: {
        name: "lab",
        nodes: [
          { cpus: "0-7", memory: "64GiB", memoryBandwidth: "50GB/s" },
          { cpus: "8-15", memory: "64GiB", memoryBandwidth: "50GB/s" },
        ],
        distances: [
          [10, 20],
          [20, 10],
        ],
        links: [{ between: [0, 1], bandwidth: "20GB/s" }],
      },
      pvm: { policy: "closer", static: { vcpus: 4 } },
    };
    const parsed = parseWith(pvmScenarioSectionSchema, input);
    const a = comparePvmPolicies(input);
    const b = comparePvmPolicies(parsed);
    expect(a).toEqual(b);
    expect(a.topology).toBe("lab");
    expect(a.results.map((r) => r.summary.policy)).toEqual(["closer"]);
    const badInline = vxErrorOf(() =>
      comparePvmPolicies({
        ...input,
        topology: { nodes: [{ cpus: 2, memory: "1GiB" }], distances: [[11]] },
      }),
    );
    expect(badInline).toMatchObject({
      code: "VX_NUMA_BAD_TOPOLOGY",
      path: ["topology", "distances", 0, 0],
    });
  });
});
