/**
 * PlanetLab consolidation: Beloglazov & Buyya's policies on a real day of PlanetLab CPU traces,
 * in the configuration CloudSim ships (800 hosts, 1052 VMs, 300 s rounds, 24 h), side by side
 * with the non-power-aware and DVFS baselines.
 *
 *   pnpm start                           # PlanetLab 20110303, packaged in @vx/traces-planetlab
 *   pnpm start --day 20110322            # another of the ten packaged days
 *   pnpm start --traces <day folder>     # a folder of CloudSim's trace files instead
 *   pnpm start --vx                      # vx semantics instead of CloudSim's quirks
 *   pnpm start --vx --migration precopy --network tree
 *                                        # real pre-copy migrations on a 4:1 tree network
 *   pnpm start --out out                 # also write one result JSON per policy
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatTable } from "@vx/core";
import {
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

// `pnpm start -- --flag` passes the `--` through: drop it.
const argv = process.argv.slice(2);
const { values: flags } = parseArgs({
  args: argv[0] === "--" ? argv.slice(1) : argv,
  options: {
    day: { type: "string", default: "20110303" },
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

/** The spec with the migration model and network of the flags. */
function withMigrations(spec: DatacenterSpecInput): DatacenterSpecInput {
  if (!real && topology === "star") return spec;
  return { ...spec, network: { topology }, migration: { model } };
}

// The day packaged in @vx/traces-planetlab, or a folder of CloudSim's trace files.
const traces: { readonly day: string } | { readonly folder: string } =
  flags.traces === undefined ? { day: flags.day } : { folder: flags.traces };
const source =
  "day" in traces ? `PlanetLab day ${traces.day}` : `PlanetLab traces in ${traces.folder}`;
console.log(
  `${source}: CloudSim-compatible configuration (800 hosts, one VM per trace, 300 s rounds, 24 h), ` +
    `${flags.vx ? "vx semantics" : "CloudSim 4.0 quirks on"}; migrations: ${model} on a ${topology}.\n`,
);

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
  const spec = withMigrations(cloudsimPlanetLabSpec({ ...traces, policy, quirks: !flags.vx }));
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
