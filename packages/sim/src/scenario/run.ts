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
import { VxError } from "@vx/core";
import { type DatacenterResult, type DatacenterSpec, runDatacenter } from "@vx/datacenter";
import { nodeTraceLoader } from "@vx/datacenter/node";
import type { Feature, FeatureExtension } from "../features/feature.js";
import { FEATURES } from "../features/index.js";
import { VERSION } from "../version.js";
import { type Scenario, scenarioSpec } from "./types.js";

/** Where a result comes from: enough to run it again and to tell two results apart. */
export interface Provenance {
  /** The scenario as run: the validated spec (base units, defaults filled) and its feature sections. */
  readonly scenario: DatacenterSpec & { readonly extensions: Readonly<Record<string, unknown>> };
  /** SHA-256 of `scenario` as canonical JSON (keys sorted), hex. */
  readonly scenarioHash: string;
  /** The seed of every random stream. */
  readonly seed: number;
  /** Versions of vx (`@vx/sim`) and of the packages that produced the result. */
  readonly versions: Readonly<Record<string, string>>;
}

/** A result of `vx run`: the data center's, the features', and its provenance. */
export interface ScenarioResult extends DatacenterResult {
  readonly provenance: Provenance;
}

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Called after each scheduling round with the fraction of rounds done. Default: none. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * The features whose sections the scenario may hold (the list given to `parseScenario`).
   * Default: the built-in ones.
   */
  readonly features?: readonly Feature[];
}

/** What {@link runScenario} returns: the result, and the feature sections' terminal tables. */
export interface ScenarioRun {
  readonly result: ScenarioResult;
  readonly tables: readonly string[];
}

/** JSON with object keys sorted, so equal values give equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

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
  const resolved = { ...scenarioSpec(scenario), extensions: scenario.extensions };
  return {
    scenario: resolved,
    scenarioHash: createHash("sha256").update(canonical(resolved)).digest("hex"),
    seed: scenario.seed,
    versions: packageVersions(),
  };
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
  // Checked as unknown, so that no narrowing changes the declared types below.
  const given: unknown = scenario;
  const shape = (typeof given === "object" && given !== null ? given : {}) as {
    readonly extensions?: unknown;
    readonly baseDir?: unknown;
  };
  if (
    typeof given !== "object" ||
    given === null ||
    typeof shape.extensions !== "object" ||
    shape.extensions === null ||
    typeof shape.baseDir !== "string"
  ) {
    // Hand-built input: the spec's own checks (in runDatacenter) need the scenario's shape first.
    throw new VxError(
      "VX_SIM_BAD_SCENARIO",
      "runScenario takes a scenario from parseScenario, loadScenario or defaultScenario.",
      { path: [] },
    );
  }
  const opts: unknown = options;
  if (typeof opts !== "object" || opts === null) {
    throw new VxError("VX_SIM_BAD_OPTION", "runScenario's options must be an object.", {
      path: [],
    });
  }
  const features = options.features ?? FEATURES;
  const attached: { readonly name: string; readonly ext: FeatureExtension }[] = [];
  for (const f of features) {
    const value = scenario.extensions[f.name];
    if (value === undefined || f.kind !== "datacenter") continue;
    const ext = f.extension(value, scenario);
    if (ext !== undefined) attached.push({ name: f.name, ext });
  }
  const dc = runDatacenter(scenarioSpec(scenario), {
    loader: nodeTraceLoader({ baseDir: scenario.baseDir }),
    extensions: attached.map((a) => a.ext.extension),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  const extensions: Record<string, unknown> = { ...(dc.extensions ?? {}) };
  const tables: string[] = [];
  for (const a of attached) {
    const table = a.ext.table();
    if (table !== "") tables.push(table);
  }
  for (const f of features) {
    const value = scenario.extensions[f.name];
    if (value === undefined || f.kind !== "standalone") continue;
    const run = f.run(value, scenario);
    if (run === undefined) continue;
    extensions[f.name] = run.output;
    tables.push(run.table);
  }
  const { extensions: _dropped, ...rest } = dc;
  const result: ScenarioResult = {
    ...rest,
    ...(Object.keys(extensions).length === 0 ? {} : { extensions }),
    provenance: provenanceOf(scenario),
  };
  return { result, tables };
}
