/**
 * SimGrid's flow-level network models (LV08, its default, and CM02) mapped onto `@vx/core`'s
 * max-min fluid sharing, so that a platform described with SimGrid's link parameters gives the
 * same transfer times as SimGrid.
 *
 * @module
 */
import { type FluidSystem, type Resource, VxError } from "@vx/core";
import type { Route } from "./route.js";

/**
 * The constants of a SimGrid network model (SimGrid `src/kernel/resource/models/network_cm02.cpp`).
 */
export interface NetworkModelFactors {
  /** A flow progresses at this share of the bandwidth it is allocated (`network/bandwidth-factor`). */
  readonly bandwidthFactor: number;
  /** The route's latency is multiplied by this (`network/latency-factor`). */
  readonly latencyFactor: number;
  /**
   * Each flow also loads its backward route with this share of its rate (`network/crosstraffic`,
   * on by default: the ACKs).
   */
  readonly crossTraffic: number;
  /** TCP window: a flow's rate is at most `tcpGamma / (2 × route latency)` (`network/TCP-gamma`). */
  readonly tcpGamma: number;
  /** Sharing penalty per link: a flow's share is ∝ 1 / (latency + Σ weightS / bandwidth) (`network/weight-S`). */
  readonly weightS: number;
}

/**
 * SimGrid's default network model, LV08 (Velho & Legrand; "slow-start modeled by multiplying
 * latency by 13.01, bandwidth by .97; bottleneck sharing uses a payload of S=20537"), with
 * cross-traffic on and the default TCP window of 4 MiB.
 */
export const LV08: NetworkModelFactors = {
  bandwidthFactor: 0.97,
  latencyFactor: 13.01,
  crossTraffic: 0.05,
  tcpGamma: 4_194_304,
  weightS: 20_537,
};

/** SimGrid's legacy CM02 model: no corrective factors, no weight-S; cross-traffic and TCP window as LV08. */
export const CM02: NetworkModelFactors = {
  bandwidthFactor: 1,
  latencyFactor: 1,
  crossTraffic: 0.05,
  tcpGamma: 4_194_304,
  weightS: 0,
};

/** A link as SimGrid's platform files describe it. */
export interface SimGridLinkOptions {
  /** Link id. */
  readonly name: string;
  /** Bandwidth in bytes per second (SimGrid's `MBps` is 10^6 B/s). */
  readonly bandwidth: number;
  /** Latency in seconds. */
  readonly latency: number;
  /** `shared` (default: both directions share the bandwidth) or `fatpipe` (each flow gets it all). */
  readonly sharing?: "shared" | "fatpipe";
}

interface LinkInfo {
  readonly bandwidth: number;
  readonly latency: number;
  readonly resource: Resource | undefined;
}

/**
 * Builds links and routes whose fluid sharing reproduces a SimGrid network model.
 *
 * How the mapping works: SimGrid's LMM solver allocates each flow a value `x`; the flow's data
 * moves at `bandwidthFactor × x`; on a shared link it uses `(1 + crossTraffic) × x` of the
 * capacity (its own direction plus the ACKs of its backward route on the same link). A vx link
 * of capacity `bandwidth × bandwidthFactor / (1 + crossTraffic)` on which rates are data rates
 * gives the same allocation whenever every flow on a link crosses it that way (true for the
 * symmetric routes of SimGrid's platform files). Weights are `1 / penalty`, bounds the smallest
 * link bandwidth and the TCP window, both times the bandwidth factor, and the route latency is the
 * sum of the link latencies times the latency factor.
 *
 * @example
 * ```ts
 * const net = new SimGridNetwork(fluid); // LV08
 * const l8 = net.link({ name: "8", bandwidth: 8.158e6, latency: 270.544e-6 });
 * const l1 = net.link({ name: "1", bandwidth: 34.285625e6, latency: 514.433e-6 });
 * const route = net.route([l8, l1]);
 * ```
 */
export class SimGridNetwork {
  /** The fluid system the links live in. */
  readonly fluid: FluidSystem;
  /** The model's constants. */
  readonly factors: NetworkModelFactors;
  private readonly info = new Map<string, LinkInfo>();
  private readonly byResource = new Map<Resource, string>();

  /**
   * @param fluid - where the links are created.
   * @param factors - the model; default {@link LV08}.
   */
  constructor(fluid: FluidSystem, factors: NetworkModelFactors = LV08) {
    this.fluid = fluid;
    this.factors = factors;
  }

  /**
   * Adds a link.
   *
   * @param options - id, bandwidth (bytes/s), latency (s), sharing policy.
   * @returns a handle to use in {@link SimGridNetwork.route} (a fluid resource for a shared link).
   * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for a duplicate id, a bandwidth
   * ≤ 0 or a negative latency.
   */
  link(options: SimGridLinkOptions): SimGridLink {
    if (this.info.has(options.name)) {
      throw new VxError("VX_MIGRATION_BAD_OPTIONS", `link "${options.name}" already exists`, {
        path: ["name"],
      });
    }
    if (!(options.bandwidth > 0 && Number.isFinite(options.bandwidth))) {
      throw new VxError("VX_MIGRATION_BAD_OPTIONS", "bandwidth must be a finite number > 0", {
        path: ["bandwidth"],
      });
    }
    if (!(options.latency >= 0 && Number.isFinite(options.latency))) {
      throw new VxError("VX_MIGRATION_BAD_OPTIONS", "latency must be a finite number ≥ 0", {
        path: ["latency"],
      });
    }
    const f = this.factors;
    const resource =
      options.sharing === "fatpipe"
        ? undefined
        : this.fluid.resource({
            name: options.name,
            capacity: (options.bandwidth * f.bandwidthFactor) / (1 + f.crossTraffic),
          });
    this.info.set(options.name, {
      bandwidth: options.bandwidth,
      latency: options.latency,
      resource,
    });
    if (resource !== undefined) this.byResource.set(resource, options.name);
    return { name: options.name, resource };
  }

  /**
   * The route over `links`, in order, with SimGrid's latency, bound and sharing weight.
   *
   * @param links - the links, as returned by {@link SimGridNetwork.link}.
   * @returns the route.
   * @throws {@link @vx/core!VxError} `VX_MIGRATION_BAD_OPTIONS` for an empty list or a link of
   * another network.
   */
  route(links: readonly SimGridLink[]): Route {
    if (links.length === 0) {
      throw new VxError("VX_MIGRATION_BAD_OPTIONS", "a route needs at least one link", {
        path: ["links"],
      });
    }
    const f = this.factors;
    let latency = 0;
    let penalty = 0;
    let minBw = Number.POSITIVE_INFINITY;
    const resources: Resource[] = [];
    links.forEach((l, i) => {
      const info = this.info.get(l.name);
      if (info === undefined || info.resource !== l.resource) {
        throw new VxError("VX_MIGRATION_BAD_OPTIONS", `link "${l.name}" is not from this network`, {
          path: ["links", i],
        });
      }
      latency += info.latency;
      penalty += f.weightS / info.bandwidth;
      if (info.bandwidth < minBw) minBw = info.bandwidth;
      if (info.resource !== undefined) resources.push(info.resource);
    });
    penalty += latency;
    let bound = minBw * f.bandwidthFactor;
    if (latency > 0 && f.tcpGamma > 0) {
      bound = Math.min(bound, (f.tcpGamma / (2 * latency)) * f.bandwidthFactor);
    }
    return {
      resources,
      latencySeconds: latency * f.latencyFactor,
      bound,
      weight: penalty > 0 ? 1 / penalty : 1,
    };
  }
}

/** A link of a {@link SimGridNetwork}. */
export interface SimGridLink {
  /** Its id. */
  readonly name: string;
  /** The fluid resource (none for a fatpipe link, which shares nothing). */
  readonly resource: Resource | undefined;
}
