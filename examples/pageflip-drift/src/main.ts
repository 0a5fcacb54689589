/**
 * pageflip-drift: a guest on node 0 of a two-socket host receives a steady stream of 1500-byte
 * packets through a pVM whose netback runs on node 1. With page flipping, every packet swaps a
 * page of the guest for one of the pVM, and the guest's memory drifts to the pVM's node; informed
 * flipping and NUMA-aware flipping stop the drift; grant copy never moves a page but pays for
 * every byte it copies, which a one-core pVM cannot afford at 10 Gbit/s.
 *
 * Run: `pnpm start` (prints the tables and checks them against expected/result.json),
 * `pnpm start --out out` (writes result.json to ./out instead of checking).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatBytes, formatPercent, formatTable } from "@vx/core";
import { comparePaths, type PageflipResult } from "@vx/netio-pageflip";
import { presetTopology } from "@vx/numa";

const { values } = parseArgs({ options: { out: { type: "string" } } });

// The host: @vx/numa's two-socket preset (two Xeon Gold 6130, SLIT distance 21).
const host = { preset: "2-socket" } as const;
const topology = presetTopology(host.preset);

// 1. Drift: 1 Gbit/s for 30 s into a 4 GiB guest whose workload turns over 64 MiB/s.
const drift = comparePaths({
  host,
  offeredRate: "1Gbps",
  duration: "30s",
  sampleInterval: "1s",
  guest: { node: 0, memory: "4GiB", inUse: "50%", churn: "64MiB/s" },
  pvm: { node: 1, memory: "4GiB", inUse: "25%" },
});

// 2. A small CPU budget: 10 Gbit/s with the pVM's netback on one 2.5 GHz core.
const budget = comparePaths({
  host,
  offeredRate: "10Gbps",
  duration: "2s",
  guest: { memory: "1GiB" },
  pvm: { memory: "1GiB", cores: 1 },
});

const remoteAt = (r: PageflipResult, t: number): number =>
  r.samples.remoteFraction[r.samples.time.indexOf(t)] ?? Number.NaN;
const pct = (x: number): string => formatPercent(x, { digits: 3 });
const cycles = (x: number): string => Math.round(x).toLocaleString("en-US");
const gbps = (bitsPerSecond: number): string => `${(bitsPerSecond / 1e9).toFixed(2)} Gbit/s`;

function print(title: string, rows: string[][]): void {
  console.log(`${title}\n`);
  console.log(formatTable(rows, { align: "left" }));
  console.log("");
}

console.log(
  `pageflip-drift: ${topology.name} host (${topology.nodes.length} nodes), guest on node 0, pVM on node 1\n`,
);
print("1 Gbit/s of 1500-byte packets for 30 s: how much of the guest's memory is remote", [
  ["path", "at 5 s", "at 10 s", "at 30 s", "remote memory", "workload remote", "slowdown"],
  ...drift.results.map((r) => [
    r.path,
    pct(remoteAt(r, 5)),
    pct(remoteAt(r, 10)),
    pct(remoteAt(r, 30)),
    formatBytes(r.summary.remoteBytes),
    pct(r.summary.workloadRemoteFraction),
    r.summary.slowdown.toFixed(3),
  ]),
]);
print("10 Gbit/s with the pVM's netback on one core, 2 s", [
  ["path", "received", "dropped", "pVM busy", "pVM cycles/packet", "guest cycles/packet"],
  ...budget.results.map((r) => [
    r.path,
    gbps(r.summary.bitsPerSecond),
    r.summary.dropped.pvmCpu.toLocaleString("en-US"),
    pct(r.summary.pvmUtilisation),
    cycles(r.summary.pvmCyclesPerPacket),
    cycles(r.summary.guestCyclesPerPacket),
  ]),
]);

const result = {
  example: "pageflip-drift",
  host: topology.name,
  drift: drift.results.map((r) => ({
    path: r.path,
    summary: r.summary,
    remoteFractionEverySecond: r.samples.remoteFraction,
  })),
  budget: budget.results.map((r) => ({ path: r.path, summary: r.summary })),
};
const json = `${JSON.stringify(result, null, 2)}\n`;

if (values.out !== undefined) {
  // Write to a temporary name, then rename: a killed run leaves no half-written report.
  mkdirSync(values.out, { recursive: true });
  const target = join(values.out, "result.json");
  writeFileSync(`${target}.tmp`, json);
  renameSync(`${target}.tmp`, target);
  console.log(`wrote ${target}`);
} else {
  // The output is deterministic: check it against the recorded one.
  const expected = join(dirname(fileURLToPath(import.meta.url)), "..", "expected", "result.json");
  if (existsSync(expected)) {
    // Compare the data, not the layout: the recorded file is formatted by the repository's
    // formatter, which puts short arrays on one line.
    const recorded = JSON.stringify(JSON.parse(readFileSync(expected, "utf8")));
    if (recorded !== JSON.stringify(result)) {
      console.error(
        `result differs from ${expected}; after an intended change, refresh it with ` +
          "`pnpm exec tsx src/main.ts --out expected`",
      );
      process.exit(1);
    }
    console.log("result matches expected/result.json");
  }
}
