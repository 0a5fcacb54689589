/**
 * A scenario after validation: a data-center spec of `@vx/datacenter` (every quantity in base
 * units, every default filled in, every group's count known), plus what only a scenario file has:
 * the feature sections it holds and the folder it was read from.
 *
 * @module
 */

import type { DatacenterSpec } from "@vx/datacenter";

/** A validated scenario. */
export interface Scenario extends DatacenterSpec {
  /**
   * The feature sections the file holds (`numa`, `pageflip`, …), each parsed by its feature's
   * schema, by section name; absent sections are absent.
   */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Folder the scenario file was read from: relative paths (traces, CSV) resolve against it. */
  readonly baseDir: string;
}

/**
 * The data-center spec of a scenario: everything but the file-level fields.
 *
 * @param scenario - a validated scenario.
 * @returns the spec, as `runDatacenter` takes it.
 * @example
 * ```ts
 * runDatacenter(scenarioSpec(scenario), { loader: nodeTraceLoader({ baseDir: scenario.baseDir }) });
 * ```
 */
export function scenarioSpec(scenario: Scenario): DatacenterSpec {
  const { extensions: _extensions, baseDir: _baseDir, ...spec } = scenario;
  return spec;
}
