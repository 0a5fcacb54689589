/**
 * Slot planning (internal): which sections, devices and circuits a VM would take from one
 * compute brick, in the policy's order, without changing anything; the rack engine then applies
 * the plan.
 *
 * @module
 */

import type { OrchestratorPolicy, PlacementView } from "../orchestrator.js";
import type { RejectReason } from "../result.js";
import type { RackSettings } from "../settings.js";
import type { SectionLedger } from "./ledger.js";
import type { Plan, RegionState, VmState } from "./state.js";

/** Plans slots and hot-plugs on a rack's current state. */
export class SlotPlanner {
  constructor(
    private readonly view: PlacementView,
    private readonly ledger: SectionLedger,
    private readonly policy: OrchestratorPolicy,
    private readonly settings: RackSettings,
    private readonly region: (name: string) => RegionState,
  ) {}

  private readonly holderScratch: number[] = [];
  private readonly deviceScratch: number[] = [];

  /** Plans a slot on `p.compute`; returns a reason when it does not fit. */
  slot(p: Plan, vm: VmState, sections: number): RejectReason | undefined {
    const c = p.compute;
    for (const use of vm.req.shared) {
      const r = this.region(use.region);
      if (r.sections.length > 0) {
        for (const h of r.holderCount.keys()) {
          if (!this.reach(p, h)) return "ports";
        }
      } else if (!p.regionTakes.has(r.index)) {
        const need = Math.ceil(r.spec.memoryBytes / this.settings.sectionBytes);
        const takes: number[] = [];
        if (!this.memory(p, need, takes)) return p.portBlocked ? "ports" : "region";
        p.regionTakes.set(r.index, takes);
      }
    }
    if (!this.memory(p, sections, p.takes)) return "memory";
    for (const demand of vm.req.devices) {
      let chosen = -1;
      for (const d of this.policy.deviceOrder(this.view, c, demand.kind, this.deviceScratch)) {
        if (this.view.freeUnits(d) - p.units(d) <= 0) continue;
        if (!this.reach(p, d)) continue;
        chosen = d;
        break;
      }
      if (chosen < 0) return p.portBlocked ? "ports" : "device";
      p.tally(chosen, 0, 1);
      p.devices.push(chosen);
    }
    return undefined;
  }

  /** Whether the plan's compute brick can reach `t` (taking a port at each end if needed). */
  reach(p: Plan, t: number): boolean {
    const c = p.compute;
    if (t === c || this.view.fabric.connected(c, t) || p.newTargets.has(t)) return true;
    if (
      this.view.fabric.freePorts(c) - p.newTargets.size <= 0 ||
      this.view.fabric.freePorts(t) <= 0
    ) {
      p.portBlocked = true;
      return false;
    }
    p.newTargets.add(t);
    return true;
  }

  /** Plans `need` sections for a VM on `p.compute`, appending (holder, count) pairs to `out`. */
  memory(p: Plan, need: number, out: number[]): boolean {
    const c = p.compute;
    const local = this.ledger.total(c) > 0;
    if (need > 0 && local && this.settings.localFirst) {
      const k = Math.min(need, this.ledger.free(c) - p.planned(c));
      if (k > 0) need -= this.take(p, out, c, k);
    }
    if (need > 0) {
      const order = this.policy.holderOrder(this.view, c, need, this.holderScratch);
      if (local && !this.settings.localFirst) order.push(c);
      for (const h of order) {
        const a = this.ledger.free(h) - p.planned(h);
        if (a <= 0) continue;
        if (!this.reach(p, h)) continue;
        need -= this.take(p, out, h, Math.min(a, need));
        if (need === 0) break;
      }
    }
    return need === 0;
  }

  private take(p: Plan, out: number[], h: number, k: number): number {
    out.push(h, k);
    p.tally(h, k, 0);
    return k;
  }
}
