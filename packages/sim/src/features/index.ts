/**
 * Every feature section `vx run` knows. To add one: write `features/<name>.ts` exporting a
 * {@link Feature} and add it here; the scenario schema, `vx validate`, `vx schema` and `vx run`
 * pick it up.
 *
 * @module
 */
import type { Scenario } from "../scenario/types.js";
import type { Feature } from "./feature.js";
import { numaFeature } from "./numa.js";
import { pageflipFeature } from "./pageflip.js";

/** The feature sections, in the order `vx run` reports them. */
export const features: readonly Feature[] = [numaFeature as Feature, pageflipFeature as Feature];

/**
 * Runs the features whose sections the scenario holds.
 *
 * @param scenario - a validated scenario.
 * @returns each feature's JSON output and its terminal table, by section name.
 */
export function runFeatures(scenario: Scenario): {
  readonly outputs: Record<string, unknown>;
  readonly tables: readonly string[];
} {
  const outputs: Record<string, unknown> = {};
  const tables: string[] = [];
  for (const f of features) {
    const value = scenario.extensions[f.section.name];
    if (value === undefined) continue;
    const out = f.run(value, scenario);
    outputs[f.section.name] = out;
    tables.push(f.format(out));
  }
  return { outputs, tables };
}
