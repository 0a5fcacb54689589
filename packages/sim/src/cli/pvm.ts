import { parseArgs } from "node:util";
import { formatDuration, parseDuration, parsePercent, VxError } from "@vx/core";
import {
  FAULT_KINDS,
  type FaultCampaign,
  type FaultKind,
  PVM_ARCHITECTURE_NAMES,
  PVM_ARCHITECTURES,
  PVM_COMPONENTS,
  type PvmArchitectureName,
  type PvmComponent,
  RESILIENCE_DEFAULTS,
  RESILIENCE_GUEST_DEFAULTS,
  type ResilienceResult,
  type ResilienceScenarioInput,
  runFaultCampaign,
} from "@vx/pvm";
import { type CliIo, ExitCode } from "./io.js";

const OPTIONS = {
  architecture: { type: "string" },
  faults: { type: "string" },
  seed: { type: "string" },
  gap: { type: "string" },
  guests: { type: "string" },
  "latency-critical": { type: "string" },
  throughput: { type: "string" },
  kinds: { type: "string" },
  components: { type: "string" },
  "block-domain": { type: "boolean" },
  coverage: { type: "string" },
  json: { type: "boolean" },
  records: { type: "boolean" },
} as const;

const D = RESILIENCE_DEFAULTS;
const LC = RESILIENCE_GUEST_DEFAULTS.latencyCritical;
const TP = RESILIENCE_GUEST_DEFAULTS.throughput;

function badFlag(flag: string, message: string): VxError {
  return new VxError("VX_CLI_BAD_FLAG", `--${flag}: ${message}`, { path: [`--${flag}`] });
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= min && n <= max)) {
    throw badFlag(flag, `expected an integer from ${min} to ${max}, got "${text}".`);
  }
  return n;
}

/** `name=weight,name=weight` with names from `names`. */
function weights<N extends string>(
  flag: string,
  text: string,
  names: readonly N[],
): Partial<Record<N, number>> {
  const out: Partial<Record<N, number>> = {};
  for (const part of text.split(",")) {
    const [name, value, ...rest] = part.split("=").map((x) => x.trim());
    if (name === undefined || value === undefined || rest.length > 0) {
      throw badFlag(flag, `expected name=weight pairs separated by commas, got "${part}".`);
    }
    if (!(names as readonly string[]).includes(name)) {
      throw badFlag(flag, `unknown name "${name}"; use ${names.join(", ")}.`);
    }
    const w = Number(value);
    if (!(Number.isFinite(w) && w >= 0)) {
      throw badFlag(flag, `expected a weight ≥ 0 for ${name}, got "${value}".`);
    }
    out[name as N] = w;
  }
  return out;
}

interface Plan {
  readonly scenario: ResilienceScenarioInput;
  readonly json: boolean;
  readonly records: boolean;
}

/** Reads every flag before anything runs. */
function plan(args: readonly string[]): Plan {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || positionals[0] !== "faults") {
    throw new VxError(
      "VX_CLI_BAD_USAGE",
      `vx pvm takes one subcommand, "faults"${positionals.length > 0 ? `, got "${positionals.join(" ")}"` : ""}; run \`vx pvm --help\`.`,
    );
  }
  let architectures: PvmArchitectureName[] = [...PVM_ARCHITECTURE_NAMES];
  const a = values.architecture;
  if (a !== undefined && a !== "all") {
    architectures = a.split(",").map((x) => x.trim()) as PvmArchitectureName[];
    for (const name of architectures) {
      if (!(PVM_ARCHITECTURE_NAMES as readonly string[]).includes(name)) {
        throw badFlag(
          "architecture",
          `unknown architecture "${name}"; use all or a comma-separated list of ${PVM_ARCHITECTURE_NAMES.join(", ")}.`,
        );
      }
    }
  }
  const faults =
    values.faults === undefined
      ? D.campaign.count
      : integer("faults", values.faults, 1, 10_000_000);
  const seed =
    values.seed === undefined ? 1 : integer("seed", values.seed, -(2 ** 53) + 1, 2 ** 53 - 1);
  const gap =
    values.gap === undefined ? D.campaign.meanGapSeconds : parseDuration(values.gap, ["--gap"]);
  if (!(gap > 0)) throw badFlag("gap", "the mean gap between faults must be above 0.");
  let lcCount = LC.count;
  let tpCount = TP.count;
  if (values.guests !== undefined) {
    const n = integer("guests", values.guests, 0, 200_000);
    lcCount = Math.ceil(n / 2);
    tpCount = Math.floor(n / 2);
  }
  if (values["latency-critical"] !== undefined) {
    lcCount = integer("latency-critical", values["latency-critical"], 0, 100_000);
  }
  if (values.throughput !== undefined) {
    tpCount = integer("throughput", values.throughput, 0, 100_000);
  }
  if (lcCount + tpCount === 0) throw badFlag("guests", "a campaign needs at least one guest.");
  const guests: NonNullable<ResilienceScenarioInput["guests"]>[number][] = [];
  if (lcCount > 0) guests.push({ kind: "latency-critical", count: lcCount });
  if (tpCount > 0) guests.push({ kind: "throughput", count: tpCount });
  const kinds =
    values.kinds === undefined ? undefined : weights<FaultKind>("kinds", values.kinds, FAULT_KINDS);
  const components =
    values.components === undefined
      ? undefined
      : weights<PvmComponent>("components", values.components, PVM_COMPONENTS);
  const coverage =
    values.coverage === undefined ? undefined : parsePercent(values.coverage, ["--coverage"]);
  if (coverage !== undefined && !(coverage >= 0 && coverage <= 1)) {
    throw badFlag("coverage", `expected a share from 0 to 100 %, got "${values.coverage}".`);
  }
  const scenario: ResilienceScenarioInput = {
    seed,
    guests,
    host: { blockDomain: values["block-domain"] === true },
    architectures,
    faults: {
      ...(kinds !== undefined ? { kinds } : {}),
      campaign: {
        count: faults,
        meanGap: gap,
        ...(components !== undefined ? { components } : {}),
      },
    },
    ...(coverage !== undefined
      ? {
          settings: Object.fromEntries(
            architectures.map((name) => [name, { recoveryCoverage: coverage }]),
          ),
        }
      : {}),
  };
  return { scenario, json: values.json === true, records: values.records === true };
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => rows.reduce((w, r) => Math.max(w, r[c]!.length), 0));
  return `${rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}

const dur = (x: number | null): string => (x === null ? "-" : formatDuration(x));
/** A share with three decimals of a percent, so 99.983 % does not print as 100 %. */
const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;
const share = (part: number, whole: number): string => (whole > 0 ? pct(part / whole) : "-");

function summaryTable(campaign: FaultCampaign): string {
  const rows: string[][] = [
    [
      "architecture",
      "host reboots",
      "recover mean",
      "recover p99",
      "network up",
      "control up",
      "LC lost",
      "LC delayed",
      "LC p99",
      "LC p99 no fault",
      "TP done",
      "TP no fault",
      "ops lost",
      "ops wiped",
    ],
  ];
  for (const r of campaign.results) {
    const s = r.summary;
    const lc = s.latencyCritical;
    const tp = s.throughput;
    rows.push([
      s.architecture,
      String(s.faults.hostReboots),
      dur(s.timeToRecover.meanSeconds),
      dur(s.timeToRecover.p99Seconds),
      pct(s.availability.network),
      pct(s.availability.control),
      lc === null ? "-" : share(lc.lost, lc.requests),
      lc === null ? "-" : share(lc.delayed, lc.requests),
      lc === null ? "-" : dur(lc.p99LatencySeconds),
      lc === null ? "-" : dur(lc.noFaultP99LatencySeconds),
      tp === null ? "-" : pct(tp.completedFraction),
      tp === null ? "-" : pct(tp.noFaultCompletedFraction),
      String(s.control.committedLost),
      String(s.control.wipedByReboots),
    ]);
  }
  return table(rows);
}

function breakdownTable(r: ResilienceResult): string {
  const rows: string[][] = [
    [
      "component",
      "kind",
      "faults",
      "masked",
      "host reboots",
      "recover mean",
      "LC lost",
      "ops lost",
    ],
  ];
  for (const b of r.byComponent) {
    if (b.faults === 0) continue;
    rows.push([
      b.component,
      b.kind,
      String(b.faults),
      String(b.masked),
      String(b.hostReboots),
      dur(b.meanTimeToRecoverSeconds),
      b.latencyCriticalLost.toExponential(2),
      String(b.committedControlOpsLost + b.controlOpsWipedByReboot),
    ]);
  }
  return table(rows);
}

/** `vx pvm faults`: a seeded fault campaign on the pVM architectures, one table per architecture. */
export const pvmCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
} = {
  summary: "inject a seeded fault campaign into the pVM: vanilla Xen, Xoar, Remus, resilient pVM",
  usage: [
    "Usage: vx pvm faults [--architecture all|<name>,...] [--faults <n>] [--seed <n>] [--gap <duration>]",
    "                     [--guests <n>] [options] [--json [--records]]",
    "",
    "Injects the same seeded faults (crashes, hangs, detectable corruptions of dom0, XenStore, the",
    "network domain, the tool domain and the block backend) into each pVM architecture and prints",
    "a summary table, then one table per architecture by component and fault kind: host reboots,",
    "time to recover, availability of the network and the control plane, latency-critical",
    "requests lost and delayed, their p99 (lost ones count at their timeout), the throughput",
    "guests' share of work done, and committed control operations lost (a recovery that did not",
    "keep XenStore's state) or wiped (a host reboot).",
    "",
    "Architectures:",
    ...PVM_ARCHITECTURES.map((x) => `  ${x.name.padEnd(10)} ${x.summary}`),
    "",
    "Options:",
    `  --architecture <list>  all (default) or a comma-separated list of ${PVM_ARCHITECTURE_NAMES.join(", ")}`,
    `  --faults <n>           faults to inject (default ${D.campaign.count})`,
    "  --seed <n>             seed of the fault draws (default 1)",
    `  --gap <duration>       mean time between faults, exponential (default ${formatDuration(D.campaign.meanGapSeconds)})`,
    `  --guests <n>           guests, half latency-critical, half throughput (default ${LC.count + TP.count})`,
    `  --latency-critical <n> latency-critical guests (default ${LC.count}: ${LC.requestsPerSecond} requests/s each)`,
    `  --throughput <n>       throughput guests (default ${TP.count}: ${TP.concurrency} requests in flight each)`,
    `  --kinds <weights>      e.g. crash=${D.kinds.crash},hang=${D.kinds.hang},corruption=${D.kinds.corruption} (the default)`,
    `  --components <weights> e.g. net=1,xenstore=1 (default: ${PVM_COMPONENTS.join(", ")} alike)`,
    "  --block-domain         give the block backend its own domain (default: it lives in dom0)",
    "  --coverage <percent>   share of detected failures each mechanism repairs (default 100%)",
    "  --json                 print the campaign as JSON (summaries and breakdowns)",
    "  --records              with --json, include one record per fault",
    "",
    "Example: vx pvm faults --faults 10000 --seed 7 --architecture vanilla,resilient",
  ].join("\n"),
  run(args, io) {
    const { scenario, json, records } = plan(args);
    const campaign = runFaultCampaign(scenario);
    if (json) {
      const out = records
        ? campaign
        : {
            ...campaign,
            results: campaign.results.map((r) => ({
              summary: r.summary,
              byComponent: r.byComponent,
            })),
          };
      io.out(`${JSON.stringify(out, null, 2)}\n`);
      return ExitCode.ok;
    }
    const lines = [
      `pVM fault campaign: ${campaign.faultCount} faults, seed ${campaign.seed}, ` +
        `${formatDuration(campaign.simulatedSeconds)} simulated for each architecture`,
      "",
      summaryTable(campaign),
    ];
    for (const r of campaign.results) {
      lines.push(`${r.summary.architecture}:`, breakdownTable(r));
    }
    io.out(lines.join("\n"));
    return ExitCode.ok;
  },
};
