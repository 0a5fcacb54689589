/**
 * Cross-traffic on a session's link: greedy (TCP-like) flows sharing the bottleneck max-min fairly
 * with the session's transfers, always on or alternating exponential on and off periods.
 *
 * @internal
 */
import type { Activity, FluidSystem, RandomStream, Resource, Simulation } from "@vx/core";
import type { CrossTrafficSpec } from "../options.js";

/** A flow's amount: more than any session moves. */
const ENDLESS = 1e18;

/** The competing flows of one link. */
export class CrossTraffic {
  private readonly flows: (Activity | undefined)[] = [];
  private readonly handles: number[] = [];
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly fluid: FluidSystem,
    private readonly resources: readonly Resource[],
    private readonly spec: CrossTrafficSpec,
    private readonly rng: RandomStream,
  ) {}

  /** Starts every flow (on/off flows start on with probability on / (on + off)). */
  start(): void {
    const s = this.spec;
    for (let i = 0; i < s.flows; i++) {
      this.flows.push(undefined);
      this.handles.push(-1);
      const always = s.meanOnSeconds === Number.POSITIVE_INFINITY;
      const on = always || this.rng.next() < s.meanOnSeconds / (s.meanOnSeconds + s.meanOffSeconds);
      if (on) this.on(i);
      else this.later(i, s.meanOffSeconds, true);
    }
  }

  /** Stops every flow. */
  stop(): void {
    this.stopped = true;
    for (let i = 0; i < this.flows.length; i++) {
      if (this.handles[i]! >= 0) this.sim.cancel(this.handles[i]!);
      this.flows[i]?.cancel();
      this.flows[i] = undefined;
    }
  }

  private on(i: number): void {
    if (this.stopped) return;
    const bound = this.spec.bytesPerSecond;
    this.flows[i] = this.fluid.start({
      amount: ENDLESS,
      resources: this.resources,
      name: `cross-traffic-${i}`,
      ...(bound < Number.POSITIVE_INFINITY ? { bound } : {}),
    });
    if (this.spec.meanOnSeconds < Number.POSITIVE_INFINITY)
      this.later(i, this.spec.meanOnSeconds, false);
  }

  private off(i: number): void {
    this.flows[i]?.cancel();
    this.flows[i] = undefined;
    this.later(i, this.spec.meanOffSeconds, true);
  }

  private later(i: number, mean: number, turnOn: boolean): void {
    if (this.stopped) return;
    this.handles[i] = this.sim.schedule(this.rng.exponential(1 / mean), () => {
      this.handles[i] = -1;
      if (turnOn) this.on(i);
      else this.off(i);
    });
  }
}
