import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRandom, VxError } from "@vx/core";
import { PLANETLAB_DAYS, PLANETLAB_VM_COUNTS } from "@vx/traces-planetlab";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkSyntheticCost,
  generateSyntheticTraces,
  memoryTraceLoader,
  parseCsvTraces,
  parsePlanetLabTraces,
  planetLabDayTable,
  regularTraceTable,
  traceUtilisation,
  workloadSchema,
} from "../src/index.js";
import {
  listPlanetLabFiles,
  nodeTraceLoader,
  readCsvTraces,
  readPlanetLabTraces,
} from "../src/node.js";

const scratch = mkdtempSync(join(tmpdir(), "vx-workloads-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

function thrownError(f: () => unknown): VxError {
  try {
    f();
  } catch (error) {
    if (VxError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a VxError");
}

function code(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (VxError.isInstance(error)) return error.code;
    throw error;
  }
  return "no error";
}

describe("PlanetLab days packaged in @vx/traces-planetlab", () => {
  const day = planetLabDayTable(loadPlanetLabDay("20110303"));

  it("20110303: 1052 VMs of 288 samples at 300 s, sorted by name, padded as CloudSim pads", () => {
    expect(day.names.length).toBe(1052);
    expect(day.samples).toBe(288);
    expect(day.intervalSeconds).toBe(300);
    expect([...day.names].sort()).toEqual(day.names);
    expect(day.names[0]).toBe("146-179_surfsnel_dsl_internl_net_colostate_557");
    expect(day.source).toBe("planetlab day 20110303");
    let padded = 0;
    let inRange = 0;
    for (let c = 0; c < day.names.length; c++) {
      const base = c * 289;
      if (day.values[base + 288] === day.values[base + 287]) padded++;
    }
    for (const v of day.values) if (v >= 0 && v <= 1) inRange++;
    expect(padded).toBe(1052);
    expect(inRange).toBe(day.values.length);
  });

  it("gives the file's own numbers: samples at multiples of 300 s, lines in between", () => {
    // The first file of CloudSim's folder starts 24, 34, 29 (%).
    expect(traceUtilisation(day, 0, 0)).toBe(0.24);
    expect(traceUtilisation(day, 0, 300)).toBe(0.34);
    expect(traceUtilisation(day, 0, 450)).toBeCloseTo(0.315, 12);
    expect(traceUtilisation(day, 0, 600)).toBe(0.29);
  });

  it("a day written out as CloudSim's text files reads back to the same table from a folder", () => {
    const data = loadPlanetLabDay("20110306");
    const files: Record<string, string> = {};
    // The first 40 VMs: every value of their files, as CloudSim ships them (one integer a line).
    for (let c = 0; c < 40; c++) {
      const row = Array.from(data.percent.subarray(c * 288, (c + 1) * 288));
      files[data.names[c] as string] = `${row.join("\n")}\n`;
    }
    const dir = folder("day-20110306", files);
    expect(listPlanetLabFiles(dir).length).toBe(40);
    const fromFolder = readPlanetLabTraces(dir);
    const fromDay = planetLabDayTable(data);
    expect(fromFolder.names).toEqual(fromDay.names.slice(0, 40));
    const same = Buffer.from(fromFolder.values.buffer).equals(
      Buffer.from(fromDay.values.buffer, 0, 40 * 289 * 8),
    );
    expect(same).toBe(true);
  });

  it("the node loader reads every packaged day by name, with its VM count", () => {
    const loader = nodeTraceLoader();
    for (const d of PLANETLAB_DAYS) {
      const t = loader.load({ kind: "planetlab", day: d, interval: 300 });
      expect(t.names.length, d).toBe(PLANETLAB_VM_COUNTS[d]);
      expect(t.samples, d).toBe(288);
    }
  });

  it("the memory loader serves a decoded day (the browser path) and says which day is missing", () => {
    const data = loadPlanetLabDay("20110303");
    const loader = memoryTraceLoader({ days: { "20110303": data } });
    const t = loader.load({ kind: "planetlab", day: "20110303", interval: 600 });
    expect(t.intervalSeconds).toBe(600);
    expect(traceUtilisation(t, 0, 600)).toBe(0.34);
    expect(loader.load({ kind: "planetlab", day: "20110303", interval: 600 })).toBe(t);
    const error = thrownError(() =>
      loader.load({ kind: "planetlab", day: "20110306", interval: 300 }),
    );
    expect(error.code).toBe("VX_SIM_TRACE_NOT_FOUND");
    expect(error.path).toEqual(["day"]);
    expect(error.message).toContain("20110306");
  });

  it("a day that is not one of the ten, both or neither of day and folder: schema errors", () => {
    expect(workloadSchema.parse({ kind: "planetlab", day: 20110303 })).toEqual({
      kind: "planetlab",
      day: "20110303",
      interval: 300,
    });
    const bad = (input: unknown): { path: readonly PropertyKey[]; message: string }[] => {
      const r = workloadSchema.safeParse(input);
      expect(r.success).toBe(false);
      return r.success ? [] : r.error.issues;
    };
    const unknownDay = bad({ kind: "planetlab", day: 20110304 });
    expect(unknownDay[0]?.path).toEqual(["day"]);
    expect(unknownDay[0]?.message).toContain("20110303, 20110306");
    expect(bad({ kind: "planetlab", day: "20110303", folder: "x" })[0]?.path).toEqual(["folder"]);
    expect(bad({ kind: "planetlab" })[0]?.message).toContain("needs `day`");
  });

  it("planetLabDayTable refuses a bad interval and data whose sizes disagree", () => {
    const data = loadPlanetLabDay("20110303");
    expect(code(() => planetLabDayTable(data, 0))).toBe("VX_SIM_BAD_OPTION");
    expect(code(() => planetLabDayTable({ ...data, percent: data.percent.subarray(1) }))).toBe(
      "VX_SIM_TRACE_MALFORMED",
    );
  });
});

describe("PlanetLab reader on small files", () => {
  it("numbers VMs by file name, whatever the order on disk", () => {
    const dir = folder("sorted", { b: "10\n20\n", a: "30\n40\n", ".hidden": "x\n" });
    const t = readPlanetLabTraces(dir, { intervalSeconds: 60 });
    expect(t.names).toEqual(["a", "b"]);
    expect(traceUtilisation(t, 0, 0)).toBe(0.3);
    expect(traceUtilisation(t, 1, 60)).toBe(0.2);
  });

  it("interpolates as CloudSim's UtilizationModelPlanetLabInMemory and holds the last sample", () => {
    const dir = folder("interp", { vm: "0\n100\n50\n" });
    const t = readPlanetLabTraces(dir);
    expect(traceUtilisation(t, 0, 150)).toBe(0.5);
    expect(traceUtilisation(t, 0, 300.1)).toBeCloseTo(1 - 0.5 * (0.1 / 300), 12);
    expect(traceUtilisation(t, 0, 600)).toBe(0.5);
    expect(traceUtilisation(t, 0, 700)).toBe(0.5); // after the last sample
    expect(traceUtilisation(t, 0, 10_000)).toBe(0.5);
  });

  it("parses file texts without a file system (browser), in name order", () => {
    const t = parsePlanetLabTraces([
      { name: "b", text: "10\n20\n" },
      { name: "a", text: "30\n40\n" },
    ]);
    expect(t.names).toEqual(["a", "b"]);
    expect(traceUtilisation(t, 1, 300)).toBe(0.2);
    expect(() => parsePlanetLabTraces([])).toThrowVx("VX_SIM_TRACE_EMPTY");
  });

  it("accepts CRLF line ends, spaces and blank lines at the end", () => {
    const dir = folder("crlf", { vm: " 7 \r\n8\r\n\r\n\n" });
    const t = readPlanetLabTraces(dir);
    expect(t.samples).toBe(2);
    expect(traceUtilisation(t, 0, 300)).toBe(0.08);
  });

  it("reports a missing folder with VX_SIM_TRACE_NOT_FOUND naming it", () => {
    const missing = join(scratch, "does-not-exist");
    expect(() => readPlanetLabTraces(missing)).toThrowVx("VX_SIM_TRACE_NOT_FOUND");
    expect(() => readPlanetLabTraces(missing)).toThrow(/does-not-exist/);
  });

  it("reports a file given as folder with VX_SIM_TRACE_NOT_FOUND", () => {
    const dir = folder("afile", { vm: "1\n" });
    expect(() => readPlanetLabTraces(join(dir, "vm"))).toThrowVx("VX_SIM_TRACE_NOT_FOUND");
  });

  it("reports an empty folder with VX_SIM_TRACE_EMPTY", () => {
    const dir = folder("empty", { ".DS_Store": "" });
    expect(() => readPlanetLabTraces(dir)).toThrowVx("VX_SIM_TRACE_EMPTY");
  });

  it("reports a malformed line with the file and line number", () => {
    const dir = folder("bad", { a: "1\n2\n", b: "3\nfour\n" });
    let error: unknown;
    try {
      readPlanetLabTraces(dir);
    } catch (e) {
      error = e;
    }
    expect(VxError.isInstance(error)).toBe(true);
    const e = error as VxError;
    expect(e.code).toBe("VX_SIM_TRACE_MALFORMED");
    expect(e.message).toContain(`${join(dir, "b")}:2`);
    expect(e.message).toContain('"four"');
    expect(e.path).toEqual(["folder", "b", 2]);
  });

  it("rejects a percentage above 100, a negative one and a fraction", () => {
    expect(() => readPlanetLabTraces(folder("big", { a: "101\n" }))).toThrowVx(
      "VX_SIM_TRACE_MALFORMED",
    );
    expect(() => readPlanetLabTraces(folder("neg", { a: "-1\n" }))).toThrowVx(
      "VX_SIM_TRACE_MALFORMED",
    );
    expect(() => readPlanetLabTraces(folder("frac", { a: "1.5\n" }))).toThrowVx(
      "VX_SIM_TRACE_MALFORMED",
    );
  });

  it("rejects data after a blank line, an empty file and files of different lengths", () => {
    expect(() => readPlanetLabTraces(folder("gap", { a: "1\n\n2\n" }))).toThrowVx(
      "VX_SIM_TRACE_MALFORMED",
    );
    expect(() => readPlanetLabTraces(folder("void", { a: "\n" }))).toThrowVx(
      "VX_SIM_TRACE_MALFORMED",
    );
    expect(() => readPlanetLabTraces(folder("lengths", { a: "1\n2\n", b: "1\n" }))).toThrow(
      /has 1 samples but "a" has 2/,
    );
  });

  it("rejects a bad interval or limit with VX_SIM_BAD_OPTION", () => {
    const dir = folder("opts", { a: "1\n" });
    expect(() => readPlanetLabTraces(dir, { intervalSeconds: 0 })).toThrowVx("VX_SIM_BAD_OPTION");
    expect(() => readPlanetLabTraces(dir, { limit: 0 })).toThrowVx("VX_SIM_BAD_OPTION");
  });
});

describe("trace tables", () => {
  it("a regular table interpolates between samples and holds the last one", () => {
    const t = regularTraceTable({
      source: "t",
      names: ["a"],
      intervalSeconds: 10,
      columns: [[0, 1]],
    });
    expect(traceUtilisation(t, 0, 2.5)).toBe(0.25);
    expect(traceUtilisation(t, 0, 25)).toBe(1);
  });

  it("interpolation stays between the surrounding samples (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 20 }),
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        (samples, t) => {
          const table = regularTraceTable({
            source: "p",
            names: ["a"],
            intervalSeconds: 300,
            columns: [samples.map((s) => s / 100)],
          });
          const u = traceUtilisation(table, 0, t);
          const k = Math.min(Math.floor(t / 300), samples.length - 1);
          const a = (samples[k] as number) / 100;
          const b = (samples[Math.min(k + 1, samples.length - 1)] as number) / 100;
          return u >= Math.min(a, b) - 1e-12 && u <= Math.max(a, b) + 1e-12;
        },
      ),
    );
  });
});

describe("synthetic workloads", () => {
  const base = { durationSeconds: 86_400, intervalSeconds: 300 };

  it("constant: one shared column at the given level", () => {
    const t = generateSyntheticTraces(
      { kind: "constant", utilisation: 0.42 },
      { ...base, count: 5, random: createRandom(1).stream("w") },
    );
    expect(t.names).toEqual(["constant"]);
    expect(traceUtilisation(t, 0, 12_345)).toBe(0.42);
  });

  it("diurnal: mean and swing as asked, a different phase per VM, values in [0, 1]", () => {
    const t = generateSyntheticTraces(
      { kind: "diurnal", mean: 0.5, amplitude: 0.3, period: 86_400, noise: 0 },
      { ...base, count: 3, random: createRandom(7).stream("w") },
    );
    expect(t.samples).toBe(289);
    for (let c = 0; c < 3; c++) {
      const col = Array.from({ length: 288 }, (_, i) => traceUtilisation(t, c, i * 300));
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      expect(mean).toBeCloseTo(0.5, 6);
      expect(Math.max(...col)).toBeCloseTo(0.8, 2);
      expect(Math.min(...col)).toBeCloseTo(0.2, 2);
    }
    expect(traceUtilisation(t, 0, 0)).not.toBe(traceUtilisation(t, 1, 0));
  });

  it("bursty: the share of time at peak matches meanBurst / (meanGap + meanBurst)", () => {
    const t = generateSyntheticTraces(
      { kind: "bursty", base: 0.1, peak: 0.9, meanGap: 3000, meanBurst: 1000 },
      {
        durationSeconds: 30 * 86_400,
        intervalSeconds: 300,
        count: 4,
        random: createRandom(3).stream("w"),
      },
    );
    let sum = 0;
    let n = 0;
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < t.samples; i++) {
        sum += t.values[c * (t.samples + 1) + i] as number;
        n++;
      }
    }
    // Expected mean: 0.1 + 0.8 × 0.25 = 0.3.
    expect(sum / n).toBeGreaterThan(0.27);
    expect(sum / n).toBeLessThan(0.33);
  });

  it("idle-spikes: idle most of the time, spikes cost their length even when shorter than a step", () => {
    const t = generateSyntheticTraces(
      { kind: "idle-spikes", idle: 0.02, spike: 0.62, meanGap: 6 * 3600, spikeDuration: 60 },
      {
        durationSeconds: 30 * 86_400,
        intervalSeconds: 300,
        count: 2,
        random: createRandom(5).stream("w"),
      },
    );
    let busy = 0;
    for (let i = 0; i < t.samples; i++) busy += ((t.values[i] as number) - 0.02) / 0.6;
    // busy is in samples of 300 s: about one 60 s spike per 6 h = 120 spikes in 30 days.
    const spikes = (busy * 300) / 60;
    expect(spikes).toBeGreaterThan(80);
    expect(spikes).toBeLessThan(170);
    const values = Array.from(t.values.subarray(0, t.samples));
    expect(values.filter((v) => v === 0.02).length).toBeGreaterThan(t.samples * 0.9);
  });

  it("is reproducible: same stream, same values; another seed, other values", () => {
    const make = (seed: number) =>
      generateSyntheticTraces(
        { kind: "bursty", base: 0.2, peak: 0.9, meanGap: 3600, meanBurst: 600 },
        { ...base, count: 3, random: createRandom(seed).stream("w") },
      ).values;
    expect(make(1)).toEqual(make(1));
    expect(make(1)).not.toEqual(make(2));
  });

  it("costs what the steps cost: cycles shorter than a hundredth of a step are refused", () => {
    // 1 ns bursts every 1 ns would mean 10^11 cycles per 300 s step.
    const tiny = { kind: "bursty", base: 0.2, peak: 0.9, meanGap: 1e-9, meanBurst: 1e-9 } as const;
    expect(checkSyntheticCost(tiny, 300)?.field).toBe("meanGap");
    expect(() =>
      generateSyntheticTraces(tiny, { ...base, count: 1, random: createRandom(1).stream("w") }),
    ).toThrowVx("VX_SIM_BAD_WORKLOAD");
    // A cycle of 3 s at a 300 s step is the limit; the defaults (1 h + 10 min) are far from it.
    expect(checkSyntheticCost({ ...tiny, meanGap: 2, meanBurst: 1 }, 300)).toBeUndefined();
    expect(checkSyntheticCost({ ...tiny, meanGap: 1, meanBurst: 1 }, 300)).toBeDefined();
  });

  it("rejects bad parameters with VX_SIM_BAD_WORKLOAD naming the field", () => {
    const r = createRandom(1).stream("w");
    let error: unknown;
    try {
      generateSyntheticTraces(
        { kind: "bursty", base: 0.5, peak: 0.4, meanGap: 10, meanBurst: 10 },
        { ...base, count: 1, random: r },
      );
    } catch (e) {
      error = e;
    }
    expect((error as VxError).code).toBe("VX_SIM_BAD_WORKLOAD");
    // Paths are relative to the workload: the spec's checks add `vms[i].workload` once.
    expect((error as VxError).path).toEqual(["peak"]);
    expect(() =>
      generateSyntheticTraces(
        { kind: "constant", utilisation: 1.5 },
        { ...base, count: 1, random: r },
      ),
    ).toThrowVx("VX_SIM_BAD_WORKLOAD");
    expect(() =>
      generateSyntheticTraces(
        { kind: "idle-spikes", idle: 0, spike: 1, meanGap: 0, spikeDuration: 1 },
        { ...base, count: 1, random: r },
      ),
    ).toThrowVx("VX_SIM_BAD_WORKLOAD");
    expect(() =>
      generateSyntheticTraces(
        { kind: "constant", utilisation: 0.5 },
        { ...base, count: 1.5, random: r },
      ),
    ).toThrowVx("VX_SIM_BAD_OPTION");
  });
});

describe("CSV reader", () => {
  function csv(name: string, text: string): string {
    const file = join(scratch, `${name}.csv`);
    writeFileSync(file, text);
    return file;
  }

  it("reads a regular grid with the PlanetLab interpolation", () => {
    const t = readCsvTraces(csv("regular", "time,web,db\n0,0.2,0.5\n600,0.4,0.5\n1200,0.6,0.1\n"));
    expect(t.names).toEqual(["web", "db"]);
    expect(t.intervalSeconds).toBe(600);
    expect(traceUtilisation(t, 0, 300)).toBeCloseTo(0.3, 12);
    expect(traceUtilisation(t, 1, 1200)).toBe(0.1);
  });

  it("reads an irregular grid, percentages, chosen columns and quoted headers", () => {
    const t = readCsvTraces(csv("irregular", '"t", "a", "b"\n10,20,40\n30,60,40\n\n'), {
      timeColumn: "t",
      columns: ["b", "a"],
      percent: true,
    });
    expect(t.names).toEqual(["b", "a"]);
    expect(t.times).toEqual(Float64Array.from([10, 30]));
    expect(traceUtilisation(t, 1, 0)).toBe(0.2); // before the first time: first value
    expect(traceUtilisation(t, 1, 20)).toBeCloseTo(0.4, 12);
    expect(traceUtilisation(t, 1, 99)).toBe(0.6);
  });

  it("reads quoted cells as RFC 4180 says: commas, line breaks and doubled quotes inside quotes", () => {
    const t = parseCsvTraces(
      'time,"web, eu","the ""db""","multi\nline"\r\n0,"0.1",0.2,0.3\r\n600, "0.3" ,0.4,0.5\r\n',
    );
    expect(t.names).toEqual(["web, eu", 'the "db"', "multi\nline"]);
    expect(traceUtilisation(t, 0, 300)).toBeCloseTo(0.2, 12);
    expect(traceUtilisation(t, 2, 600)).toBe(0.5);
  });

  it("reports each kind of bad file precisely", () => {
    expect(() => readCsvTraces(join(scratch, "nope.csv"))).toThrowVx("VX_SIM_CSV_NOT_FOUND");
    expect(() => readCsvTraces(csv("notime", "a,b\n1,2\n"))).toThrowVx("VX_SIM_CSV_BAD_COLUMN");
    expect(() => readCsvTraces(csv("nocol", "time,a\n0,0.5\n"), { columns: ["z"] })).toThrowVx(
      "VX_SIM_CSV_BAD_COLUMN",
    );
    expect(() => readCsvTraces(csv("cell", "time,a\n0,0.5\n300,abc\n"))).toThrow(
      /cell\.csv:3: column "a" holds "abc"/,
    );
    expect(() => readCsvTraces(csv("short", "time,a,b\n0,0.5\n"))).toThrow(
      /short\.csv:2: the row has 2 cells but the header has 3/,
    );
    expect(() => readCsvTraces(csv("long", "time,a\n0,0.5,0.7\n"))).toThrow(
      /long\.csv:2: the row has 3 cells but the header has 2/,
    );
    expect(() => readCsvTraces(csv("twice", "time,a,a\n0,0.5,0.7\n"))).toThrow(
      /the column name "a" appears twice/,
    );
    expect(() => readCsvTraces(csv("twice2", "time,a,a\n0,0.5,0.7\n"))).toThrowVx(
      "VX_SIM_CSV_BAD_COLUMN",
    );
    expect(() => readCsvTraces(csv("open", 'time,a\n0,"0.5\n'))).toThrow(/not closed/);
    expect(() => readCsvTraces(csv("stray", 'time,a\n0,0."5\n'))).toThrow(
      /double quote inside an unquoted cell/,
    );
    expect(() => readCsvTraces(csv("order", "time,a\n300,0.5\n0,0.5\n"))).toThrow(
      /greater than the previous/,
    );
    expect(() => readCsvTraces(csv("range", "time,a\n0,50\n"))).toThrow(
      /outside \[0, 1\]; set percent: true/,
    );
    expect(() => readCsvTraces(csv("header-only", "time,a\n"))).toThrowVx("VX_SIM_CSV_MALFORMED");
    expect(() => readCsvTraces(csv("blank", "\n\n"))).toThrowVx("VX_SIM_CSV_MALFORMED");
  });
});
