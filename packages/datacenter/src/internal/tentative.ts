/**
 * Tentative changes to the VM lists during a consolidation round, undone at its end (CloudSim's
 * `saveAllocation` / `restoreAllocation`).
 *
 * @internal
 */

import type { World } from "./world.js";

const ADD = 0;
const REMOVE = 1;

/** A journal of tentative VM creations and destructions on hosts. */
export class Tentative {
  private readonly world: World;
  private readonly onChange: ((h: number) => void) | undefined;
  /** (kind, host, vm, index) quadruples. */
  private ops: number[] = [];

  /** @param onChange - called after each tentative change of a host's list. */
  constructor(world: World, onChange?: (h: number) => void) {
    this.world = world;
    this.onChange = onChange;
  }

  /** `host.vmCreate(vm)` for the rest of the round. */
  create(h: number, vm: number): void {
    this.world.add(h, vm);
    this.world.allocate(h, false);
    this.ops.push(ADD, h, vm, 0);
    this.onChange?.(h);
  }

  /** `host.vmDestroy(vm)` for the rest of the round. */
  destroy(h: number, vm: number): void {
    const i = this.world.remove(h, vm);
    if (i < 0) return;
    this.world.allocate(h, false);
    this.ops.push(REMOVE, h, vm, i);
    this.onChange?.(h);
  }

  /**
   * Undoes every change, so each host's list is as before the round, then puts VMs migrating in
   * first on their destination's list, as CloudSim's `restoreAllocation` rebuilds the lists.
   *
   * @param incoming - hosts with VMs migrating in.
   */
  restore(incoming: Iterable<number>): void {
    const w = this.world;
    const ops = this.ops;
    const touched = new Set<number>();
    for (let k = ops.length - 4; k >= 0; k -= 4) {
      const h = ops[k + 1] as number;
      const vm = ops[k + 2] as number;
      if (ops[k] === ADD) w.remove(h, vm);
      else w.insertAt(h, vm, ops[k + 3] as number);
      touched.add(h);
    }
    this.ops = [];
    for (const h of incoming) {
      const list = w.hostVms[h] as number[];
      const inList = w.hostIn[h] as number[];
      if (inList.length === 0) continue;
      const rest = list.filter((vm) => inList.indexOf(vm) < 0);
      list.length = 0;
      for (const vm of inList) list.push(vm);
      for (const vm of rest) list.push(vm);
      touched.add(h);
    }
    for (const h of touched) w.allocate(h, false);
  }
}
