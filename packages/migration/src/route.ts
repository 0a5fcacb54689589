/**
 * The network path of a migration: `@vx/core` fluid resources (links) crossed by its transfers,
 * with the path's latency and optional rate bound and sharing weight.
 *
 * @module
 */
import type { Resource } from "@vx/core";

/**
 * The path a migration's bytes take from the source host to the destination host.
 *
 * Every transfer of the migration is a fluid activity crossing `resources`, so migrations (and
 * any other traffic) on the same links share them max-min fairly. Build one by hand, with
 * {@link SimGridNetwork.route} for SimGrid's network model, or let {@link migrate} build a
 * single link.
 *
 * @example
 * ```ts
 * const up = fluid.resource({ name: "h0.up", capacity: Gbps(10) });
 * const down = fluid.resource({ name: "h1.down", capacity: Gbps(10) });
 * const route: Route = { resources: [up, down], latencySeconds: us(50) };
 * ```
 */
export interface Route {
  /** The links crossed, in order (at least one). */
  readonly resources: readonly Resource[];
  /** One-way latency in seconds. Default 0. */
  readonly latencySeconds?: number;
  /** Most bytes per second a transfer can get on this path (e.g. a TCP window bound). Default none. */
  readonly bound?: number;
  /** Share of a transfer on a shared bottleneck relative to others. Default 1. */
  readonly weight?: number;
}

/** @internal the bottleneck capacity of a route (its smallest link), for estimates. */
export function routeCapacity(route: Route): number {
  let c = route.bound ?? Number.POSITIVE_INFINITY;
  for (const r of route.resources) if (r.capacity < c) c = r.capacity;
  return c;
}
