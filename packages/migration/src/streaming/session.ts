/**
 * Streaming sessions inside a simulation: a validated {@link StreamPlan} (a mined model and the
 * options, reusable by any number of sessions) and {@link startStreamingSession}, which starts an
 * actor whose transfers are activities on `@vx/core`'s fluid links, so sessions sharing a cell or
 * a DSL line share its bandwidth, with each other and with cross-traffic.
 *
 * @module
 */
import { type FluidSystem, type Simulation, VxError } from "@vx/core";
import type { Route } from "../route.js";
import { BAD_STREAM_OPTIONS } from "./errors.js";
import { StreamingEngine } from "./internal/engine.js";
import { entryOf, REGISTRY, type StreamStrategyName } from "./internal/registry.js";
import type { AccessModel } from "./mining.js";
import { resolveStreamOptions, type StreamOptions, type StreamSpec } from "./options.js";
import type { StreamResult } from "./result.js";
import { type AccessTrace, sameLayout } from "./trace.js";

/**
 * A mined model and streaming options, validated once with every default filled in. Start any
 * number of sessions from it.
 *
 * @example
 * ```ts
 * const plan = prepareStreaming(model, { vtube: { lookahead: 4 } });
 * plan.spec.vtube.lookahead; // 4
 * ```
 */
export class StreamPlan {
  /** The mined model sessions stream by. */
  readonly model: AccessModel;
  /** The options in base units. */
  readonly spec: StreamSpec;

  /** @internal use {@link prepareStreaming} */
  constructor(model: AccessModel, spec: StreamSpec) {
    this.model = model;
    this.spec = spec;
  }
}

/**
 * Validates streaming options against a mined model, before anything runs.
 *
 * @param model - what mining learned ({@link mineAccessModel}).
 * @param options - link, cross-traffic, stall merging, the strategies' parameters.
 * @returns the plan.
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` listing every bad field with
 * its path.
 * @example
 * ```ts
 * const appliance = createAppliance();
 * const plan = prepareStreaming(mineAccessModel(appliance.sessions(0, 20)), { link: "lte" });
 * ```
 */
export function prepareStreaming(model: AccessModel, options: StreamOptions = {}): StreamPlan {
  return new StreamPlan(model, resolveStreamOptions(options));
}

/** The simulation a streaming session runs in. */
export interface StreamingWorld {
  /** The kernel. */
  readonly sim: Simulation;
  /** The fluid system of the links. */
  readonly fluid: FluidSystem;
}

/** Options of {@link startStreamingSession}. */
export interface StartStreamingOptions {
  /** The strategy. */
  readonly strategy: StreamStrategyName;
  /** What the user does: the session's access trace (on the model's layout). */
  readonly trace: AccessTrace;
  /**
   * From the server to the client: the links its transfers cross, the one-way latency (the round
   * trip is twice it), an optional rate bound and weight.
   */
  readonly route: Route;
  /** A label for the session's activities. Default the trace's name. */
  readonly name?: string;
  /** Called once, when the session ends, with its result. */
  readonly onEnd?: (result: StreamResult) => void;
}

/** A running streaming session. */
export class StreamingSession {
  private readonly engine: StreamingEngine;

  /** @internal use {@link startStreamingSession} */
  constructor(engine: StreamingEngine) {
    this.engine = engine;
  }

  /** The result, once the session ended (undefined before). */
  get result(): StreamResult | undefined {
    return this.engine.result;
  }

  /**
   * Ends the session now (outcome `disconnected` unless it already ended): its stream and any
   * fetch stop, and the result reports what happened so far.
   */
  abort(): void {
    this.engine.abort();
  }
}

/**
 * Starts a streaming session now: the client asks for the appliance, the strategy's stream and
 * the VM's demand fetches cross `route`, and the VM replays `trace` (waiting whenever a block is
 * missing). Everything happens in callbacks of `world.sim`; run it to see the session end.
 *
 * @param world - the kernel and fluid system.
 * @param plan - the model and options ({@link prepareStreaming}).
 * @param options - strategy, trace, route, name, end callback.
 * @returns the session (its `result` appears when it ends).
 * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_STREAM_OPTIONS` for an unknown strategy, a
 * trace on another layout than the model's, or a route without links.
 * @example
 * ```ts
 * const sim = new Simulation();
 * const fluid = new FluidSystem(sim);
 * const cell = fluid.resource({ name: "cell", capacity: Mbps(13) });
 * for (const trace of appliance.sessions(100, 10)) {
 *   startStreamingSession({ sim, fluid }, plan, {
 *     strategy: "vtube",
 *     trace,
 *     route: { resources: [cell], latencySeconds: 0.035 },
 *     onEnd: (r) => console.log(r.session, r.startupDelaySeconds, r.stalls),
 *   });
 * }
 * sim.run();
 * ```
 */
export function startStreamingSession(
  world: StreamingWorld,
  plan: StreamPlan,
  options: StartStreamingOptions,
): StreamingSession {
  if (!REGISTRY.some((e) => e.name === options.strategy)) {
    throw new VxError(
      BAD_STREAM_OPTIONS,
      `unknown strategy ${JSON.stringify(options.strategy)}; use one of ${REGISTRY.map((e) => e.name).join(", ")}.`,
      { path: ["strategy"] },
    );
  }
  if (!sameLayout(options.trace.layout, plan.model.layout)) {
    throw new VxError(
      BAD_STREAM_OPTIONS,
      `trace "${options.trace.name}" is on another state layout than the model's; stream sessions of the appliance the model was mined from.`,
      { path: ["trace"] },
    );
  }
  if (options.route.resources.length === 0) {
    throw new VxError(BAD_STREAM_OPTIONS, "the route needs at least one link.", {
      path: ["route", "resources"],
    });
  }
  const latency = options.route.latencySeconds ?? 0;
  if (!(latency >= 0 && Number.isFinite(latency))) {
    throw new VxError(BAD_STREAM_OPTIONS, `the route's latency must be ≥ 0 s, got ${latency}.`, {
      path: ["route", "latencySeconds"],
    });
  }
  const engine = new StreamingEngine({
    sim: world.sim,
    fluid: world.fluid,
    route: options.route,
    model: plan.model,
    trace: options.trace,
    spec: plan.spec,
    strategy: entryOf(options.strategy),
    name: options.name ?? options.trace.name,
    onEnd: options.onEnd,
  });
  engine.start();
  return new StreamingSession(engine);
}
