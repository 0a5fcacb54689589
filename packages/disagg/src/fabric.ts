/**
 * The rack's fabric on `@vx/core` fluid links: per-port latency and bandwidth, circuits of an
 * optical circuit switch (one port at each end, set up by a reconfiguration) or the shared ports
 * of a packet switch.
 *
 * @module
 */

import { type FluidSystem, type Resource, VxError } from "@vx/core";
import { IdSet } from "./internal/sets.js";
import { FIBRE_SECONDS_PER_METRE, type RackLayout } from "./layout.js";

/** Options of {@link Fabric}. */
export interface FabricOptions {
  /** Prefix of the resources' names. Default `"fabric"`. */
  readonly name?: string;
}

/**
 * The fabric of a rack as fluid resources, plus the circuit bookkeeping of a circuit switch.
 *
 * - Circuit fabric: a pair of bricks that exchange data holds a circuit, which takes one port at
 *   each end and carries the port's bandwidth in each direction (two resources, one per
 *   direction, created the first time the pair is connected and reused afterwards). A brick can
 *   hold as many circuits as it has ports. Opening a circuit costs a reconfiguration
 *   ({@link Fabric.reconfigurationSeconds}), which the caller charges where it matters (slot
 *   assembly, hot-plug, migration).
 * - Packet fabric: every brick has a transmit and a receive resource of `ports × port bandwidth`;
 *   a flow from `a` to `b` crosses `a`'s transmit and `b`'s receive; the switch is non-blocking.
 *
 * Other models may put their own traffic on the same resources ({@link Fabric.route}).
 *
 * @example
 * ```ts
 * const sim = new Simulation();
 * const fabric = new Fabric(new FluidSystem(sim), parseRackLayout({ trays: [{ bricks: [{ kind: "compute" }, { kind: "memory" }] }] }));
 * fabric.openCircuit(0, 1);
 * fabric.oneWaySeconds(0, 1); // 510 ns: two ports and the tray's backplane
 * fabric.fluid.start({ amount: GiB(1), resources: fabric.route(1, 0) }); // at 25 Gbit/s
 * ```
 */
export class Fabric {
  /** The fluid system its resources live in. */
  readonly fluid: FluidSystem;
  /** The layout it was built from. */
  readonly layout: RackLayout;
  /** Circuit or packet. */
  readonly kind: "circuit" | "packet";
  private readonly n: number;
  private readonly tx: Resource[] = [];
  private readonly rx: Resource[] = [];
  /** Per pair `a * n + b` (a < b): refcount of its circuit (0: closed). */
  private readonly circuitUsers = new Map<number, number>();
  /** Per pair: [a→b, b→a] resources, created once. */
  private readonly circuitLinks = new Map<number, readonly [Resource, Resource]>();
  private readonly freePortCount: Int32Array;
  private readonly adjacent: number[][];
  private readonly touchedBricks: IdSet;
  private circuitsOpen = 0;
  private circuitsEverOpened = 0;
  private readonly prefix: string;

  /**
   * @param fluid - where to create the resources.
   * @param layout - the rack.
   * @param options - a name prefix for the resources (default `"fabric"`).
   */
  constructor(fluid: FluidSystem, layout: RackLayout, options: FabricOptions = {}) {
    this.fluid = fluid;
    this.layout = layout;
    this.kind = layout.fabric.kind;
    this.n = layout.bricks.length;
    this.freePortCount = Int32Array.from(layout.bricks, (b) => b.ports);
    this.adjacent = layout.bricks.map(() => []);
    this.touchedBricks = new IdSet(layout.bricks.length);
    const prefix = options.name ?? "fabric";
    if (this.kind === "packet") {
      for (const b of layout.bricks) {
        const capacity = b.ports * layout.fabric.portBytesPerSecond;
        this.tx.push(fluid.resource({ name: `${prefix}.${b.name}.tx`, capacity }));
        this.rx.push(fluid.resource({ name: `${prefix}.${b.name}.rx`, capacity }));
      }
    }
    this.prefix = prefix;
  }

  /** Seconds to set up a circuit (0 on a packet fabric). */
  get reconfigurationSeconds(): number {
    return this.layout.fabric.reconfigurationSeconds;
  }

  /**
   * One-way latency between two bricks: a port at each end, then the tray's interconnect (same
   * tray) or the fibre to the switch, the switch and the fibre back (different trays).
   *
   * @param a - a brick id.
   * @param b - another brick id.
   * @returns seconds (0 when `a === b`).
   */
  oneWaySeconds(a: number, b: number): number {
    if (a === b) return 0;
    const f = this.layout.fabric;
    const bricks = this.layout.bricks;
    const ports = 2 * f.portLatencySeconds;
    if (bricks[a]!.tray === bricks[b]!.tray) return ports + f.trayLatencySeconds;
    return ports + f.switchLatencySeconds + 2 * f.cableMetres * FIBRE_SECONDS_PER_METRE;
  }

  /**
   * Bandwidth one flow between two bricks gets alone: a circuit's port (circuit fabric), or the
   * smaller of the two bricks' port aggregates (packet fabric).
   *
   * @param a - a brick id.
   * @param b - another brick id.
   * @returns bytes/s.
   */
  pathBytesPerSecond(a: number, b: number): number {
    const f = this.layout.fabric;
    if (this.kind === "circuit") return f.portBytesPerSecond;
    const bricks = this.layout.bricks;
    return Math.min(bricks[a]!.ports, bricks[b]!.ports) * f.portBytesPerSecond;
  }

  /**
   * The resources a flow from `from` to `to` crosses. On a circuit fabric the circuit must be
   * open ({@link Fabric.openCircuit}).
   *
   * @param from - the sending brick.
   * @param to - the receiving brick.
   * @returns the route (empty when `from === to`).
   * @throws {@link @vx/core!VxError} `VX_DISAGG_NO_CIRCUIT` when no circuit joins them.
   */
  route(from: number, to: number): readonly Resource[] {
    if (from === to) return NO_ROUTE;
    if (this.kind === "packet") return [this.tx[from]!, this.rx[to]!];
    const key = this.key(from, to);
    if ((this.circuitUsers.get(key) ?? 0) === 0) {
      throw new VxError(
        "VX_DISAGG_NO_CIRCUIT",
        `no circuit joins ${this.layout.bricks[from]!.name} and ${this.layout.bricks[to]!.name}; open one first.`,
        { path: ["to"] },
      );
    }
    const links = this.circuitLinks.get(key)!;
    return [from < to ? links[0] : links[1]];
  }

  /**
   * Whether the two bricks can exchange data now without a new circuit: always on a packet
   * fabric; on a circuit fabric when a circuit joins them.
   *
   * @param a - a brick id.
   * @param b - another brick id.
   * @returns whether they are connected.
   */
  connected(a: number, b: number): boolean {
    if (a === b || this.kind === "packet") return true;
    return (this.circuitUsers.get(this.key(a, b)) ?? 0) > 0;
  }

  /**
   * Whether a new circuit could join the two bricks (a free port at each end), or they are
   * connected already.
   *
   * @param a - a brick id.
   * @param b - another brick id.
   * @returns whether {@link Fabric.openCircuit} would succeed.
   */
  reachable(a: number, b: number): boolean {
    if (this.connected(a, b)) return true;
    return this.freePortCount[a]! > 0 && this.freePortCount[b]! > 0;
  }

  /**
   * Free ports of a brick (circuit fabric; on a packet fabric ports are never taken).
   *
   * @param brick - a brick id.
   * @returns ports not holding a circuit.
   */
  freePorts(brick: number): number {
    return this.freePortCount[brick]!;
  }

  /**
   * Takes a user of the circuit between two bricks, opening it (a port at each end) if it was
   * closed. On a packet fabric it does nothing and returns `"connected"`.
   *
   * @param a - a brick id.
   * @param b - another brick id.
   * @returns `"opened"` when a new circuit was set up (the caller charges the reconfiguration),
   *   `"connected"` when one was open already, `"no-port"` when an end has no free port.
   */
  openCircuit(a: number, b: number): "opened" | "connected" | "no-port" {
    if (a === b || this.kind === "packet") return "connected";
    const key = this.key(a, b);
    const users = this.circuitUsers.get(key) ?? 0;
    if (users > 0) {
      this.circuitUsers.set(key, users + 1);
      return "connected";
    }
    if (this.freePortCount[a]! === 0 || this.freePortCount[b]! === 0) return "no-port";
    this.freePortCount[a]!--;
    this.freePortCount[b]!--;
    this.circuitUsers.set(key, 1);
    this.adjacent[a]!.push(b);
    this.adjacent[b]!.push(a);
    this.touchedBricks.add(a);
    this.touchedBricks.add(b);
    this.circuitsOpen++;
    this.circuitsEverOpened++;
    if (!this.circuitLinks.has(key)) {
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      const names = this.layout.bricks;
      const capacity = this.layout.fabric.portBytesPerSecond;
      this.circuitLinks.set(key, [
        this.fluid.resource({
          name: `${this.prefix}.${names[lo]!.name}->${names[hi]!.name}`,
          capacity,
        }),
        this.fluid.resource({
          name: `${this.prefix}.${names[hi]!.name}->${names[lo]!.name}`,
          capacity,
        }),
      ]);
    }
    return "opened";
  }

  /**
   * Drops a user of the circuit between two bricks; the last user closes it and frees its ports.
   *
   * @param a - a brick id.
   * @param b - another brick id.
   * @throws {@link @vx/core!VxError} `VX_DISAGG_NO_CIRCUIT` when no circuit joins them.
   */
  closeCircuit(a: number, b: number): void {
    if (a === b || this.kind === "packet") return;
    const key = this.key(a, b);
    const users = this.circuitUsers.get(key) ?? 0;
    if (users === 0) {
      throw new VxError("VX_DISAGG_NO_CIRCUIT", "closing a circuit that is not open.", {
        path: ["to"],
      });
    }
    if (users > 1) {
      this.circuitUsers.set(key, users - 1);
      return;
    }
    this.circuitUsers.delete(key);
    removeValue(this.adjacent[a]!, b);
    removeValue(this.adjacent[b]!, a);
    this.touchedBricks.add(a);
    this.touchedBricks.add(b);
    this.freePortCount[a]!++;
    this.freePortCount[b]!++;
    this.circuitsOpen--;
  }

  /**
   * The bricks a brick holds a circuit to (circuit fabric; empty on a packet fabric).
   *
   * @param brick - a brick id.
   * @returns the other ends of its circuits (at most its ports; order unspecified).
   */
  circuitsOf(brick: number): readonly number[] {
    return this.adjacent[brick]!;
  }

  /**
   * Moves the bricks whose circuits opened or closed since the last call into `into` (for
   * models that track what depends on free ports).
   *
   * @param into - receives the brick ids.
   */
  drainTouched(into: { add(id: number): unknown }): void {
    if (this.touchedBricks.size === 0) return;
    for (const b of this.touchedBricks.items) into.add(b);
    this.touchedBricks.clear();
  }

  /** Circuits open now. */
  get openCircuits(): number {
    return this.circuitsOpen;
  }

  /** Circuits set up since the start (each a reconfiguration). */
  get reconfigurations(): number {
    return this.circuitsEverOpened;
  }

  /**
   * Ports in use on a brick: circuits it holds (circuit fabric), or, on a packet fabric, all of
   * its ports while any flow or allocation uses it (the caller decides; see `portsInUse`).
   *
   * @param brick - a brick id.
   * @returns ports holding a circuit.
   */
  circuitPorts(brick: number): number {
    return this.layout.bricks[brick]!.ports - this.freePortCount[brick]!;
  }

  private key(a: number, b: number): number {
    return a < b ? a * this.n + b : b * this.n + a;
  }
}

const NO_ROUTE: readonly Resource[] = [];

/** Removes one occurrence of `x` from a short list (order not kept). */
function removeValue(list: number[], x: number): void {
  const i = list.indexOf(x);
  const last = list.pop()!;
  if (i >= 0 && i < list.length) list[i] = last;
}
