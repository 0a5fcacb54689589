import { Gbps } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  comparePvmPolicies,
  type PvmRunResult,
  type PvmScenarioInput,
  simulatePvm,
} from "../src/index.js";

const gbps = (r: PvmRunResult): number => (r.summary.throughputBytesPerSecond * 8) / 1e9;

describe("behaviour 1: an I/O-bound guest on another node than the static pVM's", () => {
  const scenario: PvmScenarioInput = {
    topology: "2-socket",
    duration: "2s",
    guests: [{ name: "web", node: 1, network: { rate: "10Gbps" } }],
  };
  const { results } = comparePvmPolicies(scenario);
  const [fixed, closer] = results as [PvmRunResult, PvmRunResult];

  it("static: netback on node 0 with buffers there, guest memory on node 1: 2.66 µs per packet, 4.51 Gbit/s", () => {
    // 2 µs × (0.5 + 0.5 × (0.5 × 1 + 0.5 × 1.66)) + 1500 B / 6 GB/s × (1 + 1.66) / 2 = 2.6625 µs;
    // one netback thread, one vCPU at most: 1 / 2.6625 µs × 1500 B.
    expect(fixed.summary.throughputBytesPerSecond).toBeCloseTo(1500 / 2.6625e-6, -3);
    expect(fixed.summary.remoteAccessFraction).toBeCloseTo(0.5, 9);
  });

  it("Closer: netback and buffers on node 1: 2.25 µs per packet, 5.33 Gbit/s (+18 %), no remote access", () => {
    expect(closer.summary.throughputBytesPerSecond).toBeCloseTo(1500 / 2.25e-6, -3);
    expect(
      closer.summary.throughputBytesPerSecond / fixed.summary.throughputBytesPerSecond,
    ).toBeGreaterThan(1.18);
    expect(closer.summary.remoteAccessFraction).toBeLessThan(1e-9);
  });

  it("both are limited by the guest's single backend thread: the ring is full, latency = 256 slots / rate", () => {
    expect(fixed.summary.meanLatencySeconds).toBeCloseTo(256 * 2.6625e-6, 9);
    expect(closer.summary.meanLatencySeconds).toBeCloseTo(256 * 2.25e-6, 9);
    expect(fixed.guests[0]!.demandBytesPerSecond).toBe(Gbps(10));
  });
});

describe("behaviour 2: more I/O guests than the static pVM has vCPUs", () => {
  const run = (count: number): [PvmRunResult, PvmRunResult] =>
    comparePvmPolicies({
      topology: "2-socket",
      duration: "1s",
      guests: [{ count, node: "spread", vcpus: 1, memory: "1GiB", network: { rate: "2Gbps" } }],
    }).results as [PvmRunResult, PvmRunResult];
  const sweep = new Map([16, 32, 64, 96, 128, 160].map((n) => [n, run(n)]));
  const at = (n: number, policy: 0 | 1): number => gbps(sweep.get(n)![policy]);

  it("the static pVM plateaus at its 8 vCPUs: 39.4 Gbit/s from 32 guests on", () => {
    // 4 vCPUs' worth to node-0 guests (2.25 µs/packet) and 4 to node-1 guests (2.6625 µs).
    const plateau = ((4 / 2.25e-6 + 4 / 2.6625e-6) * 1500 * 8) / 1e9;
    for (const n of [32, 64, 96, 160]) expect(at(n, 0)).toBeCloseTo(plateau, 6);
    expect(sweep.get(160)![0].summary.cpuReservedMean).toBe(8);
  });

  it("Closer keeps scaling with the guests (2 Gbit/s each, served in full) until the host saturates", () => {
    for (const n of [16, 32, 64, 96, 128]) expect(at(n, 1)).toBeCloseTo(2 * n, 6);
    expect(at(96, 1) / at(32, 0)).toBeGreaterThan(4.8);
  });

  it("at saturation Closer's backend work, charged to the guests, shares each node's CPUs with their own work", () => {
    const [fixed, closer] = sweep.get(160)!;
    // 80 guests per node, each asking 0.1 CPU of its own and 0.375 of backend work (166,667
    // packets/s × 2.25 µs), 0.475 in all; node 1 shares 32 CPUs (0.4 each), node 0 31 (one is the
    // control plane's: 0.3875 each); each guest's share is split 0.375 : 0.1 between the two.
    const backend1 = (0.4 * 0.375) / 0.475;
    const backend0 = (0.3875 * 0.375) / 0.475;
    const gbit = (cpu: number): number => ((cpu / 2.25e-6) * 1500 * 8) / 1e9;
    expect(at(160, 1)).toBeCloseTo(80 * gbit(backend1) + 80 * gbit(backend0), 6);
    expect(closer.summary.guestCpuServedFraction).toBeCloseTo((0.4 + 0.3875) / 2 / 0.475, 9);
    expect(at(160, 1)).toBeLessThan(2 * 160);
    expect(closer.summary.cpuReservedMean).toBe(64); // every CPU of both nodes holds a pVM vCPU
    // The static pVM's vCPUs are outside the guests' accounting: node 0's guests share 24 CPUs
    // for 8 CPUs of their own work, so every guest gets all it asks for.
    expect(fixed.summary.guestCpuServedFraction).toBe(1);
  });
});

describe("the other regime: few, CPU-busy guests with I/O", () => {
  // 16 guests of 1 vCPU, 90 % busy with their own work, 2 Gbit/s of network I/O each.
  const [fixed, closer] = comparePvmPolicies({
    topology: "2-socket",
    duration: "1s",
    guests: [
      { count: 16, vcpus: 1, memory: "1GiB", cpuUtilisation: 0.9, network: { rate: "2Gbps" } },
    ],
  }).results as [PvmRunResult, PvmRunResult];

  it("static serves all 32 Gbit/s from its dedicated vCPUs and leaves the guests all their CPU", () => {
    // 8 guests per node; the static pool needs 8 × 0.375 + 8 × 0.44375 = 6.55 of its 8 vCPUs.
    expect(gbps(fixed)).toBeCloseTo(32, 9);
    expect(fixed.summary.guestCpuServedFraction).toBe(1);
  });

  it("Closer charges each guest 0.375 CPU of backend work on top of its 0.9: capped at its 1 vCPU, it gets 1 / 1.275 of both", () => {
    const share = 1 / 1.275;
    expect(gbps(closer)).toBeCloseTo(16 * 2 * share, 9);
    expect(closer.summary.guestCpuServedFraction).toBeCloseTo(share, 9);
    expect(gbps(closer)).toBeLessThan(gbps(fixed));
    expect(closer.summary.guestCpuServedFraction).toBeLessThan(
      fixed.summary.guestCpuServedFraction,
    );
  });
});

describe("behaviour 3: a few idle guests", () => {
  const { results } = comparePvmPolicies({
    topology: "2-socket",
    duration: "2s",
    guests: [{ count: 4, node: "spread", demand: { kind: "idle" } }],
  });
  const [fixed, closer] = results as [PvmRunResult, PvmRunResult];

  it("the static pVM holds its 8 vCPUs and 7 GiB, all idle but the base 512 MiB", () => {
    expect(fixed.summary.cpuReservedMean).toBe(8);
    expect(fixed.summary.cpuIdleReservedMean).toBe(8);
    expect(fixed.summary.memoryReservedMeanBytes).toBe(7 * 2 ** 30);
    expect(fixed.summary.memoryUsedMeanBytes).toBe(512 * 2 ** 20);
    expect(fixed.summary.memoryIdleReservedMeanBytes).toBe(6.5 * 2 ** 30);
  });

  it("Closer shrinks to one vCPU on its home node and its base memory", () => {
    expect(closer.summary.cpuReservedMean).toBe(1);
    expect(closer.summary.memoryReservedMeanBytes).toBe(512 * 2 ** 20);
    expect(closer.summary.cpuReservedMean / fixed.summary.cpuReservedMean).toBe(1 / 8);
  });

  it("after a busy period Closer's footprint shrinks once the load has stayed low for the hold time", () => {
    const r = simulatePvm(
      {
        topology: "2-socket",
        duration: "5s",
        sample: "100ms",
        guests: [
          {
            count: 8,
            node: "spread",
            network: { rate: "5Gbps" },
            demand: {
              kind: "steps",
              steps: [
                { at: "0s", level: 1 },
                { at: "2s", level: 0 },
              ],
            },
          },
        ],
      },
      "closer",
    );
    const held = (t: number): number => r.series.cpuReserved[Math.round(t / 0.1)]!;
    const mem = (t: number): number => r.series.memoryReservedBytes[Math.round(t / 0.1)]!;
    // 4 guests per node at 5 Gbit/s: 416,667 packets/s × 2.25 µs = 0.9375 CPU each, 3.75 per node,
    // sized for 80 % busy: ceil(3.75 / 0.8) = 5 vCPUs on each node (the home one included).
    expect(held(1)).toBe(10);
    expect(held(2.5)).toBe(held(1)); // within delay + hold (0.1 s + 1 s): still held
    expect(held(3.5)).toBe(1); // shrunk to the home vCPU
    expect(mem(1)).toBeGreaterThan(mem(3.5));
    expect(mem(3.5)).toBe(512 * 2 ** 20);
  });
});

describe("Closer's reaction delay", () => {
  const serve = (delay: string): number =>
    simulatePvm(
      {
        topology: "2-socket",
        duration: "3s",
        guests: [
          {
            count: 16,
            node: 1,
            network: { rate: "4Gbps" },
            demand: {
              kind: "steps",
              steps: [
                { at: "0s", level: 0.1 },
                { at: "1s", level: 1 },
              ],
            },
          },
        ],
        pvm: { closer: { reactionDelay: delay } },
      },
      "closer",
    ).summary.servedFraction;

  it("serves less of a load step the slower it reacts", () => {
    const [none, fast, slow] = [serve("0s"), serve("100ms"), serve("500ms")];
    expect(none).toBeCloseTo(1, 9);
    expect(fast).toBeLessThan(none);
    expect(slow).toBeLessThan(fast);
  });
});

describe("memory bandwidth is shared through the fabric", () => {
  it("copies beyond the controller's 102.4 GB/s are cut: each payload byte crosses it three times", () => {
    const r = simulatePvm(
      {
        topology: "1-socket",
        duration: "200ms",
        guests: [
          {
            count: 100,
            vcpus: 1,
            memory: "1GiB",
            cpuUtilisation: 0,
            network: { rate: 0 },
            block: { iops: 1000, request: "1MiB" },
          },
        ],
      },
      "closer",
    );
    // DMA into the buffer, the copy's read of it, its write into the guest: 3 × payload on one controller.
    expect(r.summary.demandBytesPerSecond).toBe(100 * 1000 * 2 ** 20);
    expect(r.summary.throughputBytesPerSecond).toBeCloseTo(102.4e9 / 3, -6);
    expect(r.summary.fabricSaturatedFraction).toBe(1);
  });
});
