/**
 * A disaggregated scenario in one object: the rack, the workload (written out or a synthetic
 * mix), the settings and the duration; {@link runDisaggregated} validates it all before anything
 * runs, builds the rack on a simulation (its own or the caller's) and returns the result.
 *
 * @module
 */

import {
  durationSchema,
  FluidSystem,
  formatPath,
  parseWith,
  Simulation,
  VxError,
  type VxPath,
} from "@vx/core";
import { z } from "zod";
import { type RackLayout, type RackLayoutInput, rackLayoutSchema } from "./layout.js";
import { DisaggregatedRack, type RackWorld } from "./rack.js";
import type { DisaggResult } from "./result.js";
import { type RackSettings, type RackSettingsInput, rackSettingsSchema } from "./settings.js";
import {
  syntheticWorkload,
  type Workload,
  type WorkloadInput,
  type WorkloadMix,
  workloadInputSchema,
} from "./workload.js";

/** Input form of a synthetic workload inside a scenario. */
export interface SyntheticInput {
  /** Slot requests. */
  readonly vms: number;
  /** The mix. Default `"balanced"`. */
  readonly mix?: WorkloadMix;
  /** Span of the arrivals. Default the scenario's duration. */
  readonly span?: number | string;
  /** Mean lifetime. Default a quarter of the span. */
  readonly meanLifetime?: number | string;
  /** Memory resizes per VM. Default 2. */
  readonly resizes?: number;
  /** Seed. Default 1. */
  readonly seed?: number;
}

/** Input form of a disaggregated scenario (the `disagg` section of a vx scenario file). */
export interface DisaggScenarioInput extends RackSettingsInput {
  /** The rack. */
  readonly rack: RackLayoutInput;
  /** The workload, written out. */
  readonly workload?: WorkloadInput;
  /** Or a synthetic mix. */
  readonly synthetic?: SyntheticInput;
  /** Simulated time. Default 1 day. */
  readonly duration?: number | string;
}

/** A validated scenario. */
export interface DisaggScenario {
  /** The rack. */
  readonly rack: RackLayout;
  /** The workload. */
  readonly workload: Workload;
  /** The settings. */
  readonly settings: RackSettings;
  /** Simulated seconds. */
  readonly durationSeconds: number;
}

const settingsKeys = [
  "policy",
  "memory",
  "timings",
  "migration",
  "localLatency",
  "powerOffIdle",
  "series",
] as const;

const scenarioSchema = z
  .strictObject({
    rack: z.unknown(),
    workload: z.unknown().optional(),
    synthetic: z
      .strictObject({
        vms: z.int().min(0).max(10_000_000),
        mix: z.enum(["cpu-heavy", "memory-heavy", "balanced"]).default("balanced"),
        span: durationSchema({ allowZero: false, max: "3650d" }).optional(),
        meanLifetime: durationSchema({ allowZero: false, max: "3650d" }).optional(),
        resizes: z.int().min(0).max(1000).default(2),
        seed: z.int().default(1),
      })
      .optional(),
    duration: durationSchema({ allowZero: false, max: "3650d" }).default(86_400),
    policy: z.unknown().optional(),
    memory: z.unknown().optional(),
    timings: z.unknown().optional(),
    migration: z.unknown().optional(),
    localLatency: z.unknown().optional(),
    powerOffIdle: z.unknown().optional(),
    series: z.unknown().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.workload !== undefined && s.synthetic !== undefined) {
      ctx.addIssue({
        code: "custom",
        message: "give workload or synthetic, not both.",
        path: ["synthetic"],
        params: { vxCode: "VX_DISAGG_CONFLICT" },
      });
    }
  });

/**
 * Validates a whole scenario (rack, workload, settings, duration) and fills its defaults,
 * reporting every problem of every part at once.
 *
 * @param input - the scenario.
 * @param path - where it sits in a larger input (a scenario file's `disagg`), for errors.
 * @returns the scenario (a synthetic mix already drawn).
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_SCENARIO` listing every bad field with its path.
 * @example
 * ```ts
 * const s = parseDisaggScenario({
 *   rack: { trays: [{ bricks: [{ kind: "compute", count: 4 }, { kind: "memory", count: 4 }] }] },
 *   synthetic: { vms: 100, mix: "memory-heavy" },
 *   policy: "locality-aware",
 *   duration: "1d",
 * });
 * s.workload.vms.length; // 100
 * ```
 */
export function parseDisaggScenario(input: DisaggScenarioInput, path: VxPath = []): DisaggScenario {
  const code = "VX_DISAGG_BAD_SCENARIO";
  const what = "disaggregated scenario";
  const top = parseWith(scenarioSchema, input, { code, what, path });
  const settingsInput: Record<string, unknown> = {};
  for (const k of settingsKeys) if (top[k] !== undefined) settingsInput[k] = top[k];
  // Validate the parts together so every problem is reported at once.
  const whole = z.strictObject({
    rack: rackLayoutSchema,
    workload: workloadInputSchema.optional(),
    settings: rackSettingsSchema,
  });
  let parsed: z.output<typeof whole>;
  try {
    parsed = parseWith(
      whole,
      { rack: top.rack, workload: top.workload, settings: settingsInput },
      {
        code,
        what,
      },
    );
  } catch (error) {
    throw liftSettings(error, path, code, what);
  }
  let workload: Workload = parsed.workload ?? { vms: [], regions: [], migrations: [] };
  if (top.synthetic !== undefined) {
    const span = top.synthetic.span ?? top.duration;
    workload = syntheticWorkload({
      vms: top.synthetic.vms,
      durationSeconds: span,
      mix: top.synthetic.mix,
      meanLifetimeSeconds: top.synthetic.meanLifetime ?? span / 4,
      resizes: top.synthetic.resizes,
      seed: top.synthetic.seed,
    });
  }
  return {
    rack: parsed.rack,
    workload,
    settings: parsed.settings,
    durationSeconds: top.duration,
  };
}

/**
 * Moves issues found under the internal `settings` key to where the user wrote them (the
 * scenario's top level) and prefixes the scenario's path.
 */
function liftSettings(error: unknown, path: VxPath, code: string, what: string): unknown {
  if (!VxError.isInstance(error)) return error;
  const issues = error.issues.map((i) => ({
    code: i.code,
    message: i.message,
    path: [...path, ...(i.path[0] === "settings" ? i.path.slice(1) : i.path)],
  }));
  const n = issues.length;
  let message = `Invalid ${what} (${n} ${n === 1 ? "problem" : "problems"}):`;
  for (const i of issues) message += `\n  ${formatPath(i.path)}: ${i.message}`;
  return new VxError(code, message, { path: issues[0]?.path ?? path, issues, cause: error });
}

/**
 * Runs a validated scenario: builds the rack on `world` (or a simulation of its own), schedules
 * the workload from the current time, runs for the duration and returns the result.
 *
 * @param scenario - from {@link parseDisaggScenario}.
 * @param world - a simulation and fluid system to share with other models; default new ones.
 * @returns the result (plain JSON).
 * @throws {@link @vx/core!VxError} `VX_DISAGG_TOO_MANY_SECTIONS` for a section size too small for
 *   the bricks.
 * @example
 * ```ts
 * const r = runDisaggScenario(parseDisaggScenario({ rack, synthetic: { vms: 100 } }));
 * r.summary.energyJoules.total;
 * ```
 */
export function runDisaggScenario(scenario: DisaggScenario, world?: RackWorld): DisaggResult {
  const sim = world?.sim ?? new Simulation();
  const fluid = world?.fluid ?? new FluidSystem(sim);
  const rack = new DisaggregatedRack({ sim, fluid }, scenario.rack, scenario.settings);
  rack.schedule(scenario.workload);
  sim.run({ until: sim.now + scenario.durationSeconds });
  return rack.result();
}

/**
 * Validates and runs a disaggregated scenario: the one-call form of
 * {@link parseDisaggScenario} and {@link runDisaggScenario}.
 *
 * @param input - rack, workload or synthetic mix, settings, duration.
 * @param world - a simulation and fluid system to share; default new ones.
 * @returns the result.
 * @throws {@link @vx/core!VxError} `VX_DISAGG_BAD_SCENARIO` before anything runs.
 * @example
 * ```ts
 * const r = runDisaggregated({
 *   rack: { trays: [{ bricks: [{ kind: "compute", count: 4 }, { kind: "memory", count: 4 }] }] },
 *   workload: { vms: [{ name: "db", vcpus: 8, memory: "200GiB", lifetime: "2h" }] },
 *   duration: "3h",
 * });
 * r.vms[0]!.remoteFraction; // 0.92: 16 GiB local, the rest on a memory brick
 * ```
 */
export function runDisaggregated(input: DisaggScenarioInput, world?: RackWorld): DisaggResult {
  return runDisaggScenario(parseDisaggScenario(input), world);
}
