/**
 * The memory fabric of a NUMA host as @vx/core fluid resources: one resource per node's memory
 * controllers (its bandwidth) and one per direction of each interconnect link, so traffic from
 * CPUs (and DMA from devices) to memory contends for real.
 *
 * @module
 */

import { type Activity, type FluidSystem, type Resource, VxError } from "@vx/core";
import { topologyIndex } from "./internal/routing.js";
import { checkNode, type Topology } from "./topology.js";

/**
 * Direction of memory traffic: `read` moves data from the memory's node to the CPU's (crossing
 * links from `memNode` to `cpuNode`); `write` from the CPU's (or a device's) node to the memory's.
 */
export type TrafficKind = "read" | "write";

/** Options of {@link MemoryFabric.start}. */
export interface StreamOptions {
  /** Direction. */
  readonly kind: TrafficKind;
  /** Node of the CPU (or device) doing the accesses. */
  readonly cpuNode: number;
  /** Node of the memory. */
  readonly memNode: number;
  /** Bytes to move. */
  readonly amount: number;
  /** Rate cap, bytes/s; default unbounded. */
  readonly bound?: number;
  /** Share on a shared bottleneck; default 1. */
  readonly weight?: number;
  /** A label. */
  readonly name?: string;
  /** Called when it ends. */
  readonly onEnd?: (activity: Activity) => void;
}

/** Options of {@link MemoryFabric}. */
export interface MemoryFabricOptions {
  /** Prefix of resource names; default `"mem"`. */
  readonly name?: string;
}

/**
 * A host's memory controllers and interconnect channels on a {@link @vx/core!FluidSystem}.
 *
 * Two ways to put traffic on it:
 *
 * - {@link MemoryFabric.start}: one stream of bytes (a copy, a migration's reads) as a fluid
 *   activity on its route: the controller of `memNode` and the channels between the nodes.
 * - aggregate demands for models that advance in steps: {@link MemoryFabric.setDemand} per
 *   (direction, CPU node, memory node), then {@link MemoryFabric.commit}. When no resource is
 *   oversubscribed, every demand is met: that is exact max-min, so no fluid solve is needed.
 *   Otherwise each changed demand becomes an activity with `bound = weight = demand`: on a
 *   saturated resource every demand then gets the same fraction (proportional sharing, the way
 *   a memory controller serves requests in arrival order); read {@link MemoryFabric.fraction}
 *   after the fluid system settles the instant.
 *
 * @example
 * ```ts
 * const sim = new Simulation();
 * const fabric = new MemoryFabric(new FluidSystem(sim), presetTopology("2-socket"));
 * fabric.setDemand("read", 0, 0, GBps(90)); // node 0 reads its own memory
 * fabric.setDemand("read", 1, 0, GBps(30)); // node 1 reads node 0's, over UPI
 * if (fabric.commit()) sim.run({ until: sim.now }); // node 0's controller is short: solve
 * fabric.fraction("read", 0, 0); // 0.85: both get 102.4 / 120 of their demand
 * ```
 */
export class MemoryFabric {
  /** The host. */
  readonly topology: Topology;
  /** The fluid system its resources live in. */
  readonly fluid: FluidSystem;
  /** Memory controller bandwidth of each node (bytes/s). */
  readonly controllers: readonly Resource[];
  /** One resource per direction of each link: channel `2k` is link `k` from `a` to `b`, `2k + 1` back. */
  readonly channels: readonly Resource[];
  private readonly n: number;
  private readonly routeIds: Int32Array[];
  private readonly routes: Resource[][];
  private readonly demands: Float64Array;
  private readonly pushed: Float64Array;
  private readonly activities: (Activity | undefined)[];
  private readonly caps: Float64Array;
  private readonly loads: Float64Array;
  private live = 0;
  private solved = false;
  private readonly onStreamEnd = (): void => {
    this.live--;
  };

  /**
   * @param fluid - the fluid system to add the resources to.
   * @param topology - the host.
   * @param options - a name prefix.
   */
  constructor(fluid: FluidSystem, topology: Topology, options: MemoryFabricOptions = {}) {
    this.fluid = fluid;
    this.topology = topology;
    const prefix = options.name ?? "mem";
    const n = topology.nodes.length;
    this.n = n;
    this.controllers = topology.nodes.map((node) =>
      fluid.resource({
        name: `${prefix}.node${node.index}`,
        capacity: node.memoryBandwidthBytesPerSecond,
      }),
    );
    const channels: Resource[] = [];
    for (const link of topology.links) {
      channels.push(
        fluid.resource({
          name: `${prefix}.${link.name}.${link.a}-${link.b}`,
          capacity: link.bytesPerSecond,
        }),
      );
      channels.push(
        fluid.resource({
          name: `${prefix}.${link.name}.${link.b}-${link.a}`,
          capacity: link.bytesPerSecond,
        }),
      );
    }
    this.channels = channels;
    const index = topologyIndex(topology);
    this.routes = [];
    this.routeIds = [];
    for (let kind = 0; kind < 2; kind++) {
      for (let c = 0; c < n; c++) {
        for (let m = 0; m < n; m++) {
          const path = kind === 0 ? index.route(m, c) : index.route(c, m);
          this.routes.push([this.controllers[m]!, ...path.map((ch) => channels[ch]!)]);
          this.routeIds.push(Int32Array.from([m, ...path.map((ch) => n + ch)]));
        }
      }
    }
    this.demands = new Float64Array(2 * n * n);
    this.pushed = new Float64Array(2 * n * n);
    this.activities = new Array<Activity | undefined>(2 * n * n).fill(undefined);
    this.caps = new Float64Array(n + channels.length);
    for (let m = 0; m < n; m++) this.caps[m] = topology.nodes[m]!.memoryBandwidthBytesPerSecond;
    topology.links.forEach((link, k) => {
      this.caps[n + 2 * k] = link.bytesPerSecond;
      this.caps[n + 2 * k + 1] = link.bytesPerSecond;
    });
    this.loads = new Float64Array(n + channels.length);
  }

  /**
   * The resources traffic crosses: the memory node's controller, then the channels in order.
   *
   * @param kind - direction.
   * @param cpuNode - node of the CPU or device.
   * @param memNode - node of the memory.
   * @returns the route.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_NODE` / `VX_NUMA_BAD_ARGUMENT` for bad arguments.
   */
  route(kind: TrafficKind, cpuNode: number, memNode: number): readonly Resource[] {
    return this.routes[this.classOf(kind, cpuNode, memNode)]!;
  }

  /**
   * Starts one stream of memory traffic as a fluid activity on its route.
   *
   * @param options - direction, nodes, amount, bound, weight.
   * @returns the activity (wait on it, or pass `onEnd`).
   * @throws {@link @vx/core!VxError} as {@link @vx/core!FluidSystem.start}, and for bad nodes.
   */
  start(options: StreamOptions): Activity {
    const k = this.classOf(options.kind, options.cpuNode, options.memNode);
    const user = options.onEnd;
    const activity = this.fluid.start({
      amount: options.amount,
      resources: this.routes[k]!,
      ...(options.bound === undefined ? {} : { bound: options.bound }),
      ...(options.weight === undefined ? {} : { weight: options.weight }),
      ...(options.name === undefined ? {} : { name: options.name }),
      onEnd: (a) => {
        this.onStreamEnd();
        user?.(a);
      },
    });
    this.live++;
    return activity;
  }

  /**
   * Sets the aggregate demand of one class of traffic (replacing the previous one).
   *
   * @param kind - direction.
   * @param cpuNode - node of the CPUs or device.
   * @param memNode - node of the memory.
   * @param bytesPerSecond - the demand, ≥ 0.
   * @throws {@link @vx/core!VxError} `VX_NUMA_BAD_ARGUMENT` for a negative or non-finite demand.
   */
  setDemand(kind: TrafficKind, cpuNode: number, memNode: number, bytesPerSecond: number): void {
    const k = this.classOf(kind, cpuNode, memNode);
    if (!(bytesPerSecond >= 0 && bytesPerSecond < Number.POSITIVE_INFINITY)) {
      throw new VxError(
        "VX_NUMA_BAD_ARGUMENT",
        `a demand is a finite rate ≥ 0, got ${String(bytesPerSecond)}.`,
        {
          path: ["bytesPerSecond"],
        },
      );
    }
    this.demands[k] = bytesPerSecond;
    this.solved = false;
  }

  /**
   * Adds to the aggregate demand of one class (the hot-path form: no checks beyond the index).
   *
   * @param kind - 0 for read, 1 for write.
   * @param cpuNode - node of the CPUs or device.
   * @param memNode - node of the memory.
   * @param bytesPerSecond - added demand.
   */
  addDemand(kind: 0 | 1, cpuNode: number, memNode: number, bytesPerSecond: number): void {
    this.demands[(kind * this.n + cpuNode) * this.n + memNode]! += bytesPerSecond;
    this.solved = false;
  }

  /** Sets every aggregate demand to 0 (before adding a step's demands). */
  clearDemands(): void {
    this.demands.fill(0);
    this.solved = false;
  }

  /**
   * @param kind - direction.
   * @param cpuNode - node of the CPUs or device.
   * @param memNode - node of the memory.
   * @returns the aggregate demand of that class, bytes/s.
   */
  demand(kind: TrafficKind, cpuNode: number, memNode: number): number {
    return this.demands[this.classOf(kind, cpuNode, memNode)]!;
  }

  /**
   * Applies the aggregate demands. When no controller or channel is oversubscribed (and no
   * stream from {@link MemoryFabric.start} is running), every demand is met and nothing is
   * solved; otherwise changed demands are pushed to the fluid system, which settles them at the
   * end of the current instant.
   *
   * @returns `true` when a fluid solve is pending: read {@link MemoryFabric.fraction} after the
   *   instant settles (from a callback scheduled after this call, or after
   *   `sim.run({ until: sim.now })` outside the run loop).
   */
  commit(): boolean {
    const loads = this.loads;
    loads.fill(0);
    const d = this.demands;
    for (let k = 0; k < d.length; k++) {
      const x = d[k]!;
      if (x === 0) continue;
      const ids = this.routeIds[k]!;
      for (let r = 0; r < ids.length; r++) loads[ids[r]!]! += x;
    }
    let saturated = false;
    for (let r = 0; r < loads.length; r++) {
      if (loads[r]! > this.caps[r]! * (1 + 1e-12)) {
        saturated = true;
        break;
      }
    }
    if (!saturated && this.live === 0) {
      // Every demand is met: the max-min allocation, without a solve. Drop stale rate holders.
      for (let k = 0; k < d.length; k++) this.push(k, 0);
      this.solved = true;
      return false;
    }
    for (let k = 0; k < d.length; k++) this.push(k, d[k]!);
    this.solved = false;
    return true;
  }

  /**
   * Whether the last {@link MemoryFabric.commit} met every demand without a solve.
   */
  get unsaturated(): boolean {
    return this.solved;
  }

  /**
   * The rate one class of aggregate traffic gets.
   *
   * @param kind - direction.
   * @param cpuNode - node of the CPUs or device.
   * @param memNode - node of the memory.
   * @returns bytes/s: the demand when unsaturated, else the fluid rate.
   */
  achieved(kind: TrafficKind, cpuNode: number, memNode: number): number {
    const k = this.classOf(kind, cpuNode, memNode);
    return this.rateOf(k);
  }

  /**
   * Share of its demand one class gets (1 when it demands nothing).
   *
   * @param kind - direction.
   * @param cpuNode - node of the CPUs or device.
   * @param memNode - node of the memory.
   * @returns a fraction in [0, 1].
   */
  fraction(kind: TrafficKind, cpuNode: number, memNode: number): number {
    return this.fractionOf(this.classOf(kind, cpuNode, memNode));
  }

  /**
   * The hot-path form of {@link MemoryFabric.fraction}.
   *
   * @param kind - 0 for read, 1 for write.
   * @param cpuNode - node of the CPUs or device.
   * @param memNode - node of the memory.
   * @returns a fraction in [0, 1].
   */
  fractionAt(kind: 0 | 1, cpuNode: number, memNode: number): number {
    return this.fractionOf((kind * this.n + cpuNode) * this.n + memNode);
  }

  /**
   * Demanded load on each resource at the last commit, bytes/s: controllers first (by node),
   * then channels (as {@link MemoryFabric.channels}).
   *
   * @returns a copy.
   */
  demandedLoads(): Float64Array {
    return this.loads.slice();
  }

  private fractionOf(k: number): number {
    const x = this.demands[k]!;
    if (x === 0) return 1;
    const f = this.rateOf(k) / x;
    return f >= 1 ? 1 : f;
  }

  private rateOf(k: number): number {
    if (this.solved) return this.demands[k]!;
    const a = this.activities[k];
    return a === undefined ? 0 : a.rate;
  }

  /** Makes class k's rate holder carry demand x (restarting it when x changed). */
  private push(k: number, x: number): void {
    if (this.pushed[k] === x) return;
    this.activities[k]?.cancel();
    this.activities[k] = undefined;
    this.pushed[k] = x;
    if (x > 0) {
      this.activities[k] = this.fluid.start({
        amount: Number.POSITIVE_INFINITY, // open-ended: a rate holder, until the next push
        resources: this.routes[k]!,
        bound: x,
        weight: x,
      });
    }
  }

  private classOf(kind: TrafficKind, cpuNode: number, memNode: number): number {
    if (kind !== "read" && kind !== "write") {
      throw new VxError(
        "VX_NUMA_BAD_ARGUMENT",
        `traffic kind is "read" or "write", got ${JSON.stringify(kind)}.`,
        {
          path: ["kind"],
        },
      );
    }
    checkNode(this.topology, cpuNode, ["cpuNode"]);
    checkNode(this.topology, memNode, ["memNode"]);
    return ((kind === "read" ? 0 : 1) * this.n + cpuNode) * this.n + memNode;
  }
}
