import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseScenario } from "../src/scenario/parse.js";
import { applyParams, detectorDefaults } from "../src/sweep/apply.js";
import { MINIMAL } from "./scenario-fixtures.js";

const base = parse(`${MINIMAL}policy: { overload: thr, parameter: 0.7 }\n`) as Record<
  string,
  unknown
>;

function policyOf(params: Record<string, string | number>): unknown {
  return parseScenario(JSON.stringify(applyParams(base, params)), { format: "json" }).policy;
}

describe("sweep shorthands", () => {
  it("policy=thr,mad,lr switches to each detector's own default parameter (issue 17)", () => {
    expect(policyOf({ policy: "mad" })).toMatchObject({ overload: "mad", parameter: 2.5 });
    expect(policyOf({ policy: "lr" })).toMatchObject({ overload: "lr", parameter: 1.2 });
    // The same detector keeps the base scenario's parameter.
    expect(policyOf({ policy: "thr" })).toMatchObject({ overload: "thr", parameter: 0.7 });
    // A parameter swept with it wins.
    expect(policyOf({ policy: "mad", parameter: 3 })).toMatchObject({
      overload: "mad",
      parameter: 3,
    });
    expect(policyOf({ overload: "iqr", threshold: 2 })).toMatchObject({
      overload: "iqr",
      parameter: 2,
    });
    // A baseline takes no parameter.
    expect(policyOf({ policy: "none" })).toEqual({
      overload: "none",
      selection: "mmt",
      placement: "pabfd",
      underload: true,
      unplaced: "count",
    });
  });

  it("switching the migration model drops the other model's options", () => {
    const pre = parse(
      `${MINIMAL}migration: { model: precopy, downtimeLimit: 1s, maxOutgoing: 1 }\n`,
    ) as Record<string, unknown>;
    const doc = applyParams(pre, { migration: "postcopy" });
    expect(doc.migration).toEqual({ model: "postcopy", maxOutgoing: 1 });
    expect(() => parseScenario(JSON.stringify(doc), { format: "json" })).not.toThrow();
    // The same model keeps them.
    expect(applyParams(pre, { migration: "precopy" }).migration).toEqual({
      model: "precopy",
      downtimeLimit: "1s",
      maxOutgoing: 1,
    });
  });

  it("the help text's defaults come from the registry", () => {
    expect(detectorDefaults()).toBe("thr 0.8, iqr 1.5, mad 2.5, lr 1.2, lrr 1.2, none, dvfs");
  });
});
