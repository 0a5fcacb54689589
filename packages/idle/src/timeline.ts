/**
 * One VM's life under idle parking, request by request: active → idle (no request for
 * `idleAfterSeconds`) → converting → parked → restoring (on the first request) → active. The
 * costs of each step come from {@link IDLE_TECHNIQUES}; the cost of a run grows with the number of
 * requests, not with simulated time.
 *
 * @module
 */

import { bytesSchema, createRandom, durationSchema, parseWith, VxError } from "@vx/core";
import { z } from "zod";
import {
  type IdleParameters,
  type IdleParametersInput,
  idleParametersSchema,
} from "./parameters.js";
import { IDLE_TECHNIQUES } from "./techniques.js";

/** Where a VM's requests come from. */
export type RequestSource =
  /** Request times, seconds (sorted, ≥ 0). */
  | { readonly kind: "times"; readonly times: readonly number[] }
  /** A Poisson process of `ratePerSecond`, drawn from the seeded stream `idle/requests`. */
  | { readonly kind: "poisson"; readonly ratePerSecond: number }
  /**
   * A CPU-utilisation trace (fractions, one sample every `intervalSeconds`, e.g. PlanetLab): the
   * VM receives requests while its utilisation is at or above the parameters' `threshold` (a
   * request at each such sample, the first of a busy stretch where the linear interpolation
   * crosses the threshold). An assumption: such traces record CPU, not requests.
   */
  | {
      readonly kind: "utilisation";
      readonly intervalSeconds: number;
      readonly values: readonly number[];
    };

/** Options of {@link simulateIdleVm}. */
export interface IdleVmOptions {
  /** The VM's memory: bytes or a string such as `"1GiB"`. */
  readonly ramBytes: number | string;
  /** How long to simulate: seconds or a string such as `"24h"`. */
  readonly horizonSeconds: number | string;
  readonly requests: RequestSource;
  /** The technique and its parameters (defaults: {@link IDLE_DEFAULTS} and the others). */
  readonly parameters?: IdleParametersInput;
  /** Seed of the Poisson draws. Default 1. */
  readonly seed?: number;
}

/** A state of an idle-parked VM. */
export type IdleVmState = "active" | "idle" | "converting" | "parked" | "restoring";

/** A stretch of time in one state. */
export interface IdlePhase {
  readonly state: IdleVmState;
  readonly start: number;
  readonly end: number;
}

/** One restore: the request that woke the VM and what it waited. */
export interface IdleWake {
  /** Arrival of the first request. */
  readonly request: number;
  /** When the restore started (later than the request when it came while the VM was converting). */
  readonly restoreStart: number;
  /** When the VM served again. */
  readonly serving: number;
  /** Seconds the first request waited; `null` when the client gave up (TCP without a proxy). */
  readonly firstRequestWait: number | null;
}

/** What {@link simulateIdleVm} returns (plain JSON). */
export interface IdleVmTimeline {
  readonly technique: string;
  readonly phases: readonly IdlePhase[];
  readonly wakes: readonly IdleWake[];
  /** Requests in the horizon. */
  readonly requests: number;
  /** Requests that waited (> 0 s) for a restore, and the seconds they waited in all. */
  readonly requestsDelayed: number;
  readonly delaySeconds: number;
  /** Requests whose client gave up (only without a proxy); never counted as served. */
  readonly requestsFailed: number;
  /** Seconds parked (holding neither CPU nor RAM), and RAM released × time, byte·seconds. */
  readonly parkedSeconds: number;
  readonly releasedByteSeconds: number;
}

const sourceSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("times"),
    times: z.array(z.number().finite().min(0)).max(10_000_000),
  }),
  z.strictObject({
    kind: z.literal("poisson"),
    ratePerSecond: z.number().finite().gt(0).max(1e6),
  }),
  z.strictObject({
    kind: z.literal("utilisation"),
    intervalSeconds: z.number().finite().gt(0),
    values: z.array(z.number().finite().min(0)).max(10_000_000),
  }),
]);

const optionsSchema = z.strictObject({
  ramBytes: bytesSchema({ allowZero: false }),
  horizonSeconds: durationSchema({ allowZero: false, max: 100 * 365.25 * 86_400 }),
  requests: sourceSchema,
  parameters: idleParametersSchema.optional(),
  seed: z.number().int().optional(),
});

/** The most Poisson requests one call draws (a guard against a rate × horizon typo). */
const MAX_POISSON_REQUESTS = 10_000_000;

/**
 * Request times from a source, sorted, within `[0, horizon]`.
 *
 * @param source - the request source.
 * @param horizon - seconds.
 * @param threshold - utilisation threshold for `utilisation` sources.
 * @param seed - seed of the Poisson draws.
 * @returns the request times.
 * @throws {@link @vx/core!VxError} `VX_IDLE_BAD_OPTIONS` for unsorted times or a Poisson process
 * that would draw more than 10 million requests.
 * @example
 * ```ts
 * requestTimes({ kind: "utilisation", intervalSeconds: 300, values: [0.2, 0.01, 0.01, 0.09] }, 900, 0.05, 1);
 * // [0, 750]: busy at 0, then idle until the trace crosses 5 % at 750 s
 * ```
 */
export function requestTimes(
  source: RequestSource,
  horizon: number,
  threshold: number,
  seed: number,
): number[] {
  const out: number[] = [];
  if (source.kind === "times") {
    let prev = 0;
    for (let i = 0; i < source.times.length; i++) {
      const t = source.times[i] as number;
      if (t < prev) {
        throw new VxError("VX_IDLE_BAD_OPTIONS", "request times must be sorted.", {
          path: ["requests", "times", i],
        });
      }
      prev = t;
      if (t <= horizon) out.push(t);
    }
    return out;
  }
  if (source.kind === "poisson") {
    if (source.ratePerSecond * horizon > MAX_POISSON_REQUESTS) {
      throw new VxError(
        "VX_IDLE_BAD_OPTIONS",
        `a Poisson rate of ${source.ratePerSecond}/s over ${horizon} s draws more than ${MAX_POISSON_REQUESTS} requests; lower the rate or the horizon.`,
        { path: ["requests", "ratePerSecond"] },
      );
    }
    const random = createRandom(seed).stream("idle/requests");
    let t = random.exponential(source.ratePerSecond);
    while (t <= horizon) {
      out.push(t);
      t += random.exponential(source.ratePerSecond);
    }
    return out;
  }
  const v = source.values;
  const dt = source.intervalSeconds;
  for (let i = 0; i < v.length; i++) {
    const t = i * dt;
    if (t > horizon) break;
    const u = v[i] as number;
    if (u < threshold) continue;
    const prevU = i > 0 ? (v[i - 1] as number) : u;
    if (i > 0 && prevU < threshold) {
      // The first request of a busy stretch: where the interpolated trace crosses the threshold.
      out.push(t - dt + (dt * (threshold - prevU)) / (u - prevU));
    } else out.push(t);
  }
  return out;
}

/** Accumulates phases and counts while the timeline is walked. */
class TimelineBuilder {
  readonly phases: IdlePhase[] = [];
  readonly wakes: IdleWake[] = [];
  delayed = 0;
  delay = 0;
  failed = 0;
  parked = 0;

  phase(state: IdleVmState, start: number, end: number): void {
    if (end > start) this.phases.push({ state, start, end });
  }

  /** A request waiting `untilServing` seconds for the VM; returns what it waited (or null). */
  wait(p: IdleParameters, untilServing: number): number | null {
    const w = IDLE_TECHNIQUES[p.technique].requestWait(p, untilServing);
    if (w === null) this.failed++;
    else if (w > 0) {
      this.delayed++;
      this.delay += w;
    }
    return w;
  }
}

/**
 * Simulates one VM under idle parking: when it parks, what each first request waits, how long
 * it holds no RAM. The VM starts active at t = 0. A request that arrives while the VM converts
 * waits for the conversion to end, then for the restore; requests that arrive during a restore
 * wait for it too. After a restore the idleness clock restarts from the moment the VM serves.
 *
 * @param options - the VM's RAM, the horizon, its requests and the parameters.
 * @returns the phases, the wakes and the totals.
 * @throws {@link @vx/core!VxError} `VX_IDLE_BAD_OPTIONS` with the path of the offending field.
 * @example
 * ```ts
 * const t = simulateIdleVm({
 *   ramBytes: "1GiB",
 *   horizonSeconds: "1h",
 *   requests: { kind: "times", times: [100, 2000] },
 *   parameters: { technique: "seamless", idleAfterSeconds: "15min" },
 * });
 * t.wakes[0]?.firstRequestWait; // 0.547 s: the image read back (1 GiB at 2 GB/s) + reroute
 * ```
 */
export function simulateIdleVm(options: IdleVmOptions): IdleVmTimeline {
  const o = parseWith(optionsSchema, options, {
    code: "VX_IDLE_BAD_OPTIONS",
    what: "idle VM options",
  });
  const p = o.parameters ?? idleParametersSchema.parse({});
  const ram = o.ramBytes;
  const horizon = o.horizonSeconds;
  const tech = IDLE_TECHNIQUES[p.technique];
  const times = requestTimes(o.requests as RequestSource, horizon, p.threshold, o.seed ?? 1);
  const b = new TimelineBuilder();
  const T = p.idleAfterSeconds;
  const C = tech.convertSeconds(p, ram);
  const R = tech.restoreSeconds(p, ram);
  let activeFrom = 0;
  let last = 0; // last request served (the idleness clock)
  let i = 0;
  while (i < times.length) {
    const r = times[i] as number;
    if (!tech.parks || r <= last + T) {
      if (r > last) last = r;
      i++;
      continue;
    }
    const detected = last + T;
    b.phase("active", activeFrom, last);
    b.phase("idle", last, detected);
    const converted = detected + C;
    b.phase("converting", detected, converted);
    const restoreStart = r > converted ? r : converted;
    b.phase("parked", converted, restoreStart);
    b.parked += restoreStart - converted;
    const serving = restoreStart + R;
    b.phase("restoring", restoreStart, serving);
    const first = b.wait(p, serving - r);
    b.wakes.push({ request: r, restoreStart, serving, firstRequestWait: first });
    i++;
    while (i < times.length && (times[i] as number) < serving) {
      b.wait(p, serving - (times[i] as number));
      i++;
    }
    activeFrom = serving;
    last = serving;
  }
  // The end of the horizon: parked if idle long enough.
  if (tech.parks && last + T < horizon) {
    const detected = last + T;
    b.phase("active", activeFrom, last);
    b.phase("idle", last, detected);
    const converted = Math.min(horizon, detected + C);
    b.phase("converting", detected, converted);
    b.phase("parked", converted, horizon);
    b.parked += horizon - converted;
  } else {
    b.phase("active", activeFrom, Math.max(activeFrom, Math.min(horizon, last)));
    b.phase("idle", Math.max(activeFrom, Math.min(horizon, last)), horizon);
  }
  return {
    technique: p.technique,
    phases: b.phases,
    wakes: b.wakes,
    requests: times.length,
    requestsDelayed: b.delayed,
    delaySeconds: b.delay,
    requestsFailed: b.failed,
    parkedSeconds: b.parked,
    releasedByteSeconds: b.parked * ram,
  };
}
