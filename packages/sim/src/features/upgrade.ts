/**
 * The `upgrade` section: a rolling hypervisor-upgrade campaign (`@vx/upgrade`) that runs inside
 * the data center, on its network, while the workload and consolidation go on.
 *
 * @module
 */
import { formatBytes, formatDuration, formatTable } from "@vx/core";
import {
  type CampaignOutput,
  type CampaignSpec,
  campaignExtension,
  campaignSchema,
} from "@vx/upgrade";
import { defineFeature, type Feature, type SectionIssue } from "./feature.js";

function seconds(s: number | null): string {
  return s === null ? "-" : formatDuration(s);
}

/** The `upgrade` feature of scenario files (a data-center extension). */
export const upgradeFeature: Feature = defineFeature<CampaignSpec, CampaignOutput>({
  name: "upgrade",
  description:
    "A rolling hypervisor-upgrade campaign (@vx/upgrade): which hosts, the strategy (evacuate, terminate, hyfix, multifix, hyperfresh, cpr-reboot, cpr-transfer, or a mix by VM type), order, concurrency, spare hosts, start, deadline and faults. It runs inside the data center: evacuations are migrations on the same network as consolidation.",
  schema: campaignSchema,
  kind: "datacenter",
  check(value, scenario) {
    const issues: SectionIssue[] = [];
    let hosts = 0;
    for (const g of scenario.hosts) hosts += g.count;
    if (value.spareHosts >= hosts) {
      issues.push({
        code: "VX_UPGRADE_BAD_CAMPAIGN",
        message: `spareHosts (${value.spareHosts}) must be fewer than the scenario's ${hosts} hosts`,
        path: ["spareHosts"],
      });
    }
    if (value.hosts !== "all") {
      const first = hosts - value.spareHosts;
      value.hosts.forEach((h, i) => {
        if (h >= first) {
          issues.push({
            code: "VX_UPGRADE_BAD_CAMPAIGN",
            message:
              h >= hosts
                ? `there is no host ${h} (the scenario has ${hosts}, 0 to ${hosts - 1})`
                : `host ${h} is a spare (the last ${value.spareHosts} hosts are)`,
            path: ["hosts", i],
          });
        }
      });
    }
    for (const type of Object.keys(value.strategy.byVmType)) {
      if (scenario.vmTypes[type] === undefined) {
        issues.push({
          code: "VX_UPGRADE_BAD_CAMPAIGN",
          message: `there is no VM type "${type}" (the scenario has ${Object.keys(scenario.vmTypes).join(", ")})`,
          path: ["strategy", "byVmType", type],
        });
      }
    }
    return issues;
  },
  extension: (value) => campaignExtension(value),
  format: (o) => {
    const rows = [
      [
        "strategy",
        "outcome",
        "hosts",
        "makespan",
        "mean down",
        "p95 down",
        "max down",
        "moved",
        "spare room",
        "VMs lost",
      ],
      [
        o.strategy,
        o.outcome,
        `${o.hostsUpgraded}/${o.hostsTargeted}`,
        seconds(o.makespanSeconds),
        formatDuration(o.downtime.meanSeconds),
        formatDuration(o.downtime.p95Seconds),
        formatDuration(o.downtime.maxSeconds),
        formatBytes(o.bytesMoved),
        formatBytes(o.spareCapacityNeededBytes),
        String(o.vmsLost),
      ],
    ];
    return `Upgrade campaign (upgrade section):\n${formatTable(rows)}`;
  },
});
