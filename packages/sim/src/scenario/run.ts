/**
 * Running a scenario: the composition `vx run` and `vx sweep` use. The data-center spec runs in
 * `@vx/datacenter` with the trace loader of the file's folder and the extensions of the
 * data-center features; the standalone features run beside it; the result records where it
 * comes from.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { nodeTraceLoader } from "@vx/datacenter/node";
import { FEATURES } from "../features/index.js";
import { VERSION } from "../version.js";
import {
  checkRunInput,
  type Provenance,
  provenanceWith,
  type RunScenarioOptions,
  runScenarioWith,
  type ScenarioRun,
} from "./internal/run-core.js";
import type { Scenario } from "./types.js";

export type {
  Provenance,
  RunScenarioOptions,
  ScenarioResult,
  ScenarioRun,
} from "./internal/run-core.js";

const PACKAGES = [
  "@vx/core",
  "@vx/datacenter",
  "@vx/migration",
  "@vx/numa",
  "@vx/pvm",
  "@vx/netio-pageflip",
] as const;

let versions: Readonly<Record<string, string>> | undefined;

/** The versions of vx and its packages, read once from their package.json files. */
function packageVersions(): Readonly<Record<string, string>> {
  if (versions === undefined) {
    const require = createRequire(import.meta.url);
    const out: Record<string, string> = { vx: VERSION };
    for (const name of PACKAGES) {
      try {
        out[name] = (require(`${name}/package.json`) as { version: string }).version;
      } catch {
        out[name] = "unknown";
      }
    }
    versions = out;
  }
  return versions;
}

/**
 * The provenance of a run of a scenario.
 *
 * @param scenario - a validated scenario.
 * @returns the resolved scenario, its hash, the seed and the versions.
 * @example
 * ```ts
 * provenanceOf(defaultScenario()).scenarioHash; // "3f1c…"
 * ```
 */
export function provenanceOf(scenario: Scenario): Provenance {
  return provenanceWith(scenario, { sha256, versions: packageVersions });
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Runs a validated scenario: the data center (with the extensions of its data-center feature
 * sections), then its standalone feature sections, and records the provenance.
 *
 * @param scenario - from `loadScenario`, `parseScenario` or `defaultScenario`.
 * @param options - a progress callback, the feature list.
 * @returns the result (with `extensions` for the feature sections and `provenance`) and each
 * feature's terminal table.
 * @throws {@link @vx/core!VxError} as `runDatacenter` and the features' models do;
 * `VX_SIM_BAD_SCENARIO` for a value that is not a parsed scenario, `VX_SIM_BAD_OPTION` for options
 * that are not an object.
 * @example
 * ```ts
 * const { result } = runScenario(loadScenario("examples/scenarios/default.yaml"));
 * result.summary.energyKWh;
 * ```
 */
export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioRun {
  checkRunInput(scenario, options, "runScenario");
  return runScenarioWith(scenario, {
    features: options.features ?? FEATURES,
    loader: nodeTraceLoader({ baseDir: scenario.baseDir }),
    sha256,
    versions: packageVersions,
    onProgress: options.onProgress,
  });
}
