import { formatDuration, formatTable } from "@vx/core";
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
import { type CliCommand, defineCommand, flagError, type OptionValues } from "./command.js";
import { ExitCode } from "./io.js";

const D = RESILIENCE_DEFAULTS;
const LC = RESILIENCE_GUEST_DEFAULTS.latencyCritical;
const TP = RESILIENCE_GUEST_DEFAULTS.throughput;

/** The flags of `vx pvm faults`. */
const OPTIONS = {
  architecture: {
    kind: "list",
    values: ["all", ...PVM_ARCHITECTURE_NAMES],
    default: ["all"],
    placeholder: "<list>",
    description: "all, or a comma-separated list of architectures",
  },
  faults: {
    kind: "integer",
    min: 1,
    max: 10_000_000,
    default: D.campaign.count,
    description: "faults to inject",
  },
  seed: {
    kind: "integer",
    min: -(2 ** 53) + 1,
    max: 2 ** 53 - 1,
    defaultText: "1",
    description: "seed of the fault draws",
  },
  gap: {
    kind: "duration",
    allowZero: false,
    default: D.campaign.meanGapSeconds,
    description: "mean time between faults, exponential",
  },
  guests: {
    kind: "integer",
    min: 0,
    max: 200_000,
    default: LC.count + TP.count,
    description: "guests, half latency-critical, half throughput",
  },
  "latency-critical": {
    kind: "integer",
    min: 0,
    max: 100_000,
    default: LC.count,
    description: `latency-critical guests (${LC.requestsPerSecond} requests/s each); overrides --guests' half`,
  },
  throughput: {
    kind: "integer",
    min: 0,
    max: 100_000,
    default: TP.count,
    description: `throughput guests (${TP.concurrency} requests in flight each); overrides --guests' half`,
  },
  kinds: {
    kind: "string",
    placeholder: "<weights>",
    defaultText: `crash=${D.kinds.crash},hang=${D.kinds.hang},corruption=${D.kinds.corruption}`,
    description: `name=weight pairs of the fault kinds (${FAULT_KINDS.join(", ")})`,
  },
  components: {
    kind: "string",
    placeholder: "<weights>",
    defaultText: `${PVM_COMPONENTS.join(", ")} alike`,
    description: "name=weight pairs of the components faults hit, e.g. net=1,xenstore=1",
  },
  "block-domain": {
    kind: "boolean",
    description: "give the block backend its own domain (by default it lives in dom0)",
  },
  coverage: {
    kind: "percent",
    min: 0,
    max: 1,
    defaultText: "100%",
    description: "share of detected failures each mechanism repairs",
  },
  json: { kind: "boolean", description: "print the campaign as JSON (summaries and breakdowns)" },
  records: { kind: "boolean", description: "with --json, include one record per fault" },
} as const;

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
      throw flagError(flag, `expected name=weight pairs separated by commas, got "${part}".`);
    }
    if (!(names as readonly string[]).includes(name)) {
      throw flagError(flag, `unknown name "${name}"; use ${names.join(", ")}.`);
    }
    const w = Number(value);
    if (!(Number.isFinite(w) && w >= 0)) {
      throw flagError(flag, `expected a weight ≥ 0 for ${name}, got "${value}".`);
    }
    out[name as N] = w;
  }
  return out;
}

/** Reads the flags that involve each other before anything runs. */
function plan(
  values: OptionValues<typeof OPTIONS>,
  given: ReadonlySet<string>,
): ResilienceScenarioInput {
  const names = values.architecture;
  if (names.includes("all") && names.length > 1) {
    throw flagError(
      "--architecture",
      `"all" cannot be combined with other names: use --architecture all, or list the architectures you want (${PVM_ARCHITECTURE_NAMES.join(",")}).`,
    );
  }
  const architectures: PvmArchitectureName[] = names.includes("all")
    ? [...PVM_ARCHITECTURE_NAMES]
    : (names as PvmArchitectureName[]);
  let lcCount = LC.count;
  let tpCount = TP.count;
  if (given.has("guests")) {
    lcCount = Math.ceil(values.guests / 2);
    tpCount = Math.floor(values.guests / 2);
  }
  if (given.has("latency-critical")) lcCount = values["latency-critical"];
  if (given.has("throughput")) tpCount = values.throughput;
  if (lcCount + tpCount === 0) throw flagError("--guests", "a campaign needs at least one guest.");
  const guests: NonNullable<ResilienceScenarioInput["guests"]>[number][] = [];
  if (lcCount > 0) guests.push({ kind: "latency-critical", count: lcCount });
  if (tpCount > 0) guests.push({ kind: "throughput", count: tpCount });
  const kinds =
    values.kinds === undefined
      ? undefined
      : weights<FaultKind>("--kinds", values.kinds, FAULT_KINDS);
  const components =
    values.components === undefined
      ? undefined
      : weights<PvmComponent>("--components", values.components, PVM_COMPONENTS);
  const coverage = values.coverage;
  return {
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    guests,
    host: { blockDomain: values["block-domain"] },
    architectures,
    faults: {
      ...(kinds !== undefined ? { kinds } : {}),
      campaign: {
        count: values.faults,
        meanGap: values.gap,
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
}

function table(rows: readonly (readonly string[])[]): string {
  return `${formatTable(rows)}\n`;
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
export const pvmCommand: CliCommand<number> = defineCommand({
  name: "pvm",
  summary: "inject a seeded fault campaign into the pVM: vanilla Xen, Xoar, Remus, resilient pVM",
  description: [
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
  ].join("\n"),
  positionals: [{ name: "subcommand", description: "what to do", values: ["faults"] }],
  options: OPTIONS,
  examples: ["vx pvm faults --faults 10000 --seed 7 --architecture vanilla,resilient"],
  run({ options, given }, io) {
    const scenario = plan(options, given);
    const json = options.json;
    const records = options.records;
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
});
