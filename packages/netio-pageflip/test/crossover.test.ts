import { describe, expect, it } from "vitest";
import { type PageflipOptionsInput, simulatePageflip } from "../src/index.js";

/**
 * docs/pageflip.md says where flipping starts to cost the pVM less than a grant copy. The runs are
 * those of the cycles-per-packet chart (bench/charts.ts): a 256 MiB guest, a 256 MiB pVM on 4 cores
 * (so the pVM's CPU never drops a packet), defaults otherwise; 100 ms each (the cost per packet
 * is in its steady state within a few batches: 1 s runs give the same crossovers, ten times
 * slower).
 */
const base: PageflipOptionsInput = {
  duration: "100ms",
  guest: { memory: "256MiB" },
  pvm: { memory: "256MiB", cores: 4 },
};

function flipIsCheaper(packetSize: number, offeredRate: number | string): boolean {
  const cycles = (path: "grant-copy" | "flip"): number =>
    simulatePageflip({ ...base, path, packetSize, offeredRate }).summary.pvmCyclesPerPacket;
  return cycles("flip") < cycles("grant-copy");
}

/** The smallest packet size (bytes) at which flipping costs the pVM less, by bisection. */
function crossover(rate: (packetSize: number) => number | string): number {
  let lo = 400; // copying is cheaper
  let hi = 800; // flipping is cheaper
  expect(flipIsCheaper(lo, rate(lo))).toBe(false);
  expect(flipIsCheaper(hi, rate(hi))).toBe(true);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (flipIsCheaper(mid, rate(mid))) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe("the page-flip crossover (pVM cycles per packet, defaults)", () => {
  it("at 300,000 packets/s (30 packets share each 100 µs batch) flipping wins from 652 B", () => {
    // Copy: 1,500 + 600 + 1.33 × size + 2,000 / 30; flip: 1,500 + 1,200 + 10,000 / 30.
    // Equal at 1.33 × size = 600 + 8,000 / 30: size = 651.6 B.
    const c = crossover((size) => 300_000 * size);
    expect(c).toBe(652);
    expect(flipIsCheaper(c - 1, 300_000 * (c - 1))).toBe(false);
  });

  it("at 10 Gbit/s, where the guest's two cores cannot keep up and batches carry what room it frees, from 539 B", () => {
    const c = crossover(() => "10Gbps");
    expect(c).toBe(539);
    expect(flipIsCheaper(c - 1, "10Gbps")).toBe(false);
  });
});
