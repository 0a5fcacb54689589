/**
 * The base scenario of a sweep and the scenario of each point: the base document with the
 * point's parameters applied, validated exactly as a scenario file. Problems are reported at the
 * lines of the base file, or at the `--param` that caused them.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { VxError, type VxIssue } from "@vx/core";
import { parse as parseYaml } from "yaml";
import { DEFAULT_SCENARIO_YAML } from "../scenario/default.js";
import {
  BAD_SCENARIO,
  formatScenarioIssue,
  isScenarioIssue,
  loadScenario,
  parseScenario,
  type ScenarioIssue,
} from "../scenario/parse.js";
import type { Scenario } from "../scenario/types.js";
import { applyParams, PARAM_SHORTHANDS } from "./apply.js";
import type { GridPoint } from "./grid.js";
import { scenarioHash } from "./identity.js";
import { textLocator } from "./internal/locate.js";

/** The base scenario of a sweep, read once. */
export interface SweepBase {
  /** The scenario file (absolute), or null for the embedded default. */
  readonly file: string | null;
  /** How messages name it: the path as given, or `<default scenario>`. */
  readonly label: string;
  /** The file's name without folder (`default` for the embedded one): the manifest's name. */
  readonly name: string;
  /** The text as read, for positions in messages. */
  readonly text: string;
  /** The document (before validation). */
  readonly document: unknown;
  /** Its content hash (see `scenarioHash`). */
  readonly sha256: string;
  /** The folder relative paths in the scenario resolve against. */
  readonly baseDir: string;
}

/**
 * Reads and validates the base scenario of a sweep.
 *
 * @param scenarioFile - a scenario file (`.yaml`, `.yml`, `.json`), or null for the embedded default.
 * @returns the base, with its document and content hash.
 * @throws {@link @vx/core!VxError} as `loadScenario` when the file is missing or invalid.
 * @example
 * ```ts
 * const base = readSweepBase("dc.yaml");
 * base.sha256; // 64 hex digits: the content the sweep's points are keyed on
 * ```
 */
export function readSweepBase(scenarioFile: string | null): SweepBase {
  if (scenarioFile === null) {
    const document = parseYaml(DEFAULT_SCENARIO_YAML) as unknown;
    return {
      file: null,
      label: "<default scenario>",
      name: "default",
      text: DEFAULT_SCENARIO_YAML,
      document,
      sha256: scenarioHash(document),
      baseDir: process.cwd(),
    };
  }
  loadScenario(scenarioFile); // the base itself must be valid (and readable, and not too large)
  const file = resolve(scenarioFile);
  const text = readFileSync(file, "utf8");
  const document = (
    extname(file).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text)
  ) as unknown;
  return {
    file,
    label: scenarioFile,
    name: basename(file),
    text,
    document,
    sha256: scenarioHash(document),
    baseDir: resolve(file, ".."),
  };
}

/**
 * The document of one point: the base with the point's parameters applied (not validated).
 *
 * @param base - the sweep's base.
 * @param point - the grid point.
 * @returns a new document.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SWEEP_PARAM` when a parameter's path crosses a value that
 * is not an object.
 */
export function pointDocument(base: SweepBase, point: GridPoint): Record<string, unknown> {
  return applyParams(base.document, point.params);
}

/** The name `parseScenario` derives the scenario's default name from. */
export function scenarioFileName(base: SweepBase): string {
  return base.file ?? "default.yaml";
}

/**
 * Validates one point: the base document with the point's parameters, as a scenario file.
 *
 * @param base - the sweep's base (see {@link readSweepBase}).
 * @param point - the grid point.
 * @returns the scenario of this point.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SCENARIO` naming the point, whose issues point at
 * lines of the base file, or (without a line) at the `--param` whose value is wrong.
 * @example
 * ```ts
 * pointScenario(readSweepBase(null), expandGrid([parseParam("policy=mad")])[0]!);
 * ```
 */
export function pointScenario(base: SweepBase, point: GridPoint): Scenario {
  const document = pointDocument(base, point);
  try {
    return parseScenario(JSON.stringify(document), {
      format: "json",
      file: scenarioFileName(base),
      baseDir: base.baseDir,
    });
  } catch (error) {
    throw relocate(error, base, point);
  }
}

/** Moves the positions of a point's problems from the generated document to the base file. */
function relocate(error: unknown, base: SweepBase, point: GridPoint): unknown {
  if (!VxError.isInstance(error) || error.code !== BAD_SCENARIO) return error;
  let locate: ReturnType<typeof textLocator> | undefined;
  const params = Object.entries(point.params).map(([name, value]) => ({
    name,
    value,
    path: (PARAM_SHORTHANDS[name] ?? name).split("."),
  }));
  const issues: VxIssue[] = error.issues.map((issue) => {
    const from = params.find(
      (p) =>
        p.path.length <= issue.path.length &&
        p.path.every((segment, i) => String(issue.path[i]) === segment),
    );
    if (from !== undefined) {
      return {
        code: issue.code,
        message: `${issue.message} (from --param ${from.name}=${String(from.value)})`,
        path: issue.path,
      };
    }
    if (!isScenarioIssue(issue)) return issue;
    locate ??= textLocator(base.text);
    const atKey = issue.code === "VX_SCHEMA_UNKNOWN_KEY" || issue.message.startsWith("invalid key");
    const { line, column } = locate(issue.path, atKey);
    const located: ScenarioIssue = {
      code: issue.code,
      message: issue.message,
      path: issue.path,
      file: base.label,
      line,
      column,
    };
    return located;
  });
  const n = issues.length;
  let message = `Invalid scenario ${base.label} at sweep point ${point.id} (${n} ${n === 1 ? "problem" : "problems"}):`;
  for (const issue of issues) message += `\n  ${formatScenarioIssue(issue)}`;
  return new VxError(BAD_SCENARIO, message, {
    path: issues[0]?.path ?? [],
    issues,
    cause: error,
  });
}
