// @vx/sim/browser: the same scenario parsing, checks, positions and run as the Node entry, without
// the file system.
import { createHash } from "node:crypto";
import { VxError } from "@vx/core";
import { memoryTraceLoader } from "@vx/datacenter";
import { loadPlanetLabDay } from "@vx/traces-planetlab/node";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BROWSER_FEATURES,
  DEFAULT_SCENARIO_YAML,
  parseScenarioInBrowser,
  renderReportHtml,
  resultToJson,
  runScenarioInBrowser,
} from "../src/browser.js";
import { FEATURES } from "../src/features/index.js";
import { sha256Hex } from "../src/scenario/internal/sha256.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";
import { issuesOf, MINIMAL } from "./scenario-fixtures.js";

describe("the browser entry's SHA-256", () => {
  it("gives FIPS 180-4's digests of the empty text and of 'abc'", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("agrees with node:crypto on any text (lengths across block boundaries, non-ASCII)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash("sha256").update(text).digest("hex"));
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseScenarioInBrowser", () => {
  it("has the same features, by name and schema, as the Node entry", () => {
    expect(BROWSER_FEATURES.map((f) => f.name)).toEqual(FEATURES.map((f) => f.name));
    BROWSER_FEATURES.forEach((f, i) => {
      expect(f.schema).toBe(FEATURES[i]?.schema);
    });
  });

  it("parses the default scenario as parseScenario does (but for the base folder)", () => {
    // The browser has no file system: the page fetches the day and gives it to the loader.
    const loader = memoryTraceLoader({ days: { "20110303": loadPlanetLabDay("20110303") } });
    const { baseDir: _a, ...inBrowser } = parseScenarioInBrowser(DEFAULT_SCENARIO_YAML, {
      file: "default.yaml",
      loader,
    });
    const { baseDir: _b, ...inNode } = parseScenario(DEFAULT_SCENARIO_YAML, {
      file: "default.yaml",
    });
    expect(inBrowser).toEqual(inNode);
  });

  it("reports a bad field at the same line and column as parseScenario", () => {
    const text = MINIMAL.replace("count: 7", "count: -7");
    const browser = issuesOf(() => parseScenarioInBrowser(text, { file: "t.yaml" }));
    const node = issuesOf(() => parseScenario(text, { file: "t.yaml" }));
    expect(browser).toEqual(node);
    expect(browser[0]).toMatchObject({ path: ["vms", 0, "count"], line: 12, file: "t.yaml" });
  });

  it("reads PlanetLab folders from the loader it is given, and names a missing one", () => {
    const text = MINIMAL.replace(
      "workload: { kind: constant, utilisation: 40% }",
      "workload: { kind: planetlab, folder: day }",
    );
    const [missing] = issuesOf(() => parseScenarioInBrowser(text));
    expect(missing).toMatchObject({ code: "VX_SIM_TRACE_NOT_FOUND", line: 13 });
    const table = {
      source: "day",
      names: ["a", "b", "c", "d", "e", "f", "g"],
      samples: 1,
      intervalSeconds: 300,
      times: undefined,
      values: new Float64Array(14).fill(0.3),
    };
    const scenario = parseScenarioInBrowser(text, {
      loader: memoryTraceLoader({ folders: { day: table } }),
    });
    expect(scenario.vms[0]?.count).toBe(7);
  });

  it("refuses what is not text with a VxError", () => {
    try {
      parseScenarioInBrowser(42 as unknown as string);
      expect.fail("no error");
    } catch (error) {
      expect(VxError.isInstance(error) && error.code).toBe("VX_SIM_BAD_SCENARIO");
    }
  });
});

describe("runScenarioInBrowser", () => {
  it("gives the result runScenario gives, with the same scenario hash", () => {
    const text = `${MINIMAL}duration: 2h\npageflip: { offeredRate: 1Gbps, duration: 1s }\n`;
    const browser = runScenarioInBrowser(parseScenarioInBrowser(text, { file: "t.yaml" }), {
      versions: { "@vx/core": "x" },
    });
    const node = runScenario(parseScenario(text, { file: "t.yaml" }));
    const { provenance: pb, ...rb } = browser.result;
    const { provenance: pn, ...rn } = node.result;
    expect(rb).toEqual(rn);
    expect(pb.scenarioHash).toBe(pn.scenarioHash);
    expect(pb.versions).toEqual({ vx: pn.versions.vx, "@vx/core": "x" });
    expect(browser.tables).toEqual(node.tables);
    expect(resultToJson(browser.result)).toContain('"scenarioHash"');
    expect(renderReportHtml(browser.result)).toContain("<svg");
  });

  it("refuses a numa section's captured host: there is no file reader", () => {
    const text = `${MINIMAL}numa:\n  topology: { sysfs: host-nodes }\n  duration: 1s\n  guests: [{ name: web }]\n`;
    const scenario = parseScenarioInBrowser(text);
    try {
      runScenarioInBrowser(scenario);
      expect.fail("no error");
    } catch (error) {
      expect(VxError.isInstance(error) && error.code).toBe("VX_PVM_NO_TOPOLOGY_READER");
      expect((error as VxError).path).toEqual(["numa", "topology", "sysfs"]);
    }
  });
});
