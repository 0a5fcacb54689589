import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import type { PageflipOptionsInput, PageflipScenarioSectionInput } from "../src/index.js";
import {
  comparePaths,
  DEFAULT_PAGEFLIP_COSTS,
  pageflipScenarioSectionSchema,
  parsePageflipOptions,
  parsePageflipSection,
  simulatePageflip,
} from "../src/index.js";

/** Code and path of each issue of the error that validating `input` throws. */
function issues(input: PageflipOptionsInput): { code: string; path: string }[] {
  const error = vxErrorOf(() => simulatePageflip(input));
  expect(error.code).toBe("VX_PAGEFLIP_INVALID_OPTIONS");
  return error.issues.map((i) => ({ code: i.code, path: i.path.join(".") }));
}

describe("options", () => {
  it("fills the documented defaults", () => {
    const o = parsePageflipOptions();
    expect(o.path).toBe("flip");
    expect(o.packetBytes).toBe(1500);
    expect(o.offeredBytesPerSecond).toBe(1.25e9);
    expect(o.durationSeconds).toBe(10);
    expect(o.sampleIntervalSeconds).toBe(0.1);
    expect(o.batchIntervalSeconds).toBeCloseTo(1e-4, 12);
    expect(o.ringSlots).toBe(256);
    expect(o.pageBytes).toBe(4096);
    expect(o.host).toEqual({
      nodes: 2,
      distances: [
        [10, 21],
        [21, 10],
      ],
      coreHz: 2.5e9,
    });
    expect(o.guest).toEqual({
      node: 0,
      memoryBytes: 4 * 2 ** 30,
      inUseFraction: 0.5,
      churnBytesPerSecond: 64 * 2 ** 20,
      cores: 2,
    });
    expect(o.pvm).toEqual({
      node: 1,
      memoryBytes: 4 * 2 ** 30,
      inUseFraction: 0.25,
      churnBytesPerSecond: 0,
      cores: 1,
    });
    expect(o.costs).toEqual(DEFAULT_PAGEFLIP_COSTS);
    expect(o.access).toEqual({ slitLatencyWeight: 0.6, memoryStallFraction: 1 });
  });

  it("reads human units and puts the pVM on node 0 of a one-node host", () => {
    const o = parsePageflipOptions({
      packetSize: "9000B",
      offeredRate: "40 Gbit/s",
      duration: "1min",
      pageSize: "16KiB",
      host: { nodes: 1 },
      guest: { memory: "8GiB", inUse: "10%", churn: "1MiB/s" },
    });
    expect(o.packetBytes).toBe(9000);
    expect(o.offeredBytesPerSecond).toBe(5e9);
    expect(o.durationSeconds).toBe(60);
    expect(o.pageBytes).toBe(16_384);
    expect(o.host.distances).toEqual([[10]]);
    expect(o.pvm.node).toBe(0);
    expect(o.guest.inUseFraction).toBe(0.1);
    expect(o.guest.churnBytesPerSecond).toBe(2 ** 20);
  });

  it("rejects a ring of 0 slots", () => {
    expect(issues({ ringSlots: 0 })).toEqual([
      { code: "VX_SCHEMA_OUT_OF_RANGE", path: "ringSlots" },
    ]);
  });

  it("rejects a packet larger than the page for every flipping path, and accepts it for grant copy", () => {
    for (const path of ["flip", "informed-flip", "numa-aware-flip"] as const) {
      expect(issues({ path, packetSize: "9000B" })).toEqual([
        { code: "VX_PAGEFLIP_PACKET_TOO_LARGE", path: "packetSize" },
      ]);
    }
    expect(parsePageflipOptions({ path: "grant-copy", packetSize: "9000B" }).packetBytes).toBe(
      9000,
    );
    const error = vxErrorOf(() => parsePageflipOptions({ packetSize: 8192 }));
    expect(error.message).toContain("does not fit in a 4096-byte page");
  });

  it("rejects a negative rate, as a number or a string", () => {
    expect(issues({ offeredRate: -1 })).toEqual([
      { code: "VX_CORE_BAD_VALUE", path: "offeredRate" },
    ]);
    expect(issues({ offeredRate: "-10Gbps" })).toEqual([
      { code: "VX_CORE_BAD_VALUE", path: "offeredRate" },
    ]);
    expect(issues({ guest: { churn: "-1MiB/s" } })).toEqual([
      { code: "VX_CORE_BAD_VALUE", path: "guest.churn" },
    ]);
  });

  it("rejects a node the host does not have and a distance matrix of the wrong shape", () => {
    expect(issues({ guest: { node: 2 } })).toEqual([
      { code: "VX_PAGEFLIP_BAD_NODE", path: "guest.node" },
    ]);
    expect(issues({ host: { nodes: 3 }, pvm: { node: 3 } })).toEqual([
      { code: "VX_PAGEFLIP_BAD_NODE", path: "pvm.node" },
    ]);
    // SLIT rules from @vx/numa: one row per node, 10 on the diagonal, 10–254 elsewhere.
    expect(issues({ host: { distances: [[10, 21]] } })).toEqual([
      { code: "VX_PAGEFLIP_BAD_DISTANCES", path: "host.distances.0" },
    ]);
    expect(
      issues({
        host: {
          distances: [
            [10, 5],
            [21, 10],
          ],
        },
      }),
    ).toEqual([{ code: "VX_PAGEFLIP_BAD_DISTANCES", path: "host.distances.0.1" }]);
    expect(issues({ host: { nodes: 3, distances: [[10]] } })).toEqual([
      { code: "VX_PAGEFLIP_BAD_DISTANCES", path: "host.nodes" },
    ]);
  });

  it("rejects a guest without free pages for the ring and a pVM without any", () => {
    expect(issues({ guest: { memory: "1MiB", inUse: "100%" } })).toEqual([
      { code: "VX_PAGEFLIP_NO_FREE_PAGES", path: "guest.inUse" },
    ]);
    // 1 MiB = 256 pages, 128 free, a ring of 256.
    expect(issues({ guest: { memory: "1MiB" } })).toEqual([
      { code: "VX_PAGEFLIP_NO_FREE_PAGES", path: "guest.inUse" },
    ]);
    expect(issues({ pvm: { inUse: 1 } })).toEqual([
      { code: "VX_PAGEFLIP_NO_FREE_PAGES", path: "pvm.inUse" },
    ]);
    expect(issues({ guest: { inUse: "150%" } })).toEqual([
      { code: "VX_SCHEMA_OUT_OF_RANGE", path: "guest.inUse" },
    ]);
  });

  it("rejects more memory than a run tracks, unknown keys, negative costs and a sample interval longer than the run", () => {
    expect(issues({ guest: { memory: "200GiB" } })).toEqual([
      { code: "VX_PAGEFLIP_TOO_MANY_PAGES", path: "guest.memory" },
    ]);
    expect(issues({ guest: { memry: "1GiB" } } as unknown as PageflipOptionsInput)).toEqual([
      { code: "VX_SCHEMA_UNKNOWN_KEY", path: "guest.memry" },
    ]);
    expect(issues({ costs: { flipPerPage: -1 } })).toEqual([
      { code: "VX_SCHEMA_OUT_OF_RANGE", path: "costs.flipPerPage" },
    ]);
    expect(issues({ duration: "1s", sampleInterval: "2s" })).toEqual([
      { code: "VX_SCHEMA_OUT_OF_RANGE", path: "sampleInterval" },
    ]);
    expect(issues({ path: "teleport" } as unknown as PageflipOptionsInput)).toEqual([
      { code: "VX_SCHEMA_INVALID_VALUE", path: "path" },
    ]);
  });

  it("reports every field's problem at once; checks across fields once each field is valid", () => {
    expect(
      issues({ ringSlots: 0, offeredRate: -1, packetSize: "8KiB" }).map((i) => i.path),
    ).toEqual(["offeredRate", "ringSlots"]);
    expect(
      issues({ packetSize: "8KiB", guest: { node: 5 }, pvm: { inUse: 1 } }).map((i) => i.path),
    ).toEqual(["guest.node", "packetSize", "pvm.inUse"]);
  });
});

describe("hosts from @vx/numa presets", () => {
  it("takes the nodes and distances of a preset", () => {
    const o = parsePageflipOptions({ host: { preset: "8-node-epyc" }, pvm: { node: 4 } });
    expect(o.host.preset).toBe("8-node-epyc");
    expect(o.host.nodes).toBe(8);
    expect(o.host.distances[0]).toEqual([10, 16, 16, 16, 32, 32, 32, 32]);
  });

  it("rejects a preset with its own nodes or distances, and more memory than a preset node has", () => {
    expect(issues({ host: { preset: "2-socket", nodes: 2 } })).toEqual([
      { code: "VX_PAGEFLIP_PRESET_CONFLICT", path: "host.nodes" },
    ]);
    // The two-socket preset has 192 GiB per node; the default pVM adds 4 GiB on node 1.
    expect(
      issues({
        host: { preset: "2-socket" },
        pageSize: "64KiB", // few enough pages to track
        guest: { node: 1, memory: "190GiB", inUse: 0.99 },
      }),
    ).toEqual([
      { code: "VX_PAGEFLIP_NODE_FULL", path: "guest.memory" },
      { code: "VX_PAGEFLIP_NODE_FULL", path: "pvm.memory" },
    ]);
    expect(issues({ host: { preset: "3-socket" } } as unknown as PageflipOptionsInput)).toEqual([
      { code: "VX_SCHEMA_INVALID_VALUE", path: "host.preset" },
    ]);
  });
});

describe("the pageflip scenario section", () => {
  it("defaults to all four paths and parses what it outputs no further", () => {
    const section = pageflipScenarioSectionSchema.parse({ offeredRate: "1Gbps" });
    expect(section.paths).toEqual(["grant-copy", "flip", "informed-flip", "numa-aware-flip"]);
    expect(section.offeredBytesPerSecond).toBe(1.25e8);
  });

  it("rejects an empty or repeated path list and a jumbo packet when a flipping path is listed", () => {
    const codes = (input: PageflipScenarioSectionInput): string[] =>
      vxErrorOf(() => parsePageflipSection(input, ["pageflip"])).issues.map(
        (i) => `${i.code} ${i.path.join(".")}`,
      );
    expect(codes({ paths: [] })).toEqual(["VX_SCHEMA_OUT_OF_RANGE pageflip.paths"]);
    expect(codes({ paths: ["flip", "flip"] })).toEqual(["VX_SCHEMA_INVALID pageflip.paths"]);
    expect(codes({ paths: ["grant-copy", "informed-flip"], packetSize: "9000B" })).toEqual([
      "VX_PAGEFLIP_PACKET_TOO_LARGE pageflip.packetSize",
    ]);
    expect(parsePageflipSection({ paths: ["grant-copy"], packetSize: "9000B" }).packetBytes).toBe(
      9000,
    );
  });

  it("comparePaths validates before running and runs a section the schema already parsed", () => {
    const error = vxErrorOf(() => comparePaths({ ringSlots: 0 }, {}, ["pageflip"]));
    expect(error.path).toEqual(["pageflip", "ringSlots"]);
    const input: PageflipScenarioSectionInput = {
      paths: ["flip", "grant-copy"],
      offeredRate: "1Gbps",
      duration: "200ms",
      ringSlots: 16,
      guest: { memory: "1MiB", churn: 0 },
      pvm: { memory: "1MiB" },
    };
    const fromInput = comparePaths(input);
    const fromParsed = comparePaths(pageflipScenarioSectionSchema.parse(input));
    expect(fromInput.results.map((r) => r.path)).toEqual(["flip", "grant-copy"]);
    expect(JSON.stringify(fromParsed)).toBe(JSON.stringify(fromInput));
  });
});
