/**
 * Seeded synthetic CPU workloads: constant, diurnal, bursty and idle-with-spikes.
 *
 * @module
 */

import { type RandomStream, VxError } from "@vx/core";
import type { SyntheticWorkload } from "./spec.js";
import { regularTraceTable, type TraceTable } from "./trace.js";

/**
 * Most on/off cycles a bursty or idle-spikes VM may go through per step on average: shorter
 * cycles average out within a sample anyway, and generating them one by one would make the cost
 * follow the bursts rather than the steps. {@link checkSyntheticCost} refuses more.
 */
export const MAX_CYCLES_PER_STEP = 100;

/** Options of {@link generateSyntheticTraces}. */
export interface SyntheticOptions {
  /** Number of VMs (columns); a constant workload gives one shared column whatever the count. */
  readonly count: number;
  /** Length of the generated series, seconds. */
  readonly durationSeconds: number;
  /** Seconds between samples; the data-center model samples at its step, so use the step. */
  readonly intervalSeconds: number;
  /** The stream to draw from (one per VM group, e.g. `createRandom(seed).stream("workloads/group-0")`). */
  readonly random: RandomStream;
}

/**
 * Generates the utilisation series of `count` VMs for a synthetic workload, reproducibly.
 *
 * - `constant`: the same utilisation all the time (one shared column).
 * - `diurnal`: `mean + amplitude · sin(2π t / period + φ) + noise · N(0, 1)`, clamped to [0, 1],
 *   with a phase φ drawn uniformly per VM and fresh noise per sample.
 * - `bursty`: `base`, with bursts at `peak` arriving as a Poisson process (exponential gaps of
 *   mean `meanGap`) and lasting an exponential time of mean `meanBurst`.
 * - `idle-spikes`: `idle`, with spikes at `spike` of fixed length `spikeDuration` arriving as a
 *   Poisson process of mean gap `meanGap`.
 *
 * The on/off processes are exact in continuous time; each sample holds the mean utilisation over
 * the interval centred on it (so a burst shorter than the step still costs CPU), and the model
 * interpolates linearly between samples. VM `j` draws after VM `j - 1` from `random`, so a run is
 * fully determined by the seed. Cost grows with the samples (at most {@link MAX_CYCLES_PER_STEP}
 * on/off cycles per sample on average; {@link checkSyntheticCost} refuses shorter cycles).
 *
 * @param workload - the workload kind and its parameters (fractions and seconds).
 * @param options - count, duration, sample interval and random stream.
 * @returns a regular {@link TraceTable} of `ceil(duration / interval) + 1` samples per column.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_WORKLOAD` for parameters out of range (a fraction outside
 * [0, 1], a peak below the base, a non-positive time).
 * @example
 * ```ts
 * const t = generateSyntheticTraces(
 *   { kind: "diurnal", mean: 0.4, amplitude: 0.25, period: 86400, noise: 0.05 },
 *   { count: 10, durationSeconds: 86400, intervalSeconds: 300, random: createRandom(42).stream("w") },
 * );
 * ```
 */
export function generateSyntheticTraces(
  workload: SyntheticWorkload,
  options: SyntheticOptions,
): TraceTable {
  checkSynthetic(workload, options);
  const { count, intervalSeconds: dt, random } = options;
  const samples = Math.ceil(options.durationSeconds / dt) + 1;
  const source = `synthetic ${workload.kind}`;
  if (workload.kind === "constant") {
    return regularTraceTable({
      source,
      names: ["constant"],
      intervalSeconds: dt,
      columns: [new Float64Array(samples).fill(workload.utilisation)],
    });
  }
  const columns: Float64Array[] = [];
  const names: string[] = [];
  for (let j = 0; j < count; j++) {
    const col = new Float64Array(samples);
    switch (workload.kind) {
      case "diurnal": {
        const phase = random.uniform(0, 2 * Math.PI);
        const w = (2 * Math.PI) / workload.period;
        for (let i = 0; i < samples; i++) {
          const noise = workload.noise > 0 ? random.normal(0, workload.noise) : 0;
          col[i] = clamp01(
            workload.mean + workload.amplitude * Math.sin(w * i * dt + phase) + noise,
          );
        }
        break;
      }
      case "bursty":
        onOff(col, dt, workload.base, workload.peak, random, workload.meanGap, () =>
          random.exponential(1 / workload.meanBurst),
        );
        break;
      case "idle-spikes":
        onOff(
          col,
          dt,
          workload.idle,
          workload.spike,
          random,
          workload.meanGap,
          () => workload.spikeDuration,
        );
        break;
    }
    columns.push(col);
    names.push(`${workload.kind}-${j}`);
  }
  return regularTraceTable({ source, names, intervalSeconds: dt, columns });
}

/**
 * Fills `col` with the bin averages of an alternating low/high process: low for an exponential gap
 * (mean `meanGap`), high for `onLength()`, and so on; the process starts low at a random point of
 * its first gap (stationary start of a Poisson process).
 */
function onOff(
  col: Float64Array,
  dt: number,
  low: number,
  high: number,
  random: RandomStream,
  meanGap: number,
  onLength: () => number,
): void {
  const samples = col.length;
  // Bin i covers [i·dt − dt/2, i·dt + dt/2) clipped to [0, end].
  const end = (samples - 1) * dt + dt / 2;
  const busy = new Float64Array(samples); // seconds at `high` in each bin
  let t = random.exponential(1 / meanGap);
  // A guard, not a limit that binds: checkSyntheticCost keeps the expected cycles per sample at
  // most MAX_CYCLES_PER_STEP, so this many is practically never reached.
  let cycles = 10 * MAX_CYCLES_PER_STEP * samples + 1000;
  while (t < end && cycles-- > 0) {
    const on = onLength();
    addBusy(busy, dt, t, Math.min(t + on, end));
    t += on + random.exponential(1 / meanGap);
  }
  for (let i = 0; i < samples; i++) {
    const lo = Math.max(0, i * dt - dt / 2);
    const hi = Math.min(end, i * dt + dt / 2);
    const width = hi - lo;
    const f = width > 0 ? Math.min(1, (busy[i] as number) / width) : 0;
    col[i] = low + (high - low) * f;
  }
}

/** Adds the overlap of [a, b) with each bin to `busy`. */
function addBusy(busy: Float64Array, dt: number, a: number, b: number): void {
  if (b <= a) return;
  let i = Math.max(0, Math.floor((a + dt / 2) / dt));
  for (; i < busy.length; i++) {
    const lo = Math.max(0, i * dt - dt / 2);
    const hi = i * dt + dt / 2;
    if (lo >= b) break;
    const overlap = Math.min(b, hi) - Math.max(a, lo);
    if (overlap > 0) busy[i] = (busy[i] as number) + overlap;
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

function checkSynthetic(w: SyntheticWorkload, o: SyntheticOptions): void {
  const bad = (field: string, message: string): never => {
    throw new VxError("VX_SIM_BAD_WORKLOAD", message, { path: [field] });
  };
  const fraction = (field: string, x: number): void => {
    if (!(x >= 0 && x <= 1)) bad(field, `${field} must be a fraction in [0, 1]; got ${String(x)}.`);
  };
  const positive = (field: string, x: number): void => {
    if (!(x > 0 && Number.isFinite(x)))
      bad(field, `${field} must be a finite number > 0; got ${String(x)}.`);
  };
  const option = (field: string, message: string): never => {
    throw new VxError("VX_SIM_BAD_OPTION", message, { path: [field] });
  };
  if (!(Number.isInteger(o.count) && o.count >= 0)) {
    option("count", `count must be an integer ≥ 0; got ${String(o.count)}.`);
  }
  if (!(o.durationSeconds >= 0 && Number.isFinite(o.durationSeconds))) {
    option(
      "durationSeconds",
      `durationSeconds must be a finite number ≥ 0; got ${String(o.durationSeconds)}.`,
    );
  }
  if (!(o.intervalSeconds > 0 && Number.isFinite(o.intervalSeconds))) {
    option(
      "intervalSeconds",
      `intervalSeconds must be a finite number > 0; got ${String(o.intervalSeconds)}.`,
    );
  }
  switch (w.kind) {
    case "constant":
      fraction("utilisation", w.utilisation);
      return;
    case "diurnal":
      fraction("mean", w.mean);
      fraction("amplitude", w.amplitude);
      fraction("noise", w.noise);
      positive("period", w.period);
      return;
    case "bursty":
      fraction("base", w.base);
      fraction("peak", w.peak);
      if (w.peak < w.base) bad("peak", `peak (${w.peak}) must be at least base (${w.base}).`);
      positive("meanGap", w.meanGap);
      positive("meanBurst", w.meanBurst);
      break;
    case "idle-spikes":
      fraction("idle", w.idle);
      fraction("spike", w.spike);
      if (w.spike < w.idle) bad("spike", `spike (${w.spike}) must be at least idle (${w.idle}).`);
      positive("meanGap", w.meanGap);
      positive("spikeDuration", w.spikeDuration);
      break;
  }
  const problem = checkSyntheticCost(w, o.intervalSeconds);
  if (problem !== undefined) bad(problem.field, problem.message);
}

/**
 * Whether generating a synthetic workload at a step costs what the steps cost: a bursty or
 * idle-spikes cycle (gap + burst) shorter than `step / MAX_CYCLES_PER_STEP` would be generated
 * burst by burst although it averages out within each sample.
 *
 * @param w - the workload.
 * @param stepSeconds - the sample interval.
 * @returns the field to blame and why, or `undefined` when the cost is bounded.
 * @example
 * ```ts
 * checkSyntheticCost({ kind: "bursty", base: 0.2, peak: 0.9, meanGap: 1e-9, meanBurst: 1e-9 }, 300);
 * // { field: "meanGap", message: "…" }
 * ```
 */
export function checkSyntheticCost(
  w: SyntheticWorkload,
  stepSeconds: number,
): { readonly field: string; readonly message: string } | undefined {
  if (w.kind !== "bursty" && w.kind !== "idle-spikes") return undefined;
  const on = w.kind === "bursty" ? w.meanBurst : w.spikeDuration;
  const cycle = w.meanGap + on;
  if (cycle * MAX_CYCLES_PER_STEP >= stepSeconds) return undefined;
  const level = w.kind === "bursty" ? "burst" : "spike";
  return {
    field: "meanGap",
    message: `a ${level} cycle (meanGap + ${w.kind === "bursty" ? "meanBurst" : "spikeDuration"} = ${cycle} s) is shorter than a hundredth of the step (${stepSeconds} s): ${level}s that short average out within every sample; use a constant workload at the mean level, or a shorter step`,
  };
}
