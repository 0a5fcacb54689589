import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  formatTable,
  Gbps,
  type TableAlign,
} from "@vx/core";
import {
  type CompareEvacuationOptions,
  compareEvacuations,
  compareStrategies,
  type DirtyModelOptions,
  type EvacuationResult,
  HYBRID_DEFAULTS,
  LIMIT_DEFAULTS,
  MAX_EVACUATION_VMS,
  MAX_ROUNDS_LIMIT,
  MIGRATION_DEFAULTS,
  type MigrationResult,
  QEMU_DEFAULTS,
  STRATEGIES,
  type StrategyName,
  VM_DEFAULTS,
  type VmOptions,
  XEN_DEFAULTS,
} from "@vx/migration";
import { readDirtyTrace } from "@vx/migration/node";
import { type CliCommand, defineCommand, flagError, type OptionValues } from "./command.js";
import { type CliIo, ExitCode } from "./io.js";

const DIRTY_MODELS = [
  "none",
  "uniform",
  "hot-cold",
  "scan",
  "zipf",
  "cpu-coupled",
  "trace",
] as const;

/** The link when none is given (an assumption of the CLI: a 10 Gbit/s data-center link). */
const DEFAULT_LINK = Gbps(10);
/** Per-VM lines are printed up to this many VMs (the JSON always lists them all). */
const VM_LINES = 20;
const Q = QEMU_DEFAULTS;

/** The flags of `vx migrate`, grouped as `--help` lists them. */
const OPTIONS = {
  // The VM.
  ram: { kind: "bytes", required: true, allowZero: false, description: "the VM's RAM" },
  "page-size": {
    kind: "bytes",
    allowZero: false,
    default: VM_DEFAULTS.pageSize,
    description: "its page size (4KiB, 2MiB or 1GiB)",
  },
  "dirty-rate": {
    kind: "rate",
    defaultText: "idle",
    description:
      "how fast it dirties memory, e.g. 1GiB/s; with cpu-coupled, what it dirties at one full core",
  },
  wws: { kind: "bytes", description: "its writable working set (the hot pages)" },
  "dirty-model": {
    kind: "enum",
    values: DIRTY_MODELS,
    defaultText: "hot-cold with --wws, uniform with --dirty-rate, trace with --trace, else none",
    description: "how it dirties memory",
  },
  "hot-share": {
    kind: "percent",
    min: 0,
    max: 1,
    default: VM_DEFAULTS.hotShare,
    description: "share of the dirtying on the working set (hot-cold)",
  },
  "zipf-exponent": {
    kind: "number",
    default: VM_DEFAULTS.zipfExponent,
    description: "Zipf exponent, > 0 (zipf)",
  },
  trace: {
    kind: "string",
    placeholder: "<file>",
    description: "a dirty-page trace to replay (trace)",
  },
  "zero-pages": {
    kind: "percent",
    default: VM_DEFAULTS.zeroPages,
    description: "share of RAM in zero pages",
  },
  "free-pages": {
    kind: "percent",
    default: VM_DEFAULTS.freePages,
    description: "share of RAM the guest knows is free",
  },
  vcpus: { kind: "integer", min: 1, default: VM_DEFAULTS.vcpus, description: "virtual CPUs" },
  "cpu-share": {
    kind: "percent",
    default: VM_DEFAULTS.cpuShare,
    description: "share of its vCPUs the guest keeps busy",
  },
  // Host evacuation.
  vms: {
    kind: "integer",
    min: 1,
    max: MAX_EVACUATION_VMS,
    description: "evacuate a host: n identical VMs leave the source",
  },
  "host-cores": {
    kind: "integer",
    min: 1,
    max: 1_000_000,
    defaultText: "one per vCPU",
    description:
      "the source's cores, shared by the VMs' vCPUs; fewer slow the guests and their cpu-coupled dirtying",
  },
  sequential: {
    kind: "boolean",
    description: "evacuate one VM after another instead of all at once",
  },
  // The network and the run.
  link: { kind: "rate", default: DEFAULT_LINK, description: "the link's rate" },
  latency: { kind: "duration", default: 0, description: "the link's one-way latency" },
  rtt: {
    kind: "duration",
    defaultText: "twice the latency",
    description: "round trip of a post-copy fault",
  },
  strategy: {
    kind: "list",
    values: ["all", ...STRATEGIES],
    default: ["all"],
    placeholder: "<list>",
    description: "all, or a comma-separated list of strategies",
  },
  "max-downtime": {
    kind: "duration",
    default: Q.downtimeLimit,
    description: "the downtime a strategy must meet (QEMU's downtime limit)",
  },
  fidelity: {
    kind: "enum",
    values: ["fluid", "page"],
    default: MIGRATION_DEFAULTS.fidelity,
    description: "byte counts (fluid) or page-level bitmaps (page)",
  },
  seed: {
    kind: "string",
    placeholder: "<n>",
    default: String(MIGRATION_DEFAULTS.seed),
    description: "seed of the page layout and choices (a number, or any text)",
  },
  "max-rounds": {
    kind: "integer",
    min: 1,
    max: MAX_ROUNDS_LIMIT,
    default: LIMIT_DEFAULTS.maxRounds,
    description: "give up after n pre-copy rounds",
  },
  "max-time": {
    kind: "duration",
    default: LIMIT_DEFAULTS.maxTime,
    description: "stop every strategy after this long",
  },
  // The rate cap of every pre-copy.
  "max-bandwidth": {
    kind: "rate",
    defaultText: `QEMU's ${formatRate(Q.maxBandwidth, { bits: false })}, legacy Xen's own ${formatRate(XEN_DEFAULTS.initialRate)} → ${formatRate(XEN_DEFAULTS.maxRate)}, SimGrid none`,
    description:
      "caps every pre-copy (QEMU, Xen, SimGrid, hybrid, analytic): QEMU's max-bandwidth, legacy Xen's highest rate, SimGrid's migration speed; post-copy is not capped",
  },
  // QEMU's rules (pre-copy, hybrid, analytic).
  "downtime-limit": {
    kind: "duration",
    default: Q.downtimeLimit,
    description: "QEMU's switch-over target",
  },
  "auto-converge": {
    kind: "boolean",
    description: "QEMU throttles the guest when it dirties too fast",
  },
  "xbzrle-cache": {
    kind: "bytes",
    defaultText: `off; QEMU's cache is ${formatBytes(Q.xbzrleCacheSize)}`,
    description: "enable QEMU's xbzrle with this cache",
  },
  multifd: {
    kind: "integer",
    min: 1,
    placeholder: "<channels>",
    defaultText: `off; QEMU's default is ${Q.multifdChannels}`,
    description: "enable QEMU's multifd with this many channels",
  },
  "hybrid-rounds": {
    kind: "integer",
    min: 1,
    default: HYBRID_DEFAULTS.precopyRounds,
    description: "pre-copy rounds before post-copy (hybrid)",
  },
  "postcopy-recovery": {
    kind: "boolean",
    description: "a network failure pauses post-copy instead of losing the VM",
  },
  json: {
    kind: "boolean",
    description: "print { results: [...] } as JSON (with --vms, each with its vms)",
  },
} as const;

type Values = OptionValues<typeof OPTIONS>;

interface Plan {
  readonly vm: VmOptions;
  readonly options: CompareEvacuationOptions;
  readonly evacuation: boolean;
  readonly maxDowntime: number;
  readonly json: boolean;
}

function strategiesOf(names: Values["strategy"]): readonly StrategyName[] {
  if (!names.includes("all")) return names as readonly StrategyName[];
  if (names.length > 1) {
    throw flagError(
      "--strategy",
      `"all" cannot be combined with other names: use --strategy all, or list the strategies you want (${STRATEGIES.join(",")}).`,
    );
  }
  return STRATEGIES;
}

/** The dirtying model the flags describe. */
function dirtyOf(values: Values): DirtyModelOptions {
  const dirtyRate = values["dirty-rate"];
  const model =
    values["dirty-model"] ??
    (values.trace !== undefined
      ? "trace"
      : dirtyRate === undefined
        ? "none"
        : values.wws === undefined
          ? "uniform"
          : "hot-cold");
  const needsRate = model !== "none" && model !== "trace";
  if (needsRate && dirtyRate === undefined) {
    throw flagError(
      "--dirty-rate",
      `the ${model} model needs a dirty rate, e.g. --dirty-rate 1GiB/s.`,
    );
  }
  const r = dirtyRate ?? 0;
  switch (model) {
    case "none":
      return { model: "none" };
    case "uniform":
    case "scan":
      return { model, rate: r };
    case "hot-cold":
      return { model, rate: r, hotShare: values["hot-share"] };
    case "zipf": {
      const exponent = values["zipf-exponent"];
      if (!(exponent > 0)) {
        throw flagError("--zipf-exponent", `expected a number > 0, got ${exponent}.`);
      }
      return { model, rate: r, exponent };
    }
    case "cpu-coupled":
      // --dirty-rate is what a guest dirties per second at one full core (SimGrid's
      // intensity × migration speed); the migration speed itself is --max-bandwidth, not this.
      return { model, intensity: 1, speedCap: r };
    case "trace":
      if (values.trace === undefined) {
        throw flagError("--trace", "the trace model needs a trace file, e.g. --trace web.trace.");
      }
      return { model, trace: readDirtyTrace(values.trace) };
  }
}

/** Reads the flags that involve each other (and the trace file) before anything runs. */
function plan(values: Values, given: ReadonlySet<string>): Plan {
  const dirty = dirtyOf(values);
  const maxBandwidth = values["max-bandwidth"];
  const link = values.link;
  const n = Number(values.seed);
  const seed: number | string = values.seed.trim() !== "" && Number.isFinite(n) ? n : values.seed;
  const vms = values.vms;
  const hostCores = values["host-cores"];
  const evacuation = vms !== undefined || hostCores !== undefined || values.sequential;
  const xbzrle = values["xbzrle-cache"];
  const multifd = values.multifd;
  const vm: VmOptions = {
    ram: values.ram,
    dirty,
    pageSize: values["page-size"],
    ...(values.wws !== undefined ? { workingSet: values.wws } : {}),
    zeroPages: values["zero-pages"],
    freePages: values["free-pages"],
    vcpus: values.vcpus,
    cpuShare: values["cpu-share"],
  };
  const options: CompareEvacuationOptions = {
    strategies: strategiesOf(values.strategy),
    fidelity: values.fidelity,
    seed,
    link: { bandwidth: link, latency: values.latency },
    ...(values.rtt !== undefined ? { rtt: values.rtt } : {}),
    limits: { maxRounds: values["max-rounds"], maxTime: values["max-time"] },
    qemu: {
      ...(given.has("downtime-limit") ? { downtimeLimit: values["downtime-limit"] } : {}),
      ...(maxBandwidth !== undefined ? { maxBandwidth } : {}),
      ...(values["auto-converge"] ? { autoConverge: true } : {}),
      ...(xbzrle !== undefined ? { xbzrle: true, xbzrleCacheSize: xbzrle } : {}),
      ...(multifd !== undefined ? { multifd: true, multifdChannels: multifd } : {}),
    },
    // --max-bandwidth caps every pre-copy: Xen's adaptive rate tops out there (and starts no
    // higher), and it is SimGrid's migration speed. Without it SimGrid runs uncapped (the link
    // bounds it), never at the cpu-coupled --dirty-rate, which only sets how fast a guest dirties.
    ...(maxBandwidth !== undefined
      ? {
          xen: {
            maxRate: maxBandwidth,
            initialRate: Math.min(XEN_DEFAULTS.initialRate, maxBandwidth),
          },
        }
      : {}),
    ...(maxBandwidth !== undefined || link > 0
      ? { simgrid: { speedCap: maxBandwidth ?? link } }
      : {}),
    ...(given.has("hybrid-rounds") ? { hybrid: { precopyRounds: values["hybrid-rounds"] } } : {}),
    ...(values["postcopy-recovery"] ? { postcopy: { recovery: true } } : {}),
    ...(vms !== undefined ? { vms } : {}),
    ...(hostCores !== undefined ? { hostCores } : {}),
    ...(values.sequential ? { sequential: true } : {}),
  };
  return { vm, options, evacuation, maxDowntime: values["max-downtime"], json: values.json };
}

/**
 * Why a completed migration had no downtime, or `null` when it had some. A downtime of 0 meets
 * any limit vacuously: the reader must know it comes from the model's assumptions.
 */
function zeroDowntime(r: MigrationResult): string | null {
  if (r.outcome !== "completed" || r.downtimeSeconds > 0) return null;
  if (r.strategy === "cloudsim")
    return "CloudSim's model has no downtime (RAM / half the bandwidth, nothing else)";
  if (r.postcopy.switchSeconds !== null) {
    return "the switch sends no CPU state over a link without latency (give --latency)";
  }
  return "nothing was dirty at the switch-over and the link has no latency (give --latency or --dirty-rate)";
}

function meets(r: MigrationResult, maxDowntime: number): boolean {
  return r.outcome === "completed" && r.downtimeSeconds <= maxDowntime;
}

/** The JSON of one migration: the library's result, with `downtimeSeconds: null` unless it completed. */
function resultJson(r: MigrationResult, maxDowntime: number): Record<string, unknown> {
  return {
    name: r.name,
    strategy: r.strategy,
    outcome: r.outcome,
    reason: r.reason,
    fidelity: r.fidelity,
    startSeconds: r.startSeconds,
    totalTimeSeconds: r.totalTimeSeconds,
    downtimeSeconds: r.outcome === "completed" ? r.downtimeSeconds : null,
    downtimeNote: zeroDowntime(r),
    expectedDowntimeSeconds: r.expectedDowntimeSeconds,
    bytesSent: r.bytesSent,
    roundCount: r.roundCount,
    rounds: r.rounds,
    omittedRounds: r.omittedRounds,
    postcopy: r.postcopy,
    finalThrottle: r.finalThrottle,
    throttleSteps: r.throttleSteps,
    sourceCpuReleasedSeconds: r.sourceCpuReleasedSeconds,
    sourceMemoryFreedSeconds: r.sourceMemoryFreedSeconds,
    pages: r.pages,
    meetsMaxDowntime: meets(r, maxDowntime),
  };
}

function evacuationMeets(e: EvacuationResult, maxDowntime: number): boolean {
  return e.landed === e.vms.length && (e.maxDowntimeSeconds ?? 0) <= maxDowntime;
}

function downtimeCell(r: MigrationResult, notes: Map<string, string>): string {
  if (r.outcome !== "completed") return "-";
  const note = zeroDowntime(r);
  if (note === null) return formatDuration(r.downtimeSeconds);
  if (!notes.has(note)) notes.set(note, "*".repeat(notes.size + 1));
  return `0 s${notes.get(note)}`;
}

function row(r: MigrationResult, maxDowntime: number, notes: Map<string, string>): string[] {
  return [
    r.strategy,
    r.outcome,
    formatDuration(r.totalTimeSeconds),
    downtimeCell(r, notes),
    formatBytes(r.bytesSent.total),
    String(r.roundCount),
    r.postcopy.faults > 0 ? String(Math.round(r.postcopy.faults)) : "-",
    r.finalThrottle > 0 ? formatPercent(r.finalThrottle) : "-",
    meets(r, maxDowntime) ? "yes" : "no",
  ];
}

/** Columns of the strategy table: names and outcome left, figures right, "meets" left. */
const SINGLE_ALIGN: readonly TableAlign[] = [
  "left",
  "left",
  "right",
  "right",
  "right",
  "right",
  "right",
  "right",
  "left",
];
/** Columns of the evacuation table. */
const EVACUATION_ALIGN: readonly TableAlign[] = ["left", "left", "right", "right", "right", "left"];

function printNotes(io: CliIo, notes: Map<string, string>): void {
  for (const [note, mark] of notes) io.out(`${mark} 0 s: ${note}.\n`);
}

function runSingle(p: Plan, io: CliIo): number {
  const results = compareStrategies(p.vm, p.options);
  const ok = results.filter((r) => meets(r, p.maxDowntime)).map((r) => r.strategy);
  if (p.json) {
    const out = {
      maxDowntimeSeconds: p.maxDowntime,
      meetingMaxDowntime: ok,
      results: results.map((r) => resultJson(r, p.maxDowntime)),
    };
    io.out(`${JSON.stringify(out, null, 2)}\n`);
    return ExitCode.ok;
  }
  const notes = new Map<string, string>();
  const table = [
    ["strategy", "outcome", "total", "downtime", "sent", "rounds", "faults", "throttle", "meets"],
    ...results.map((r) => row(r, p.maxDowntime, notes)),
  ];
  io.out(`${formatTable(table, { align: SINGLE_ALIGN })}\n`);
  io.out("\n");
  printNotes(io, notes);
  io.out(
    ok.length > 0
      ? `Meet a downtime of ${formatDuration(p.maxDowntime)}: ${ok.join(", ")}.\n`
      : `No strategy completes within a downtime of ${formatDuration(p.maxDowntime)}.\n`,
  );
  return ExitCode.ok;
}

function runEvacuation(p: Plan, io: CliIo): number {
  const results = compareEvacuations(p.vm, p.options);
  const ok = results.filter((e) => evacuationMeets(e, p.maxDowntime)).map((e) => e.strategy);
  if (p.json) {
    const out = {
      maxDowntimeSeconds: p.maxDowntime,
      meetingMaxDowntime: ok,
      vms: results[0]?.vms.length ?? 0,
      hostCores: results[0]?.hostCores ?? 0,
      sequential: results[0]?.sequential ?? false,
      results: results.map((e) => ({
        strategy: e.strategy,
        outcome: e.outcome,
        landed: e.landed,
        totalTimeSeconds: e.totalTimeSeconds,
        maxDowntimeSeconds: e.maxDowntimeSeconds,
        bytesSent: e.bytesSent,
        meetsMaxDowntime: evacuationMeets(e, p.maxDowntime),
        vms: e.vms.map((r) => resultJson(r, p.maxDowntime)),
      })),
    };
    io.out(`${JSON.stringify(out, null, 2)}\n`);
    return ExitCode.ok;
  }
  const first = results[0]!;
  const n = first.vms.length;
  io.out(
    `Evacuating ${n} VM${n === 1 ? "" : "s"} ${first.sequential ? "one after another" : "at once"} ` +
      `over one link, the source's ${first.hostCores} core${first.hostCores === 1 ? "" : "s"} shared.\n\n`,
  );
  const notes = new Map<string, string>();
  const table: string[][] = [["strategy", "landed", "all in", "max downtime", "sent", "meets"]];
  for (const e of results) {
    table.push([
      e.strategy,
      `${e.landed}/${n}${e.outcome === "completed" ? "" : ` (${e.outcome})`}`,
      formatDuration(e.totalTimeSeconds),
      e.maxDowntimeSeconds === null
        ? "-"
        : e.maxDowntimeSeconds === 0
          ? downtimeCell(e.vms.find((r) => r.outcome === "completed")!, notes)
          : formatDuration(e.maxDowntimeSeconds),
      formatBytes(e.bytesSent.total),
      evacuationMeets(e, p.maxDowntime) ? "yes" : "no",
    ]);
    if (n <= VM_LINES) {
      for (const r of e.vms) {
        table.push([
          `  ${r.name}`,
          r.outcome,
          `${formatDuration(r.startSeconds)} → ${formatDuration(r.startSeconds + r.totalTimeSeconds)}`,
          downtimeCell(r, notes),
          formatBytes(r.bytesSent.total),
          "",
        ]);
      }
    } else {
      let lo = Number.POSITIVE_INFINITY;
      let hi = 0;
      let sum = 0;
      for (const r of e.vms) {
        lo = Math.min(lo, r.totalTimeSeconds);
        hi = Math.max(hi, r.totalTimeSeconds);
        sum += r.totalTimeSeconds;
      }
      table.push([
        "  per VM",
        "",
        `${formatDuration(lo)} … ${formatDuration(hi)} (mean ${formatDuration(sum / n)})`,
        "",
        "",
        "",
      ]);
    }
  }
  io.out(`${formatTable(table, { align: EVACUATION_ALIGN })}\n`);
  io.out("\n");
  printNotes(io, notes);
  io.out(
    ok.length > 0
      ? `Every VM within a downtime of ${formatDuration(p.maxDowntime)}: ${ok.join(", ")}.\n`
      : `No strategy lands every VM within a downtime of ${formatDuration(p.maxDowntime)}.\n`,
  );
  return ExitCode.ok;
}

/** `vx migrate`: plans a live migration and compares the strategies side by side. */
export const migrateCommand: CliCommand<number> = defineCommand({
  name: "migrate",
  summary: "plan a live migration: time, downtime and data sent by each strategy, side by side",
  description: [
    "Migrates one VM over one link with each strategy (a simulation of its own per strategy)",
    "and prints, side by side, the outcome, total time, downtime, data sent, rounds, post-copy",
    "faults and CPU throttle, and which strategies meet --max-downtime. With --vms, evacuates a",
    "host: n identical VMs leave it over the same link, at once or one after another, sharing",
    "its cores; it prints each VM's times and downtime and when the last one landed.",
    "",
    "Strategies:",
    `  ${STRATEGIES.slice(0, 4).join(", ")},`,
    `  ${STRATEGIES.slice(4).join(", ")}`,
  ].join("\n"),
  options: OPTIONS,
  examples: [
    "vx migrate --ram 64GiB --link 10Gbps --dirty-rate 1GiB/s --wws 2GiB --strategy all",
    "vx migrate --ram 8GiB --vms 4 --host-cores 2 --dirty-model cpu-coupled --dirty-rate 256MiB/s",
  ],
  run({ options, given }, io) {
    // Every flag (and the trace file) is read before anything runs.
    const p = plan(options, given);
    return p.evacuation ? runEvacuation(p, io) : runSingle(p, io);
  },
});
