/**
 * Combining a sweep: the point files of one or more sweep folders (a whole sweep, or the shards of
 * one) into `sweep.csv` and `sweep.html`. Only points of the sweep that `sweep.json` describes
 * count, and only with the key the point has now; a missing or stale point is an error (or, with
 * `partial`, left out and counted).
 *
 * @module
 */
import { resolve } from "node:path";
import { VxError } from "@vx/core";
import { renderSweepHtml, type SweepPoint, sweepToCsv } from "../report/sweep.js";
import { writeFilesAtomic } from "../report/write.js";
import { expandGrid } from "./grid.js";
import { pointKey } from "./identity.js";
import {
  manifestText,
  readManifest,
  SWEEP_MANIFEST,
  type SweepManifest,
  sameSweep,
} from "./manifest.js";
import { pointFilePath, readPointFile } from "./points.js";

/** Options of {@link writeCombined}. */
export interface CombineOptions {
  /** Write what is there when points are missing (default false: refuse). */
  readonly partial?: boolean | undefined;
}

/** What {@link writeCombined} did. */
export interface CombineOutcome {
  /** The files written (`sweep.json`, `sweep.csv`, `sweep.html`). */
  readonly files: readonly string[];
  /** Points combined. */
  readonly points: number;
  /** Ids of the points of the grid that no folder holds with the right key, in grid order. */
  readonly missing: readonly string[];
}

/**
 * Combines the point files of one or more sweep folders into `sweep.csv` and `sweep.html` in
 * `out` (and copies the manifest there). The folders must hold the same sweep (same scenario
 * content, parameters and vx version, from their `sweep.json`).
 *
 * @param out - where to write.
 * @param dirs - sweep output folders (e.g. one per shard, or one shared by every shard).
 * @param options - `partial` to write even when points are missing.
 * @returns the files written, the points combined and the ids missing.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SWEEP_DIR` when a folder has no `sweep.json`;
 * `VX_SIM_SWEEP_MISMATCH` when folders hold different sweeps; `VX_SIM_SWEEP_INCOMPLETE` when
 * points are missing (without `partial`); `VX_SIM_NO_POINTS` when none is found.
 * @example
 * ```ts
 * await writeCombined("sweep-out", ["shard-1", "shard-2"]);
 * ```
 */
export async function writeCombined(
  out: string,
  dirs: readonly string[],
  options: CombineOptions = {},
): Promise<CombineOutcome> {
  const folders = dirs.map((d) => resolve(d));
  const manifest = commonManifest(folders);
  const grid = expandGrid(manifest.params);
  const points: SweepPoint[] = [];
  const missing: string[] = [];
  for (const point of grid) {
    const key = pointKey(manifest.scenario.sha256, point.params, manifest.vx);
    let found: SweepPoint | undefined;
    for (const dir of folders) {
      const file = readPointFile(pointFilePath(dir, point.id));
      if (file?.key === key) {
        found = { params: file.point.params, summary: file.result.summary };
        break;
      }
    }
    if (found === undefined) missing.push(point.id);
    else points.push(found);
  }
  if (points.length === 0) {
    throw new VxError(
      "VX_SIM_NO_POINTS",
      `no finished point of this sweep under ${folders.join(", ")} (0 of ${grid.length}); run \`vx sweep\` first.`,
      { path: ["dirs"] },
    );
  }
  if (missing.length > 0 && options.partial !== true) {
    throw new VxError(
      "VX_SIM_SWEEP_INCOMPLETE",
      `${missing.length} of ${grid.length} points are missing or stale (${sample(missing)}); run the shards that hold them again (finished points are kept), or pass --partial to combine the ${points.length} there are.`,
      { path: ["dirs"] },
    );
  }
  const files = await writeFilesAtomic(resolve(out), {
    [SWEEP_MANIFEST]: manifestText(manifest),
    "sweep.csv": sweepToCsv(points),
    "sweep.html": renderSweepHtml(points),
  });
  return { files, points: points.length, missing };
}

function commonManifest(folders: readonly string[]): SweepManifest {
  if (folders.length === 0) {
    throw new VxError("VX_SIM_BAD_SWEEP_DIR", "give at least one sweep folder to combine.", {
      path: ["dirs"],
    });
  }
  let first: { dir: string; manifest: SweepManifest } | undefined;
  for (const dir of folders) {
    const manifest = readManifest(dir);
    if (manifest === undefined) {
      throw new VxError(
        "VX_SIM_BAD_SWEEP_DIR",
        `${dir} has no ${SWEEP_MANIFEST}: it is not the output folder of \`vx sweep\` (or no shard has started there yet).`,
        { path: ["dirs"] },
      );
    }
    if (first === undefined) first = { dir, manifest };
    else if (!sameSweep(first.manifest, manifest)) {
      throw new VxError(
        "VX_SIM_SWEEP_MISMATCH",
        `${first.dir} and ${dir} hold different sweeps (scenario ${first.manifest.scenario.name} ${first.manifest.scenario.sha256.slice(0, 12)} vs ${manifest.scenario.name} ${manifest.scenario.sha256.slice(0, 12)}, or other parameters or vx versions); combine only the shards of one sweep.`,
        { path: ["dirs"] },
      );
    }
  }
  return first!.manifest;
}

function sample(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).join(", ");
  return ids.length > 5 ? `${shown}, …` : shown;
}
