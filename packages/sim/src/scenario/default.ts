/**
 * The embedded default scenario: what `vx run` runs without a file, on any machine (its traces
 * come in `@vx/traces-planetlab`). The same text is shipped as `examples/scenarios/default.yaml`.
 *
 * @module
 */

import { DEFAULT_SCENARIO_YAML } from "./default-yaml.js";
import { parseScenario } from "./parse.js";
import type { Scenario } from "./types.js";

export { DEFAULT_SCENARIO_YAML } from "./default-yaml.js";

/**
 * The default scenario, validated: what `vx run` runs when given no file.
 *
 * @returns a fresh copy of the default scenario (base units, defaults filled; `baseDir` is the
 * working directory, which it does not use).
 * @example
 * ```ts
 * const scenario = defaultScenario();
 * scenario.hosts; // [{ type: "hp-ml110-g4", count: 400 }, { type: "hp-ml110-g5", count: 400 }]
 * ```
 */
export function defaultScenario(): Scenario {
  return parseScenario(DEFAULT_SCENARIO_YAML, { file: "default.yaml" });
}
