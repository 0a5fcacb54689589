/**
 * How many worker threads a sweep runs: never more than the cores of the machine unless asked
 * explicitly (`oversubscribe`), never more than the points to run, and never past a hard limit
 * per core (each worker is a V8 isolate with its own heap: hundreds of them exhaust memory).
 *
 * @module
 */
import { availableParallelism } from "node:os";
import { VxError } from "@vx/core";

/** Defaults of the worker count. */
export const SWEEP_JOBS_DEFAULTS: {
  /** Workers per core allowed with `oversubscribe` (past it the request is refused). */
  readonly maxPerCore: number;
} = { maxPerCore: 8 };

/** Options of {@link resolveJobs}. */
export interface JobsOptions {
  /** Workers asked for; default: one per core. */
  readonly requested?: number | undefined;
  /** Allow more workers than cores (up to `maxPerCore` per core). Default false. */
  readonly oversubscribe?: boolean | undefined;
  /** Points to run (the count never exceeds it, nor goes below 1). */
  readonly tasks: number;
  /** Cores of this machine; default `os.availableParallelism()`. */
  readonly cores?: number | undefined;
}

/** What {@link resolveJobs} decided. */
export interface JobsDecision {
  /** Worker threads to start (≥ 1). */
  readonly jobs: number;
  /** The cores seen. */
  readonly cores: number;
  /** Set when the request was lowered to the core count: a sentence saying so. */
  readonly note?: string;
}

/**
 * Decides the number of worker threads.
 *
 * @param options - request, oversubscription, points, cores.
 * @returns the count, and a note when a request above the core count was lowered.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_JOBS` (path `["jobs"]`) for a count that is not an
 * integer ≥ 1, or above `maxPerCore` × cores with `oversubscribe`.
 * @example
 * ```ts
 * resolveJobs({ requested: 64, tasks: 100, cores: 2 }).jobs; // 2, with a note
 * resolveJobs({ requested: 4, oversubscribe: true, tasks: 100, cores: 2 }).jobs; // 4
 * ```
 */
export function resolveJobs(options: JobsOptions): JobsDecision {
  const cores = Math.max(1, options.cores ?? availableParallelism());
  const requested = options.requested;
  const tasks = Math.max(1, options.tasks);
  if (requested === undefined) return { jobs: Math.min(cores, tasks), cores };
  if (!Number.isSafeInteger(requested) || requested < 1) {
    throw new VxError("VX_SIM_BAD_JOBS", `--jobs ${String(requested)}: use an integer ≥ 1.`, {
      path: ["jobs"],
    });
  }
  const limit = cores * SWEEP_JOBS_DEFAULTS.maxPerCore;
  if (options.oversubscribe === true) {
    if (requested > limit) {
      throw new VxError(
        "VX_SIM_BAD_JOBS",
        `--jobs ${requested} is more than ${SWEEP_JOBS_DEFAULTS.maxPerCore} workers per core (${cores} cores: at most ${limit}); each worker holds its own heap.`,
        { path: ["jobs"] },
      );
    }
    return { jobs: Math.min(requested, tasks), cores };
  }
  if (requested > cores) {
    return {
      jobs: Math.min(cores, tasks),
      cores,
      note: `--jobs ${requested} is more than the ${cores} cores here: running ${cores} workers (more only slow each other down and use more memory; --oversubscribe runs ${requested} anyway).`,
    };
  }
  return { jobs: Math.min(requested, tasks), cores };
}
