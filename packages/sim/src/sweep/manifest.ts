/**
 * `sweep.json`: what a sweep folder holds, written by every `vx sweep` run (and shard) into its
 * output folder: the scenario's name and content hash, the parameters, the number of points and
 * the vx version. `vx sweep merge` reads it to know which points make the whole sweep, and which
 * point files belong to it.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { VxError } from "@vx/core";
import { VERSION } from "../version.js";
import type { SweepParam } from "./grid.js";
import { canonicalJson, SWEEP_FORMAT } from "./identity.js";

/** The manifest's file name in a sweep folder. */
export const SWEEP_MANIFEST = "sweep.json";

/** What `sweep.json` holds. Deterministic: no time, host or absolute path. */
export interface SweepManifest {
  readonly format: typeof SWEEP_FORMAT;
  /** The vx version that wrote it (part of every point's key). */
  readonly vx: string;
  readonly scenario: {
    /** The scenario file's name (no folder), or `default` for the embedded default. */
    readonly name: string;
    /** The content hash of the base scenario (see `scenarioHash`). */
    readonly sha256: string;
  };
  readonly params: readonly SweepParam[];
  /** Points in the whole grid (every shard). */
  readonly points: number;
}

/**
 * Builds a manifest.
 *
 * @param scenario - the base scenario's name and content hash.
 * @param params - the swept parameters.
 * @param points - the size of the whole grid.
 * @returns the manifest (this vx's version).
 */
export function sweepManifest(
  scenario: { readonly name: string; readonly sha256: string },
  params: readonly SweepParam[],
  points: number,
): SweepManifest {
  return {
    format: SWEEP_FORMAT,
    vx: VERSION,
    scenario: { name: scenario.name, sha256: scenario.sha256 },
    params: params.map((p) => ({ name: p.name, values: [...p.values] })),
    points,
  };
}

/**
 * The manifest as written: two-space JSON with a final newline (same manifest, same bytes).
 *
 * @param manifest - the manifest.
 * @returns the text of `sweep.json`.
 */
export function manifestText(manifest: SweepManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Whether two manifests describe the same sweep (same scenario content, parameters and vx).
 *
 * @param a - a manifest.
 * @param b - another.
 * @returns true when their points are interchangeable.
 */
export function sameSweep(a: SweepManifest, b: SweepManifest): boolean {
  return (
    a.vx === b.vx &&
    a.scenario.sha256 === b.scenario.sha256 &&
    canonicalJson(a.params) === canonicalJson(b.params)
  );
}

/**
 * Reads the manifest of a sweep folder.
 *
 * @param dir - the sweep's output folder.
 * @returns the manifest, or undefined when the folder has none.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SWEEP_DIR` when `sweep.json` exists but is not a
 * manifest of this format.
 */
export function readManifest(dir: string): SweepManifest | undefined {
  const file = join(dir, SWEEP_MANIFEST);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw new VxError("VX_SIM_BAD_SWEEP_DIR", `cannot read ${file}: ${String(error)}`, {
      path: ["dirs"],
      cause: error,
    });
  }
  let data: Partial<SweepManifest> | undefined;
  try {
    data = JSON.parse(text) as Partial<SweepManifest>;
  } catch {
    data = undefined;
  }
  if (
    data?.format !== SWEEP_FORMAT ||
    typeof data.vx !== "string" ||
    typeof data.scenario?.sha256 !== "string" ||
    typeof data.scenario.name !== "string" ||
    !Array.isArray(data.params) ||
    typeof data.points !== "number"
  ) {
    throw new VxError(
      "VX_SIM_BAD_SWEEP_DIR",
      `${file} is not a ${SWEEP_FORMAT} manifest; was the folder written by another vx? Run the sweep again into a new --out.`,
      { path: ["dirs"] },
    );
  }
  return data as SweepManifest;
}
