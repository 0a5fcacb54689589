/**
 * `vx sweep`: runs a grid of scenario variants on worker threads, one result file per point,
 * resumable and shardable, then writes a combined CSV and a comparison chart.
 *
 * Every point is the base scenario document with the point's parameters applied, validated like a
 * scenario file. A point's result is written atomically to `<out>/points/<id>.json`, so a killed
 * sweep leaves only whole files and a rerun skips the points already done. `--shard i/n` runs one
 * slice of the grid (a job array on Slurm or Kubernetes); `vx sweep merge` combines the slices.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { VxError } from "@vx/core";
import type { DatacenterResult } from "@vx/datacenter";
import { parse as parseYaml } from "yaml";
import { renderSweepHtml, type SweepPoint, sweepToCsv } from "../report/sweep.js";
import { writeFilesAtomic } from "../report/write.js";
import { DEFAULT_SCENARIO_YAML } from "../scenario/default.js";
import { loadScenario, parseScenario } from "../scenario/parse.js";
import { applyParams } from "./apply.js";
import { expandGrid, type GridPoint, type Shard, type SweepParam, shardPoints } from "./grid.js";
import { runPool, type WorkerReply } from "./pool.js";

/** What a point's file holds. */
export interface PointFile {
  readonly point: GridPoint;
  readonly result: DatacenterResult;
}

/** A task for the sweep worker. */
export interface SweepTask {
  readonly id: string;
  /** The base scenario file, or null for the embedded default. */
  readonly scenarioFile: string | null;
  readonly point: GridPoint;
  readonly outFile: string;
}

/** Options of {@link runSweep}. */
export interface SweepOptions {
  readonly scenarioFile: string | null;
  readonly params: readonly SweepParam[];
  readonly outDir: string;
  readonly shard?: Shard | undefined;
  /** Worker threads; default all cores. */
  readonly jobs?: number | undefined;
  /** Called as points end (done, total, the point, an error message if it failed). */
  readonly onPoint?: (done: number, total: number, point: GridPoint, error?: string) => void;
}

/** What {@link runSweep} did. */
export interface SweepOutcome {
  readonly total: number;
  readonly ran: number;
  readonly skipped: number;
  readonly failed: readonly { readonly id: string; readonly message: string }[];
  readonly files: readonly string[];
}

/** Reads the base document of a sweep (a scenario file, or the embedded default). */
export function readBaseDocument(scenarioFile: string | null): unknown {
  if (scenarioFile === null) return parseYaml(DEFAULT_SCENARIO_YAML) as unknown;
  const text = readFileSync(scenarioFile, "utf8");
  return scenarioFile.toLowerCase().endsWith(".json") ? JSON.parse(text) : parseYaml(text);
}

/**
 * Validates one point: the base document with the point's parameters, as a scenario file.
 *
 * @param scenarioFile - the base file (null: the default scenario).
 * @param point - the grid point.
 * @returns the scenario of this point.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_SCENARIO` naming the point when a value does not validate.
 */
export function pointScenario(
  scenarioFile: string | null,
  point: GridPoint,
): ReturnType<typeof parseScenario> {
  const doc = applyParams(readBaseDocument(scenarioFile), point.params);
  const baseDir = scenarioFile === null ? process.cwd() : resolve(scenarioFile, "..");
  return parseScenario(JSON.stringify(doc, null, 2), {
    format: "json",
    file: `${scenarioFile ?? "default scenario"} [${point.id}]`,
    baseDir,
  });
}

/**
 * Runs a sweep. Every point is validated before any runs (bad values fail fast with their point);
 * points whose result file exists are skipped.
 *
 * @param options - base scenario, parameters, output folder, shard, threads.
 * @returns counts, failures and the combined files written.
 * @throws {@link @vx/core!VxError} for a bad parameter, shard or scenario, before anything runs.
 */
export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const out = resolve(options.outDir);
  if (options.scenarioFile !== null) loadScenario(options.scenarioFile); // the base must be valid
  const grid = expandGrid(options.params);
  const mine = shardPoints(grid, options.shard);
  for (const point of mine) pointScenario(options.scenarioFile, point); // validate all first
  const pointsDir = join(out, "points");
  const todo = mine.filter((p) => readPointFile(join(pointsDir, `${p.id}.json`)) === undefined);
  const tasks: SweepTask[] = todo.map((point) => ({
    id: point.id,
    scenarioFile: options.scenarioFile === null ? null : resolve(options.scenarioFile),
    point,
    outFile: join(pointsDir, `${point.id}.json`),
  }));
  const failed: { id: string; message: string }[] = [];
  let done = 0;
  const byId = new Map(todo.map((p) => [p.id, p]));
  await runPool<SweepTask, true>(tasks, {
    workerUrl: workerUrl(),
    concurrency: options.jobs,
    onReply: (reply: WorkerReply<true>) => {
      done++;
      const point = byId.get(reply.id)!;
      if (!reply.ok) failed.push({ id: reply.id, message: reply.error.message });
      options.onPoint?.(done, todo.length, point, reply.ok ? undefined : reply.error.message);
    },
  });
  const files = await writeCombined(out, [out]);
  return {
    total: mine.length,
    ran: todo.length,
    skipped: mine.length - todo.length,
    failed,
    files,
  };
}

/**
 * Combines the point files of one or more sweep folders (e.g. the slices of a sharded sweep) into
 * `sweep.csv` and `sweep.html` in `out`.
 *
 * @param out - where to write.
 * @param dirs - sweep output folders to read `points/` from.
 * @returns the files written.
 * @throws {@link @vx/core!VxError} `VX_SIM_NO_POINTS` when no point file is found.
 */
export async function writeCombined(
  out: string,
  dirs: readonly string[],
): Promise<readonly string[]> {
  const byId = new Map<string, PointFile>();
  for (const dir of dirs) {
    const pointsDir = join(resolve(dir), "points");
    if (!existsSync(pointsDir)) continue;
    for (const name of readdirSync(pointsDir).sort()) {
      if (!name.endsWith(".json")) continue;
      const file = readPointFile(join(pointsDir, name));
      if (file !== undefined && !byId.has(file.point.id)) byId.set(file.point.id, file);
    }
  }
  if (byId.size === 0) {
    throw new VxError(
      "VX_SIM_NO_POINTS",
      `no finished sweep points under ${dirs.map((d) => join(d, "points")).join(", ")}; run \`vx sweep\` first.`,
      { path: ["dirs"] },
    );
  }
  const ordered = [...byId.values()].sort((a, b) => a.point.index - b.point.index);
  const points: SweepPoint[] = ordered.map((f) => ({
    params: f.point.params,
    summary: f.result.summary,
  }));
  return writeFilesAtomic(out, {
    "sweep.csv": sweepToCsv(points),
    "sweep.html": renderSweepHtml(points),
  });
}

/** A point file, or undefined if missing or not a whole, valid point (a rerun recomputes it). */
function readPointFile(path: string): PointFile | undefined {
  try {
    const data = JSON.parse(readFileSync(path, "utf8")) as Partial<PointFile>;
    if (data.point === undefined || data.result?.summary === undefined) return undefined;
    return data as PointFile;
  } catch {
    return undefined;
  }
}

function workerUrl(): URL {
  // From dist (dist/index.js, dist/cli.js) the worker is dist/sweep-worker.js; from sources
  // (src/sweep/run.ts under tsx or vitest) it is src/sweep-worker.ts.
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../sweep-worker.ts", here)
    : new URL("./sweep-worker.js", here);
}
