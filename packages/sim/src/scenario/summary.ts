/**
 * A one-line description of a scenario, for `vx validate` and the header of `vx run`.
 *
 * @module
 */

import { formatDuration } from "@vx/core";
import { MIGRATION_MODELS, policyLabel } from "@vx/datacenter";
import type { Scenario } from "./types.js";

/**
 * Describes a scenario in one line: hosts, VMs, time, policy, migration model, network.
 *
 * @param scenario - a validated scenario.
 * @returns e.g. `default: 800 hosts (2 types), 1052 VMs (4 types, planetlab), 24 h at 5 min steps, THR 0.8 + MMT, pre-copy (QEMU) migrations, star network`.
 * @example
 * ```ts
 * console.log(summariseScenario(defaultScenario()));
 * ```
 */
export function summariseScenario(scenario: Scenario): string {
  let hosts = 0;
  for (const g of scenario.hosts) hosts += g.count;
  let vms = 0;
  for (const g of scenario.vms) vms += g.count;
  const hostTypes = new Set(scenario.hosts.map((g) => g.type)).size;
  const vmTypes = new Set(scenario.vms.flatMap((g) => g.types)).size;
  const kinds = [...new Set(scenario.vms.map((g) => g.workload.kind))].join("/");
  const n = scenario.network;
  const network =
    n.topology === "star"
      ? "star network"
      : `tree network (${n.hostsPerRack} hosts per rack, ${n.oversubscription}:1)`;
  const traffic = n.vmTraffic.kind === "none" ? "" : `, VM traffic ${n.vmTraffic.kind}`;
  return [
    `${scenario.name}: ${plural(hosts, "host")} (${plural(hostTypes, "type")})`,
    `${plural(vms, "VM")} (${plural(vmTypes, "type")}, ${kinds})`,
    `${formatDuration(scenario.duration)} at ${formatDuration(scenario.step)} steps`,
    policyLabel(scenario.policy),
    `${MIGRATION_MODELS[scenario.migration.model].label} migrations`,
    `${network}${traffic}`,
  ].join(", ");
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
