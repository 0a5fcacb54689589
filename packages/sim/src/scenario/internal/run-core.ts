/**
 * The core of running a scenario, without the file system: the data center (with the extensions
 * of its data-center feature sections), then its standalone sections, and the provenance. The
 * caller gives the trace loader, the hash function and the package versions, so the same code
 * serves `runScenario` (Node) and the browser entry.
 */

import { VxError } from "@vx/core";
import {
  type DatacenterResult,
  type DatacenterSpec,
  runDatacenter,
  type TraceLoader,
} from "@vx/datacenter";
import type { Feature, FeatureExtension } from "../../features/feature.js";
import { type Scenario, scenarioSpec } from "../types.js";

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

/** Options of `runScenario`. */
export interface RunScenarioOptions {
  /** Called after each scheduling round with the fraction of rounds done. Default: none. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * The features whose sections the scenario may hold (the list given to `parseScenario`).
   * Default: the built-in ones.
   */
  readonly features?: readonly Feature[];
}

/** What `runScenario` returns: the result, and the feature sections' terminal tables. */
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

/** What {@link runScenarioWith} and {@link provenanceWith} need from the platform. */
export interface RunHost {
  /** The features whose sections the scenario may hold. */
  readonly features: readonly Feature[];
  /** Reads the traces of file workloads. */
  readonly loader: TraceLoader;
  /** SHA-256 of a UTF-8 text, hex. */
  readonly sha256: (text: string) => string;
  /** Versions of vx and its packages, for the provenance. */
  readonly versions: () => Readonly<Record<string, string>>;
  /** Called after each scheduling round with the fraction of rounds done. */
  readonly onProgress?: ((fraction: number) => void) | undefined;
}

/**
 * The provenance of a run of a scenario.
 *
 * @param scenario - a validated scenario.
 * @param host - the hash function and the versions.
 * @returns the resolved scenario, its hash, the seed and the versions.
 */
export function provenanceWith(
  scenario: Scenario,
  host: Pick<RunHost, "sha256" | "versions">,
): Provenance {
  const resolved = { ...scenarioSpec(scenario), extensions: scenario.extensions };
  return {
    scenario: resolved,
    scenarioHash: host.sha256(canonical(resolved)),
    seed: scenario.seed,
    versions: host.versions(),
  };
}

/**
 * Runs a validated scenario (see `runScenario`).
 *
 * @param scenario - a validated scenario.
 * @param host - features, trace loader, hash, versions, progress callback.
 * @returns the result and each feature's terminal table.
 */
export function runScenarioWith(scenario: Scenario, host: RunHost): ScenarioRun {
  const { features } = host;
  const attached: { readonly name: string; readonly ext: FeatureExtension }[] = [];
  for (const f of features) {
    const value = scenario.extensions[f.name];
    if (value === undefined || f.kind !== "datacenter") continue;
    const ext = f.extension(value, scenario);
    if (ext !== undefined) attached.push({ name: f.name, ext });
  }
  const dc = runDatacenter(scenarioSpec(scenario), {
    loader: host.loader,
    extensions: attached.map((a) => a.ext.extension),
    ...(host.onProgress === undefined ? {} : { onProgress: host.onProgress }),
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
    provenance: provenanceWith(scenario, host),
  };
  return { result, tables };
}

/**
 * Refuses hand-built input before anything runs: a value that is not a parsed scenario
 * (`VX_SIM_BAD_SCENARIO`; the spec's own checks in `runDatacenter` need the scenario's shape
 * first) and options that are not an object (`VX_SIM_BAD_OPTION`).
 *
 * @param scenario - what the caller gave as the scenario.
 * @param options - what the caller gave as the options.
 * @param caller - the function's name, for the messages.
 */
export function checkRunInput(scenario: unknown, options: unknown, caller: string): void {
  const shape = (typeof scenario === "object" && scenario !== null ? scenario : {}) as {
    readonly extensions?: unknown;
    readonly baseDir?: unknown;
  };
  if (
    typeof scenario !== "object" ||
    scenario === null ||
    typeof shape.extensions !== "object" ||
    shape.extensions === null ||
    typeof shape.baseDir !== "string"
  ) {
    throw new VxError(
      "VX_SIM_BAD_SCENARIO",
      `${caller} takes a scenario from parseScenario, loadScenario or defaultScenario.`,
      { path: [] },
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new VxError("VX_SIM_BAD_OPTION", `${caller}'s options must be an object.`, {
      path: [],
    });
  }
}
