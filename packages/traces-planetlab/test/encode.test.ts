import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodePlanetLabDay,
  encodePlanetLabDay,
  PLANETLAB_DEFAULTS,
  type PlanetLabDayInput,
} from "../src/index.js";
import { MAX_CODE_BITS } from "../src/internal/format.js";
import { huffmanLengths } from "../src/internal/huffman.js";
import { thrown } from "./helpers.js";

/** Random days: sorted unique printable names, any sample count, values from skewed mixes. */
const dayArb: fc.Arbitrary<PlanetLabDayInput & { samplesPerVm: number }> = fc
  .record({
    names: fc.uniqueArray(
      fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        minLength: 1,
        maxLength: 40,
      }),
      { minLength: 1, maxLength: 12 },
    ),
    samplesPerVm: fc.integer({ min: 1, max: 300 }),
    // The highest value of a VM: small maxima give few symbols (skewed codes), 100 gives all.
    ceiling: fc.constantFrom(0, 1, 3, 20, 100),
    seed: fc.integer(),
  })
  .map(({ names, samplesPerVm, ceiling, seed }) => {
    const sorted = [...names].sort();
    const percent = new Uint8Array(sorted.length * samplesPerVm);
    let x = seed >>> 0 || 1;
    for (let i = 0; i < percent.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      percent[i] = x % (ceiling + 1);
    }
    return { day: "random", names: sorted, samplesPerVm, percent };
  });

describe("round trip", () => {
  it("decode(encode(day)) gives back every name and value (property)", () => {
    fc.assert(
      fc.property(dayArb, (input) => {
        const out = decodePlanetLabDay(encodePlanetLabDay(input), "random");
        expect(out.names).toEqual(input.names);
        expect(out.samplesPerVm).toBe(input.samplesPerVm);
        expect(out.intervalSeconds).toBe(300);
        expect(Buffer.from(out.percent).equals(Buffer.from(input.percent))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("any change of one byte of a file is caught (CRC-32 detects every burst of ≤ 32 bits; property)", () => {
    const bytes = encodePlanetLabDay({
      day: "d",
      names: ["a", "b"],
      samplesPerVm: 50,
      percent: Uint8Array.from({ length: 100 }, (_, i) => (i * 37) % 101),
    });
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const damaged = Uint8Array.from(bytes);
        damaged[at] = (damaged[at] as number) ^ xor;
        expect(thrown(() => decodePlanetLabDay(damaged, "d")).code).toBe("VX_PLANETLAB_CORRUPT");
      }),
      { numRuns: 300 },
    );
  });

  it("is deterministic: the same day gives the same bytes", () => {
    fc.assert(
      fc.property(dayArb, (input) => {
        expect(
          Buffer.from(encodePlanetLabDay(input)).equals(Buffer.from(encodePlanetLabDay(input))),
        ).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it("defaults the grid to PlanetLab's: 288 samples every 300 s", () => {
    expect(PLANETLAB_DEFAULTS).toEqual({ intervalSeconds: 300, samplesPerVm: 288 });
    const out = decodePlanetLabDay(
      encodePlanetLabDay({ day: "d", names: ["vm"], percent: new Uint8Array(288).fill(7) }),
      "d",
    );
    expect(out.samplesPerVm).toBe(288);
    expect(out.intervalSeconds).toBe(300);
    const custom = decodePlanetLabDay(
      encodePlanetLabDay({
        day: "d",
        names: ["vm"],
        intervalSeconds: 60,
        samplesPerVm: 3,
        percent: Uint8Array.of(1, 2, 3),
      }),
      "d",
    );
    expect(custom.intervalSeconds).toBe(60);
  });
});

describe("code lengths", () => {
  // Fibonacci counts make the deepest possible Huffman tree: n symbols give depth n - 1.
  const fib = [1, 1];
  while (fib.length < 30) fib.push((fib.at(-1) as number) + (fib.at(-2) as number));

  it("an optimal code deeper than 24 bits is flattened to ≤ 24 bits and stays a prefix code", () => {
    const counts = new Float64Array(101);
    fib.forEach((f, s) => {
      counts[s] = f;
    });
    const unlimited = huffmanLengths(counts, 64);
    expect(Math.max(...unlimited)).toBe(29); // 30 symbols in a chain
    const limited = huffmanLengths(counts, MAX_CODE_BITS);
    expect(Math.max(...limited)).toBeLessThanOrEqual(MAX_CODE_BITS);
    let kraft = 0;
    for (const len of limited) if (len > 0) kraft += 2 ** -len;
    expect(kraft).toBe(1); // a complete prefix code
  });

  it("a day whose values follow Fibonacci counts round-trips through the flattened code", () => {
    const values: number[] = [];
    fib.slice(0, 27).forEach((f, s) => {
      for (let i = 0; i < f; i++) values.push(s);
    });
    const samplesPerVm = 1; // every sample is a VM's first: all in context 0
    const names = values.map((_, i) => `vm${String(i).padStart(7, "0")}`);
    const percent = Uint8Array.from(values);
    const out = decodePlanetLabDay(
      encodePlanetLabDay({ day: "fib", names, samplesPerVm, percent }),
      "fib",
    );
    expect(Buffer.from(out.percent).equals(Buffer.from(percent))).toBe(true);
  });

  it("gives a lone value a 1-bit code, and Huffman's lengths for a small worked example", () => {
    expect(Array.from(huffmanLengths([0, 5, 0], 24))).toEqual([0, 1, 0]);
    // Counts 1, 1, 2, 4: merge 1+1 = 2, then 2+2 = 4, then 4+4: lengths 3, 3, 2, 1.
    expect(Array.from(huffmanLengths([1, 1, 2, 4], 24))).toEqual([3, 3, 2, 1]);
  });
});

describe("bad input", () => {
  const base = { day: "d", names: ["a", "b"], samplesPerVm: 2, percent: Uint8Array.of(1, 2, 3, 4) };
  const cases: [string, Record<string, unknown>, (string | number)[]][] = [
    ["an empty day name", { day: "" }, ["day"]],
    ["a day name longer than 32", { day: "x".repeat(33) }, ["day"]],
    ["a non-ASCII day name", { day: "día" }, ["day"]],
    ["no VM", { names: [], percent: new Uint8Array(0) }, ["names"]],
    ["an empty VM name", { names: ["", "b"] }, ["names", 0]],
    ["a VM name with a newline", { names: ["a\nb", "c"] }, ["names", 0]],
    ["a VM name longer than 255", { names: ["a".repeat(256), "b"] }, ["names", 0]],
    ["names out of order", { names: ["b", "a"] }, ["names", 1]],
    ["duplicate names", { names: ["a", "a"] }, ["names", 1]],
    ["zero samples per VM", { samplesPerVm: 0 }, ["samplesPerVm"]],
    ["65536 samples per VM", { samplesPerVm: 65536 }, ["samplesPerVm"]],
    ["a fractional interval", { intervalSeconds: 0.5 }, ["intervalSeconds"]],
    ["percent as a plain array", { percent: [1, 2, 3, 4] }, ["percent"]],
    ["percent of the wrong length", { percent: Uint8Array.of(1, 2, 3) }, ["percent"]],
    ["a percentage of 101", { percent: Uint8Array.of(1, 2, 101, 4) }, ["percent", 2]],
    ["an unknown field", { colour: "red" }, []],
  ];
  for (const [what, change, path] of cases) {
    it(`rejects ${what} with VX_PLANETLAB_BAD_ARGUMENT at ${JSON.stringify(path)}`, () => {
      const error = thrown(() => encodePlanetLabDay({ ...base, ...change } as PlanetLabDayInput));
      expect(error.code).toBe("VX_PLANETLAB_BAD_ARGUMENT");
      if (path.length > 0) expect(error.path).toEqual(path);
    });
  }

  it("names the VM and sample of a percentage above 100", () => {
    const error = thrown(() =>
      encodePlanetLabDay({ ...base, percent: Uint8Array.of(1, 2, 3, 200) }),
    );
    expect(error.message).toContain("VM 1, sample 1");
  });
});
