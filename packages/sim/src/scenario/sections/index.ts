/**
 * The built-in extension sections of scenario files.
 *
 * To add a section for a feature package: write `sections/<name>.ts` exporting
 * `defineScenarioSection({ name, description, schema, check? })`, then add it to this list. No
 * other file changes: the schema, `vx validate`, `vx schema` and `Scenario.extensions` pick it up.
 *
 * @module
 */

import { cloudsimSection } from "../../datacenter/compat.js";
import { features } from "../../features/index.js";
import type { ScenarioSection } from "../section.js";

/** Every built-in extension section, in the order they appear in the JSON Schema. */
export const builtinSections: readonly ScenarioSection[] = [
  cloudsimSection as ScenarioSection,
  ...features.map((f) => f.section),
];
