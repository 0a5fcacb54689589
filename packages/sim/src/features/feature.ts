/**
 * Features: a scenario section that a feature package contributes, with what `vx run` does when a
 * scenario holds it. Composition only: the models live in the feature packages.
 *
 * @module
 */
import type { ScenarioSection } from "../scenario/section.js";
import type { Scenario } from "../scenario/types.js";

/** A feature section: its schema (for validation and the JSON Schema) and how to run it. */
export interface Feature<T = unknown> {
  /** The section, as registered with the scenario schema. */
  readonly section: ScenarioSection<T>;
  /** Runs the feature's model on the validated section; returns plain JSON. */
  readonly run: (value: T, scenario: Scenario) => unknown;
  /** A terminal table of what `run` returned. */
  readonly format: (output: unknown) => string;
}

/** Pads a table of strings into aligned columns (first row: headers). */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join("  "),
    )
    .join("\n");
}
