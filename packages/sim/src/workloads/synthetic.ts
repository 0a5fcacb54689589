/**
 * Seeded synthetic CPU workloads: constant, diurnal, bursty and idle-with-spikes.
 *
 * @module
 */

import { type RandomStream, VxError } from "@vx/core";
import type { WorkloadSpec } from "../scenario/types.js";
import { regularTraceTable, type TraceTable } from "./trace.js";

/** A synthetic workload, in base units: the `WorkloadSpec` kinds other than planetlab and csv. */
export type SyntheticWorkload = Exclude<WorkloadSpec, { readonly kind: "planetlab" | "csv" }>;

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
 *   mean `meanGapSeconds`) and lasting an exponential time of mean `meanBurstSeconds`.
 * - `idle-spikes`: `idle`, with spikes at `spike` of fixed length `spikeSeconds` arriving as a
 *   Poisson process of mean gap `meanGapSeconds`.
 *
 * The on/off processes are exact in continuous time; each sample holds the mean utilisation over
 * the interval centred on it (so a burst shorter than the step still costs CPU), and the model
 * interpolates linearly between samples. VM `j` draws after VM `j - 1` from `random`, so a run is
 * fully determined by the seed.
 *
 * @param workload - the workload kind and its parameters (fractions and seconds).
 * @param options - count, duration, sample interval and random stream.
 * @returns a regular {@link TraceTable} of `ceil(duration / interval) + 1` samples per column.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_WORKLOAD` for parameters out of range (a fraction outside
 * [0, 1], a peak below the base, a non-positive time).
 * @example
 * ```ts
 * const t = generateSyntheticTraces(
 *   { kind: "diurnal", mean: 0.4, amplitude: 0.25, periodSeconds: 86400, noise: 0.05 },
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
        const w = (2 * Math.PI) / workload.periodSeconds;
        for (let i = 0; i < samples; i++) {
          const noise = workload.noise > 0 ? random.normal(0, workload.noise) : 0;
          col[i] = clamp01(
            workload.mean + workload.amplitude * Math.sin(w * i * dt + phase) + noise,
          );
        }
        break;
      }
      case "bursty":
        onOff(col, dt, workload.base, workload.peak, random, workload.meanGapSeconds, () =>
          random.exponential(1 / workload.meanBurstSeconds),
        );
        break;
      case "idle-spikes":
        onOff(
          col,
          dt,
          workload.idle,
          workload.spike,
          random,
          workload.meanGapSeconds,
          () => workload.spikeSeconds,
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
  while (t < end) {
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
    throw new VxError("VX_SIM_BAD_WORKLOAD", message, { path: ["workload", field] });
  };
  const fraction = (field: string, x: number): void => {
    if (!(x >= 0 && x <= 1)) bad(field, `${field} must be a fraction in [0, 1]; got ${String(x)}.`);
  };
  const positive = (field: string, x: number): void => {
    if (!(x > 0 && Number.isFinite(x)))
      bad(field, `${field} must be a finite number > 0; got ${String(x)}.`);
  };
  if (!(Number.isInteger(o.count) && o.count >= 0)) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `count must be an integer ≥ 0; got ${String(o.count)}.`,
      {
        path: ["count"],
      },
    );
  }
  if (!(o.durationSeconds >= 0 && Number.isFinite(o.durationSeconds))) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `durationSeconds must be a finite number ≥ 0; got ${String(o.durationSeconds)}.`,
      { path: ["durationSeconds"] },
    );
  }
  if (!(o.intervalSeconds > 0 && Number.isFinite(o.intervalSeconds))) {
    throw new VxError(
      "VX_SIM_BAD_OPTION",
      `intervalSeconds must be a finite number > 0; got ${String(o.intervalSeconds)}.`,
      { path: ["intervalSeconds"] },
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
      positive("periodSeconds", w.periodSeconds);
      return;
    case "bursty":
      fraction("base", w.base);
      fraction("peak", w.peak);
      if (w.peak < w.base) bad("peak", `peak (${w.peak}) must be at least base (${w.base}).`);
      positive("meanGapSeconds", w.meanGapSeconds);
      positive("meanBurstSeconds", w.meanBurstSeconds);
      return;
    case "idle-spikes":
      fraction("idle", w.idle);
      fraction("spike", w.spike);
      if (w.spike < w.idle) bad("spike", `spike (${w.spike}) must be at least idle (${w.idle}).`);
      positive("meanGapSeconds", w.meanGapSeconds);
      positive("spikeSeconds", w.spikeSeconds);
      return;
  }
}
