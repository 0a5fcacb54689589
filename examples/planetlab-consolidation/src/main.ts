/**
 * PlanetLab consolidation: Beloglazov & Buyya's policies on a real day of PlanetLab CPU traces,
 * in the configuration CloudSim ships (800 hosts, 1052 VMs, 300 s rounds, 24 h), side by side
 * with the non-power-aware and DVFS baselines.
 *
 *   pnpm start                           # the 20110303 traces from ../shared/data if present
 *   pnpm start --traces <day folder>     # another day (a folder of trace files)
 *   pnpm start --vx                      # vx semantics instead of CloudSim's quirks
 *   pnpm start --vx --migration precopy --network tree
 *                                        # real pre-copy migrations on a 4:1 tree network
 *   pnpm start --out out                 # also write one result JSON per policy
 *
 * Without the traces it says so and runs a small synthetic data center instead.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatTable } from "@vx/core";
import {
  CLOUDSIM_HOST_TYPES,
  CLOUDSIM_VM_TYPES,
  cloudsimPlanetLabSpec,
  type DatacenterSpecInput,
  MIGRATION_MODEL_NAMES,
  type MigrationModelName,
  type PolicyInput,
  runDatacenter,
} from "@vx/datacenter";
import { nodeTraceLoader } from "@vx/datacenter/node";

type Policy = PolicyInput;

/** The policies of Beloglazov & Buyya's Table 4, with CloudSim's parameters. */
const POLICIES: readonly { readonly label: string; readonly policy: Policy }[] = [
  { label: "NPA", policy: { overload: "none" } },
  { label: "DVFS", policy: { overload: "dvfs" } },
  { label: "THR-MMT-0.8", policy: { overload: "thr", parameter: 0.8, selection: "mmt" } },
  { label: "IQR-MMT-1.5", policy: { overload: "iqr", parameter: 1.5, selection: "mmt" } },
  { label: "MAD-MMT-2.5", policy: { overload: "mad", parameter: 2.5, selection: "mmt" } },
  { label: "LR-MMT-1.2", policy: { overload: "lr", parameter: 1.2, selection: "mmt" } },
  { label: "LRR-MMT-1.2", policy: { overload: "lrr", parameter: 1.2, selection: "mmt" } },
];

const here = dirname(fileURLToPath(import.meta.url));
// `pnpm start -- --flag` passes the `--` through: drop it.
const argv = process.argv.slice(2);
const { values: flags } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    traces: { type: "string" },
    vx: { type: "boolean", default: false },
    migration: { type: "string", default: "cloudsim" },
    network: { type: "string", default: "star" },
    out: { type: "string" },
  },
});
const model = flags.migration as MigrationModelName;
if (!MIGRATION_MODEL_NAMES.includes(model)) {
  console.error(`--migration must be one of ${MIGRATION_MODEL_NAMES.join(", ")}.`);
  process.exit(2);
}
if (flags.network !== "star" && flags.network !== "tree") {
  console.error("--network must be star or tree.");
  process.exit(2);
}
const topology = flags.network;
/** Real migrations: report their times too. */
const real = model !== "cloudsim";

/** A day folder: the flag's (or, under it, planetlab/20110303 or 20110303), else the shared data's. */
function findDay(): string | undefined {
  const given = flags.traces;
  const candidates =
    given === undefined
      ? [resolve(here, "..", "..", "..", "..", "shared", "data", "planetlab", "20110303")]
      : [join(given, "planetlab", "20110303"), join(given, "20110303"), given];
  return candidates.find((c) => existsSync(c));
}

/**
 * A small stand-in when the traces are missing: 40 hosts of the same two types, 60 VMs of the
 * four CloudSim types with a daily cycle, bursts and idle periods (seeded).
 */
function syntheticScenario(policy: Policy): DatacenterSpecInput {
  const hosts = Array.from({ length: 40 }, (_, i) => ({
    type: i % 2 === 0 ? "hp-ml110-g4" : "hp-ml110-g5",
    count: 1,
  }));
  const types = ["high-cpu-medium", "extra-large", "small", "micro"];
  return {
    name: "synthetic",
    seed: 42,
    duration: "24h",
    step: "300s",
    hostTypes: CLOUDSIM_HOST_TYPES,
    hosts,
    vmTypes: CLOUDSIM_VM_TYPES,
    vms: [
      {
        types,
        count: 30,
        workload: { kind: "diurnal", mean: 0.3, amplitude: 0.2, period: "24h", noise: 0.05 },
      },
      {
        types,
        count: 20,
        workload: { kind: "bursty", base: 0.1, peak: 0.8, meanGap: "2h", meanBurst: "15min" },
      },
      {
        types: ["micro"],
        count: 10,
        workload: {
          kind: "idle-spikes",
          idle: 0.02,
          spike: 0.6,
          meanGap: "6h",
          spikeDuration: "5min",
        },
      },
    ],
    network: { topology: "star", latency: 0 },
    policy: { selection: "mmt", placement: "pabfd", underload: true, ...policy },
    migration: { model: "cloudsim" },
    cloudsim: { quirks: !flags.vx },
  };
}

/** The spec with the migration model and network of the flags. */
function withMigrations(spec: DatacenterSpecInput): DatacenterSpecInput {
  if (!real && topology === "star") return spec;
  return { ...spec, network: { topology }, migration: { model } };
}

const day = findDay();
if (day === undefined) {
  const where = flags.traces ?? resolve(here, "..", "..", "..", "..", "shared", "data");
  console.log(
    `PlanetLab traces not found (looked for a day folder in ${where}); running a small synthetic data center instead.\n` +
      "Get the traces from CloudSim (modules/cloudsim-examples/src/main/resources/workload/planetlab) and pass --traces <folder>.\n",
  );
} else {
  console.log(
    `PlanetLab day ${day}: CloudSim-compatible configuration (800 hosts, one VM per trace, 300 s rounds, 24 h), ` +
      `${flags.vx ? "vx semantics" : "CloudSim 4.0 quirks on"}; migrations: ${model} on a ${topology}.\n`,
  );
}

const header = [
  "policy",
  "energy kWh",
  "migrations",
  "SLATAH %",
  "PDM %",
  "SLAV ×1e5",
  "ESV ×1e3",
  "shutdowns",
  "hosts on",
  ...(real ? ["migration s", "downtime ms"] : []),
];
const rows: string[][] = [];
for (const { label, policy } of POLICIES) {
  const spec = withMigrations(
    day === undefined
      ? syntheticScenario(policy)
      : cloudsimPlanetLabSpec({ folder: day, policy, quirks: !flags.vx }),
  );
  const result = runDatacenter(spec, { loader: nodeTraceLoader() });
  const s = result.summary;
  rows.push([
    label,
    s.energyKWh.toFixed(2),
    String(s.migrations),
    (100 * s.slatah).toFixed(2),
    (100 * s.pdm).toFixed(3),
    (1e5 * s.slav).toFixed(2),
    (1e3 * s.esv).toFixed(3),
    String(s.hostShutdowns),
    s.meanActiveHosts.toFixed(1),
    ...(real ? [s.meanMigrationSeconds.toFixed(1), (1000 * s.meanDowntimeSeconds).toFixed(0)] : []),
  ]);
  if (flags.out !== undefined) {
    mkdirSync(flags.out, { recursive: true });
    writeFileSync(join(flags.out, `${label}.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
}

const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
);
console.log(formatTable([header, widths.map((w) => "-".repeat(w)), ...rows]));
console.log(
  "\nSLATAH: share of active host time at 100 % CPU; PDM: CPU lost to migrations; SLAV = SLATAH × PDM; ESV = energy × SLAV.",
);
