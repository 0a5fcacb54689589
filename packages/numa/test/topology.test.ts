import { GBps, GiB, ns } from "@vx/core";
import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import {
  createTopology,
  formatTopology,
  latencyFactor,
  linkRoute,
  nodeOfCpu,
  nodesByDistance,
  presetTopology,
  TOPOLOGY_DEFAULTS,
  TOPOLOGY_PRESETS,
  topologyTotals,
} from "../src/index.js";

describe("createTopology", () => {
  it("derives latency from the SLIT with the default weight: 21 is 1.66 × local", () => {
    const t = createTopology({
      nodes: [
        { cpus: "0-7", memory: "64GiB" },
        { cpus: "8-15", memory: "64GiB" },
      ],
      distances: [
        [10, 21],
        [21, 10],
      ],
    });
    expect(t.latencySeconds[0]![0]).toBeCloseTo(90e-9, 15);
    expect(t.latencySeconds[0]![1]).toBeCloseTo(90e-9 * 1.66, 15);
    expect(latencyFactor(t, 1, 0)).toBeCloseTo(1.66, 12);
    expect(t.assumed).toEqual(["latency", "links", "memoryBandwidth"]);
    expect(t.links).toEqual([{ name: "link0-1", a: 0, b: 1, bytesPerSecond: 20.8e9 }]);
  });

  it("a weight of 1 takes the SLIT at its word; explicit latencies override it", () => {
    const spec = {
      nodes: [
        { cpus: 1, memory: GiB(1) },
        { cpus: 1, memory: GiB(1) },
      ],
      distances: [
        [10, 20],
        [20, 10],
      ],
      localLatency: "100ns",
    };
    expect(createTopology({ ...spec, slitLatencyWeight: 1 }).latencySeconds[0]![1]).toBeCloseTo(
      200e-9,
      15,
    );
    const explicit = createTopology({
      ...spec,
      latencies: [
        ["80ns", "130ns"],
        ["135ns", "85ns"],
      ],
    });
    expect(explicit.latencySeconds[1]![0]).toBeCloseTo(ns(135), 15);
    expect(explicit.assumed).not.toContain("latency");
  });

  it("numbers CPUs given as counts after the previous node's", () => {
    const t = createTopology({
      nodes: [
        { cpus: 4, memory: GiB(8) },
        { cpus: 2, memory: GiB(8) },
      ],
    });
    expect(t.nodes.map((n) => n.cpus)).toEqual([
      [0, 1, 2, 3],
      [4, 5],
    ]);
    expect(nodeOfCpu(t, 5)).toBe(1);
    expect(nodeOfCpu(t, 6)).toBe(-1);
  });

  it("rejects each kind of bad input with the path of the field", () => {
    const node = { cpus: 2, memory: GiB(1) };
    expect(vxErrorOf(() => createTopology({ nodes: [] }))).toMatchObject({
      code: "VX_NUMA_BAD_TOPOLOGY",
      path: ["nodes"],
    });
    expect(
      vxErrorOf(() =>
        createTopology({
          nodes: [
            { cpus: [0, 1], memory: 1 },
            { cpus: [1], memory: 1 },
          ],
        }),
      ),
    ).toMatchObject({ code: "VX_NUMA_BAD_TOPOLOGY", path: ["nodes", 1, "cpus"] });
    expect(vxErrorOf(() => createTopology({ nodes: [{ cpus: 1, memory: "lots" }] })).code).toBe(
      "VX_CORE_BAD_UNIT",
    );
    expect(vxErrorOf(() => createTopology({ nodes: [{ cpus: "0-", memory: 1 }] })).code).toBe(
      "VX_NUMA_BAD_CPULIST",
    );
    expect(
      vxErrorOf(() => createTopology({ nodes: [node, node], distances: [[10, 21]] })),
    ).toMatchObject({ path: ["distances"] });
    expect(
      vxErrorOf(() =>
        createTopology({
          nodes: [node, node],
          distances: [
            [11, 21],
            [21, 10],
          ],
        }),
      ),
    ).toMatchObject({ path: ["distances", 0, 0] });
    expect(
      vxErrorOf(() =>
        createTopology({
          nodes: [node, node],
          distances: [
            [10, 255],
            [21, 10],
          ],
        }),
      ),
    ).toMatchObject({ path: ["distances", 0, 1] });
    expect(
      vxErrorOf(() =>
        createTopology({ nodes: [node, node], links: [{ between: [0, 2], bandwidth: "10GB/s" }] }),
      ),
    ).toMatchObject({ path: ["links", 0, "between", 1] });
    expect(
      vxErrorOf(() =>
        createTopology({ nodes: [node, node], links: [{ between: [1, 1], bandwidth: "10GB/s" }] }),
      ),
    ).toMatchObject({ path: ["links", 0, "between"] });
    const island = vxErrorOf(() =>
      createTopology({
        nodes: [node, node, node],
        links: [{ between: [0, 1], bandwidth: "10GB/s" }],
      }),
    );
    expect(island.message).toContain("node 2 cannot be reached");
    expect(vxErrorOf(() => createTopology({ nodes: [node], slitLatencyWeight: -1 }))).toMatchObject(
      {
        path: ["slitLatencyWeight"],
      },
    );
    expect(vxErrorOf(() => createTopology({ nodes: [node], localLatency: 0 }))).toMatchObject({
      path: ["localLatency"],
    });
    expect(
      vxErrorOf(() =>
        createTopology({
          nodes: [
            { ...node, id: 3 },
            { ...node, id: 1 },
          ],
        }),
      ),
    ).toMatchObject({ path: ["nodes", 1, "id"] });
    expect(
      vxErrorOf(() =>
        createTopology({ nodes: [{ cpus: 1, memory: -1 }] }, { path: ["numa", "topology"] }),
      ).path,
    ).toEqual(["numa", "topology", "nodes", 0, "memory"]);
  });
});

describe("presets", () => {
  it("2-socket: two Xeon Gold 6130, 6 DDR4-2666 channels at 80 % each, 2 UPI links", () => {
    const t = presetTopology("2-socket");
    expect(t.nodes.map((n) => n.cpus.length)).toEqual([32, 32]);
    expect(nodeOfCpu(t, 32)).toBe(0); // second thread of core 0
    expect(nodeOfCpu(t, 48)).toBe(1);
    expect(t.nodes[0]!.memoryBandwidthBytesPerSecond).toBeCloseTo(GBps(102.4), -3);
    expect(t.links).toHaveLength(1);
    expect(t.links[0]!.bytesPerSecond).toBeCloseTo(GBps(41.6), -3);
    expect(topologyTotals(t)).toEqual({ cpus: 64, memoryBytes: GiB(384) });
    expect(t.assumed).toEqual([]);
  });

  it("8-node-epyc: SLIT 10/16/32, IFOP inside a package, IFIS between die i of each", () => {
    const t = presetTopology("8-node-epyc");
    expect(t.nodes).toHaveLength(8);
    expect(t.distances[5]).toEqual([32, 32, 32, 32, 16, 10, 16, 16]);
    expect(t.nodes[5]!.cpus).toEqual([
      40, 41, 42, 43, 44, 45, 46, 47, 104, 105, 106, 107, 108, 109, 110, 111,
    ]);
    expect(t.nodes[0]!.memoryBandwidthBytesPerSecond).toBeCloseTo(GBps(34.13), -7);
    expect(t.links).toHaveLength(16);
    expect(nodesByDistance(t, 5)).toEqual([5, 4, 6, 7, 0, 1, 2, 3]);
    // Node 0 to node 5 takes two hops: IFOP 0→1 then IFIS 1→5.
    const route = linkRoute(t, 0, 5).map((ch) => t.links[ch >> 1]!.name);
    expect(route).toEqual(["ifop0-1", "ifis1-5"]);
    expect(latencyFactor(t, 0, 1)).toBeCloseTo(1.36, 12);
    expect(latencyFactor(t, 0, 4)).toBeCloseTo(2.32, 12);
  });

  it("every preset is self-consistent and printable", () => {
    for (const name of TOPOLOGY_PRESETS) {
      const t = presetTopology(name);
      expect(t.name).toBe(name);
      const text = formatTopology(t);
      expect(text).toContain(`${name}: ${t.nodes.length} node`);
      expect(text).not.toContain("assumed");
    }
    expect(vxErrorOf(() => presetTopology("3-socket")).code).toBe("VX_NUMA_UNKNOWN_PRESET");
  });

  it("the defaults say what an unknown machine is assumed to be", () => {
    expect(TOPOLOGY_DEFAULTS.memoryBandwidthBytesPerSecond).toBeCloseTo(68.27e9, -8);
    const t = createTopology({
      nodes: [
        { cpus: 2, memory: GiB(1) },
        { cpus: 2, memory: GiB(1) },
      ],
    });
    expect(formatTopology(t)).toContain(
      "assumed (not in the source, defaults used): distances, latency, links (a full mesh), memory bandwidth",
    );
  });
});
