/**
 * Reading a scenario file: YAML or JSON text → a validated {@link Scenario}, or one `VxError`
 * listing every problem with its path and `file:line:column`.
 *
 * @module
 */

import { basename, dirname, extname, resolve } from "node:path";
import { VxError } from "@vx/core";
import { nodeTraceLoader } from "@vx/datacenter/node";
import { type Feature, mergeFeatures } from "../features/feature.js";
import { FEATURES } from "../features/index.js";
import { readTextCapped } from "./internal/files.js";
import { parseScenarioText } from "./internal/parse-core.js";
import { BAD_SCENARIO } from "./issues.js";
import type { Scenario } from "./types.js";

export {
  BAD_SCENARIO,
  formatScenarioIssue,
  isScenarioIssue,
  type ScenarioIssue,
} from "./issues.js";

/** Options of {@link parseScenario}. */
export interface ParseScenarioOptions {
  /** `yaml` (default; also reads JSON) or `json` (strict JSON). */
  readonly format?: "yaml" | "json";
  /** The file the text came from, for messages and the default name; default `<scenario>`. */
  readonly file?: string;
  /** Folder relative paths resolve against; default the file's folder, else the working directory. */
  readonly baseDir?: string;
  /** Feature sections to accept in addition to the built-in ones. */
  readonly features?: readonly Feature[];
}

/**
 * Largest scenario file read: 4 MiB, a thousand times a large scenario (the examples are 1–3 KiB).
 * A guard against reading a trace by mistake, and a bound on the parser's memory: the YAML reader
 * keeps a syntax tree of about 100 bytes per byte of text (a 4 MiB file of 100,000 one-line
 * mappings took 500 MiB of heap).
 */
export const MAX_SCENARIO_FILE_BYTES: number = 4 * 2 ** 20;

/**
 * Parses and validates scenario text.
 *
 * Use it for scenarios that do not come from a file (tests, generated scenarios); use
 * {@link loadScenario} for files. Everything is checked before anything runs, with the same
 * checks `runDatacenter` runs (`checkDatacenterSpec` of `@vx/datacenter`): the schema (types,
 * units, ranges, unknown keys), references between sections, VM types that fit no host,
 * `step ≤ duration`, totals and memory, the trace folders and CSV files the workloads read
 * (relative to `baseDir`), then the feature sections' own checks. Every problem is reported at
 * once.
 *
 * @param text - YAML or JSON text.
 * @param options - format, file name, base folder, extra feature sections.
 * @returns the scenario in base units with every default filled in.
 * @throws `VxError` `VX_SIM_BAD_SCENARIO` whose `issues` are {@link ScenarioIssue}s (path,
 * code, message, file, line, column), one per problem; `VX_SIM_BAD_SECTION` when two features
 * share a name or a feature is not one `defineFeature` made; `VX_SIM_BAD_OPTION` for options
 * that are not an object.
 * @example
 * ```ts
 * const scenario = parseScenario(yamlText, { file: "dc.yaml", baseDir: "." });
 * scenario.step; // 300
 * ```
 */
export function parseScenario(text: string, options: ParseScenarioOptions = {}): Scenario {
  if (typeof text !== "string") {
    throw new VxError(
      BAD_SCENARIO,
      `parseScenario takes the text of a scenario (YAML or JSON); got ${text === null ? "null" : typeof text}.`,
      { path: [] },
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `parseScenario's options must be an object; got ${options === null ? "null" : typeof options}.`,
      { path: [] },
    );
  }
  const file = options.file ?? "<scenario>";
  const baseDir = resolve(
    options.baseDir ?? (options.file === undefined ? "." : dirname(options.file)),
  );
  const extra = options.features ?? [];
  return parseScenarioText(text, {
    format: options.format ?? "yaml",
    file,
    baseDir,
    name: defaultName(options.file),
    features: extra.length === 0 ? FEATURES : mergeFeatures(FEATURES, extra),
    loader: nodeTraceLoader({ baseDir }),
  });
}

/**
 * Reads, parses and validates a scenario file (`.yaml`, `.yml` or `.json`).
 *
 * Relative paths inside the file (trace folders, CSV files) resolve against the file's folder;
 * the scenario's name defaults to the file name without its extension.
 *
 * @param path - the scenario file.
 * @param options - extra feature sections.
 * @returns the validated scenario.
 * @throws `VxError` `VX_SIM_SCENARIO_NOT_FOUND` when the file does not exist,
 * `VX_SIM_SCENARIO_UNREADABLE` when it cannot be read: a folder, a device, FIFO or socket
 * (refused without reading or blocking), more than 4 MiB, not UTF-8 text (a binary file), no
 * permission; `VX_SIM_BAD_SCENARIO` as {@link parseScenario}.
 * @example
 * ```ts
 * const scenario = loadScenario("examples/scenarios/planetlab-20110303.yaml");
 * ```
 */
export function loadScenario(
  path: string,
  options: { readonly features?: readonly Feature[] } = {},
): Scenario {
  const text = readScenarioText(path);
  const format = extname(path).toLowerCase() === ".json" ? "json" : "yaml";
  const parseOptions: ParseScenarioOptions = {
    format,
    file: path,
    baseDir: dirname(resolve(path)),
    ...(options.features === undefined ? {} : { features: options.features }),
  };
  return parseScenario(text, parseOptions);
}

function readScenarioText(path: string): string {
  const read = readTextCapped(path, MAX_SCENARIO_FILE_BYTES);
  if (read.ok) return read.text;
  if (read.reason === "missing") {
    throw new VxError("VX_SIM_SCENARIO_NOT_FOUND", `no scenario file at ${path}; check the path.`, {
      path: ["file"],
      cause: read.cause,
    });
  }
  const hint = read.reason === "folder" ? "; give a scenario file (.yaml or .json)" : "";
  throw new VxError("VX_SIM_SCENARIO_UNREADABLE", `${path} ${read.message}${hint}.`, {
    path: ["file"],
    cause: read.cause,
  });
}

function defaultName(file: string | undefined): string {
  if (file === undefined) return "scenario";
  const base = basename(file);
  const ext = extname(base);
  const name = ext === "" ? base : base.slice(0, -ext.length);
  return name === "" ? "scenario" : name;
}
