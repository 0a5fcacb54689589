/**
 * The time caps of the migrations of one simulation, grouped by instant: one kernel event per
 * distinct deadline instead of one per migration (a storm of migrations started together shares
 * a single event), and a migration that ends leaves its group in O(1) amortised.
 *
 * @internal
 */
import type { Simulation } from "@vx/core";

/** What a deadline reaches: a migration that has not ended. */
export interface TimeCapped {
  /** Its group while registered; `undefined` once it ended or its deadline fired. */
  _deadlineGroup: DeadlineGroup | undefined;
  /** Its index in the group's list. */
  _deadlineIndex: number;
  /** The time cap has come. */
  timeUp(): void;
}

/** Entries a group lists before it drops the ones that ended (when they are 3/4 of the list). */
const COMPACT_FROM = 64;

/** The migrations whose time cap falls at one instant, in the order they registered. */
export class DeadlineGroup {
  /** Registered migrations; an entry is `undefined` once its migration ended. */
  members: (TimeCapped | undefined)[] = [];
  /** Entries still registered. */
  live = 0;
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
    group.live++;
  }

  /**
   * Unregisters `who` (it ended before its deadline) in O(1) amortised, without touching the
   * other members (with thousands of migrations in flight, each one touched is a cache miss): its
   * entry is cleared, the list is compacted when cleared entries make up 3/4 of it, and the
   * group's event is cancelled when none is left.
   */
  remove(who: TimeCapped): void {
    const group = who._deadlineGroup;
    if (group === undefined) return;
    who._deadlineGroup = undefined;
    const members = group.members;
    members[who._deadlineIndex] = undefined;
    const live = --group.live;
    if (live === 0) {
      this.sim.cancel(group.handle);
      this.groups.delete(group.time);
      group.members = [];
    } else if (members.length >= COMPACT_FROM && live * 4 < members.length) {
      const kept: TimeCapped[] = [];
      for (const m of members) {
        if (m === undefined) continue;
        m._deadlineIndex = kept.length;
        kept.push(m);
      }
      group.members = kept;
    }
  }

  /** The instant has come: every member still registered reaches its time cap, in order. */
  fire(group: DeadlineGroup): void {
    this.groups.delete(group.time);
    const members: TimeCapped[] = [];
    for (const m of group.members) if (m !== undefined) members.push(m);
    group.members = [];
    group.live = 0;
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
