/**
 * The problems of a scenario file: issues with a file position, and how `vx validate` prints
 * them (browser-safe).
 *
 * @module
 */

import { formatPath, type VxIssue } from "@vx/core";

/** One problem in a scenario file: a `VxIssue` (from `@vx/core`) plus where it is in the file. */
export interface ScenarioIssue extends VxIssue {
  /** The file as given (or `<scenario>` for text without a file). */
  readonly file: string;
  /** 1-based line of the offending node (or of its closest existing parent). */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

/** The code of the error that lists a scenario's problems. */
export const BAD_SCENARIO = "VX_SIM_BAD_SCENARIO";

/**
 * Formats one problem the way `vx validate` prints it: `file:line:col  path  message`.
 *
 * @param issue - a {@link ScenarioIssue} (or a plain `VxIssue`, printed without a location).
 * @returns one line.
 * @example
 * ```ts
 * formatScenarioIssue(issue); // "dc.yaml:12:12  hosts[0].count  expected an integer ≥ 1, got 0"
 * ```
 */
export function formatScenarioIssue(issue: VxIssue): string {
  const where = isScenarioIssue(issue) ? `${issue.file}:${issue.line}:${issue.column}  ` : "";
  return `${where}${formatPath(issue.path)}  ${issue.message}`;
}

/**
 * Whether an issue carries a file position (issues of `VX_SIM_BAD_SCENARIO` errors do).
 *
 * @param issue - an issue of a `VxError`.
 * @returns true when it has `file`, `line` and `column`.
 */
export function isScenarioIssue(issue: VxIssue): issue is ScenarioIssue {
  const candidate = issue as Partial<ScenarioIssue>;
  return (
    typeof candidate.file === "string" &&
    typeof candidate.line === "number" &&
    typeof candidate.column === "number"
  );
}
