/**
 * pvm-fault-campaign: the same 2,000 seeded faults (crashes, hangs and detectable corruptions of
 * dom0, XenStore, the network domain, the tool domain and the block backend) injected into four
 * pVM architectures: vanilla Xen, Xoar-like, Remus-like checkpointing and the resilient pVM
 * (DSN 2020). Prints one table of what the guests and the control plane got, then one fault's
 * timeline per architecture, and checks its figures.
 *
 * Run: `pnpm start` (checks expected/result.json), `pnpm start --out out` (writes it instead).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatDuration, formatTable } from "@vx/core";
import {
  PVM_ARCHITECTURE_NAMES,
  type ResilienceScenarioInput,
  runFaultCampaign,
  simulateResilience,
} from "@vx/pvm";

const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });

// A host with 50 guests: 25 latency-critical (TailBench-like, 200 requests/s each) and 25
// throughput ones (Apache-Bench-like, 8 requests in flight). 2,000 faults, 10 minutes apart on
// average: a compressed campaign (real pVMs fail far less often) to compare the mechanisms.
const scenario: ResilienceScenarioInput = {
  seed: 7,
  guests: [
    { kind: "latency-critical", count: 25 },
    { kind: "throughput", count: 25 },
  ],
  faults: { campaign: { count: 2000, meanGap: "10min" } },
};
const campaign = runFaultCampaign(scenario);

const pct = (x: number, digits = 3): string => `${(x * 100).toFixed(digits)}%`;
const dur = (x: number | null): string => (x === null ? "-" : formatDuration(x));

function print(rows: string[][]): void {
  console.log(formatTable(rows, { indent: "  " }));
}

console.log(
  `pvm-fault-campaign: ${campaign.faultCount} faults (seed ${campaign.seed}), ` +
    `${formatDuration(campaign.simulatedSeconds)} simulated per architecture, 50 guests\n`,
);
const rows = [
  [
    "architecture",
    "host reboots",
    "recover (mean)",
    "network up",
    "control up",
    "LC lost",
    "LC p99",
    "p99, no fault",
    "TP done",
    "ops lost",
  ],
];
for (const r of campaign.results) {
  const s = r.summary;
  const lc = s.latencyCritical!;
  rows.push([
    s.architecture,
    String(s.faults.hostReboots),
    dur(s.timeToRecover.meanSeconds),
    pct(s.availability.network),
    pct(s.availability.control),
    pct(lc.lost / lc.requests),
    dur(lc.p99LatencySeconds),
    dur(lc.noFaultP99LatencySeconds),
    pct(s.throughput!.completedFraction, 1),
    `${s.control.committedLost} + ${s.control.wipedByReboots} wiped`,
  ]);
}
print(rows);

// With no fault at all: what each architecture's mechanisms cost by themselves, over one day.
console.log("\nOne day without a fault (the price of the mechanisms alone):");
const quiet = runFaultCampaign({ duration: "1d", guests: scenario.guests! });
for (const r of quiet.results) {
  const s = r.summary;
  console.log(
    `  ${s.architecture.padEnd(9)} network up ${pct(s.availability.network, 4)}, ` +
      `LC p99 ${dur(s.latencyCritical!.p99LatencySeconds)}, TP done ${pct(s.throughput!.completedFraction, 1)}`,
  );
}

// One fault, by hand: the network domain crashes at 630.01 s of a one-hour run.
console.log("\nA network-domain crash at 630.01 s, architecture by architecture:");
const timelines = PVM_ARCHITECTURE_NAMES.map((architecture) => {
  const f = simulateResilience(
    { duration: "1h", faults: { injected: [{ at: 630.01, component: "net", kind: "crash" }] } },
    architecture,
  ).faults[0]!;
  console.log(
    `  ${architecture.padEnd(9)} detected ${f.detectedBy} at ${f.detectedAtSeconds} s, ${f.action}, ` +
      `serving again at ${Number(f.recoveredAtSeconds!.toFixed(6))} s (${dur(f.timeToRecoverSeconds)}); ` +
      `${Math.round(f.latencyCriticalLost)} requests lost, ${Math.round(f.latencyCriticalDelayed)} delayed`,
  );
  return { architecture, fault: f };
});

// Hand-computed figures (docs/pvm-resilience.md): a difference means the model changed.
const failures: string[] = [];
const expectNear = (what: string, actual: number, expected: number): void => {
  if (!(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)))) {
    failures.push(`${what}: got ${actual}, expected ${expected}`);
  }
};
const back = Object.fromEntries(
  timelines.map((t) => [t.architecture, t.fault.recoveredAtSeconds!]),
);
expectNear("vanilla: 5 s, then a 150 s reboot", back.vanilla!, 630.01 + 5 + 150);
expectNear("Xoar: a 1 s restart", back.xoar!, 631.01);
expectNear("Remus: 4 silent epochs, then a 1 s failover", back.remus!, 630.1 + 1);
expectNear("resilient: the next beat, then a 0.3 s failover", back.resilient!, 630.1 + 0.3);
const by = Object.fromEntries(campaign.results.map((r) => [r.summary.architecture, r.summary]));
expectNear(
  "vanilla: every detected fault reboots",
  by.vanilla!.faults.hostReboots,
  by.vanilla!.faults.detected,
);
expectNear("resilient: no committed operation lost", by.resilient!.control.committedLost, 0);
expectNear("resilient: no host reboot", by.resilient!.faults.hostReboots, 0);
if (failures.length > 0) {
  console.error(`\n${failures.length} figure(s) differ:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("\nThe hand-computed timelines check out.");

const result = {
  seed: campaign.seed,
  faultCount: campaign.faultCount,
  simulatedSeconds: campaign.simulatedSeconds,
  summaries: campaign.results.map((r) => r.summary),
  quiet: quiet.results.map((r) => r.summary),
  timelines,
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
  // The output is deterministic: check it against the recorded one (the data, not the layout).
  const expected = join(dirname(fileURLToPath(import.meta.url)), "..", "expected", "result.json");
  if (existsSync(expected)) {
    if (JSON.stringify(JSON.parse(readFileSync(expected, "utf8"))) !== JSON.stringify(result)) {
      console.error(
        `result differs from ${expected}; after an intended change, refresh it with ` +
          "`pnpm exec tsx src/main.ts --out expected`",
      );
      process.exit(1);
    }
    console.log("result matches expected/result.json");
  }
}
