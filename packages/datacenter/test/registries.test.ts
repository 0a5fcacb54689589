import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { VxError } from "@vx/core";
import { describe, expect, it } from "vitest";
import {
  CLOUDSIM_PARAMETERS,
  MIGRATION_MODEL_NAMES,
  MIGRATION_MODELS,
  OVERLOAD_DETECTORS,
  OVERLOAD_NAMES,
  PLACEMENT_NAMES,
  PLACEMENTS,
  parseDatacenterSpec,
  policyLabel,
  policySchema,
  SELECTION_NAMES,
  VM_SELECTORS,
} from "../src/index.js";
import { smallSpec } from "./fixtures.js";

const root = resolve(fileURLToPath(import.meta.url), "..", "..", "..", "..");

function issues(input: unknown): { code: string; path: string }[] {
  try {
    parseDatacenterSpec(input);
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    return error.issues.map((i) => ({ code: i.code, path: i.path.join(".") }));
  }
  return [];
}

describe("one registry per choice", () => {
  it("every entry's key is its name, with a label, a description and a source", () => {
    for (const registry of [OVERLOAD_DETECTORS, VM_SELECTORS, PLACEMENTS, MIGRATION_MODELS]) {
      for (const [key, entry] of Object.entries(registry)) {
        expect(entry.name).toBe(key);
        expect(entry.label.length).toBeGreaterThan(1);
        expect(entry.description.length).toBeGreaterThan(20);
        expect(entry.source.length).toBeGreaterThan(5);
      }
    }
    expect(OVERLOAD_NAMES).toEqual(Object.keys(OVERLOAD_DETECTORS));
    expect(SELECTION_NAMES).toEqual(Object.keys(VM_SELECTORS));
    expect(PLACEMENT_NAMES).toEqual(Object.keys(PLACEMENTS));
    expect(MIGRATION_MODEL_NAMES).toEqual(Object.keys(MIGRATION_MODELS));
  });

  it("the spec accepts exactly the registry's names, and lists them when refusing one", () => {
    const base = smallSpec({ loads: [0.5] });
    for (const overload of OVERLOAD_NAMES) {
      expect(issues({ ...base, policy: { overload } })).toEqual([]);
    }
    for (const selection of SELECTION_NAMES) {
      expect(issues({ ...base, policy: { selection } })).toEqual([]);
    }
    for (const model of MIGRATION_MODEL_NAMES) {
      expect(issues({ ...base, migration: { model } })).toEqual([]);
    }
    expect(issues({ ...base, policy: { overload: "magic" } })).toEqual([
      { code: "VX_SCHEMA_INVALID_VALUE", path: "policy.overload" },
    ]);
  });

  it("a detector's parameter defaults to its registry default; CloudSim's parameters are those defaults", () => {
    for (const name of OVERLOAD_NAMES) {
      const entry = OVERLOAD_DETECTORS[name];
      const p = policySchema.parse({ overload: name });
      expect(p.parameter).toBe(entry.parameter?.default);
      expect(CLOUDSIM_PARAMETERS[name]).toBe(entry.parameter?.default ?? 0);
    }
    expect(CLOUDSIM_PARAMETERS).toEqual({
      thr: 0.8,
      iqr: 1.5,
      mad: 2.5,
      lr: 1.2,
      lrr: 1.2,
      none: 0,
      dvfs: 0,
    });
  });

  it("a parameter outside its detector's range, or given to a baseline, is refused", () => {
    const base = smallSpec({ loads: [0.5] });
    for (const name of OVERLOAD_NAMES) {
      const p = OVERLOAD_DETECTORS[name].parameter;
      if (p === undefined) {
        expect(issues({ ...base, policy: { overload: name, parameter: 1 } })).toEqual([
          { code: "VX_SIM_BAD_PARAMETER", path: "policy.parameter" },
        ]);
        continue;
      }
      for (const ok of [p.min, p.default, p.max]) {
        expect(issues({ ...base, policy: { overload: name, parameter: ok } })).toEqual([]);
      }
      for (const bad of [p.min - 0.001, p.max + 0.001]) {
        expect(issues({ ...base, policy: { overload: name, parameter: bad } })).toEqual([
          { code: "VX_SIM_BAD_PARAMETER", path: "policy.parameter" },
        ]);
      }
    }
  });

  it("labels come from the registries", () => {
    expect(policyLabel(policySchema.parse({ overload: "mad", selection: "mc" }))).toBe(
      "MAD 2.5 + MC",
    );
    expect(policyLabel(policySchema.parse({ overload: "none" }))).toBe("NPA");
  });
});

describe("the docs table of detector parameters is the registry's", () => {
  it("docs/scenarios.md lists every detector with its default and range", () => {
    const docs = readFileSync(join(root, "docs", "scenarios.md"), "utf8");
    const block = /<!-- detector-parameters[^>]*-->\n([\s\S]*?)<!-- \/detector-parameters -->/.exec(
      docs,
    )?.[1];
    expect(block).toBeDefined();
    const expected = [
      "| detector | parameter | default | range |",
      "| --- | --- | --- | --- |",
      ...OVERLOAD_NAMES.map((n) => {
        const p = OVERLOAD_DETECTORS[n].parameter;
        return p === undefined
          ? `| \`${n}\` | – | – | – |`
          : `| \`${n}\` | ${p.description} | ${p.default} | [${p.min}, ${p.max}] |`;
      }),
    ].join("\n");
    expect(block!.trim()).toBe(expected);
  });
});
