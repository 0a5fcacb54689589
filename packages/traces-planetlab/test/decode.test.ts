import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodePlanetLabDay, encodePlanetLabDay } from "../src/index.js";
import { crc32 } from "../src/internal/crc32.js";
import { CONTEXTS, HEADER_BYTES, SYMBOLS } from "../src/internal/format.js";
import { FIXTURES, readTextFolder, reseal, thrown } from "./helpers.js";

const fixtureDays = readdirSync(FIXTURES).filter((n) => statSync(join(FIXTURES, n)).isDirectory());

describe("committed fixtures", () => {
  it("are the three expected folders (two real samples, one of edge values)", () => {
    expect(fixtureDays.sort()).toEqual(["20110303-sample", "20110420-sample", "edge-values"]);
  });

  for (const day of fixtureDays) {
    it(`${day}.bin decodes to exactly the names and values of ${day}/`, () => {
      const text = readTextFolder(join(FIXTURES, day));
      const decoded = decodePlanetLabDay(readFileSync(join(FIXTURES, `${day}.bin`)), day);
      expect(decoded.day).toBe(day);
      expect(decoded.names).toEqual(text.names);
      expect(decoded.samplesPerVm).toBe(288);
      expect(decoded.intervalSeconds).toBe(300);
      expect(decoded.percent.length).toBe(text.names.length * 288);
      text.columns.forEach((column, vm) => {
        expect(column.length).toBe(288);
        expect(Array.from(decoded.percent.subarray(vm * 288, (vm + 1) * 288))).toEqual(column);
      });
    });

    it(`encoding ${day}/ gives the committed ${day}.bin byte for byte (the format is stable)`, () => {
      const text = readTextFolder(join(FIXTURES, day));
      const bytes = encodePlanetLabDay({
        day,
        names: text.names,
        percent: Uint8Array.from(text.columns.flat()),
      });
      expect(Buffer.from(bytes).equals(readFileSync(join(FIXTURES, `${day}.bin`)))).toBe(true);
    });
  }

  it("the real sample keeps a name with a space and the order of UTF-16 code units", () => {
    const decoded = decodePlanetLabDay(
      readFileSync(join(FIXTURES, "20110303-sample.bin")),
      "20110303-sample",
    );
    expect(decoded.names).toEqual([
      "146-179_surfsnel_dsl_internl_net_colostate_557",
      "146-179_surfsnel_dsl_internl_net_rnp_dcc_ufjf",
      "aladdin_planetlab_extranet_uni-passau_de_ rnp_dcc_ufjf",
      "planetlab1_cs_pitt_edu_ rnp_dcc_ufjf",
      "planetlab1_cs_pitt_edu_uw_oneswarm",
    ]);
    // VM 0's first samples, read off the text file by hand.
    expect(Array.from(decoded.percent.subarray(0, 5))).toEqual([24, 34, 29, 26, 26]);
  });
});

describe("the file layout, worked by hand", () => {
  // One VM "a" with the samples 5, 5. Context 0 (first sample) and context 1 + ⌊5/4⌋ = 2 each
  // hold the single value 5, so each gives it a 1-bit code "0": the bit stream is "00", padded
  // to one zero byte. Body = day "x" (1) + name (2 + 1) + 27 × 101 code lengths + 1 = 2732.
  const bytes = encodePlanetLabDay({
    day: "x",
    names: ["a"],
    samplesPerVm: 2,
    percent: Uint8Array.of(5, 5),
  });
  const view = new DataView(bytes.buffer);

  it("has the header of the format description", () => {
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x56, 0x58, 0x50, 0x4c]); // "VXPL"
    expect(view.getUint8(4)).toBe(1); // version
    expect(view.getUint8(5)).toBe(1); // day name length
    expect(view.getUint16(6, true)).toBe(2); // samples per VM
    expect(view.getUint32(8, true)).toBe(300); // default interval
    expect(view.getUint32(12, true)).toBe(1); // VMs
    expect(view.getUint32(16, true)).toBe(2732);
    expect(bytes.length).toBe(HEADER_BYTES + 2732);
  });

  it("has the body of the format description", () => {
    expect(String.fromCharCode(bytes[24] as number)).toBe("x");
    expect(Array.from(bytes.subarray(25, 28))).toEqual([0, 1, 0x61]); // shares 0, adds "a"
    const lengths = bytes.subarray(28, 28 + CONTEXTS * SYMBOLS);
    const used = [...lengths.entries()].filter(([, len]) => len > 0);
    expect(used).toEqual([
      [0 * SYMBOLS + 5, 1],
      [2 * SYMBOLS + 5, 1],
    ]);
    expect(bytes[bytes.length - 1]).toBe(0);
    expect(Array.from(decodePlanetLabDay(bytes, "x").percent)).toEqual([5, 5]);
  });

  it("checks the CRC-32 of RFC 1952 (check value of '123456789' is 0xCBF43926)", () => {
    const digits = new TextEncoder().encode("123456789");
    expect(crc32(0, digits, 0, digits.length)).toBe(0xcbf43926);
    // Continuing a CRC over two pieces equals the CRC of the whole.
    expect(crc32(crc32(0, digits, 0, 4), digits, 4, 9)).toBe(0xcbf43926);
  });
});

describe("bad input", () => {
  const good = readFileSync(join(FIXTURES, "20110420-sample.bin"));
  const day = "20110420-sample";
  const copy = (): Uint8Array => Uint8Array.from(good);

  it("rejects bytes that are not a Uint8Array, and a day that is not a string", () => {
    const notBytes = thrown(() => decodePlanetLabDay([1, 2, 3] as unknown as Uint8Array, day));
    expect(notBytes).toMatchObject({ code: "VX_PLANETLAB_BAD_ARGUMENT", path: ["bytes"] });
    expect(notBytes.message).toContain("Array");
    const notDay = thrown(() => decodePlanetLabDay(good, 20110420 as unknown as string));
    expect(notDay).toMatchObject({ code: "VX_PLANETLAB_BAD_ARGUMENT", path: ["day"] });
  });

  it("rejects a file of another day, naming both", () => {
    const error = thrown(() => decodePlanetLabDay(good, "20110303"));
    expect(error).toMatchObject({ code: "VX_PLANETLAB_WRONG_DAY", path: ["day"] });
    expect(error.message).toContain('"20110420-sample"');
  });

  const corruptions: [string, () => Uint8Array, string][] = [
    ["an empty file", () => new Uint8Array(0), "fewer than the 24-byte header"],
    ["another magic", () => Object.assign(copy(), { 0: 0x50 }), '"VXPL"'],
    ["a newer format version", () => Object.assign(copy(), { 4: 2 }), "format version 2"],
    ["a truncated file", () => good.subarray(0, good.length - 10), "truncated"],
    ["a flipped bit", () => Object.assign(copy(), { 200: (good[200] as number) ^ 0x10 }), "CRC-32"],
    [
      "a name out of order (re-sealed)",
      // The second name shares all of the first ("vn4_cse_wustl_edu_") and adds a suffix; make
      // it share fewer characters so it sorts before the first.
      () => reseal(Object.assign(copy(), { [24 + day.length + 2 + 23]: 0 })),
      "not after the previous one",
    ],
    [
      "an over-subscribed code (re-sealed)",
      () => {
        const b = copy();
        b.fill(1, 24 + day.length + 50, 24 + day.length + 50 + 101); // 101 codes of 1 bit
        return reseal(b);
      },
      "over-subscribe",
    ],
    [
      "bytes after the last sample (re-sealed)",
      () => reseal(Uint8Array.from([...good, 0])),
      "follow the last sample",
    ],
    [
      "more samples announced than the body holds (re-sealed)",
      () => {
        const b = copy();
        new DataView(b.buffer).setUint32(12, 1_000_000, true);
        return reseal(b);
      },
      "more samples than its body",
    ],
    [
      "a zero day-name length (re-sealed)",
      () => reseal(Object.assign(copy(), { 5: 0 })),
      "out-of-range field",
    ],
  ];

  for (const [what, make, words] of corruptions) {
    it(`rejects ${what} as VX_PLANETLAB_CORRUPT`, () => {
      const error = thrown(() => decodePlanetLabDay(make(), day));
      expect(error).toMatchObject({ code: "VX_PLANETLAB_CORRUPT", path: ["bytes"] });
      expect(error.message).toContain(words);
    });
  }
});
