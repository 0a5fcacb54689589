/**
 * The default scenario of `vx run` is a real day whose report tells policies apart: on the first
 * six hours of PlanetLab 2011-03-03, THR 0.8 and LR 1.2 (both with MMT) give different energy,
 * migrations and SLA violations, with real pre-copy migrations that have downtimes.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO_YAML } from "../src/scenario/default.js";
import { parseScenario } from "../src/scenario/parse.js";
import { runScenario } from "../src/scenario/run.js";

function summary(policy: string) {
  const text = DEFAULT_SCENARIO_YAML.replace("duration: 24h", "duration: 6h").replace(
    "overload: thr, parameter: 0.8",
    policy,
  );
  return runScenario(parseScenario(text, { file: "default.yaml" })).result.summary;
}

describe("the default scenario", () => {
  it("THR and LR differ in energy, migrations and SLA violations on the first six hours", () => {
    const thr = summary("overload: thr, parameter: 0.8");
    const lr = summary("overload: lr, parameter: 1.2");
    expect(thr.vms).toBe(1052);
    for (const s of [thr, lr]) {
      expect(s.migrations).toBeGreaterThan(100);
      expect(s.slatah).toBeGreaterThan(0);
      expect(s.meanDowntimeSeconds).toBeGreaterThan(0);
    }
    expect(lr.energyKWh).not.toBe(thr.energyKWh);
    expect(lr.migrations).not.toBe(thr.migrations);
    expect(lr.slatah).not.toBe(thr.slatah);
  });
});
