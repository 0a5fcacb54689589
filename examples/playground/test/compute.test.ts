// The playground's pure functions: the day table matches the data center's own PlanetLab parser,
// bad parameters are typed errors with their path, the editor's loader serves packaged days only,
// and the URL state round-trips.
import { VxError } from "@vx/core";
import { parsePlanetLabTraces } from "@vx/datacenter";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONSOLIDATION_PARAMS,
  type ConsolidationParams,
  checkConsolidationParams,
  planetLabTable,
} from "../src/compute/consolidation.js";
import { comparePvm } from "../src/compute/pvm.js";
import { checkAndRun, daysNamed, packagedDayLoader } from "../src/compute/scenario.js";
import { readState, writeState } from "../src/state.js";

function errorOf(fn: () => unknown): VxError {
  try {
    fn();
  } catch (error) {
    if (VxError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected a VxError, but nothing was thrown");
}

describe("planetLabTable", () => {
  it("gives the values parsePlanetLabTraces reads from the day's text files", () => {
    const day = loadPlanetLabDay("20110303");
    const table = planetLabTable(day);
    const s = day.samplesPerVm;
    // The first, a middle and the last VM, written as CloudSim's files are (one percentage a line).
    const picked = [0, 526, day.names.length - 1];
    const files = picked.map((c) => ({
      name: day.names[c] as string,
      text: `${Array.from(day.percent.subarray(c * s, (c + 1) * s)).join("\n")}\n`,
    }));
    const parsed = parsePlanetLabTraces(files);
    expect(table.samples).toBe(288);
    expect(table.intervalSeconds).toBe(300);
    picked.forEach((c, k) => {
      const ours = table.values.subarray(c * (s + 1), (c + 1) * (s + 1));
      const theirs = parsed.values.subarray(k * (s + 1), (k + 1) * (s + 1));
      expect(Array.from(ours)).toEqual(Array.from(theirs));
    });
  });
});

describe("bad parameters are typed errors with their path", () => {
  const cases: [Partial<ConsolidationParams>, string][] = [
    [{ day: "20110304" }, "day"],
    [{ overload: "toString" as ConsolidationParams["overload"] }, "overload"],
    [{ migration: "teleport" as ConsolidationParams["migration"] }, "migration"],
  ];
  for (const [change, field] of cases) {
    it(`consolidation: a bad ${field}`, () => {
      const e = errorOf(() => checkConsolidationParams({ ...CONSOLIDATION_PARAMS, ...change }));
      expect(e.code).toBe("VX_PLAYGROUND_BAD_PARAM");
      expect(e.path).toEqual([field]);
    });
  }

  it("Closer vs static: a case that is not listed", () => {
    expect(errorOf(() => comparePvm({ case: 9 })).path).toEqual(["case"]);
  });
});

describe("the scenario editor", () => {
  it("names the packaged days a text mentions, once each", () => {
    expect(daysNamed("folder: a/20110303\nfolder: 20110303/\nx: 20110399 20110420")).toEqual([
      "20110303",
      "20110420",
    ]);
  });

  it("serves a packaged day by the last part of its folder, and refuses files", () => {
    const loader = packagedDayLoader(new Map());
    const planetlab = { kind: "planetlab", folder: "../data/20110303", interval: 300 } as const;
    expect(errorOf(() => loader.load(planetlab as never)).code).toBe("VX_SIM_TRACE_NOT_FOUND");
    const csv = { kind: "csv", file: "load.csv" } as const;
    expect(errorOf(() => loader.load(csv as never)).path).toEqual(["file"]);
  });

  it("reports a YAML syntax error with its line", () => {
    const outcome = checkAndRun("hosts: [1, 2\nvms: 3\n", { run: false, tables: new Map() });
    expect(outcome.issues.length).toBeGreaterThan(0);
    expect(outcome.issues[0]?.code).toBe("VX_SIM_YAML_SYNTAX");
    expect(outcome.issues[0]?.line).toBeGreaterThanOrEqual(1);
  });
});

describe("the state in the URL", () => {
  it("round-trips any fields, leaving the defaults out", () => {
    const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== "panel");
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.string({ maxLength: 12 })),
        fc.dictionary(key, fc.string({ maxLength: 12 })),
        (fields, defaults) => {
          const state = readState(writeState("migration", fields, defaults));
          expect(state.panel).toBe("migration");
          const expected: Record<string, string> = {};
          for (const [k, v] of Object.entries(fields)) if (defaults[k] !== v) expected[k] = v;
          expect(state.fields).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
