/**
 * Demand patterns evaluated step by step for many guests at once, without allocation.
 *
 * @module
 */

import type { RandomStream } from "@vx/core";
import type { DemandPattern } from "../config.js";

/** The level of one guest over time; `at(t)` must be called with non-decreasing `t`. */
export interface LevelSource {
  at(t: number): number;
}

const EPS = 1e-12;

class Constant implements LevelSource {
  constructor(private readonly level: number) {}
  at(): number {
    return this.level;
  }
}

class Steps implements LevelSource {
  private i = -1;
  private readonly times: Float64Array;
  private readonly levels: Float64Array;
  constructor(steps: readonly { readonly atSeconds: number; readonly level: number }[]) {
    const sorted = [...steps].sort((a, b) => a.atSeconds - b.atSeconds);
    this.times = Float64Array.from(sorted, (s) => s.atSeconds);
    this.levels = Float64Array.from(sorted, (s) => s.level);
  }
  at(t: number): number {
    while (this.i + 1 < this.times.length && this.times[this.i + 1]! <= t + EPS) this.i++;
    return this.i < 0 ? 0 : this.levels[this.i]!;
  }
}

class Random implements LevelSource {
  private next = 0;
  private level = 0;
  constructor(
    private readonly rng: RandomStream,
    private readonly min: number,
    private readonly max: number,
    private readonly every: number,
  ) {}
  at(t: number): number {
    while (t + EPS >= this.next) {
      this.level = this.min + (this.max - this.min) * this.rng.next();
      this.next += this.every;
    }
    return this.level;
  }
}

class OnOff implements LevelSource {
  private next: number;
  private on: boolean;
  constructor(
    private readonly rng: RandomStream,
    private readonly level: number,
    private readonly meanOn: number,
    private readonly meanOff: number,
  ) {
    this.on = rng.next() < meanOn / (meanOn + meanOff);
    this.next = rng.exponential(1 / (this.on ? meanOn : meanOff));
  }
  at(t: number): number {
    while (t + EPS >= this.next) {
      this.on = !this.on;
      this.next += this.rng.exponential(1 / (this.on ? this.meanOn : this.meanOff));
    }
    return this.on ? this.level : 0;
  }
}

/**
 * @param pattern - the validated pattern.
 * @param rng - the guest's own stream (used by random patterns only).
 * @returns a level source for one guest.
 */
export function levelSource(pattern: DemandPattern, rng: RandomStream): LevelSource {
  switch (pattern.kind) {
    case "constant":
      return new Constant(pattern.level);
    case "idle":
      return new Constant(0);
    case "steps":
      return new Steps(pattern.steps);
    case "random":
      return new Random(rng, pattern.min, pattern.max, pattern.everySeconds);
    case "on-off":
      return new OnOff(rng, pattern.level, pattern.meanOnSeconds, pattern.meanOffSeconds);
  }
}
