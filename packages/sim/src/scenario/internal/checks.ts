/**
 * The checks of a scenario file beyond its schema: the data-center spec's own checks
 * (`checkDatacenterSpec` of `@vx/datacenter`, the same `runDatacenter` runs, with the trace
 * loader the caller gives: in Node, the file's folder's), then the features' cross-checks. They run on the raw value, so
 * they report problems even when other parts of the file are invalid.
 */

import type { VxIssue } from "@vx/core";
import { checkDatacenterSpec, crossCheckSpec, type TraceLoader } from "@vx/datacenter";
import type { Feature } from "../../features/feature.js";
import type { Scenario } from "../types.js";

/** Options of {@link checkScenario}. */
export interface CheckScenarioOptions {
  /** Folder relative paths resolve against. */
  readonly baseDir: string;
  /** The feature sections the file may hold. */
  readonly features: readonly Feature[];
  /** Name to use when the file gives none. */
  readonly name: string;
  /** Whether the file passed its schema (otherwise only the cross-field rules run). */
  readonly schemaValid: boolean;
  /** Reads the traces of file workloads (the file system's, relative to `baseDir`, in Node). */
  readonly loader: TraceLoader;
}

/** The spec part of a file's top level: without `$schema` and the feature sections. */
export function specPart(
  raw: Readonly<Record<string, unknown>>,
  features: readonly Feature[],
): Record<string, unknown> {
  const names = new Set(features.map((f) => f.name));
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === "$schema" || names.has(key)) continue;
    spec[key] = value;
  }
  return spec;
}

/**
 * Checks a scenario file's top level beyond its schema.
 *
 * @param raw - the file's top-level object.
 * @param options - base folder, features, default name, whether the schema passed.
 * @returns the issues found (paths from the top of the file), and the scenario when there is none.
 */
export function checkScenario(
  raw: Readonly<Record<string, unknown>>,
  options: CheckScenarioOptions,
): { readonly issues: readonly VxIssue[]; readonly scenario: Scenario | undefined } {
  const spec = specPart(raw, options.features);
  const { loader } = options;
  if (!options.schemaValid)
    return { issues: crossCheckSpec(spec, { loader }), scenario: undefined };
  if (spec.name === undefined) spec.name = options.name;
  const check = checkDatacenterSpec(spec, { loader });
  if (check.spec === undefined) return { issues: check.issues, scenario: undefined };
  const extensions: Record<string, unknown> = {};
  for (const feature of options.features) {
    const value = raw[feature.name];
    if (value !== undefined) extensions[feature.name] = feature.parse(value);
  }
  const scenario: Scenario = { ...check.spec, extensions, baseDir: options.baseDir };
  const issues: VxIssue[] = [];
  for (const feature of options.features) {
    const value = extensions[feature.name];
    if (value === undefined) continue;
    for (const issue of feature.check(value, scenario)) {
      issues.push({
        code: issue.code,
        message: issue.message,
        path: [feature.name, ...issue.path],
      });
    }
  }
  return issues.length > 0 ? { issues, scenario: undefined } : { issues, scenario };
}
