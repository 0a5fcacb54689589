/**
 * The time caps of the migrations of one simulation, grouped by instant: one kernel event per
 * distinct deadline instead of one per migration (a storm of migrations started together shares
 * a single event), and a migration that ends leaves its group in O(1).
 *
 * @internal
 */
import type { Simulation } from "@vx/core";

/** What a deadline reaches: a migration that has not ended. */
export interface TimeCapped {
  /** Its group while registered, for O(1) removal. */
  _deadlineGroup: DeadlineGroup | undefined;
  /** Its index in the group's list. */
  _deadlineIndex: number;
  /** The time cap has come. */
  timeUp(): void;
}

/** The migrations whose time cap falls at one instant. */
export class DeadlineGroup {
  readonly members: TimeCapped[] = [];
  handle = -1;

  constructor(
    readonly registry: Deadlines,
    readonly time: number,
  ) {}
}

const fire = (group: DeadlineGroup): void => group.registry.fire(group);

/** The deadline groups of one simulation. */
export class Deadlines {
  private readonly groups = new Map<number, DeadlineGroup>();

  constructor(private readonly sim: Simulation) {}

  /** Registers `who` for the instant `time` (absolute simulated seconds). */
  add(who: TimeCapped, time: number): void {
    let group = this.groups.get(time);
    if (group === undefined) {
      group = new DeadlineGroup(this, time);
      group.handle = this.sim.schedule(time - this.sim.now, fire, group);
      this.groups.set(time, group);
    }
    who._deadlineGroup = group;
    who._deadlineIndex = group.members.length;
    group.members.push(who);
  }

  /** Unregisters `who` (it ended before its deadline). */
  remove(who: TimeCapped): void {
    const group = who._deadlineGroup;
    if (group === undefined) return;
    who._deadlineGroup = undefined;
    const members = group.members;
    const last = members.pop()!;
    if (last !== who) {
      members[who._deadlineIndex] = last;
      last._deadlineIndex = who._deadlineIndex;
    }
    if (members.length === 0) {
      this.sim.cancel(group.handle);
      this.groups.delete(group.time);
    }
  }

  /** The instant has come: every member still registered reaches its time cap, in order. */
  fire(group: DeadlineGroup): void {
    this.groups.delete(group.time);
    const members = group.members.slice();
    group.members.length = 0;
    for (const who of members) who._deadlineGroup = undefined;
    for (const who of members) who.timeUp();
  }
}

const registries = new WeakMap<Simulation, Deadlines>();

/** The deadline registry of a simulation. */
export function deadlinesOf(sim: Simulation): Deadlines {
  let d = registries.get(sim);
  if (d === undefined) {
    d = new Deadlines(sim);
    registries.set(sim, d);
  }
  return d;
}
