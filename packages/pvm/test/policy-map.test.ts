import { vxErrorOf } from "@vx/dev/matchers";
import { describe, expect, it } from "vitest";
import {
  classifyCell,
  comparePvmPolicies,
  mapPolicies,
  type PolicyMapOutcome,
  type PvmRunResult,
} from "../src/index.js";

const gbit = (bytesPerSecond: number): number => (bytesPerSecond * 8) / 1e9;

describe("classifyCell", () => {
  const base: PolicyMapOutcome = {
    throughputBytesPerSecond: 100,
    servedFraction: 1,
    guestCpuServed: 10,
    guestCpuServedFraction: 1,
  };
  it("gives a cell to the policy with more of one and less of neither, within the tolerance", () => {
    expect(classifyCell(base, { ...base, throughputBytesPerSecond: 120 }, 0.01)).toBe("closer");
    expect(classifyCell(base, { ...base, guestCpuServed: 9 }, 0.01)).toBe("static");
    expect(classifyCell(base, { ...base, throughputBytesPerSecond: 100.5 }, 0.01)).toBe("tie");
    expect(
      classifyCell(base, { ...base, throughputBytesPerSecond: 120, guestCpuServed: 9 }, 0.01),
    ).toBe("closer-more-io");
    expect(
      classifyCell(base, { ...base, throughputBytesPerSecond: 80, guestCpuServed: 11 }, 0.01),
    ).toBe("static-more-io");
  });
});

describe("the map of static vs Closer (2-socket host, 16 one-vCPU guests spread)", () => {
  const map = mapPolicies({ guestLoads: [0.1, 0.5, 0.9], ioLoads: ["1Gbps", "2Gbps", "4Gbps"] });
  const cell = (load: number, gbps: number) =>
    map.cells.find((c) => c.guestLoad === load && gbit(c.ioBytesPerSecond) === gbps)!;

  it("light I/O is a tie: both serve it all and leave the guests all their CPU", () => {
    const c = cell(0.1, 1);
    expect(c.winner).toBe("tie");
    expect(c.static.servedFraction).toBeCloseTo(1, 9);
    expect(c.closer.servedFraction).toBeCloseTo(1, 9);
  });

  it("heavy I/O on lightly loaded guests goes to Closer: 16 × 0.75 CPU of netback work, the static pVM has 8", () => {
    const c = cell(0.1, 4);
    expect(c.winner).toBe("closer");
    expect(gbit(c.closer.throughputBytesPerSecond)).toBeCloseTo(64, 6);
    // The static pool: 8 node-0 guests at 2.25 µs a packet, 8 node-1 guests at 2.6625 µs, max-min.
    expect(gbit(c.static.throughputBytesPerSecond)).toBeLessThan(64 * 0.7);
  });

  it("CPU-busy guests with moderate I/O go to the static pVM: Closer charges the I/O to guests already 90 % busy", () => {
    const c = cell(0.9, 2);
    expect(c.winner).toBe("static");
    expect(gbit(c.static.throughputBytesPerSecond)).toBeCloseTo(32, 9);
    expect(gbit(c.closer.throughputBytesPerSecond)).toBeCloseTo(32 / 1.275, 9);
    expect(c.closer.guestCpuServedFraction).toBeCloseTo(1 / 1.275, 9);
    expect(c.static.guestCpuServedFraction).toBe(1);
  });

  it("half-busy guests with heavy I/O are a trade-off: Closer serves more I/O, its guests keep less CPU", () => {
    const c = cell(0.5, 4);
    expect(c.winner).toBe("closer-more-io");
    // Each Closer guest asks 0.5 + 0.75 CPU of its one vCPU: it gets 1 / 1.25 of each.
    expect(c.closer.guestCpuServedFraction).toBeCloseTo(1 / 1.25, 9);
    expect(gbit(c.closer.throughputBytesPerSecond)).toBeCloseTo(64 / 1.25, 9);
  });

  it("returns every cell, guest load varying fastest", () => {
    expect(map.cells.map((c) => [c.guestLoad, gbit(c.ioBytesPerSecond)])).toEqual([
      [0.1, 1],
      [0.5, 1],
      [0.9, 1],
      [0.1, 2],
      [0.5, 2],
      [0.9, 2],
      [0.1, 4],
      [0.5, 4],
      [0.9, 4],
    ]);
    expect(map.remoteLatencyRatio).toBeCloseTo(1.66, 9);
    expect(map.memoryStallFraction).toBe(0.5);
  });
});

describe("the remote-latency ratio and the stall share", () => {
  const oneRemoteGuest = (ratio: number): [PvmRunResult, PvmRunResult] =>
    comparePvmPolicies({
      topology: {
        nodes: [
          { cpus: 32, memory: "192GiB" },
          { cpus: 32, memory: "192GiB" },
        ],
        latencies: [
          [90e-9, 90e-9 * ratio],
          [90e-9 * ratio, 90e-9],
        ],
      },
      duration: "1s",
      guests: [{ name: "web", node: 1, network: { rate: "10Gbps" } }],
    }).results as [PvmRunResult, PvmRunResult];

  it("behaviour 1's +18 % is locality alone: with remote as fast as local both move 5.33 Gbit/s", () => {
    const [fixed, closer] = oneRemoteGuest(1);
    expect(gbit(fixed.summary.throughputBytesPerSecond)).toBeCloseTo((1500 * 8) / 2.25e-6 / 1e9, 6);
    expect(fixed.summary.throughputBytesPerSecond).toBeCloseTo(
      closer.summary.throughputBytesPerSecond,
      3,
    );
    const [fixed166, closer166] = oneRemoteGuest(1.66);
    expect(
      closer166.summary.throughputBytesPerSecond / fixed166.summary.throughputBytesPerSecond,
    ).toBeGreaterThan(1.18);
  });

  it("with guests on the static pVM's far node, a higher ratio and stall share give Closer more cells", () => {
    const count = (ratio: number, stall: number): number =>
      mapPolicies({
        remoteLatencyRatio: ratio,
        memoryStallFraction: stall,
        guestNode: 1,
        guestLoads: [0.1, 0.3, 0.5, 0.7],
        ioLoads: ["2Gbps", "3Gbps"],
      }).cells.filter((c) => c.winner === "closer" || c.winner === "closer-more-io").length;
    // 2 Gbit/s: 16 × 166,667 packets/s × 2.25 µs = 6 CPUs fit the static pVM's 8 at a ratio of 1;
    // at 2.3× with 90 % stalls a packet from node 0 costs 3.58 µs: 9.6 CPUs do not.
    expect(count(2.3, 0.9)).toBeGreaterThan(count(1, 0));
  });
});

describe("bad input", () => {
  it("gives VX_PVM_BAD_MAP with the option's path", () => {
    const cases: [unknown, string][] = [
      [{ remoteLatencyRatio: 0.5 }, "remoteLatencyRatio"],
      [{ memoryStallFraction: "150%" }, "memoryStallFraction"],
      [{ guestLoads: [] }, "guestLoads"],
      [{ guestLoads: [1.5] }, "guestLoads"],
      [{ ioLoads: ["fast"] }, "ioLoads"],
      [{ guests: 0 }, "guests"],
      [{ guestNode: 2 }, "guestNode"],
      [{ topology: "1-socket", remoteLatencyRatio: 2 }, "remoteLatencyRatio"],
      [{ colour: "red" }, ""],
    ];
    for (const [options, field] of cases) {
      const e = vxErrorOf(() => mapPolicies(options as never));
      expect(e.code).toBe("VX_PVM_BAD_MAP");
      if (field !== "") expect(e.issues.map((i) => String(i.path[0]))).toContain(field);
    }
  });
});
