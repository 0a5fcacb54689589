/**
 * What every `vx sweep` command shares: the scenario positional, the `--param` flag and the
 * default output folders.
 *
 * @module
 */
import { PARAM_SHORTHANDS } from "../sweep/apply.js";
import { parseParam, type SweepParam } from "../sweep/grid.js";
import type { PositionalSpec, StringOption } from "./command.js";

/** Defaults of the sweep commands' output folders. */
export const SWEEP_CLI_DEFAULTS: {
  /** `vx sweep --out`, `vx sweep slurm --out`. */
  readonly out: string;
  /** `vx sweep kubernetes --manifests`. */
  readonly manifests: string;
} = { out: "sweep-out", manifests: "vx-kubernetes" };

/** The scenario positional every sweep command takes. */
export const SCENARIO_POSITIONAL: PositionalSpec = {
  name: "scenario",
  description: "the base scenario file (.yaml, .yml or .json); without it, the embedded default",
  optional: true,
};

/** The `--param` flag every sweep command takes. */
export const PARAM_OPTION: StringOption & { readonly repeatable: true } = {
  kind: "string",
  repeatable: true,
  placeholder: "<name=values>",
  description:
    "name=v1,v2,… or name=first..last[:step]; repeat for more parameters. Names are scenario " +
    "paths (seed, policy.overload, migration.model, …) or shorthands: " +
    Object.entries(PARAM_SHORTHANDS)
      .map(([short, path]) => `${short} (${path})`)
      .join(", "),
};

/** The scenario (at most one positional) and the `--param` flags of a sweep command. */
export function sweepInput(
  positionals: readonly string[],
  param: readonly string[],
): { scenarioFile: string | null; params: SweepParam[] } {
  return {
    scenarioFile: positionals[0] ?? null,
    params: param.map((p, i) => parseParam(p, i)),
  };
}
