import { VxError } from "@vx/core";
import { accessCost, presetTopology } from "@vx/numa";
import { describe, expect, it } from "vitest";
import type { AccessCostModel } from "../src/index.js";
import { numaAccessCostModel, simulatePageflip } from "../src/index.js";

describe("numaAccessCostModel", () => {
  it("prices a remote access on two sockets at 1.66× a local one, as @vx/numa does", () => {
    const cost = numaAccessCostModel(presetTopology("2-socket"));
    expect(cost.latencyRatio(0, 0)).toBe(1);
    expect(cost.latencyRatio(0, 1)).toBeCloseTo(1.66, 12);
    const epyc = numaAccessCostModel(presetTopology("8-node-epyc"));
    expect(epyc.latencyRatio(0, 1)).toBeCloseTo(1.36, 12); // same socket, SLIT 16
    expect(epyc.latencyRatio(0, 4)).toBeCloseTo(2.32, 12); // other socket, SLIT 32
  });

  it("slows a memory-bound workload by @vx/numa's accessCost slowdown", () => {
    const host = presetTopology("2-socket");
    const cost = numaAccessCostModel(host);
    expect(cost.slowdown(0, [750, 250])).toBeCloseTo(1.165, 12);
    expect(cost.slowdown(0, [750, 250])).toBe(
      accessCost(host, { cpuNode: 0, pages: [750, 250] }).slowdown,
    );
    expect(cost.slowdown(1, [0, 0])).toBe(1);
    const half = numaAccessCostModel(host, { memoryStallFraction: 0.5 });
    expect(half.slowdown(0, [0, 100])).toBeCloseTo(1.33, 12);
  });

  it("rejects a stall fraction outside 0–1", () => {
    let error: unknown;
    try {
      numaAccessCostModel(presetTopology("1-socket"), { memoryStallFraction: 2 });
    } catch (e) {
      error = e;
    }
    expect(VxError.isInstance(error) && error.code).toBe("VX_PAGEFLIP_BAD_ARGUMENT");
    expect(VxError.isInstance(error) && error.path).toEqual(["memoryStallFraction"]);
  });

  it("is what a run on a preset host uses: an EPYC guest reading pages from the other socket pays 2.32×", () => {
    const r = simulatePageflip({
      path: "informed-flip",
      host: { preset: "8-node-epyc" },
      offeredRate: "1Gbps",
      duration: "200ms",
      ringSlots: 16,
      guest: { node: 0, memory: "1MiB", churn: 0 },
      pvm: { node: 4, memory: "1MiB" },
    });
    expect(r.summary.guestCyclesPerPacket).toBeCloseTo(2500 + 800 + 750 * 2.32, 6);
  });

  it("can be replaced: the run uses the given model for per-byte costs and the slowdown", () => {
    const doubling: AccessCostModel = {
      latencyRatio: (cpu, memory) => (cpu === memory ? 1 : 2),
      slowdown: (cpu, pages) => (pages[cpu] === 0 ? 3 : 1),
    };
    const r = simulatePageflip(
      {
        path: "informed-flip",
        offeredRate: "1Gbps",
        duration: "200ms",
        ringSlots: 16,
        guest: { memory: "1MiB", churn: 0 },
        pvm: { memory: "1MiB" },
      },
      { accessCost: doubling },
    );
    // The guest reads each packet from the pVM's node: 2,500 + 800 + 750 × 2.
    expect(r.summary.guestCyclesPerPacket).toBe(4800);
    expect(r.summary.slowdown).toBe(1);
  });
});
