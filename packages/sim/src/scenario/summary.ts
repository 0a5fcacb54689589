/**
 * A one-line description of a scenario, for `vx validate` and the header of `vx run`.
 *
 * @module
 */

import { formatDuration } from "@vx/core";
import type { Scenario } from "./types.js";

/**
 * Describes a scenario in one line: hosts, VMs, time, policy, migration model, network.
 *
 * @param scenario - a validated scenario.
 * @returns e.g. `default: 50 hosts (2 types), 120 VMs (4 types), 1 d at 300 s steps, THR 0.8 + MMT, cloudsim migrations, star network`.
 * @example
 * ```ts
 * console.log(summariseScenario(defaultScenario()));
 * ```
 */
export function summariseScenario(scenario: Scenario): string {
  const hosts = scenario.hosts.reduce((n, g) => n + g.count, 0);
  const vms = scenario.vms.reduce((n, g) => n + g.count, 0);
  const hostTypes = new Set(scenario.hosts.map((g) => g.type)).size;
  const vmTypes = new Set(scenario.vms.flatMap((g) => g.types)).size;
  const p = scenario.policy;
  const overload =
    p.overload === "none" || p.overload === "dvfs"
      ? p.overload.toUpperCase()
      : `${p.overload.toUpperCase()} ${p.parameter} + ${p.selection.toUpperCase()}`;
  const kinds = [...new Set(scenario.vms.map((g) => g.workload.kind))].join("/");
  const network =
    scenario.network.topology === "star"
      ? "star network"
      : `tree network (${scenario.network.hostsPerRack} hosts per rack, ${scenario.network.oversubscription}:1)`;
  return [
    `${scenario.name}: ${plural(hosts, "host")} (${plural(hostTypes, "type")})`,
    `${plural(vms, "VM")} (${plural(vmTypes, "type")}, ${kinds})`,
    `${formatDuration(scenario.durationSeconds)} at ${formatDuration(scenario.stepSeconds)} steps`,
    overload,
    `${scenario.migration.model} migrations`,
    network,
  ].join(", ");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
