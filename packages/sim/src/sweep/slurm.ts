/**
 * Sweeps on Slurm: a job array whose task `i` runs shard `i/N` of the sweep into a shared output
 * folder, and a merge job that runs once every task has succeeded (`--dependency=afterok`).
 *
 * The scripts follow Slurm's documentation of job arrays (`--array`, `SLURM_ARRAY_TASK_ID`,
 * `%A_%a` in file names) and dependencies (`--dependency=afterok:<job>`, which for an array means
 * every task; `--kill-on-invalid-dep=yes` cancels the merge when a task fails rather than leaving
 * it pending): https://slurm.schedmd.com/job_array.html, https://slurm.schedmd.com/sbatch.html.
 * A failed, cancelled or preempted task rerun (or the whole array resubmitted) runs only the
 * points still missing: finished points are skipped by their key.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { chmod, mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseBytes, parseDuration, VxError } from "@vx/core";
import { checkWritableDir, writeFilesAtomic } from "../report/write.js";
import { checkShards, checkVxCommand, sweepWords } from "./cluster.js";
import type { SweepParam } from "./grid.js";
import { shellQuote } from "./internal/shell.js";
import { prepareSweep } from "./run.js";

/** Defaults of {@link writeSlurmJob}. */
export const SLURM_DEFAULTS: {
  /** `#SBATCH --job-name` of the array (the merge job adds `-merge`). */
  readonly jobName: string;
  /** `#SBATCH --cpus-per-task`, and the worker threads of each task (`vx sweep --jobs`). */
  readonly cpusPerTask: number;
  /** The command that starts vx on the nodes. */
  readonly vx: string;
  /** The folder, inside the sweep's output folder, that holds the scripts and `logs/`. */
  readonly folder: string;
} = { jobName: "vx-sweep", cpusPerTask: 1, vx: "vx", folder: "slurm" };

/** The files {@link writeSlurmJob} writes into `<out>/slurm/`. */
export const SLURM_FILES: {
  readonly sweep: "sweep.sbatch";
  readonly merge: "merge.sbatch";
  readonly submit: "submit.sh";
} = { sweep: "sweep.sbatch", merge: "merge.sbatch", submit: "submit.sh" };

/** Options of {@link writeSlurmJob}. */
export interface SlurmOptions {
  /** The base scenario file (written into the script as an absolute path), or null for the default. */
  readonly scenarioFile: string | null;
  readonly params: readonly SweepParam[];
  /** The output folder, on a file system every node sees (written as an absolute path). */
  readonly outDir: string;
  /** Tasks of the job array (1 ≤ shards ≤ points). */
  readonly shards: number;
  /** `#SBATCH --partition`; default the cluster's. */
  readonly partition?: string | undefined;
  /** `#SBATCH --account`; default the user's. */
  readonly account?: string | undefined;
  /** Time limit per task: a duration (`1h`, `90min`) or Slurm's `[D-]HH:MM:SS`; default the partition's. */
  readonly time?: string | undefined;
  /** Memory per task: a size (`2GiB`) or Slurm's `2G`, `512M`; default the partition's. */
  readonly mem?: string | undefined;
  /** Cores per task, also its worker threads; default {@link SLURM_DEFAULTS}.cpusPerTask. */
  readonly cpusPerTask?: number | undefined;
  /** Tasks running at once (`--array=1-N%M`); default no limit. */
  readonly maxRunning?: number | undefined;
  /** Job name; default {@link SLURM_DEFAULTS}.jobName. */
  readonly jobName?: string | undefined;
  /** Command prefix that starts vx on the nodes; default {@link SLURM_DEFAULTS}.vx. */
  readonly vx?: string | undefined;
  /** Working folder of the jobs (`--chdir`); default the current one. */
  readonly workDir?: string | undefined;
}

/** What {@link writeSlurmJob} wrote. */
export interface SlurmJob {
  /** The folder of the scripts (`<out>/slurm`). */
  readonly dir: string;
  /** Absolute paths of the job array script, the merge script and `submit.sh`. */
  readonly files: { readonly sweep: string; readonly merge: string; readonly submit: string };
  readonly shards: number;
  /** Points in the grid. */
  readonly points: number;
  /** The sweep's output folder (absolute). */
  readonly outDir: string;
}

function bad(path: string, message: string): VxError {
  return new VxError("VX_SIM_BAD_CLUSTER_OPTION", message, { path: [path] });
}

/**
 * A time limit in Slurm's form: Slurm's own `[D-]HH:MM[:SS]` or `MM:SS` is kept; a vx duration
 * (`1h`, `90min`, `2d`) is rounded up to whole minutes as `D-HH:MM:00`.
 *
 * @param text - the limit.
 * @returns the `--time` value.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_CLUSTER_OPTION` for a bare number (minutes or
 * seconds?), a duration under a minute, or text that is neither form.
 * @example
 * ```ts
 * slurmTime("90min"); // "0-01:30:00"
 * ```
 */
export function slurmTime(text: string): string {
  const t = text.trim();
  if (/^(\d+-)?\d+:\d{2}(:\d{2})?$/.test(t)) return t;
  if (/^\d+(\.\d+)?$/.test(t)) {
    throw bad("time", `--time "${text}": say the unit (e.g. 90min, 2h) or use Slurm's HH:MM:SS.`);
  }
  let seconds: number;
  try {
    seconds = parseDuration(t, ["time"]);
  } catch (error) {
    throw bad(
      "time",
      `--time "${text}": use a duration such as 2h or 90min, or Slurm's [D-]HH:MM:SS. ${(error as Error).message}`,
    );
  }
  if (!(seconds >= 60) || !Number.isFinite(seconds)) {
    throw bad("time", `--time "${text}": give at least one minute.`);
  }
  const minutes = Math.ceil(seconds / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${d}-${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00`;
}

/**
 * A memory request in Slurm's form: Slurm's own `<n>[K|M|G|T]` is kept; a vx size (`2GiB`,
 * `1.5GB`) is rounded up to whole MiB as `<n>M` (Slurm's units are powers of 1024).
 *
 * @param text - the request.
 * @returns the `--mem` value.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_CLUSTER_OPTION` for a bare number, zero, or text
 * that is neither form.
 * @example
 * ```ts
 * slurmMemory("1.5GiB"); // "1536M"
 * ```
 */
export function slurmMemory(text: string): string {
  const t = text.trim();
  if (/^[1-9]\d*[KMGT]$/.test(t)) return t;
  if (/^\d+(\.\d+)?$/.test(t)) {
    throw bad("mem", `--mem "${text}": say the unit (e.g. 2G, 512M or 2GiB).`);
  }
  let bytes: number;
  try {
    bytes = parseBytes(t, ["mem"]);
  } catch (error) {
    throw bad(
      "mem",
      `--mem "${text}": use a size such as 2GiB or Slurm's 2G. ${(error as Error).message}`,
    );
  }
  if (!(bytes > 0) || !Number.isFinite(bytes))
    throw bad("mem", `--mem "${text}": give more than 0.`);
  return `${Math.ceil(bytes / 2 ** 20)}M`;
}

function checkName(path: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\w.,-]{1,128}$/.test(value)) {
    throw bad(
      path,
      `--${path} "${value}": use letters, digits, '.', '_', '-' (and ',' between names).`,
    );
  }
  return value;
}

function positiveInt(
  path: string,
  value: number | undefined,
  fallback?: number,
): number | undefined {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw bad(path, `--${path} ${String(value)}: use an integer ≥ 1.`);
  }
  return value;
}

/**
 * Writes a ready Slurm job for a sweep into `<out>/slurm/`: `sweep.sbatch` (a job array of
 * `shards` tasks, task `i` running `vx sweep … --shard i/shards` into `out`), `merge.sbatch`
 * (`vx sweep merge out`) and `submit.sh` (submits both, the merge with `--dependency=afterok` on
 * the array). Every point is validated and every option checked before anything is written.
 *
 * @param options - the sweep, the shared output folder, the shards and the Slurm options.
 * @returns where the scripts are.
 * @throws {@link @vx/core!VxError} for a bad scenario, parameter or point (as `runSweep`),
 * `VX_SIM_BAD_CLUSTER_OPTION` for a bad Slurm option, `VX_SIM_BAD_OUT` for an output folder that
 * cannot be written.
 * @example
 * ```ts
 * const job = await writeSlurmJob({
 *   scenarioFile: "dc.yaml",
 *   params: [parseParam("policy=thr,mad"), parseParam("seed=1..50")],
 *   outDir: "/shared/sweeps/dc",
 *   shards: 20,
 *   time: "1h",
 *   mem: "2GiB",
 * });
 * await submitSlurmJob(job); // { arrayJob: "1234", mergeJob: "1235" }
 * ```
 */
export async function writeSlurmJob(options: SlurmOptions): Promise<SlurmJob> {
  const sweep = prepareSweep(options.scenarioFile, options.params);
  checkShards(options.shards, sweep.grid.length);
  const partition = checkName("partition", options.partition);
  const account = checkName("account", options.account);
  const jobName = checkName("job-name", options.jobName) ?? SLURM_DEFAULTS.jobName;
  const time = options.time === undefined ? undefined : slurmTime(options.time);
  const mem = options.mem === undefined ? undefined : slurmMemory(options.mem);
  const cpus = positiveInt("cpus-per-task", options.cpusPerTask, SLURM_DEFAULTS.cpusPerTask)!;
  const maxRunning = positiveInt("max-running", options.maxRunning);
  const vx = checkVxCommand(options.vx ?? SLURM_DEFAULTS.vx);
  const out = checkWritableDir(options.outDir);
  const workDir = resolve(options.workDir ?? process.cwd());
  const dir = join(out, SLURM_DEFAULTS.folder);
  const logs = join(dir, "logs");

  const common = (name: string, log: string): string[] => [
    `#SBATCH --job-name=${name}`,
    `#SBATCH --output=${join(logs, log)}`,
    `#SBATCH --chdir=${workDir}`,
    ...(partition === undefined ? [] : [`#SBATCH --partition=${partition}`]),
    ...(account === undefined ? [] : [`#SBATCH --account=${account}`]),
    ...(time === undefined ? [] : [`#SBATCH --time=${time}`]),
    ...(mem === undefined ? [] : [`#SBATCH --mem=${mem}`]),
  ];
  const words = sweepWords(sweep, options.params, out);
  const n = options.shards;
  const sweepScript = [
    "#!/bin/bash",
    `# vx sweep on Slurm: task i of this job array runs shard i/${n} of a ${sweep.grid.length}-point sweep`,
    `# into ${out}. Written by \`vx sweep slurm\`; submit it with submit.sh. A task that is`,
    "# rerun (or the array resubmitted) runs only the points still missing.",
    `#SBATCH --array=1-${n}${maxRunning === undefined ? "" : `%${maxRunning}`}`,
    `#SBATCH --cpus-per-task=${cpus}`,
    ...common(jobName, "sweep-%A_%a.out"),
    "set -euo pipefail",
    `exec ${vx} ${words} --shard "\${SLURM_ARRAY_TASK_ID}/${n}" --jobs ${cpus}`,
    "",
  ].join("\n");
  const mergeScript = [
    "#!/bin/bash",
    `# Combines the ${n} shards of the sweep in ${out} into sweep.csv and sweep.html.`,
    "# Submitted by submit.sh to run after every task of the job array has succeeded.",
    "#SBATCH --cpus-per-task=1",
    "#SBATCH --kill-on-invalid-dep=yes",
    ...common(`${jobName}-merge`, "merge-%j.out"),
    "set -euo pipefail",
    `exec ${vx} sweep merge ${shellQuote(out)}`,
    "",
  ].join("\n");
  const files = {
    sweep: join(dir, SLURM_FILES.sweep),
    merge: join(dir, SLURM_FILES.merge),
    submit: join(dir, SLURM_FILES.submit),
  };
  const submitScript = [
    "#!/bin/sh",
    `# Submits the sweep's job array (${n} tasks), then its merge job, which runs once every task`,
    "# has succeeded. Prints both job ids.",
    "set -eu",
    `array=$(sbatch --parsable ${shellQuote(files.sweep)})`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    "array=${array%%;*}",
    `merge=$(sbatch --parsable --dependency=afterok:"$array" ${shellQuote(files.merge)})`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    "merge=${merge%%;*}",
    `echo "job array $array (${n} tasks), merge job $merge (after every task succeeds)"`,
    "",
  ].join("\n");
  await mkdir(logs, { recursive: true }).catch((error: unknown) => {
    throw new VxError("VX_SIM_WRITE_FAILED", `cannot create ${logs}: ${String(error)}`, {
      path: ["out"],
      cause: error,
    });
  });
  await writeFilesAtomic(dir, {
    [SLURM_FILES.sweep]: sweepScript,
    [SLURM_FILES.merge]: mergeScript,
    [SLURM_FILES.submit]: submitScript,
  });
  for (const file of Object.values(files)) await chmod(file, 0o755);
  return { dir, files, shards: n, points: sweep.grid.length, outDir: out };
}

/** Job ids of a submitted sweep. */
export interface SlurmSubmission {
  /** The job array's id. */
  readonly arrayJob: string;
  /** The merge job's id. */
  readonly mergeJob: string;
}

/** Options of {@link submitSlurmJob}. */
export interface SubmitOptions {
  /** Environment of `sbatch` (e.g. with `SLURM_CONF`); default this process's. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The `sbatch` program; default `sbatch` on the PATH. */
  readonly sbatch?: string | undefined;
}

function sbatch(args: readonly string[], options: SubmitOptions): Promise<string> {
  const program = options.sbatch ?? "sbatch";
  return new Promise((resolvePromise, reject) => {
    execFile(
      program,
      [...args],
      { env: { ...(options.env ?? process.env) }, timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error === null) {
          const id = stdout.trim().split(";")[0] ?? "";
          if (/^\d+$/.test(id)) resolvePromise(id);
          else reject(new Error(`sbatch printed "${stdout.trim()}", not a job id`));
          return;
        }
        if ((error as { code?: unknown }).code === "ENOENT") {
          reject(
            new VxError(
              "VX_SIM_SLURM_UNAVAILABLE",
              `${program} is not on this machine: submit from a Slurm login node, or run the scripts' submit.sh there.`,
              { path: ["submit"], cause: error },
            ),
          );
          return;
        }
        reject(new Error(stderr.trim() || error.message));
      },
    );
  });
}

/**
 * Submits a job written by {@link writeSlurmJob}: the array, then the merge job with
 * `--dependency=afterok:<array>` (as its `submit.sh` does).
 *
 * @param job - the job.
 * @param options - `sbatch`'s environment and path.
 * @returns both job ids.
 * @throws {@link @vx/core!VxError} `VX_SIM_SLURM_UNAVAILABLE` without `sbatch`;
 * `VX_SIM_SLURM_SUBMIT_FAILED` when `sbatch` refuses a job (its message, and the array's id when
 * only the merge failed).
 */
export async function submitSlurmJob(
  job: SlurmJob,
  options: SubmitOptions = {},
): Promise<SlurmSubmission> {
  let arrayJob: string;
  try {
    arrayJob = await sbatch(["--parsable", job.files.sweep], options);
  } catch (error) {
    if (VxError.isInstance(error)) throw error;
    throw new VxError(
      "VX_SIM_SLURM_SUBMIT_FAILED",
      `sbatch refused the job array: ${(error as Error).message}`,
      { path: ["submit"], cause: error },
    );
  }
  try {
    const mergeJob = await sbatch(
      ["--parsable", `--dependency=afterok:${arrayJob}`, job.files.merge],
      options,
    );
    return { arrayJob, mergeJob };
  } catch (error) {
    throw new VxError(
      "VX_SIM_SLURM_SUBMIT_FAILED",
      `job array ${arrayJob} was submitted, but sbatch refused the merge job: ${(error as Error).message}. Submit it by hand: sbatch --dependency=afterok:${arrayJob} ${job.files.merge}`,
      { path: ["submit"], cause: error },
    );
  }
}
