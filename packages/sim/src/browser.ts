/**
 * `@vx/sim/browser`: the browser-safe part of `@vx/sim`, for web pages and Web Workers. Scenario
 * text is parsed and validated with the same schema, checks and line/column positions as
 * `vx validate`, run with the same composition as `vx run`, and turned into `result.json` and
 * `report.html` text. There is no file system: trace folders and CSV files come from a
 * `TraceLoader` (`memoryTraceLoader` of `@vx/datacenter`), and a `numa` section's captured host
 * (`sysfs`, `numactl`) is refused (`VX_PVM_NO_TOPOLOGY_READER`); give the topology inline.
 *
 * @packageDocumentation
 */

import { VxError } from "@vx/core";
import { memoryTraceLoader, type TraceLoader } from "@vx/datacenter";
import { builtinFeatures } from "./features/builtin.js";
import type { Feature } from "./features/feature.js";
import { parseScenarioText } from "./scenario/internal/parse-core.js";
import { checkRunInput, runScenarioWith, type ScenarioRun } from "./scenario/internal/run-core.js";
import { sha256Hex } from "./scenario/internal/sha256.js";
import { BAD_SCENARIO } from "./scenario/issues.js";
import type { Scenario } from "./scenario/types.js";
import { VERSION } from "./version.js";

export type { Feature } from "./features/feature.js";
export { REPORT_CHARTS, type ReportHtmlOptions, renderReportHtml } from "./report/html.js";
export { resultToJson } from "./report/json.js";
export { DEFAULT_SCENARIO_YAML } from "./scenario/default-yaml.js";
export type {
  Provenance,
  ScenarioResult,
  ScenarioRun,
} from "./scenario/internal/run-core.js";
export {
  BAD_SCENARIO,
  formatScenarioIssue,
  isScenarioIssue,
  type ScenarioIssue,
} from "./scenario/issues.js";
export type { Scenario } from "./scenario/types.js";
export { VERSION } from "./version.js";

/**
 * The built-in feature sections without file access: the same sections, schemas and checks as
 * `FEATURES` of `@vx/sim`, except that the `numa` section cannot read a captured host.
 */
export const BROWSER_FEATURES: readonly Feature[] = builtinFeatures(undefined);

/** Options of {@link parseScenarioInBrowser}. */
export interface BrowserParseOptions {
  /** `yaml` (default; also reads JSON) or `json` (strict JSON). */
  readonly format?: "yaml" | "json";
  /** A name for the text in messages (and the scenario's default name); default `<scenario>`. */
  readonly file?: string;
  /** Serves the trace folders and CSV files the scenario names. Default: an empty memory loader. */
  readonly loader?: TraceLoader;
}

/**
 * Parses and validates scenario text as `parseScenario` of `@vx/sim` does (schema, references,
 * fits, traces, feature sections), reporting every problem with its line and column.
 *
 * @param text - YAML or JSON text.
 * @param options - format, name, trace loader.
 * @returns the validated scenario (its `baseDir` is `"."`).
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SCENARIO` whose `issues` are
 * {@link ScenarioIssue}s (path, code, message, file, line, column).
 * @example
 * ```ts
 * import { DEFAULT_SCENARIO_YAML, parseScenarioInBrowser } from "@vx/sim/browser";
 * parseScenarioInBrowser(DEFAULT_SCENARIO_YAML).hosts.length; // 2
 * ```
 */
export function parseScenarioInBrowser(text: string, options: BrowserParseOptions = {}): Scenario {
  if (typeof text !== "string") {
    throw new VxError(
      BAD_SCENARIO,
      `parseScenarioInBrowser takes the text of a scenario (YAML or JSON); got ${text === null ? "null" : typeof text}.`,
      { path: [] },
    );
  }
  const file = options.file ?? "<scenario>";
  return parseScenarioText(text, {
    format: options.format ?? "yaml",
    file,
    baseDir: ".",
    name: defaultName(options.file),
    features: BROWSER_FEATURES,
    loader: options.loader ?? memoryTraceLoader({}),
  });
}

/** Options of {@link runScenarioInBrowser}. */
export interface BrowserRunOptions {
  /** Serves the trace folders and CSV files the scenario names. Default: an empty memory loader. */
  readonly loader?: TraceLoader;
  /** Called after each scheduling round with the fraction of rounds done. Default: none. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * Versions of the packages, recorded in the provenance next to `vx` (a bundle cannot read
   * `package.json` files at run time: import them). Default: `@vx/sim`'s only.
   */
  readonly versions?: Readonly<Record<string, string>>;
}

/**
 * Runs a validated scenario as `runScenario` of `@vx/sim` does: the data center with its
 * data-center feature sections, then the standalone sections; the provenance's hash is the same
 * SHA-256 of the same canonical JSON.
 *
 * @param scenario - from {@link parseScenarioInBrowser}.
 * @param options - trace loader, progress callback, versions.
 * @returns the result and each feature's terminal table.
 * @throws {@link @vx/core!VxError} as `runDatacenter` and the features' models do.
 * @example
 * ```ts
 * const { result } = runScenarioInBrowser(parseScenarioInBrowser(DEFAULT_SCENARIO_YAML));
 * const json = resultToJson(result);
 * ```
 */
export function runScenarioInBrowser(
  scenario: Scenario,
  options: BrowserRunOptions = {},
): ScenarioRun {
  checkRunInput(scenario, options, "runScenarioInBrowser");
  const versions = { vx: VERSION, ...(options.versions ?? {}) };
  return runScenarioWith(scenario, {
    features: BROWSER_FEATURES,
    loader: options.loader ?? memoryTraceLoader({}),
    sha256: sha256Hex,
    versions: () => versions,
    onProgress: options.onProgress,
  });
}

/** The name of a file without its folder and extension (`/` and `\` both separate). */
function defaultName(file: string | undefined): string {
  if (file === undefined) return "scenario";
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf(".");
  const name = dot > 0 ? base.slice(0, dot) : base;
  return name === "" ? "scenario" : name;
}
