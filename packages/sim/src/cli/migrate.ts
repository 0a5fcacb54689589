import { parseArgs } from "node:util";
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  parseBytes,
  parseDuration,
  parsePercent,
  parseRate,
  VxError,
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
type DirtyModelName = (typeof DIRTY_MODELS)[number];

/** The link when none is given. */
const DEFAULT_LINK = "10Gbps";
/** The downtime a strategy must meet when none is given: QEMU's downtime limit. */
const DEFAULT_MAX_DOWNTIME = QEMU_DEFAULTS.downtimeLimit;
/** Per-VM lines are printed up to this many VMs (the JSON always lists them all). */
const VM_LINES = 20;

const OPTIONS = {
  ram: { type: "string" },
  link: { type: "string" },
  latency: { type: "string" },
  "dirty-rate": { type: "string" },
  "dirty-model": { type: "string" },
  wws: { type: "string" },
  "hot-share": { type: "string" },
  "zipf-exponent": { type: "string" },
  trace: { type: "string" },
  "zero-pages": { type: "string" },
  "free-pages": { type: "string" },
  "page-size": { type: "string" },
  vcpus: { type: "string" },
  "cpu-share": { type: "string" },
  vms: { type: "string" },
  "host-cores": { type: "string" },
  sequential: { type: "boolean" },
  strategy: { type: "string" },
  "max-downtime": { type: "string" },
  "downtime-limit": { type: "string" },
  "max-bandwidth": { type: "string" },
  "auto-converge": { type: "boolean" },
  "xbzrle-cache": { type: "string" },
  multifd: { type: "string" },
  rtt: { type: "string" },
  "hybrid-rounds": { type: "string" },
  "postcopy-recovery": { type: "boolean" },
  "max-rounds": { type: "string" },
  "max-time": { type: "string" },
  fidelity: { type: "string" },
  seed: { type: "string" },
  json: { type: "boolean" },
} as const;

function badFlag(flag: string, message: string): VxError {
  return new VxError("VX_CLI_BAD_FLAG", `--${flag}: ${message}`, { path: [`--${flag}`] });
}

function integer(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= min && n <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw badFlag(flag, `expected an integer ${range}, got "${text}".`);
  }
  return n;
}

const EXAMPLES = { bytes: "64GiB", rate: "10Gbps", duration: "300ms", percent: "5%" } as const;

/**
 * Reads a flag's quantity with core's parser. A flag's value is always text, so core's advice to
 * "pass the number" instead of a unit-less string does not apply: the message asks for a unit.
 */
function quantity(
  kind: keyof typeof EXAMPLES,
  parse: (text: string, path: readonly string[]) => number,
  flag: string,
  text: string,
): number {
  try {
    return parse(text, [`--${flag}`]);
  } catch (error) {
    if (!VxError.isInstance(error) || error.code !== "VX_CORE_BAD_UNIT") throw error;
    const units = /\(units: (.*)\), or pass the number/.exec(error.message)?.[1];
    if (units === undefined) throw error;
    throw new VxError(
      "VX_CORE_BAD_UNIT",
      `--${flag}: "${text}" has no unit; write it with one, e.g. ${EXAMPLES[kind]} (units: ${units}).`,
      { path: [`--${flag}`] },
    );
  }
}

const bytes = (flag: string, text: string): number => quantity("bytes", parseBytes, flag, text);
const rate = (flag: string, text: string): number => quantity("rate", parseRate, flag, text);
const duration = (flag: string, text: string): number =>
  quantity("duration", parseDuration, flag, text);
const percent = (flag: string, text: string): number =>
  quantity("percent", parsePercent, flag, text);

interface Plan {
  readonly vm: VmOptions;
  readonly options: CompareEvacuationOptions;
  readonly evacuation: boolean;
  readonly maxDowntime: number;
  readonly json: boolean;
}

function strategiesFlag(text: string): readonly StrategyName[] {
  if (text === "all") return STRATEGIES;
  const names = text.split(",").map((x) => x.trim());
  for (const name of names) {
    if (name === "all") {
      throw badFlag(
        "strategy",
        `"all" cannot be combined with other names: use --strategy all, or list the strategies you want (${STRATEGIES.join(",")}).`,
      );
    }
    if (!(STRATEGIES as readonly string[]).includes(name)) {
      throw badFlag(
        "strategy",
        `unknown strategy "${name}"; use all or a comma-separated list of ${STRATEGIES.join(", ")}.`,
      );
    }
  }
  return names as StrategyName[];
}

/** Reads every flag (and the trace file) before anything runs. */
function plan(args: readonly string[]): Plan {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) {
    throw new VxError(
      "VX_CLI_BAD_FLAG",
      `vx migrate takes no positional argument, got "${positionals.join(" ")}"; run \`vx migrate --help\`.`,
    );
  }
  if (values.ram === undefined) throw badFlag("ram", "the VM's RAM is required, e.g. --ram 64GiB.");
  const ram = bytes("ram", values.ram);
  const link = rate("link", values.link ?? DEFAULT_LINK);
  const latency = values.latency === undefined ? 0 : duration("latency", values.latency);
  const dirtyRate =
    values["dirty-rate"] === undefined ? undefined : rate("dirty-rate", values["dirty-rate"]);
  const wws = values.wws === undefined ? undefined : bytes("wws", values.wws);
  let model: DirtyModelName;
  if (values["dirty-model"] !== undefined) {
    const m = values["dirty-model"];
    if (!(DIRTY_MODELS as readonly string[]).includes(m)) {
      throw badFlag("dirty-model", `expected one of ${DIRTY_MODELS.join(", ")}, got "${m}".`);
    }
    model = m as DirtyModelName;
  } else if (values.trace !== undefined) model = "trace";
  else if (dirtyRate === undefined) model = "none";
  else model = wws === undefined ? "uniform" : "hot-cold";
  const needsRate = model !== "none" && model !== "trace";
  if (needsRate && dirtyRate === undefined) {
    throw badFlag("dirty-rate", `the ${model} model needs a dirty rate, e.g. --dirty-rate 1GiB/s.`);
  }
  if (model === "trace" && values.trace === undefined) {
    throw badFlag("trace", "the trace model needs a trace file, e.g. --trace web.trace.");
  }
  const r = dirtyRate ?? 0;
  let dirty: DirtyModelOptions;
  switch (model) {
    case "none":
      dirty = { model: "none" };
      break;
    case "uniform":
    case "scan":
      dirty = { model, rate: r };
      break;
    case "hot-cold":
      dirty = {
        model,
        rate: r,
        ...(values["hot-share"] !== undefined
          ? { hotShare: percent("hot-share", values["hot-share"]) }
          : {}),
      };
      break;
    case "zipf": {
      const s = values["zipf-exponent"];
      const exponent = s === undefined ? VM_DEFAULTS.zipfExponent : Number(s);
      if (!(exponent > 0 && Number.isFinite(exponent))) {
        throw badFlag("zipf-exponent", `expected a number > 0, got "${s}".`);
      }
      dirty = { model, rate: r, exponent };
      break;
    }
    case "cpu-coupled":
      // --dirty-rate is what a guest dirties per second at one full core (SimGrid's
      // intensity × migration speed); the migration speed itself is --max-bandwidth, not this.
      dirty = { model, intensity: 1, speedCap: r };
      break;
    case "trace":
      dirty = { model, trace: readDirtyTrace(values.trace!) };
      break;
  }
  const strategies = strategiesFlag(values.strategy ?? "all");
  const fidelity = values.fidelity ?? "fluid";
  if (fidelity !== "fluid" && fidelity !== "page") {
    throw badFlag("fidelity", `expected page or fluid, got "${fidelity}".`);
  }
  const maxDowntime =
    values["max-downtime"] === undefined
      ? DEFAULT_MAX_DOWNTIME
      : duration("max-downtime", values["max-downtime"]);
  const multifd = values.multifd === undefined ? undefined : integer("multifd", values.multifd, 1);
  const xbzrle =
    values["xbzrle-cache"] === undefined
      ? undefined
      : bytes("xbzrle-cache", values["xbzrle-cache"]);
  const maxBandwidth =
    values["max-bandwidth"] === undefined
      ? undefined
      : rate("max-bandwidth", values["max-bandwidth"]);
  let seed: number | string = 1;
  if (values.seed !== undefined) {
    const n = Number(values.seed);
    seed = values.seed.trim() !== "" && Number.isFinite(n) ? n : values.seed;
  }
  const vms =
    values.vms === undefined ? undefined : integer("vms", values.vms, 1, MAX_EVACUATION_VMS);
  const hostCores =
    values["host-cores"] === undefined
      ? undefined
      : integer("host-cores", values["host-cores"], 1, 1_000_000);
  const evacuation = vms !== undefined || hostCores !== undefined || values.sequential === true;
  const vm: VmOptions = {
    ram,
    dirty,
    ...(values["page-size"] !== undefined
      ? { pageSize: bytes("page-size", values["page-size"]) }
      : {}),
    ...(wws !== undefined ? { workingSet: wws } : {}),
    ...(values["zero-pages"] !== undefined
      ? { zeroPages: percent("zero-pages", values["zero-pages"]) }
      : {}),
    ...(values["free-pages"] !== undefined
      ? { freePages: percent("free-pages", values["free-pages"]) }
      : {}),
    ...(values.vcpus !== undefined ? { vcpus: integer("vcpus", values.vcpus, 1) } : {}),
    ...(values["cpu-share"] !== undefined
      ? { cpuShare: percent("cpu-share", values["cpu-share"]) }
      : {}),
  };
  const options: CompareEvacuationOptions = {
    strategies,
    fidelity,
    seed,
    link: { bandwidth: link, latency },
    ...(values.rtt !== undefined ? { rtt: duration("rtt", values.rtt) } : {}),
    limits: {
      ...(values["max-rounds"] !== undefined
        ? { maxRounds: integer("max-rounds", values["max-rounds"], 1, MAX_ROUNDS_LIMIT) }
        : {}),
      ...(values["max-time"] !== undefined
        ? { maxTime: duration("max-time", values["max-time"]) }
        : {}),
    },
    qemu: {
      ...(values["downtime-limit"] !== undefined
        ? { downtimeLimit: duration("downtime-limit", values["downtime-limit"]) }
        : {}),
      ...(maxBandwidth !== undefined ? { maxBandwidth } : {}),
      ...(values["auto-converge"] === true ? { autoConverge: true } : {}),
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
    ...(values["hybrid-rounds"] !== undefined
      ? { hybrid: { precopyRounds: integer("hybrid-rounds", values["hybrid-rounds"], 1) } }
      : {}),
    ...(values["postcopy-recovery"] === true ? { postcopy: { recovery: true } } : {}),
    ...(vms !== undefined ? { vms } : {}),
    ...(hostCores !== undefined ? { hostCores } : {}),
    ...(values.sequential === true ? { sequential: true } : {}),
  };
  return { vm, options, evacuation, maxDowntime, json: values.json === true };
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

function printTable(io: CliIo, table: string[][], right: (c: number) => boolean): void {
  const widths = table[0]!.map((_, c) => {
    let w = 0;
    for (const line of table) if (line[c]!.length > w) w = line[c]!.length;
    return w;
  });
  for (const line of table) {
    io.out(
      `${line
        .map((cell, c) => (right(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join("  ")
        .trimEnd()}\n`,
    );
  }
}

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
  printTable(io, table, (c) => c >= 2 && c <= 7);
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
  printTable(io, table, (c) => c >= 2 && c <= 4);
  io.out("\n");
  printNotes(io, notes);
  io.out(
    ok.length > 0
      ? `Every VM within a downtime of ${formatDuration(p.maxDowntime)}: ${ok.join(", ")}.\n`
      : `No strategy lands every VM within a downtime of ${formatDuration(p.maxDowntime)}.\n`,
  );
  return ExitCode.ok;
}

const Q = QEMU_DEFAULTS;

/** `vx migrate`: plans a live migration and compares the strategies side by side. */
export const migrateCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
} = {
  summary: "plan a live migration: time, downtime and data sent by each strategy, side by side",
  usage: [
    "Usage: vx migrate --ram <size> [--link <rate>] [--dirty-rate <rate>] [--wws <size>]",
    "                  [--strategy all|<name>,...] [--max-downtime <duration>] [options] [--json]",
    "       vx migrate --ram <size> --vms <n> [--host-cores <n>] [--sequential] [options]",
    "",
    "Migrates one VM over one link with each strategy (a simulation of its own per strategy)",
    "and prints, side by side, the outcome, total time, downtime, data sent, rounds, post-copy",
    "faults and CPU throttle, and which strategies meet --max-downtime. With --vms, evacuates a",
    "host: n identical VMs leave it over the same link, at once or one after another, sharing",
    "its cores; it prints each VM's times and downtime and when the last one landed.",
    "",
    "The VM:",
    "  --ram <size>              RAM (required), e.g. 64GiB",
    `  --page-size <size>        ${formatBytes(VM_DEFAULTS.pageSize)} (default), 2MiB or 1GiB`,
    "  --dirty-rate <rate>       how fast it dirties memory, e.g. 1GiB/s (default: idle); with",
    "                            cpu-coupled, what it dirties at one full core",
    "  --wws <size>              writable working set (the hot pages)",
    `  --dirty-model <name>      ${DIRTY_MODELS.join(", ")}`,
    "                            (default: hot-cold with --wws, uniform with --dirty-rate, else none)",
    `  --hot-share <percent>     share of the dirtying on the working set (hot-cold; default ${formatPercent(VM_DEFAULTS.hotShare)})`,
    `  --zipf-exponent <s>       Zipf exponent (zipf; default ${VM_DEFAULTS.zipfExponent})`,
    "  --trace <file>            a dirty-page trace to replay (trace)",
    `  --zero-pages <percent>    share of RAM in zero pages (default ${formatPercent(VM_DEFAULTS.zeroPages)})`,
    `  --free-pages <percent>    share of RAM the guest knows is free (default ${formatPercent(VM_DEFAULTS.freePages)})`,
    `  --vcpus <n>               virtual CPUs (default ${VM_DEFAULTS.vcpus})`,
    `  --cpu-share <percent>     share of its vCPUs the guest keeps busy (default ${formatPercent(VM_DEFAULTS.cpuShare)})`,
    "",
    "Host evacuation:",
    `  --vms <n>                 n identical VMs leave the source (1 to ${MAX_EVACUATION_VMS})`,
    "  --host-cores <n>          the source's cores, shared by the VMs' vCPUs (default: one per",
    "                            vCPU); fewer slow the guests and their cpu-coupled dirtying",
    "  --sequential              one VM after another instead of all at once",
    "",
    "The network and the run:",
    `  --link <rate>             link rate (default ${DEFAULT_LINK})`,
    "  --latency <duration>      one-way latency (default 0)",
    "  --rtt <duration>          round trip of a post-copy fault (default twice the latency)",
    `  --strategy <list>         all (default) or a comma-separated list of ${STRATEGIES.join(", ")}`,
    `  --max-downtime <duration> the downtime a strategy must meet (default ${formatDuration(DEFAULT_MAX_DOWNTIME)})`,
    `  --fidelity page|fluid     page-level bitmaps or byte counts (default ${MIGRATION_DEFAULTS.fidelity})`,
    `  --seed <n>                seed of the page layout and choices (default ${MIGRATION_DEFAULTS.seed})`,
    `  --max-rounds <n>          give up after n pre-copy rounds (default ${LIMIT_DEFAULTS.maxRounds}, at most ${MAX_ROUNDS_LIMIT})`,
    `  --max-time <duration>     stop every strategy after this long (default ${formatDuration(LIMIT_DEFAULTS.maxTime)})`,
    "",
    "Rate cap of every pre-copy (QEMU, Xen, SimGrid, hybrid, analytic):",
    `  --max-bandwidth <rate>    QEMU's max-bandwidth (default ${formatRate(Q.maxBandwidth, { bits: false })}), legacy Xen's highest`,
    `                            rate (default its own ${formatRate(XEN_DEFAULTS.initialRate)} → ${formatRate(XEN_DEFAULTS.maxRate)}), SimGrid's migration speed`,
    "                            (default none); post-copy is not capped",
    "",
    "QEMU rules (pre-copy, hybrid, analytic):",
    `  --downtime-limit <dur>    switch-over target (default ${formatDuration(Q.downtimeLimit)})`,
    "  --auto-converge           throttle the guest when it dirties too fast",
    `  --xbzrle-cache <size>     enable xbzrle with this cache (QEMU's default is ${formatBytes(Q.xbzrleCacheSize)})`,
    `  --multifd <channels>      enable multifd with this many channels (QEMU's default is ${Q.multifdChannels})`,
    `  --hybrid-rounds <n>       pre-copy rounds before post-copy (hybrid; default ${HYBRID_DEFAULTS.precopyRounds})`,
    "  --postcopy-recovery       a network failure pauses post-copy instead of losing the VM",
    "",
    "  --json                    print { results: [...] } as JSON (with --vms, each with its vms)",
    "",
    "Example: vx migrate --ram 64GiB --link 10Gbps --dirty-rate 1GiB/s --wws 2GiB --strategy all",
    "         vx migrate --ram 8GiB --vms 4 --host-cores 2 --dirty-model cpu-coupled --dirty-rate 256MiB/s",
  ].join("\n"),
  run(args, io) {
    // Every flag (and the trace file) is read before anything runs.
    const p = plan(args);
    return p.evacuation ? runEvacuation(p, io) : runSingle(p, io);
  },
};
