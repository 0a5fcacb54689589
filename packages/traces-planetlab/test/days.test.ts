import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  isPlanetLabDay,
  PLANETLAB_DAYS,
  PLANETLAB_VM_COUNTS,
  planetLabDayUrl,
} from "../src/index.js";
import { loadPlanetLabDay, planetLabDayPath } from "../src/node.js";
import { thrown } from "./helpers.js";

/**
 * SHA-256 of each day's text files as CloudSim ships them (identical, file for file, to
 * `modules/cloudsim-examples/src/main/resources/workload/planetlab` of github.com/Cloudslab/cloudsim),
 * computed with Python's hashlib over, for each file in sorted name order, the name, a newline
 * and the file's bytes. The files are canonical (one integer per line, no leading zeros, a
 * newline after each), so the same text can be rebuilt from the decoded values.
 */
const TEXT_SHA256: Record<string, string> = {
  "20110303": "216d0b7700bb07b7f30005185cbb434f0d515d47f3d4a7424676cb0a218b9318",
  "20110306": "6940b9be7f8a1fddfab4bc0eb0d3d6478bc2d3e2367cdaddb32a26cef3e4d927",
  "20110309": "68b1812c3fca1c59aa061f5997ef3045821e2befc7c4fb159f5603456e8e0b82",
  "20110322": "8d20265b950dc2db1463cd4a057977ecc63edfeff26db133c11072b733d6ddbe",
  "20110325": "499d041e4863c6a58ba95d18fe5d62094ea7787ed910c625a9c08a8e59e6c05d",
  "20110403": "d5da0e7152764091cd5e3f45a440bab62cc0a9272f7e4df4db083b3a846ccdca",
  "20110409": "4e50db6c09923f1ce93b065097e3409e8f74eced08683c84d805d76361b8300f",
  "20110411": "06e0cbc23980b6a232f3ae55b6fb514eb237e5cf8bebd28746ed9b3b0e5541e8",
  "20110412": "ad303ce83c9c30b80ecfcb3e047b6e0b80e2f015513d2aee4d5c8c9e9d0f5851",
  "20110420": "cb78607274885170e0fafa991f336d233ef68e19478db7ad752ead30e0c29fb2",
};

/** "0\n" … "100\n": the text lines of the files, rebuilt from the values. */
const LINES: readonly string[] = Array.from({ length: 101 }, (_, v) => `${v}\n`);

describe("the ten days", () => {
  it("are CloudSim's ten folders with 11,746 VMs in all", () => {
    expect(PLANETLAB_DAYS).toEqual(Object.keys(TEXT_SHA256));
    expect(Object.keys(PLANETLAB_VM_COUNTS)).toEqual([...PLANETLAB_DAYS]);
    let total = 0;
    for (const day of PLANETLAB_DAYS) total += PLANETLAB_VM_COUNTS[day];
    expect(total).toBe(11746);
  });

  for (const day of PLANETLAB_DAYS) {
    it(`${day} decodes to exactly CloudSim's text files (SHA-256 of names and values)`, () => {
      const data = loadPlanetLabDay(day);
      expect(data.day).toBe(day);
      expect(data.names.length).toBe(PLANETLAB_VM_COUNTS[day]);
      expect(data.samplesPerVm).toBe(288);
      expect(data.intervalSeconds).toBe(300);
      expect(data.percent.length).toBe(data.names.length * 288);
      expect([...data.names].sort()).toEqual(data.names); // sorted as the readers number VMs
      const hash = createHash("sha256");
      data.names.forEach((name, vm) => {
        let text = `${name}\n`;
        for (let k = 0; k < 288; k++) text += LINES[data.percent[vm * 288 + k] as number];
        hash.update(text, "latin1");
      });
      expect(hash.digest("hex")).toBe(TEXT_SHA256[day]);
    });
  }

  it("20110303 starts with the VM whose first samples are 24, 34, 29, 26 % (read by hand)", () => {
    const data = loadPlanetLabDay("20110303");
    expect(data.names[0]).toBe("146-179_surfsnel_dsl_internl_net_colostate_557");
    expect(Array.from(data.percent.subarray(0, 4))).toEqual([24, 34, 29, 26]);
  });

  it("20110303's mean utilisation is 12.31 % over 302,976 samples (sum 3,730,979, from the text files)", () => {
    const data = loadPlanetLabDay("20110303");
    let sum = 0;
    for (const v of data.percent) sum += v;
    expect(sum).toBe(3730979);
    expect((sum / data.percent.length).toFixed(2)).toBe("12.31");
  });

  it("returns fresh arrays on each load", () => {
    const a = loadPlanetLabDay("20110306");
    const b = loadPlanetLabDay("20110306");
    // Plain comparisons: vitest's toBe/toEqual walk all 258,624 elements (even `not.toBe` does,
    // to word its message), which takes minutes on a loaded machine.
    expect(a.percent === b.percent).toBe(false);
    expect(Buffer.from(a.percent).equals(Buffer.from(b.percent))).toBe(true);
  });
});

describe("finding the files", () => {
  it("planetLabDayUrl points at data/<day>.bin next to the package's code", () => {
    const url = planetLabDayUrl("20110420");
    expect(url.protocol).toBe("file:");
    expect(url.pathname.endsWith("/data/20110420.bin")).toBe(true);
    expect(existsSync(planetLabDayPath("20110420"))).toBe(true);
  });

  it("isPlanetLabDay accepts the ten names only", () => {
    for (const day of PLANETLAB_DAYS) expect(isPlanetLabDay(day)).toBe(true);
    for (const other of ["20110304", "", "toString", "__proto__", 20110303, undefined]) {
      expect(isPlanetLabDay(other)).toBe(false);
    }
  });

  const unknown: [string, unknown, string][] = [
    ["a date with no trace", "20110304", '"20110304" is not a PlanetLab day'],
    ["a number (YAML's day: 20110303)", 20110303, 'write it as the string "20110303"'],
    ["an inherited property name", "constructor", "use one of 20110303, 20110306"],
  ];
  for (const [what, day, words] of unknown) {
    it(`rejects ${what} with VX_PLANETLAB_UNKNOWN_DAY, in every entry point`, () => {
      for (const fn of [loadPlanetLabDay, planetLabDayUrl, planetLabDayPath]) {
        const error = thrown(() => fn(day as string));
        expect(error).toMatchObject({ code: "VX_PLANETLAB_UNKNOWN_DAY", path: ["day"] });
        expect(error.message).toContain(words);
      }
    });
  }
});
