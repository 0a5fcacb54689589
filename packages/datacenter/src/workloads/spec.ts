/**
 * The workload part of the spec: where a VM group's CPU utilisation over time comes from. Six
 * kinds: PlanetLab traces, a CSV file, and four seeded synthetic generators.
 *
 * @module
 */

import { durationSchema, percentSchema } from "@vx/core";
import { PLANETLAB_DAYS, type PlanetLabDay } from "@vx/traces-planetlab";
import { z } from "zod";
import { doc, tag } from "../internal/doc.js";
import type { QuantityInput } from "../quantity.js";

/**
 * Defaults of every workload kind, in base units (fractions and seconds): the values the schema
 * fills in when a field is omitted.
 *
 * Sources: the PlanetLab interval is CoMon's 5-minute sampling (Beloglazov & Buyya, CCPE 2012);
 * the synthetic levels are assumptions chosen to give a mix of busy, bursty and idle VMs.
 */
export const WORKLOAD_DEFAULTS: {
  readonly planetlab: { readonly interval: number };
  readonly constant: { readonly utilisation: number };
  readonly diurnal: {
    readonly mean: number;
    readonly amplitude: number;
    readonly period: number;
    readonly noise: number;
  };
  readonly bursty: {
    readonly base: number;
    readonly peak: number;
    readonly meanGap: number;
    readonly meanBurst: number;
  };
  readonly "idle-spikes": {
    readonly idle: number;
    readonly spike: number;
    readonly meanGap: number;
    readonly spikeDuration: number;
  };
  readonly csv: { readonly timeColumn: string; readonly columns: "all"; readonly percent: boolean };
} = {
  planetlab: { interval: 300 },
  constant: { utilisation: 0.5 },
  diurnal: { mean: 0.5, amplitude: 0.3, period: 86_400, noise: 0.05 },
  bursty: { base: 0.2, peak: 0.9, meanGap: 3600, meanBurst: 600 },
  "idle-spikes": { idle: 0.02, spike: 0.6, meanGap: 21_600, spikeDuration: 300 },
  csv: { timeColumn: "time", columns: "all", percent: false },
};

/**
 * One VM per trace of a PlanetLab day (names sorted): either a day packaged in
 * `@vx/traces-planetlab` (`day`) or a folder of CloudSim's trace files (`folder`), exactly one.
 */
export interface PlanetLabWorkload {
  readonly kind: "planetlab";
  /**
   * Folder of trace files, as written (a loader resolves it, e.g. against the scenario's folder);
   * undefined when `day` is given.
   */
  readonly folder?: string | undefined;
  /** A day of `@vx/traces-planetlab` (`"20110303"` … `"20110420"`); undefined when `folder` is given. */
  readonly day?: PlanetLabDay | undefined;
  /** Seconds between two samples. */
  readonly interval: number;
}

/** The same utilisation all the time. */
export interface ConstantWorkload {
  readonly kind: "constant";
  readonly utilisation: number;
}

/** A sinusoid around `mean` with a seeded phase per VM and Gaussian noise per sample. */
export interface DiurnalWorkload {
  readonly kind: "diurnal";
  readonly mean: number;
  readonly amplitude: number;
  /** Seconds. */
  readonly period: number;
  readonly noise: number;
}

/** A base load with bursts arriving as a Poisson process, burst lengths exponential. */
export interface BurstyWorkload {
  readonly kind: "bursty";
  readonly base: number;
  readonly peak: number;
  /** Mean seconds between bursts. */
  readonly meanGap: number;
  /** Mean seconds of a burst. */
  readonly meanBurst: number;
}

/** Mostly idle, with rare spikes of fixed length (the idle VMs SEaMLESS parks). */
export interface IdleSpikesWorkload {
  readonly kind: "idle-spikes";
  readonly idle: number;
  readonly spike: number;
  /** Mean seconds between spikes. */
  readonly meanGap: number;
  /** Seconds of each spike. */
  readonly spikeDuration: number;
}

/** A CSV time series: a time column in seconds, one utilisation column per VM (or one shared). */
export interface CsvWorkload {
  readonly kind: "csv";
  /** The file, as written (a loader resolves it). */
  readonly file: string;
  readonly timeColumn: string;
  readonly columns: readonly string[] | "all";
  readonly percent: boolean;
}

/** A workload read from files: resolved by a {@link TraceLoader}. */
export type FileWorkload = PlanetLabWorkload | CsvWorkload;

/** A seeded synthetic workload. */
export type SyntheticWorkload =
  | ConstantWorkload
  | DiurnalWorkload
  | BurstyWorkload
  | IdleSpikesWorkload;

/** Where a VM group's CPU utilisation over time comes from (after the schema: base units, defaults filled). */
export type WorkloadSpec = FileWorkload | SyntheticWorkload;

/** A quantity as written: base units or a human string such as `"5min"` or `"40%"`. */

/** A workload as written (in a scenario file or a spec object). */
export type WorkloadInput =
  // Exactly one of `day` (a packaged day) and `folder` (a folder of trace files).
  | {
      kind: "planetlab";
      day?: string | number | undefined;
      folder?: string | undefined;
      interval?: QuantityInput | undefined;
    }
  | { kind: "constant"; utilisation?: QuantityInput | undefined }
  | {
      kind: "diurnal";
      mean?: QuantityInput | undefined;
      amplitude?: QuantityInput | undefined;
      period?: QuantityInput | undefined;
      noise?: QuantityInput | undefined;
    }
  | {
      kind: "bursty";
      base?: QuantityInput | undefined;
      peak?: QuantityInput | undefined;
      meanGap?: QuantityInput | undefined;
      meanBurst?: QuantityInput | undefined;
    }
  | {
      kind: "idle-spikes";
      idle?: QuantityInput | undefined;
      spike?: QuantityInput | undefined;
      meanGap?: QuantityInput | undefined;
      spikeDuration?: QuantityInput | undefined;
    }
  | {
      kind: "csv";
      file: string;
      timeColumn?: string | undefined;
      columns?: "all" | readonly string[] | undefined;
      percent?: boolean | undefined;
    };

const fraction = (description: string, value: number, shown: string) =>
  doc(percentSchema({ max: "100%" }).default(value), {
    description: `${description} A fraction (0..1) or a percentage such as "${shown}". Default "${shown}".`,
    default: shown,
  });

const positiveDuration = (description: string, value: number, shown: string) =>
  doc(durationSchema({ allowZero: false }).default(value), {
    description: `${description} Seconds or a duration such as "${shown}". Default "${shown}".`,
    default: shown,
  });

const D = WORKLOAD_DEFAULTS;

/** A day name as written: YAML reads `day: 20110303` as a number, so both forms are taken. */
const planetLabDaySchema = z
  .union([z.string(), z.number().int()])
  .transform((v) => String(v))
  .pipe(
    z.enum(PLANETLAB_DAYS, {
      error: (issue) =>
        `expected one of the ten PlanetLab days of @vx/traces-planetlab (${PLANETLAB_DAYS.join(", ")}); got ${JSON.stringify(issue.input)}`,
    }),
  );

const planetlab = z
  .strictObject({
    kind: tag("planetlab", "Workload kind."),
    day: doc(planetLabDaySchema.optional(), {
      description: `A PlanetLab day packaged in @vx/traces-planetlab (one VM per trace, 288 integer percentages at 300 s): ${PLANETLAB_DAYS.join(", ")}. Give \`day\` or \`folder\`, not both.`,
      examples: ["20110303"],
    }),
    folder: doc(z.string().min(1).optional(), {
      description:
        "Folder of PlanetLab trace files in CloudSim's format (one VM per file, sorted by name; each 288 integer percentages at 300 s), relative to the scenario file. Give `day` or `folder`, not both.",
      examples: ["traces/20110303"],
    }),
    interval: positiveDuration(
      "Time between two samples of a trace.",
      D.planetlab.interval,
      "300s",
    ),
  })
  .superRefine((w, ctx) => {
    if ((w.day === undefined) === (w.folder === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: w.day === undefined ? [] : ["folder"],
        message:
          w.day === undefined
            ? "a planetlab workload needs `day` (a packaged day such as 20110303) or `folder` (a folder of trace files)"
            : "give `day` or `folder`, not both",
      });
    }
  })
  .describe(
    "PlanetLab CPU traces (Beloglazov & Buyya, CCPE 2012): one VM per trace of a packaged day (`day`) or of a folder of files (`folder`).",
  );

const constant = z
  .strictObject({
    kind: tag("constant", "Workload kind."),
    utilisation: fraction(
      "CPU utilisation of every VM, all the time.",
      D.constant.utilisation,
      "50%",
    ),
  })
  .describe("The same CPU utilisation all the time.");

const diurnal = z
  .strictObject({
    kind: tag("diurnal", "Workload kind."),
    mean: fraction("Mean utilisation.", D.diurnal.mean, "50%"),
    amplitude: fraction(
      "Half the peak-to-trough swing of the sinusoid.",
      D.diurnal.amplitude,
      "30%",
    ),
    period: positiveDuration("Period of the cycle.", D.diurnal.period, "24h"),
    noise: fraction(
      "Standard deviation of the seeded noise added to each sample.",
      D.diurnal.noise,
      "5%",
    ),
  })
  .describe("A daily sinusoid around `mean`, with a seeded phase per VM and noise.");

const bursty = z
  .strictObject({
    kind: tag("bursty", "Workload kind."),
    base: fraction("Utilisation between bursts.", D.bursty.base, "20%"),
    peak: fraction("Utilisation during a burst (at least `base`).", D.bursty.peak, "90%"),
    meanGap: positiveDuration(
      "Mean time between bursts (Poisson arrivals, seeded).",
      D.bursty.meanGap,
      "1h",
    ),
    meanBurst: positiveDuration(
      "Mean burst length (exponential, seeded).",
      D.bursty.meanBurst,
      "10min",
    ),
  })
  .describe("A base load with bursts arriving as a Poisson process.");

const idleSpikes = z
  .strictObject({
    kind: tag("idle-spikes", "Workload kind."),
    idle: fraction("Utilisation when idle.", D["idle-spikes"].idle, "2%"),
    spike: fraction("Utilisation during a spike (at least `idle`).", D["idle-spikes"].spike, "60%"),
    meanGap: positiveDuration(
      "Mean time between spikes (Poisson arrivals, seeded).",
      D["idle-spikes"].meanGap,
      "6h",
    ),
    spikeDuration: positiveDuration(
      "Length of each spike.",
      D["idle-spikes"].spikeDuration,
      "5min",
    ),
  })
  .describe("Mostly idle, with rare short spikes (the idle VMs that SEaMLESS parks).");

const csv = z
  .strictObject({
    kind: tag("csv", "Workload kind."),
    file: doc(z.string().min(1), {
      description:
        "CSV file with a header row, relative to the scenario file: a time column in seconds and one utilisation column per VM (or one column shared by all). Cells may be quoted as RFC 4180 says.",
      examples: ["traces/utilisation.csv"],
    }),
    timeColumn: doc(z.string().min(1).default(D.csv.timeColumn), {
      description: 'Name of the time column (seconds). Default "time".',
      default: "time",
    }),
    columns: doc(
      z.union([z.literal("all"), z.array(z.string().min(1)).min(1)]).default(D.csv.columns),
      {
        description:
          'Utilisation columns to use, in VM order, or "all" (every column but the time column, in file order). Default "all".',
        default: "all",
      },
    ),
    percent: doc(z.boolean().default(D.csv.percent), {
      description:
        "Whether values are percentages (0..100) rather than fractions (0..1). Default false.",
      default: false,
    }),
  })
  .describe("A generic CSV time series.");

/** Every workload kind, in the order the docs list them. */
export const WORKLOAD_KINDS: readonly WorkloadSpec["kind"][] = [
  "planetlab",
  "constant",
  "diurnal",
  "bursty",
  "idle-spikes",
  "csv",
];

/**
 * The zod schema of a workload: a discriminated union on `kind`; an unknown kind is an error
 * that lists the kinds.
 *
 * @example
 * ```ts
 * workloadSchema.parse({ kind: "bursty", meanGap: "2h" }).meanBurst; // 600
 * ```
 */
export const workloadSchema: z.ZodType<WorkloadSpec, WorkloadInput> = z
  .discriminatedUnion("kind", [planetlab, constant, diurnal, bursty, idleSpikes, csv])
  .describe(
    "Where the VMs' CPU utilisation over time comes from: `kind` is planetlab, constant, diurnal, bursty, idle-spikes or csv.",
  );
