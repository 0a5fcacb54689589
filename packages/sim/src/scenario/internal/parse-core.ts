/**
 * The core of reading a scenario: text → a validated scenario, or one `VxError` listing every
 * problem with its line and column. No file system: the caller gives the base folder (as it
 * should be written into the scenario), the default name and the trace loader, so the same code
 * serves `parseScenario` (Node) and the browser entry.
 */

import { parseWith, VxError, type VxIssue, type VxPath } from "@vx/core";
import type { TraceLoader } from "@vx/datacenter";
import type { Feature } from "../../features/feature.js";
import { BAD_SCENARIO, formatScenarioIssue, type ScenarioIssue } from "../issues.js";
import { buildScenarioFileSchema } from "../schema.js";
import type { Scenario } from "../types.js";
import { checkScenario } from "./checks.js";
import { readSource } from "./source.js";

/** What {@link parseScenarioText} needs besides the text. */
export interface ParseCoreOptions {
  /** `yaml` (also reads JSON) or `json` (strict JSON). */
  readonly format: "yaml" | "json";
  /** The file the text came from, for messages (`<scenario>` for none). */
  readonly file: string;
  /** Folder relative paths resolve against, as the scenario records it. */
  readonly baseDir: string;
  /** Name to use when the text gives none. */
  readonly name: string;
  /** The feature sections the text may hold. */
  readonly features: readonly Feature[];
  /** Reads the traces of file workloads (counts and checks them). */
  readonly loader: TraceLoader;
}

/**
 * Parses and validates scenario text (see `parseScenario`).
 *
 * @param text - YAML or JSON text.
 * @param options - format, file, base folder, default name, features, trace loader.
 * @returns the scenario.
 * @throws `VxError` `VX_SIM_BAD_SCENARIO` whose issues carry file, line and column.
 */
export function parseScenarioText(text: string, options: ParseCoreOptions): Scenario {
  const { file, features } = options;
  const source = readSource(text, options.format);
  const located = (issue: VxIssue): ScenarioIssue => {
    const atKey = issue.code === "VX_SCHEMA_UNKNOWN_KEY" || issue.message.startsWith("invalid key");
    const { line, column } = source.locate(issue.path, atKey);
    return { code: issue.code, message: issue.message, path: issue.path, file, line, column };
  };

  if (source.problems.length > 0) {
    throw badScenario(
      file,
      source.problems.map((p) => ({
        code: p.code,
        message: p.message,
        path: [],
        file,
        line: p.position.line,
        column: p.position.column,
      })),
    );
  }

  const issues = schemaIssues(schemaFor(features), source.value);
  const raw = source.value;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw badScenario(file, sortIssues(issues.map(located)));
  }
  const checked = checkScenario(raw as Record<string, unknown>, {
    baseDir: options.baseDir,
    features,
    name: options.name,
    schemaValid: issues.length === 0,
    loader: options.loader,
  });
  const all = [...issues, ...checked.issues];
  const scenario = checked.scenario;
  if (all.length > 0 || scenario === undefined) {
    throw badScenario(file, sortIssues(all.map(located)));
  }
  return scenario;
}

type FileSchema = ReturnType<typeof buildScenarioFileSchema>;

/** Schemas by feature list: the built-in lists are constants, so each is built once. */
const schemas = new WeakMap<readonly Feature[], FileSchema>();

function schemaFor(features: readonly Feature[]): FileSchema {
  let schema = schemas.get(features);
  if (schema === undefined) {
    schema = buildScenarioFileSchema(features);
    schemas.set(features, schema);
  }
  return schema;
}

/** The schema's issues, with the "got …" detail that `parseWith` adds. */
function schemaIssues(schema: FileSchema, value: unknown): VxIssue[] {
  try {
    parseWith(schema, value);
    return [];
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    return [...error.issues];
  }
}

function sortIssues(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.index - b.index,
    )
    .map((x) => x.issue);
}

function badScenario(file: string, issues: readonly ScenarioIssue[]): VxError {
  const count = issues.length;
  let message = `Invalid scenario ${file} (${count} ${count === 1 ? "problem" : "problems"}):`;
  for (const issue of issues) message += `\n  ${formatScenarioIssue(issue)}`;
  const first: VxPath = issues[0]?.path ?? [];
  return new VxError(BAD_SCENARIO, message, { path: first, issues });
}
