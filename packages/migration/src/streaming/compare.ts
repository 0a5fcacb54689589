/**
 * One-shot streaming for planning: {@link streamSession} builds its own simulation with one
 * last-mile link (and any cross-traffic) and streams one session; {@link compareStreaming} goes
 * from an appliance (or recorded traces) to the strategies side by side: it generates the
 * training sessions, mines them, and streams the test sessions with every strategy, each in a
 * world of its own with the same link and cross-traffic.
 *
 * @module
 */
import {
  createRandom,
  FluidSystem,
  formatPath,
  parseWith,
  Simulation,
  VxError,
  type VxIssue,
} from "@vx/core";
import { z } from "zod";
import { Appliance, type ApplianceOptions, applianceSchema } from "./appliance.js";
import { BAD_STREAM_OPTIONS } from "./errors.js";
import { CrossTraffic } from "./internal/cross-traffic.js";
import { REGISTRY, type StreamStrategyName } from "./internal/registry.js";
import {
  type AccessModel,
  type AccessModelSummary,
  type MiningOptions,
  mineAccessModel,
  miningSchema,
} from "./mining.js";
import { type LinkSpec, resolveStreamOptions, type StreamOptions } from "./options.js";
import type { StreamResult } from "./result.js";
import { prepareStreaming, type StreamPlan, startStreamingSession } from "./session.js";
import type { AccessTrace } from "./trace.js";

/** Options of {@link streamSession}: the streaming options plus the strategy. */
export interface StreamSessionOptions extends StreamOptions {
  /** The strategy. */
  readonly strategy: StreamStrategyName;
}

/** Runs one session of `plan` in a world of its own: one link, and its cross-traffic if any. */
function runAlone(
  plan: StreamPlan,
  strategy: StreamStrategyName,
  trace: AccessTrace,
): StreamResult {
  const spec = plan.spec;
  const sim = new Simulation();
  const fluid = new FluidSystem(sim);
  const link = fluid.resource({ name: "last-mile", capacity: spec.link.bandwidthBytesPerSecond });
  const cross =
    spec.crossTraffic === undefined
      ? undefined
      : new CrossTraffic(
          sim,
          fluid,
          [link],
          spec.crossTraffic,
          createRandom(spec.seed).stream("cross-traffic"),
        );
  cross?.start();
  const session = startStreamingSession({ sim, fluid }, plan, {
    strategy,
    trace,
    route: { resources: [link], latencySeconds: spec.link.rttSeconds / 2 },
    onEnd: () => cross?.stop(),
  });
  sim.run({ until: () => session.result !== undefined });
  if (session.result === undefined) session.abort();
  return session.result!;
}

/**
 * Streams one session over one last-mile link (with its cross-traffic, if any) and returns its
 * result: startup delay, stalls, bytes transferred and wasted, the time series.
 *
 * @param model - what mining learned from the training sessions.
 * @param trace - the session to stream (on the model's layout).
 * @param options - the strategy, the link and the other streaming options.
 * @returns the result.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` for a bad option (with its
 * path), an unknown strategy or a trace on another layout.
 * @example
 * ```ts
 * const appliance = createAppliance();
 * const model = mineAccessModel(appliance.sessions(0, 20));
 * const r = streamSession(model, appliance.session(20), { strategy: "vtube", link: "lte" });
 * r.startupDelaySeconds; // the initial buffering
 * r.stalls; // interruptions after the start
 * ```
 */
export function streamSession(
  model: AccessModel,
  trace: AccessTrace,
  options: StreamSessionOptions,
): StreamResult {
  const { strategy, ...rest } = options;
  const plan = prepareStreaming(model, rest);
  return runAlone(plan, strategy, trace);
}

/** Recorded sessions to learn from and to stream. */
export interface TraceSplit {
  /** Sessions to mine (at least one). */
  readonly training: readonly AccessTrace[];
  /** Sessions to stream (at least one). */
  readonly test: readonly AccessTrace[];
}

/** Options of {@link compareStreaming}. */
export interface StreamComparisonOptions extends StreamOptions {
  /** The synthetic appliance (used unless `traces` is given). Default {@link APPLIANCE_DEFAULTS}. */
  readonly appliance?: ApplianceOptions;
  /** Recorded sessions instead of the generator. */
  readonly traces?: TraceSplit;
  /** Generated sessions to mine. Default 20. */
  readonly trainingSessions?: number;
  /** Generated sessions to stream (the next ones after the training sessions). Default 1. */
  readonly testSessions?: number;
  /** The strategies. Default `"all"`. */
  readonly strategies?: "all" | readonly StreamStrategyName[];
  /** Mining options. */
  readonly mining?: MiningOptions;
}

/** One strategy's figures, means over the test sessions. */
export interface StreamSummary {
  /** The strategy. */
  readonly strategy: StreamStrategyName;
  /** Mean startup delay, seconds. */
  readonly startupDelaySeconds: number;
  /** Mean number of stalls. */
  readonly stalls: number;
  /** Mean stall time, seconds. */
  readonly stallSeconds: number;
  /** Mean bytes transferred. */
  readonly bytesTransferred: number;
  /** Mean bytes transferred but never used. */
  readonly bytesWasted: number;
  /** Mean bytes used. */
  readonly bytesUsed: number;
  /** Mean share of the used blocks fetched on demand. */
  readonly missRate: number;
  /** Mean session length from the request to the end, seconds. */
  readonly sessionSeconds: number;
  /** Every test session's result. */
  readonly sessions: readonly StreamResult[];
}

/** What {@link compareStreaming} returns. */
export interface StreamComparison {
  /** One summary per strategy, in the order asked. */
  readonly results: readonly StreamSummary[];
  /** What mining found. */
  readonly model: AccessModelSummary;
  /** The link. */
  readonly link: LinkSpec;
  /** Bytes of the appliance's state. */
  readonly imageBytes: number;
}

/** Defaults of {@link compareStreaming}'s own options: 20 training sessions, 1 test session. */
export const COMPARE_DEFAULTS: {
  readonly trainingSessions: number;
  readonly testSessions: number;
} = { trainingSessions: 20, testSessions: 1 };

const strategyNames = REGISTRY.map((e) => e.name) as [StreamStrategyName, ...StreamStrategyName[]];

const compareSchema = z.strictObject({
  trainingSessions: z.int().min(1).max(100_000).default(COMPARE_DEFAULTS.trainingSessions),
  testSessions: z.int().min(1).max(100_000).default(COMPARE_DEFAULTS.testSessions),
  strategies: z.union([z.literal("all"), z.array(z.enum(strategyNames)).min(1)]).default("all"),
});

const isTrace = (t: unknown): boolean =>
  typeof t === "object" &&
  t !== null &&
  (t as AccessTrace).times instanceof Float64Array &&
  (t as AccessTrace).firstBlocks instanceof Uint32Array &&
  (t as AccessTrace).blockCounts instanceof Uint32Array;

const tracesSchema = z.strictObject({
  training: z.array(z.custom<AccessTrace>(isTrace, "expected an access trace")).min(1),
  test: z.array(z.custom<AccessTrace>(isTrace, "expected an access trace")).min(1),
});

/** Runs one validation, collecting its issues instead of throwing. */
function collect<T>(issues: VxIssue[], run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    for (const issue of error.issues) issues.push(issue);
    return undefined;
  }
}

/**
 * Compares the streaming strategies on one appliance and one link: generates (or takes) the
 * training sessions, mines them, then streams each test session with each strategy in a world of
 * its own (same link, same cross-traffic) and reports the means side by side.
 *
 * @param options - the appliance or traces, how many sessions, the strategies, the link and every
 * streaming option.
 * @returns one summary per strategy, the model's figures, the link and the image size.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` listing every bad field with
 * its path (`appliance.image`, `link`, `strategies[1]`, `vtube.chunk`, …) before anything runs;
 * also for traces on different layouts.
 * @example
 * ```ts
 * const { results } = compareStreaming({ appliance: { image: "8GiB" }, link: "lte" });
 * for (const r of results) console.log(r.strategy, r.startupDelaySeconds, r.stalls, r.bytesWasted);
 * ```
 */
export function compareStreaming(options: StreamComparisonOptions = {}): StreamComparison {
  if (typeof options !== "object" || options === null) {
    throw new VxError(BAD_STREAM_OPTIONS, "comparison options must be an object.", { path: [] });
  }
  const { appliance, traces, trainingSessions, testSessions, strategies, mining, ...stream } =
    options;
  const issues: VxIssue[] = [];
  const own = collect(issues, () =>
    parseWith(
      compareSchema,
      { trainingSessions, testSessions, strategies },
      { code: BAD_STREAM_OPTIONS, what: "comparison options" },
    ),
  );
  const spec = collect(issues, () => resolveStreamOptions(stream));
  collect(issues, () =>
    parseWith(miningSchema, mining ?? {}, {
      code: BAD_STREAM_OPTIONS,
      path: ["mining"],
      what: "mining options",
    }),
  );
  let split: TraceSplit | undefined;
  let app: Appliance | undefined;
  if (traces !== undefined) {
    split = collect(issues, () =>
      parseWith(tracesSchema, traces, {
        code: BAD_STREAM_OPTIONS,
        path: ["traces"],
        what: "traces",
      }),
    );
    if (appliance !== undefined) {
      issues.push({
        code: "VX_SCHEMA_INVALID_VALUE",
        message:
          "give either an appliance (generated sessions) or traces (recorded ones), not both",
        path: ["appliance"],
      });
    }
  } else {
    const a = collect(issues, () =>
      parseWith(applianceSchema, appliance ?? {}, {
        code: BAD_STREAM_OPTIONS,
        path: ["appliance"],
        what: "appliance options",
      }),
    );
    if (a !== undefined) app = new Appliance(a);
  }
  if (issues.length > 0 || own === undefined || spec === undefined) {
    const n = issues.length;
    let message = `Invalid streaming comparison (${n} ${n === 1 ? "problem" : "problems"}):`;
    for (const i of issues) message += `\n  ${formatPath(i.path)}: ${i.message}`;
    throw new VxError(BAD_STREAM_OPTIONS, message, { path: issues[0]?.path ?? [], issues });
  }
  if (split === undefined) {
    const n = own.trainingSessions;
    split = { training: app!.sessions(0, n), test: app!.sessions(n, own.testSessions) };
  }
  const model = mineAccessModel(split.training, mining ?? {});
  const plan = prepareStreaming(model, stream);
  const names = own.strategies === "all" ? strategyNames : own.strategies;
  const results = names.map((strategy) => {
    const sessions = split.test.map((trace) => runAlone(plan, strategy, trace));
    const mean = (f: (r: StreamResult) => number): number =>
      sessions.reduce((s, r) => s + f(r), 0) / sessions.length;
    return {
      strategy,
      startupDelaySeconds: mean((r) => r.startupDelaySeconds),
      stalls: mean((r) => r.stalls),
      stallSeconds: mean((r) => r.stallSeconds),
      bytesTransferred: mean((r) => r.bytesTransferred),
      bytesWasted: mean((r) => r.bytesWasted),
      bytesUsed: mean((r) => r.bytesUsed),
      missRate: mean((r) => r.missRate),
      sessionSeconds: mean((r) => r.sessionSeconds),
      sessions,
    };
  });
  return {
    results,
    model: model.summary(),
    link: plan.spec.link,
    imageBytes: model.layout.areas.reduce((sum, a) => sum + a.bytes, 0),
  };
}
