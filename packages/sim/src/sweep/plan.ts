/**
 * `vx sweep plan`: what a cluster needs to know before a sweep is submitted: the number of points
 * and shards, and each shard's time and memory, estimated by running sample points here.
 *
 * The estimate is a measurement of this machine, not a model: a shard's time is the start-up
 * measured here plus its points (in waves of `jobs` workers) at the slowest sample's time, and its
 * memory the process's peak with one worker plus one worker's share for each further one. Points
 * of one sweep can differ widely in cost (a policy that migrates more, a longer trace): sample
 * more of them (`samples`) and keep the margin.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { VxError } from "@vx/core";
import { checkShards } from "./cluster.js";
import { type GridPoint, type SweepParam, shardPoints } from "./grid.js";
import { pointKey } from "./identity.js";
import { pointFilePath } from "./points.js";
import { runPool } from "./pool.js";
import { prepareSweep, type SweepTask, type SweepTaskResult, workerUrl } from "./run.js";
import { slurmMemory, slurmTime } from "./slurm.js";

/** Defaults of {@link planSweep}. */
export const PLAN_DEFAULTS: {
  /** Sample points run, spread evenly over the grid. */
  readonly samples: number;
  /** Worker threads per shard the estimate is for. */
  readonly jobs: number;
  /** Factor on the estimates for the suggested `--time` and `--mem` (an assumption, not a measurement). */
  readonly margin: number;
} = { samples: 1, jobs: 1, margin: 1.5 };

/** Options of {@link planSweep}. */
export interface PlanOptions {
  readonly scenarioFile: string | null;
  readonly params: readonly SweepParam[];
  /** Shards the sweep will run in; default 1. */
  readonly shards?: number | undefined;
  /** Worker threads per shard; default {@link PLAN_DEFAULTS}.jobs. */
  readonly jobs?: number | undefined;
  /** Sample points to run; default {@link PLAN_DEFAULTS}.samples. */
  readonly samples?: number | undefined;
}

/** What {@link planSweep} found. */
export interface SweepPlan {
  readonly points: number;
  readonly shards: number;
  /** Points in the smallest and the largest shard. */
  readonly pointsPerShard: { readonly min: number; readonly max: number };
  readonly jobs: number;
  readonly sample: {
    readonly ids: readonly string[];
    /** The slowest sample's compute time in its worker, seconds. */
    readonly pointSeconds: number;
    /** Start-up measured here (worker start, module load), seconds. */
    readonly startupSeconds: number;
    /** Peak resident memory of this process with one worker, bytes. */
    readonly peakBytes: number;
    /** What one worker added to it, bytes. */
    readonly workerBytes: number;
  };
  /** Estimated time and memory of the largest shard. */
  readonly perShard: { readonly seconds: number; readonly memoryBytes: number };
  /** The estimates times {@link PLAN_DEFAULTS}.margin, in Slurm's forms. */
  readonly suggested: { readonly time: string; readonly mem: string };
}

function positive(path: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new VxError(
      "VX_SIM_BAD_CLUSTER_OPTION",
      `--${path} ${String(value)}: use an integer ≥ 1.`,
      {
        path: [path],
      },
    );
  }
  return value;
}

/**
 * Plans a sweep: counts its points and shards and estimates a shard's time and memory by running
 * sample points on a worker thread here (their results go to a temporary folder, then away).
 *
 * @param options - the sweep, the shards, workers per shard, samples.
 * @returns counts, measurements and per-shard estimates with suggested Slurm limits.
 * @throws {@link @vx/core!VxError} for a bad scenario, parameter or point (as `runSweep`), or a bad
 * count; `VX_SIM_PLAN_FAILED` when a sample point fails.
 * @example
 * ```ts
 * const plan = await planSweep({ scenarioFile: null, params: [parseParam("seed=1..40")], shards: 4 });
 * plan.suggested; // e.g. { time: "0-00:02:00", mem: "256M" }
 * ```
 */
export async function planSweep(options: PlanOptions): Promise<SweepPlan> {
  const sweep = prepareSweep(options.scenarioFile, options.params);
  const shards = positive("shards", options.shards, 1);
  checkShards(shards, sweep.grid.length);
  const jobs = positive("jobs", options.jobs, PLAN_DEFAULTS.jobs);
  const samples = Math.min(
    positive("samples", options.samples, PLAN_DEFAULTS.samples),
    sweep.grid.length,
  );
  const sizes = Array.from(
    { length: shards },
    (_, i) => shardPoints(sweep.grid, { index: i + 1, count: shards }).length,
  );
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const s of sizes) {
    if (s < min) min = s;
    if (s > max) max = s;
  }

  const picks: GridPoint[] = [];
  for (let i = 0; i < samples; i++)
    picks.push(sweep.grid[Math.floor((i * sweep.grid.length) / samples)]!);
  const dir = mkdtempSync(join(tmpdir(), "vx-plan-"));
  let pointSeconds = 0;
  let computeSeconds = 0;
  const failures: string[] = [];
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  try {
    const tasks: SweepTask[] = picks.map((point) => ({
      id: point.id,
      key: pointKey(sweep.base.sha256, point.params),
      point,
      base: sweep.base,
      outFile: pointFilePath(dir, point.id),
    }));
    await runPool<SweepTask, SweepTaskResult>(tasks, {
      workerUrl: workerUrl(),
      concurrency: 1,
      onReply: (reply) => {
        if (!reply.ok) failures.push(`${reply.id}: ${reply.error.message}`);
        else {
          computeSeconds += reply.value.seconds;
          if (reply.value.seconds > pointSeconds) pointSeconds = reply.value.seconds;
        }
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failures.length > 0) {
    throw new VxError(
      "VX_SIM_PLAN_FAILED",
      `a sample point failed, so the sweep would too: ${failures[0]}`,
      {
        path: ["param"],
      },
    );
  }
  const startupSeconds = Math.max(0, (performance.now() - started) / 1000 - computeSeconds);
  const peakBytes = process.resourceUsage().maxRSS * 1024;
  const workerBytes = Math.max(0, peakBytes - baseline);
  const seconds = startupSeconds + Math.ceil(max / jobs) * pointSeconds;
  const memoryBytes = peakBytes + (jobs - 1) * workerBytes;
  const margin = PLAN_DEFAULTS.margin;
  const mib = 2 ** 20;
  return {
    points: sweep.grid.length,
    shards,
    pointsPerShard: { min, max },
    jobs,
    sample: { ids: picks.map((p) => p.id), pointSeconds, startupSeconds, peakBytes, workerBytes },
    perShard: { seconds, memoryBytes },
    suggested: {
      time: slurmTime(`${Math.max(60, Math.ceil(seconds * margin))}s`),
      mem: slurmMemory(`${Math.ceil((memoryBytes * margin) / (64 * mib)) * 64}MiB`),
    },
  };
}
