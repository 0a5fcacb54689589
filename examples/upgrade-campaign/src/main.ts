/**
 * upgrade-campaign: a rolling hypervisor upgrade of a data center while its workload and
 * consolidation go on.
 *
 * Three racks of 16 hosts (16 cores, 128 GiB, 10 Gbit/s NICs) under top-of-rack switches with a
 * 4:1 uplink, 240 VMs with a diurnal load (web servers of 8 GiB, databases of 32 GiB),
 * consolidated by THR-MMT with under-load evacuation, live migrations by QEMU pre-copy on that
 * network. From 1 h, every host is upgraded rack by rack, 4 at a time, the last 2 hosts being
 * spares, with:
 *
 *  1. evacuation by live migration (the same pre-copy, the same links as consolidation);
 *  2. Hy-FiX (VM memory kept in RAM across a 7.6 s reboot);
 *  3. a mix: web servers terminated and restarted, databases kept by Hy-FiX.
 *
 * Run: `pnpm start`. Deterministic: the same code gives the same numbers; the figures are
 * checked on every run (see `check` below).
 */
import { formatBytes, formatDuration } from "@vx/core";
import { type DatacenterResult, type DatacenterSpecInput, runDatacenter } from "@vx/datacenter";
import {
  type CampaignInput,
  type CampaignOutput,
  HYFIX_DEFAULTS,
  upgradeCampaign,
} from "@vx/upgrade";

const POWER = [93.7, 97, 101, 105, 110, 116, 121, 125, 129, 133, 135]; // HP ML110 G5, SPECpower
const START = 3600;

const spec: DatacenterSpecInput = {
  name: "upgrade-campaign",
  seed: 7,
  duration: "12h",
  step: "300s",
  hostTypes: { host: { cores: 16, mips: 2660, ram: "128GiB", nic: "10Gbps", power: POWER } },
  hosts: [{ type: "host", count: 48 }],
  vmTypes: {
    web: { cores: 2, mips: 2000, ram: "8GiB", nic: "100Mbps" },
    db: { cores: 4, mips: 2000, ram: "32GiB", nic: "100Mbps" },
  },
  vms: [{ types: ["web", "db"], count: 240, workload: { kind: "diurnal" } }],
  network: { topology: "tree", hostsPerRack: 16, oversubscription: 4 },
  policy: { overload: "thr", selection: "mmt" },
  migration: { model: "precopy", maxBandwidth: "10Gbps" },
};

const CAMPAIGNS: readonly { readonly label: string; readonly campaign: CampaignInput }[] = [
  { label: "evacuate", campaign: { strategy: "evacuate" } },
  { label: "hyfix", campaign: { strategy: "hyfix" } },
  {
    label: "web: terminate, db: hyfix",
    campaign: { strategy: { default: "hyfix", byVmType: { web: "terminate" } } },
  },
];

function run(campaign: CampaignInput): { result: DatacenterResult; out: CampaignOutput } {
  const result = runDatacenter(spec, {
    extensions: [
      upgradeCampaign({ ...campaign, start: START, order: "rack", concurrency: 4, spareHosts: 2 }),
    ],
  });
  const ext = result.extensions?.upgrade as { output: CampaignOutput } | undefined;
  if (ext === undefined) fail("the campaign reported nothing");
  return { result, out: ext.output };
}

function fail(message: string): never {
  throw new Error(`upgrade-campaign: ${message}`);
}

/** The figures this example promises (README), checked on every run. */
function check(label: string, result: DatacenterResult, out: CampaignOutput): void {
  if (out.outcome !== "completed") fail(`${label}: campaign ${out.outcome}`);
  if (out.hostsUpgraded !== 46 || out.hosts.some((h) => h.upgrades !== 1)) {
    fail(`${label}: every one of the 46 hosts must be upgraded exactly once`);
  }
  if (out.vmsLost !== 0 || result.summary.vmsLost !== 0) fail(`${label}: a VM was lost`);
  // No two racks at once (rack order).
  for (const a of out.hosts) {
    for (const b of out.hosts) {
      const overlap =
        (a.startSeconds as number) < (b.endSeconds as number) &&
        (b.startSeconds as number) < (a.endSeconds as number);
      if (overlap && Math.floor(a.host / 16) !== Math.floor(b.host / 16)) {
        fail(`${label}: hosts ${a.host} and ${b.host} of two racks were upgraded at once`);
      }
    }
  }
  const moves = result.migrationLog.filter((m) => m.origin === "upgrade");
  if (label === "evacuate") {
    // Every evacuated VM's RAM crossed the network at least once.
    let ram = 0;
    for (const m of moves) if (m.outcome === "completed") ram += m.vm % 2 === 0 ? 8 : 32;
    if (out.bytesMoved < ram * 2 ** 30) fail("evacuate: fewer bytes moved than the RAM evacuated");
    // Evacuations ran on the same network as consolidation, at the same time.
    const during = result.migrationLog.filter(
      (m) =>
        m.origin === "consolidation" &&
        m.time >= START &&
        m.time <= START + (out.makespanSeconds ?? 0),
    );
    if (during.length === 0) fail("evacuate: no consolidation migration during the campaign");
    if (out.spareCapacityNeededBytes <= 0) fail("evacuate: no room was needed?");
  } else {
    if (moves.length !== 0 || out.bytesMoved !== 0) fail(`${label}: an in-place upgrade moved VMs`);
    // Hy-FiX: each VM is down for the reboot plus its host's checkpoints and restores, at most
    // 2.31 s per 256 GB of the host's 128 GiB.
    const most = HYFIX_DEFAULTS.rebootSeconds + (2.31 * 128 * 2 ** 30) / 256e9;
    if (
      label === "hyfix" &&
      !(out.downtime.maxSeconds <= most + 1e-9 && out.downtime.p50Seconds >= 7.6)
    ) {
      fail(`hyfix: downtime outside [7.6 s, ${most.toFixed(3)} s]`);
    }
  }
}

const rows: string[][] = [
  [
    "campaign",
    "makespan",
    "VMs down",
    "median down",
    "max down",
    "moved",
    "room needed",
    "upgrade / consolidation migrations",
    "energy",
  ],
];
for (const { label, campaign } of CAMPAIGNS) {
  const { result, out } = run(campaign);
  check(label, result, out);
  const consolidation = result.migrationLog.filter((m) => m.origin === "consolidation").length;
  rows.push([
    label,
    out.makespanSeconds === null ? "-" : formatDuration(out.makespanSeconds),
    String(out.downtime.vms),
    formatDuration(out.downtime.p50Seconds),
    formatDuration(out.downtime.maxSeconds),
    formatBytes(out.bytesMoved),
    formatBytes(out.spareCapacityNeededBytes),
    `${out.migrations} / ${consolidation}`,
    `${result.summary.energyKWh.toFixed(1)} kWh`,
  ]);
}
const widths = rows[0]!.map(() => 0);
for (const r of rows) {
  r.forEach((c, i) => {
    widths[i] = Math.max(widths[i]!, c.length);
  });
}
console.log(
  "Rolling upgrade of 46 hosts (3 racks, 4 at a time, 2 spares) from 1 h, 240 VMs, THR-MMT:",
);
for (const r of rows)
  console.log(
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "),
  );
console.log(
  "checks passed: every host upgraded once, no VM lost, racks one at a time, figures in range",
);
