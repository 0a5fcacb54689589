import { GBps, VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import { accessCost, presetTopology } from "../src/index.js";

const two = presetTopology("2-socket");

describe("accessCost", () => {
  it("half the pages remote on 2 sockets: latency 119.7 ns, 1.33× local", () => {
    const c = accessCost(two, { cpuNode: 0, pages: [1, 1] });
    expect(c.remoteFraction).toBe(0.5);
    expect(c.latencySeconds).toBeCloseTo((90 + 149.4) / 2 / 1e9, 15);
    expect(c.latencyFactor).toBeCloseTo(1.33, 12);
    expect(c.slowdown).toBeCloseTo(1.33, 12);
    expect(c.throughputFactor).toBeCloseTo(1 / 1.33, 12);
    // Reads of node 1's half cross UPI 1→0 (41.6 GB/s): peak 2 × 41.6.
    expect(c.peakBytesPerSecond).toBeCloseTo(GBps(83.2), -3);
  });

  it("only the stalled share stretches: s = 0.5 gives 1 + 0.5 × 0.33", () => {
    const c = accessCost(two, { cpuNode: 0, pages: [1, 1], memoryStallFraction: 0.5 });
    expect(c.slowdown).toBeCloseTo(1.165, 12);
    expect(accessCost(two, { cpuNode: 0, pages: [0, 5], memoryStallFraction: 0 }).slowdown).toBe(1);
  });

  it("all local: factor 1, the controller's bandwidth is the peak", () => {
    const c = accessCost(two, { cpuNode: 1, pages: [0, 7] });
    expect(c.remoteFraction).toBe(0);
    expect(c.latencyFactor).toBe(1);
    expect(c.peakBytesPerSecond).toBeCloseTo(GBps(102.4), -3);
  });

  it("all remote: the link caps bandwidth, and latency caps a demand below it", () => {
    const c = accessCost(two, { cpuNode: 0, pages: [0, 1], bytesPerSecond: GBps(50) });
    expect(c.peakBytesPerSecond).toBeCloseTo(GBps(41.6), -3);
    expect(c.bytesPerSecond).toBeCloseTo(GBps(50) / 1.66, -3);
    const fast = accessCost(two, { cpuNode: 0, pages: [0, 1], bytesPerSecond: GBps(100) });
    expect(fast.bytesPerSecond).toBeCloseTo(GBps(41.6), -3);
  });

  it("writes use the opposite channel, so a mix spreads over both directions", () => {
    const c = accessCost(two, { cpuNode: 0, pages: [0, 1], writeFraction: 0.5 });
    expect(c.peakBytesPerSecond).toBeCloseTo(GBps(83.2), -3);
  });

  it("vCPUs over two nodes average their views", () => {
    const c = accessCost(two, { cpuNode: [1, 1], pages: [1, 0] });
    expect(c.remoteFraction).toBe(0.5);
    expect(c.latencyFactor).toBeCloseTo(1.33, 12);
  });

  it("EPYC: a die reading the other package's memory goes over IFOP then IFIS (18.95 GB/s)", () => {
    const epyc = presetTopology("8-node-epyc");
    const c = accessCost(epyc, { cpuNode: 0, pages: [0, 0, 0, 0, 0, 1, 0, 0] });
    expect(c.latencyFactor).toBeCloseTo(2.32, 12);
    expect(c.peakBytesPerSecond).toBeCloseTo(GBps(18.95), -3);
  });

  it("rejects bad placements and fractions", () => {
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        if (VxError.isInstance(e)) return e.code;
        throw e;
      }
      return "none";
    };
    expect(code(() => accessCost(two, { cpuNode: 2, pages: [1, 1] }))).toBe("VX_NUMA_BAD_NODE");
    expect(code(() => accessCost(two, { cpuNode: 0, pages: [1] }))).toBe("VX_NUMA_BAD_ARGUMENT");
    expect(code(() => accessCost(two, { cpuNode: 0, pages: [0, 0] }))).toBe("VX_NUMA_BAD_ARGUMENT");
    expect(code(() => accessCost(two, { cpuNode: 0, pages: [1, -1] }))).toBe(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(code(() => accessCost(two, { cpuNode: 0, pages: [1, 1], memoryStallFraction: 2 }))).toBe(
      "VX_NUMA_BAD_ARGUMENT",
    );
    expect(code(() => accessCost(two, { cpuNode: 0, pages: [1, 1], writeFraction: -0.1 }))).toBe(
      "VX_NUMA_BAD_ARGUMENT",
    );
  });
});
