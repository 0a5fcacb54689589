import { VxError } from "@vx/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryImage } from "../src/index.js";

function popcount(words: Uint32Array): number {
  let n = 0;
  for (const w of words) {
    let x = w;
    while (x !== 0) {
      x &= x - 1;
      n++;
    }
  }
  return n;
}

describe("memory image", () => {
  it("counts each part exactly: round(share × pages)", () => {
    const image = createMemoryImage({
      ram: "1GiB",
      zeroPages: "10%",
      freePages: "25%",
      workingSet: "128MiB",
    });
    expect(image.pages).toBe(262_144);
    expect(image.counts).toEqual({ zero: 26_214, free: 65_536, hot: 32_768, cold: 137_626 });
    expect(popcount(image.zero)).toBe(26_214);
    expect(popcount(image.free)).toBe(65_536);
    expect(popcount(image.hot)).toBe(32_768);
  });

  it("huge pages: 2 MiB and 1 GiB pages", () => {
    expect(createMemoryImage({ ram: "4GiB", pageSize: "2MiB" }).pages).toBe(2048);
    expect(createMemoryImage({ ram: "4GiB", pageSize: "1GiB" }).pages).toBe(4);
  });

  it("the parts are disjoint, and the layout depends only on the seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 64 }),
        (seed, mib) => {
          const vm = {
            ram: mib * 2 ** 20,
            zeroPages: 0.2,
            freePages: 0.3,
            workingSet: mib * 2 ** 18,
          };
          const a = createMemoryImage(vm, { seed });
          const b = createMemoryImage(vm, { seed });
          expect(a.hot).toEqual(b.hot);
          expect(a.zero).toEqual(b.zero);
          for (let i = 0; i < a.zero.length; i++) {
            expect(a.zero[i]! & a.free[i]!).toBe(0);
            expect(a.zero[i]! & a.hot[i]!).toBe(0);
            expect(a.free[i]! & a.hot[i]!).toBe(0);
          }
          expect(a.counts.zero + a.counts.free + a.counts.hot + a.counts.cold).toBe(a.pages);
        },
      ),
      { numRuns: 30 },
    );
  });

  it("spreads the working set over the address space", () => {
    const image = createMemoryImage({ ram: "1GiB", workingSet: "256MiB" });
    // Each eighth of RAM holds about a quarter of hot pages.
    const eighth = image.pages / 8;
    for (let k = 0; k < 8; k++) {
      let hot = 0;
      for (let p = k * eighth; p < (k + 1) * eighth; p++) if (image.isHot(p)) hot++;
      expect(hot / eighth).toBeGreaterThan(0.2);
      expect(hot / eighth).toBeLessThan(0.3);
    }
  });

  it("rejects a RAM that is not a whole number of pages", () => {
    expect(() => createMemoryImage({ ram: "1000000" })).toThrow(VxError);
  });
});
