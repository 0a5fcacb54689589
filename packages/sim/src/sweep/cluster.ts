/**
 * What the cluster paths of a sweep (Slurm, Kubernetes) share: the command line of one shard and
 * of the merge, with absolute paths, so that every node runs exactly the sweep that was checked.
 *
 * @module
 */
import { VxError } from "@vx/core";
import { formatParam, type SweepParam } from "./grid.js";
import { shellJoin } from "./internal/shell.js";
import type { PreparedSweep } from "./run.js";

/**
 * Checks a command prefix that starts vx on the cluster (`vx`, `npx vx`, `node /opt/vx/bin/vx.js`):
 * it is inserted as written into a shell script, so it may hold variables, but not line breaks.
 *
 * @param vx - the prefix.
 * @param flag - the flag or option it came from, for the error path.
 * @returns the prefix, trimmed.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_CLUSTER_OPTION` when empty or multi-line.
 */
export function checkVxCommand(vx: string, flag = "vx"): string {
  const trimmed = vx.trim();
  if (trimmed === "" || /[\r\n]/.test(trimmed)) {
    throw new VxError(
      "VX_SIM_BAD_CLUSTER_OPTION",
      `--${flag} "${vx}": give the command that starts vx on the cluster's nodes, on one line (e.g. vx, or node /shared/vx/bin/vx.js).`,
      { path: [flag] },
    );
  }
  return trimmed;
}

/**
 * The arguments of `vx sweep` for the whole sweep (a shard adds `--shard i/n` and `--jobs k`).
 *
 * @param sweep - the prepared sweep (its base file, if any, is absolute).
 * @param params - the parameters.
 * @param out - the output folder as the nodes see it.
 * @returns shell-quoted words after the vx command: `sweep <file> --param … --out <out>`.
 */
export function sweepWords(
  sweep: PreparedSweep,
  params: readonly SweepParam[],
  out: string,
  scenarioPath: string | null = sweep.base.file,
): string {
  const words = ["sweep"];
  if (scenarioPath !== null) words.push(scenarioPath);
  for (const p of params) words.push("--param", formatParam(p));
  words.push("--out", out);
  return shellJoin(words);
}

/**
 * Checks a shard count against the grid.
 *
 * @param shards - shards asked for.
 * @param points - points in the grid.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_CLUSTER_OPTION` (path `["shards"]`) when it is not
 * an integer from 1 to the number of points.
 */
export function checkShards(shards: number, points: number): void {
  if (!Number.isSafeInteger(shards) || shards < 1 || shards > points) {
    throw new VxError(
      "VX_SIM_BAD_CLUSTER_OPTION",
      `--shards ${String(shards)}: use an integer from 1 to the ${points} points of the grid (each shard runs at least one point).`,
      { path: ["shards"] },
    );
  }
}
