/**
 * `vx upgrade`: hypervisor-upgrade strategies side by side on a generated cluster
 * (`@vx/upgrade`'s `compareUpgradeStrategies`).
 *
 * @module
 */
import { formatBytes, formatDuration, formatRate, formatTable } from "@vx/core";
import {
  CAMPAIGN_DEFAULTS,
  CAMPAIGN_ORDERS,
  type CampaignOrder,
  COMPARE_DEFAULTS,
  compareUpgradeStrategies,
  STRATEGY_NAMES,
  type StrategyName,
  UPGRADE_STRATEGIES,
} from "@vx/upgrade";
import { type CliCommand, defineCommand, flagError } from "./command.js";
import { ExitCode } from "./io.js";

const D = COMPARE_DEFAULTS;
const STRATEGY_VALUES: readonly (StrategyName | "all")[] = [...STRATEGY_NAMES, "all"];

function seconds(s: number | null): string {
  return s === null ? "-" : formatDuration(s);
}

/** `vx upgrade`: compares upgrade strategies on a generated cluster. */
export const upgradeCommand: CliCommand<number> = defineCommand({
  name: "upgrade",
  summary: "compare hypervisor-upgrade strategies (evacuation, Hy-FiX, …) on a generated cluster",
  description: [
    "Generates a cluster of --hosts hosts, each filled with --vms-per-host VMs of --ram (plus",
    "--spare-hosts empty spares) on a star network of --link NICs, and upgrades every host with",
    "each strategy in turn, --concurrency hosts at a time, inside a data-center run (evacuations",
    "are QEMU pre-copy migrations on that network, max-bandwidth raised to the link). Prints, per",
    "strategy, the campaign's makespan, VM downtime, bytes moved, spare room needed and VMs lost.",
    `Strategies: ${STRATEGY_NAMES.map((n) => `${n} (${UPGRADE_STRATEGIES[n].kind})`).join(", ")}.`,
  ].join("\n"),
  options: {
    hosts: {
      kind: "integer",
      min: 1,
      max: 10_000,
      default: D.hosts,
      description: "hosts to upgrade",
    },
    "vms-per-host": {
      kind: "integer",
      min: 1,
      max: 1000,
      default: D.vmsPerHost,
      description: "VMs on each host (each host has exactly their room)",
    },
    ram: {
      kind: "bytes",
      allowZero: false,
      default: D.ramBytes,
      description: "RAM of each VM",
    },
    link: {
      kind: "rate",
      allowZero: false,
      default: D.linkBytesPerSecond,
      defaultText: formatRate(D.linkBytesPerSecond),
      description: "every host's NIC",
    },
    strategy: {
      kind: "list",
      values: STRATEGY_VALUES,
      default: ["all"],
      description: "strategies to compare: all, or a comma-separated list",
    },
    concurrency: {
      kind: "integer",
      min: 1,
      max: 10_000,
      default: D.concurrency,
      description: "hosts upgraded at once",
    },
    "spare-hosts": {
      kind: "integer",
      min: 0,
      max: 10_000,
      default: D.spareHosts,
      description: "empty spare hosts added to the cluster",
    },
    order: {
      kind: "enum",
      values: Object.keys(CAMPAIGN_ORDERS) as CampaignOrder[],
      default: CAMPAIGN_DEFAULTS.order,
      description: "order the hosts are upgraded in",
    },
    utilisation: {
      kind: "percent",
      max: 1,
      default: D.utilisation,
      description: "CPU utilisation of every VM (memory dirtying follows it)",
    },
    seed: { kind: "integer", min: 0, default: D.seed, description: "seed of the run" },
    json: {
      kind: "boolean",
      description:
        "print { results: [{ strategy, outcome, makespanSeconds, maxDowntimeSeconds, meanDowntimeSeconds, bytesMoved, vmsLost }] }",
    },
  },
  notes: [
    "Published figures: Hy-FiX 2.31 s checkpoint/restore for 256 GB and a 7.6 s reboot; HyperFresh",
    "about 10 ms. Multi-FiX, the QEMU CPR pauses and the reboot of evacuated or terminated hosts",
    "are assumptions (docs/upgrade.md lists them). Exit codes: 0 done, 2 bad flags.",
  ].join("\n"),
  examples: [
    "vx upgrade --hosts 100 --vms-per-host 20 --ram 64GiB --link 10Gbps --strategy all",
    "vx upgrade --hosts 10 --strategy evacuate,hyfix --concurrency 2 --json",
  ],
  run({ options: o }, io) {
    const list = o.strategy;
    if (list.includes("all") && list.length > 1) {
      throw flagError("--strategy", '"all" cannot be combined with other names.');
    }
    const strategies = list.includes("all") ? "all" : (list as StrategyName[]);
    const cmp = compareUpgradeStrategies({
      hosts: o.hosts,
      vmsPerHost: o["vms-per-host"],
      ram: o.ram,
      link: o.link,
      strategies,
      concurrency: o.concurrency,
      spareHosts: o["spare-hosts"],
      order: o.order,
      utilisation: o.utilisation,
      seed: o.seed,
    });
    if (o.json) {
      const results = cmp.results.map((r) => ({
        strategy: r.strategy,
        outcome: r.outcome,
        makespanSeconds: r.makespanSeconds,
        maxDowntimeSeconds: r.maxDowntimeSeconds,
        meanDowntimeSeconds: r.meanDowntimeSeconds,
        bytesMoved: r.bytesMoved,
        vmsLost: r.vmsLost,
      }));
      io.out(`${JSON.stringify({ results }, null, 2)}\n`);
      return ExitCode.ok;
    }
    const rows: string[][] = [
      ["strategy", "outcome", "makespan", "mean down", "max down", "moved", "spare room", "lost"],
    ];
    for (const r of cmp.results) {
      rows.push([
        r.strategy,
        r.outcome,
        seconds(r.makespanSeconds),
        formatDuration(r.meanDowntimeSeconds),
        formatDuration(r.maxDowntimeSeconds),
        formatBytes(r.bytesMoved),
        formatBytes(r.spareCapacityNeededBytes),
        String(r.vmsLost),
      ]);
    }
    io.out(
      `${cmp.hosts} hosts × ${cmp.vmsPerHost} VMs of ${formatBytes(cmp.ramBytes)}, ${formatRate(cmp.linkBytesPerSecond)} links, ${o.concurrency} at a time:\n`,
    );
    io.out(`${formatTable(rows)}\n`);
    return ExitCode.ok;
  },
});
