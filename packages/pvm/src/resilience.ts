/**
 * Running pVM fault-tolerance scenarios: one architecture ({@link simulateResilience}) or a
 * seeded fault campaign over several ({@link runFaultCampaign}), every architecture seeing the
 * same faults at the same times.
 *
 * @module
 */

import { createRandom, parseWith, type RandomStream, VxError, type VxPath } from "@vx/core";
import {
  FAULT_KINDS,
  type FaultKind,
  PVM_ARCHITECTURE_NAMES,
  PVM_COMPONENTS,
  type PvmArchitectureName,
  type PvmComponent,
} from "./architectures.js";
import { type PlannedFault, ResilienceEngine } from "./internal/resilience-engine.js";
import {
  pvmResilienceSchema,
  type ResilienceScenario,
  type ResilienceScenarioInput,
} from "./resilience-config.js";
import type { FaultCampaign, ResilienceResult } from "./resilience-result.js";

/** Options of {@link simulateResilience} and {@link runFaultCampaign}. */
export interface ResilienceRunOptions {
  /** Path of the section in a larger input, prefixed to error paths. */
  readonly path?: VxPath;
}

const SECONDS_PER_DAY = 86_400;

function prepare(
  config: ResilienceScenario | ResilienceScenarioInput,
  options: ResilienceRunOptions,
): ResilienceScenario {
  const path = options.path ?? [];
  return typeof config === "object" &&
    config !== null &&
    "durationSeconds" in config &&
    "settings" in config &&
    "architectures" in config &&
    Array.isArray((config as ResilienceScenario).architectures)
    ? (config as ResilienceScenario)
    : parseWith(pvmResilienceSchema, config, {
        code: "VX_PVM_BAD_RESILIENCE",
        what: "pVM resilience scenario",
        path,
      });
}

/** A component drawn with the given weights. */
function pick<T>(rng: RandomStream, items: readonly T[], weights: readonly number[]): T {
  return rng.choice(items, weights);
}

/**
 * The faults of a scenario, in time order, and the simulated horizon: the injected ones, a
 * campaign (exponential gaps, component and kind drawn with their weights) and Poisson failures
 * by rate. Each fault carries a uniform draw deciding whether its recovery is covered. Every draw
 * comes from a named stream of the seed, so the list is the same for every architecture.
 *
 * @param scenario - the validated scenario.
 * @param path - error path prefix.
 * @returns the faults and the horizon in seconds.
 * @throws {@link @vx/core!VxError} `VX_PVM_BAD_RESILIENCE` when an injected fault is at or after
 *   the end of a run without a campaign.
 */
export function planFaults(
  scenario: ResilienceScenario,
  path: VxPath = [],
): { readonly faults: PlannedFault[]; readonly horizonSeconds: number } {
  const root = createRandom(scenario.seed);
  const f = scenario.faults;
  const kindWeights = FAULT_KINDS.map((k) => f.kinds[k]);
  const raw: { atSeconds: number; component: PvmComponent; kind: FaultKind }[] = [...f.injected];
  let horizon = scenario.durationSeconds;
  if (f.campaign !== null) {
    const c = f.campaign;
    const gaps = root.stream("campaign/gaps");
    const components = root.stream("campaign/components");
    const kinds = root.stream("campaign/kinds");
    const weights = PVM_COMPONENTS.map((k) => c.components[k]);
    let t = 0;
    for (let i = 0; i < c.count; i++) {
      t += gaps.exponential(1 / c.meanGapSeconds);
      raw.push({
        atSeconds: t,
        component: pick(components, PVM_COMPONENTS, weights),
        kind: pick(kinds, FAULT_KINDS, kindWeights),
      });
    }
    const lastInjected = f.injected.reduce((m, x) => Math.max(m, x.atSeconds), 0);
    horizon = Math.max(t, lastInjected) + c.meanGapSeconds;
  } else {
    f.injected.forEach((x, i) => {
      if (x.atSeconds >= horizon) {
        throw new VxError(
          "VX_PVM_BAD_RESILIENCE",
          `injected fault ${i} is at ${x.atSeconds} s, not before the end of the run (${horizon} s); lengthen "duration".`,
          { path: [...path, "faults", "injected", i, "at"] },
        );
      }
    });
  }
  for (const component of PVM_COMPONENTS) {
    const perDay = f.perDay[component];
    if (perDay <= 0) continue;
    const times = root.stream(`rates/${component}`);
    const kinds = root.stream(`rates/${component}/kinds`);
    for (let t = times.exponential(perDay / SECONDS_PER_DAY); t < horizon; ) {
      raw.push({ atSeconds: t, component, kind: pick(kinds, FAULT_KINDS, kindWeights) });
      t += times.exponential(perDay / SECONDS_PER_DAY);
    }
  }
  raw.sort((a, b) => a.atSeconds - b.atSeconds);
  const coverage = root.stream("coverage");
  return {
    faults: raw.map((x) => ({ ...x, coverageDraw: coverage.next() })),
    horizonSeconds: horizon,
  };
}

/**
 * Runs one pVM architecture through a scenario's faults: each fault is detected (heartbeat,
 * watchdog, self-check or refresh, as the architecture does), repaired (restart, failover, log
 * replay or host reboot) and its outage charged to the guests whose requests need the functions
 * the failed domain hosts, and to the control operations.
 *
 * Use it to study one architecture, or to check a timeline by hand with injected faults;
 * {@link runFaultCampaign} compares several on the same faults. Everything is validated first;
 * what goes wrong in the simulated world (lost requests, a host reboot, lost control operations)
 * is reported in the result.
 *
 * @param config - the scenario, input form ({@link pvmResilienceSchema}) or validated.
 * @param architecture - `vanilla`, `xoar`, `remus` or `resilient`.
 * @param options - a path prefix for errors.
 * @returns summary, breakdown by component and kind, one record per fault (plain JSON).
 * @throws {@link @vx/core!VxError} `VX_PVM_BAD_RESILIENCE` listing every invalid field with its
 *   path; `VX_PVM_BAD_ARCHITECTURE` for an unknown architecture.
 * @example
 * ```ts
 * const r = simulateResilience(
 *   { duration: "1h", faults: { injected: [{ at: "10min", component: "net", kind: "crash" }] } },
 *   "resilient",
 * );
 * r.faults[0]!.timeToRecoverSeconds; // 0.1 s to the next heartbeat + 0.3 s failover ≈ 0.39
 * ```
 */
export function simulateResilience(
  config: ResilienceScenario | ResilienceScenarioInput,
  architecture: PvmArchitectureName,
  options: ResilienceRunOptions = {},
): ResilienceResult {
  if (!(PVM_ARCHITECTURE_NAMES as readonly string[]).includes(architecture)) {
    throw new VxError(
      "VX_PVM_BAD_ARCHITECTURE",
      `unknown pVM architecture ${JSON.stringify(architecture)}; use one of ${PVM_ARCHITECTURE_NAMES.join(", ")}.`,
      { path: ["architecture"] },
    );
  }
  const scenario = prepare(config, options);
  const { faults, horizonSeconds } = planFaults(scenario, options.path ?? []);
  return new ResilienceEngine({ scenario, architecture, faults, horizonSeconds }).run();
}

/**
 * A seeded fault campaign: draws the scenario's faults once (a `faults.campaign`, rates and
 * injected faults) and runs every architecture the scenario names (`architectures`, default all)
 * on them. Same seed and input, byte-identical JSON.
 *
 * @param config - the scenario, input form or validated; without `faults.campaign` it runs the
 *   injected and rate-driven faults over `duration`.
 * @param options - a path prefix for errors.
 * @returns the seed, the fault count, the horizon and one result per architecture.
 * @throws {@link @vx/core!VxError} as {@link simulateResilience}.
 * @example
 * ```ts
 * const c = runFaultCampaign({ seed: 7, faults: { campaign: { count: 1000 } } });
 * c.results.map((r) => [r.summary.architecture, r.summary.availability.network]);
 * ```
 */
export function runFaultCampaign(
  config: ResilienceScenario | ResilienceScenarioInput,
  options: ResilienceRunOptions = {},
): FaultCampaign {
  const scenario = prepare(config, options);
  const { faults, horizonSeconds } = planFaults(scenario, options.path ?? []);
  return {
    seed: scenario.seed,
    faultCount: faults.length,
    simulatedSeconds: horizonSeconds,
    results: scenario.architectures.map((architecture) =>
      new ResilienceEngine({ scenario, architecture, faults, horizonSeconds }).run(),
    ),
  };
}
