/**
 * `vx sweep`: runs a grid of scenario variants on worker threads, one result file per point,
 * resumable and shardable, then writes a combined CSV and a comparison chart.
 *
 * Every point is the base scenario document with the point's parameters applied, validated like a
 * scenario file, and keyed on the scenario's content, the values and the vx version. A point's
 * result is written atomically to `<out>/points/<id>.json` with its key, so a killed sweep leaves
 * only whole files, a rerun skips the points already done, and a point computed from another
 * scenario is run again rather than reused. `--shard i/n` runs one slice of the grid (a task of a
 * Slurm job array or a Kubernetes Indexed Job); `vx sweep merge` combines the slices.
 *
 * @module
 */
import { resolve } from "node:path";
import { checkWritableDir, writeFileAtomic } from "../report/write.js";
import { pointScenario, readSweepBase, type SweepBase } from "./base.js";
import { writeCombined } from "./combine.js";
import { expandGrid, type GridPoint, type Shard, type SweepParam, shardPoints } from "./grid.js";
import { pointKey } from "./identity.js";
import { type JobsDecision, resolveJobs } from "./jobs.js";
import { manifestText, SWEEP_MANIFEST, sweepManifest } from "./manifest.js";
import { pointFilePath, readPointFile } from "./points.js";
import { runPool, type WorkerReply } from "./pool.js";

/** A task for the sweep worker: one point, with everything needed to compute it. */
export interface SweepTask {
  readonly id: string;
  /** The point's key, written into its file. */
  readonly key: string;
  readonly point: GridPoint;
  /** The sweep's base scenario (the same for every task). */
  readonly base: SweepBase;
  /** Where the point's file goes. */
  readonly outFile: string;
}

/** What the worker answers for a finished point. */
export interface SweepTaskResult {
  /** Wall-clock seconds the point took in the worker (for `vx sweep plan`; not in any file). */
  readonly seconds: number;
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** The base scenario file, or null for the embedded default. */
  readonly scenarioFile: string | null;
  readonly params: readonly SweepParam[];
  /** The output folder (`points/`, `sweep.json`, `sweep.csv`, `sweep.html`). */
  readonly outDir: string;
  /** Run one slice of the grid; default all of it. */
  readonly shard?: Shard | undefined;
  /** Worker threads; default one per core, and never more than the cores without `oversubscribe`. */
  readonly jobs?: number | undefined;
  /** Allow more workers than cores. Default false. */
  readonly oversubscribe?: boolean | undefined;
  /** Called as points end (done, total, the point, an error message if it failed). */
  readonly onPoint?: (done: number, total: number, point: GridPoint, error?: string) => void;
}

/** A point that failed. */
export interface SweepFailure {
  readonly id: string;
  readonly message: string;
  /** The `VxError` code when the failure is bad input (a user error), else absent. */
  readonly code?: string;
}

/** What {@link runSweep} did. */
export interface SweepOutcome {
  /** Points of this run (the shard's, or the whole grid's). */
  readonly total: number;
  /** Points of the whole grid. */
  readonly gridTotal: number;
  readonly ran: number;
  readonly skipped: number;
  /** Of `ran`: points whose file held a result of another scenario or vx version. */
  readonly stale: number;
  readonly failed: readonly SweepFailure[];
  /** Combined files written: empty for a shard, or when a point failed. */
  readonly files: readonly string[];
  /** Worker threads used, and a note when a request above the core count was lowered. */
  readonly jobs: JobsDecision;
}

/** A sweep read and validated: its base, its whole grid and the points of one shard. */
export interface PreparedSweep {
  readonly base: SweepBase;
  readonly grid: readonly GridPoint[];
  /** The shard's points (all of the grid without a shard). */
  readonly mine: readonly GridPoint[];
}

/**
 * Reads the base scenario, expands the grid and validates every point of the shard: what every
 * sweep command does before it runs or writes anything.
 *
 * @param scenarioFile - the base scenario file, or null for the embedded default.
 * @param params - the swept parameters.
 * @param shard - a slice; default the whole grid.
 * @returns the base, the grid and the shard's points.
 * @throws {@link @vx/core!VxError} for a bad scenario, parameter or point.
 */
export function prepareSweep(
  scenarioFile: string | null,
  params: readonly SweepParam[],
  shard?: Shard,
): PreparedSweep {
  const base = readSweepBase(scenarioFile);
  const grid = expandGrid(params);
  const mine = shardPoints(grid, shard);
  for (const point of mine) pointScenario(base, point);
  return { base, grid, mine };
}

/**
 * Runs a sweep. Every point is validated and the output folder checked before any runs (bad
 * values and unwritable folders fail fast); points whose file holds the point's current key are
 * skipped, others run (again). A whole-grid run that ends with every point done writes
 * `sweep.csv` and `sweep.html`; a shard leaves that to `vx sweep merge`.
 *
 * @param options - base scenario, parameters, output folder, shard, threads.
 * @returns counts, failures, the combined files written and the worker count.
 * @throws {@link @vx/core!VxError} for a bad parameter, shard, scenario, `--jobs` or output folder,
 * before anything runs.
 * @example
 * ```ts
 * const outcome = await runSweep({
 *   scenarioFile: null,
 *   params: [parseParam("policy=thr,mad"), parseParam("seed=1..3")],
 *   outDir: "sweep-out",
 * });
 * ```
 */
export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const { base, grid, mine } = prepareSweep(options.scenarioFile, options.params, options.shard);
  const out = checkWritableDir(options.outDir);
  await writeFileAtomic(
    resolve(out, SWEEP_MANIFEST),
    manifestText(sweepManifest(base, options.params, grid.length)),
  );

  const tasks: SweepTask[] = [];
  let stale = 0;
  for (const point of mine) {
    const key = pointKey(base.sha256, point.params);
    const outFile = pointFilePath(out, point.id);
    const existing = readPointFile(outFile);
    if (existing?.key === key) continue;
    if (existing !== undefined) stale++;
    tasks.push({ id: point.id, key, point, base, outFile });
  }
  const jobs = resolveJobs({
    requested: options.jobs,
    oversubscribe: options.oversubscribe,
    tasks: tasks.length,
  });

  const failed: SweepFailure[] = [];
  let done = 0;
  const byId = new Map(tasks.map((t) => [t.id, t.point]));
  await runPool<SweepTask, SweepTaskResult>(tasks, {
    workerUrl: workerUrl(),
    concurrency: jobs.jobs,
    onReply: (reply: WorkerReply<SweepTaskResult>) => {
      done++;
      const point = byId.get(reply.id)!;
      if (!reply.ok) {
        failed.push({
          id: reply.id,
          message: reply.error.message,
          ...(reply.error.code === undefined ? {} : { code: reply.error.code }),
        });
      }
      options.onPoint?.(done, tasks.length, point, reply.ok ? undefined : reply.error.message);
    },
  });

  const whole = options.shard === undefined || options.shard.count === 1;
  const files =
    whole && failed.length === 0 ? (await writeCombined(out, [out])).files : ([] as string[]);
  return {
    total: mine.length,
    gridTotal: grid.length,
    ran: tasks.length,
    skipped: mine.length - tasks.length,
    stale,
    failed,
    files,
    jobs,
  };
}

/**
 * The exit code a sweep's failures call for: 0 when none failed, 2 when every failure is bad input
 * (a `VxError` such as a VM that fits no host), 1 when one is an internal failure.
 *
 * @param failed - the failures of a sweep.
 * @returns 0, 1 or 2.
 */
export function sweepExitCode(failed: readonly SweepFailure[]): 0 | 1 | 2 {
  if (failed.length === 0) return 0;
  return failed.every((f) => f.code !== undefined) ? 2 : 1;
}

/** @internal Where the worker module is, from sources (tests, tsx) or from `dist/`. */
export function workerUrl(): URL {
  // From dist (dist/index.js, dist/cli.js) the worker is dist/sweep-worker.js; from sources
  // (src/sweep/run.ts under tsx or vitest) it is src/sweep-worker.ts.
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../sweep-worker.ts", here)
    : new URL("./sweep-worker.js", here);
}
