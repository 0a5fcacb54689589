import { parseArgs } from "node:util";
import {
  formatBytes,
  formatDuration,
  formatPercent,
  parseBytes,
  parseDuration,
  parsePercent,
  parseRate,
  VxError,
} from "@vx/core";
import {
  type CompareOptions,
  compareStrategies,
  type DirtyModelOptions,
  type MigrationResult,
  readDirtyTrace,
  STRATEGIES,
  type StrategyName,
  type VmOptions,
} from "@vx/migration";
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

function integer(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= min)) {
    throw badFlag(flag, `expected an integer ≥ ${min}, got "${text}".`);
  }
  return n;
}

interface Plan {
  readonly vm: VmOptions;
  readonly options: CompareOptions;
  readonly maxDowntime: number;
  readonly json: boolean;
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
  const ram = parseBytes(values.ram, ["--ram"]);
  const link = parseRate(values.link ?? "10Gbps", ["--link"]);
  const latency = values.latency === undefined ? 0 : parseDuration(values.latency, ["--latency"]);
  const dirtyRate =
    values["dirty-rate"] === undefined
      ? undefined
      : parseRate(values["dirty-rate"], ["--dirty-rate"]);
  const wws = values.wws === undefined ? undefined : parseBytes(values.wws, ["--wws"]);
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
  const rate = dirtyRate ?? 0;
  let dirty: DirtyModelOptions;
  switch (model) {
    case "none":
      dirty = { model: "none" };
      break;
    case "uniform":
    case "scan":
      dirty = { model, rate };
      break;
    case "hot-cold":
      dirty = {
        model,
        rate,
        ...(values["hot-share"] !== undefined
          ? { hotShare: parsePercent(values["hot-share"], ["--hot-share"]) }
          : {}),
      };
      break;
    case "zipf": {
      const s = values["zipf-exponent"];
      const exponent = s === undefined ? 1 : Number(s);
      if (!(exponent > 0 && Number.isFinite(exponent))) {
        throw badFlag("zipf-exponent", `expected a number > 0, got "${s}".`);
      }
      dirty = { model, rate, exponent };
      break;
    }
    case "cpu-coupled":
      // The dirty rate is what a fully busy guest dirties: 100 % of that "speed cap".
      dirty = { model, intensity: 1, speedCap: rate };
      break;
    case "trace":
      dirty = { model, trace: readDirtyTrace(values.trace!) };
      break;
  }
  let strategies: readonly StrategyName[];
  const s = values.strategy ?? "all";
  if (s === "all") strategies = STRATEGIES;
  else {
    const names = s.split(",").map((x) => x.trim());
    for (const name of names) {
      if (!(STRATEGIES as readonly string[]).includes(name)) {
        throw badFlag(
          "strategy",
          `unknown strategy "${name}"; use all or a comma-separated list of ${STRATEGIES.join(", ")}.`,
        );
      }
    }
    strategies = names as StrategyName[];
  }
  const fidelity = values.fidelity ?? "fluid";
  if (fidelity !== "fluid" && fidelity !== "page") {
    throw badFlag("fidelity", `expected page or fluid, got "${fidelity}".`);
  }
  const maxDowntime =
    values["max-downtime"] === undefined
      ? 0.3
      : parseDuration(values["max-downtime"], ["--max-downtime"]);
  const multifd = values.multifd === undefined ? undefined : integer("multifd", values.multifd, 1);
  const xbzrle =
    values["xbzrle-cache"] === undefined
      ? undefined
      : parseBytes(values["xbzrle-cache"], ["--xbzrle-cache"]);
  let seed: number | string = 1;
  if (values.seed !== undefined) {
    const n = Number(values.seed);
    seed = values.seed.trim() !== "" && Number.isFinite(n) ? n : values.seed;
  }
  const vm: VmOptions = {
    ram,
    dirty,
    ...(values["page-size"] !== undefined
      ? { pageSize: parseBytes(values["page-size"], ["--page-size"]) }
      : {}),
    ...(wws !== undefined ? { workingSet: wws } : {}),
    ...(values["zero-pages"] !== undefined
      ? { zeroPages: parsePercent(values["zero-pages"], ["--zero-pages"]) }
      : {}),
    ...(values["free-pages"] !== undefined
      ? { freePages: parsePercent(values["free-pages"], ["--free-pages"]) }
      : {}),
    ...(values.vcpus !== undefined ? { vcpus: integer("vcpus", values.vcpus, 1) } : {}),
    ...(values["cpu-share"] !== undefined
      ? { cpuShare: parsePercent(values["cpu-share"], ["--cpu-share"]) }
      : {}),
  };
  const options: CompareOptions = {
    strategies,
    fidelity,
    seed,
    link: { bandwidth: link, latency },
    ...(values.rtt !== undefined ? { rtt: parseDuration(values.rtt, ["--rtt"]) } : {}),
    limits: {
      ...(values["max-rounds"] !== undefined
        ? { maxRounds: integer("max-rounds", values["max-rounds"], 1) }
        : {}),
      ...(values["max-time"] !== undefined
        ? { maxTime: parseDuration(values["max-time"], ["--max-time"]) }
        : {}),
    },
    qemu: {
      ...(values["downtime-limit"] !== undefined
        ? { downtimeLimit: parseDuration(values["downtime-limit"], ["--downtime-limit"]) }
        : {}),
      ...(values["max-bandwidth"] !== undefined
        ? { maxBandwidth: parseRate(values["max-bandwidth"], ["--max-bandwidth"]) }
        : {}),
      ...(values["auto-converge"] === true ? { autoConverge: true } : {}),
      ...(xbzrle !== undefined ? { xbzrle: true, xbzrleCacheSize: xbzrle } : {}),
      ...(multifd !== undefined ? { multifd: true, multifdChannels: multifd } : {}),
    },
    ...(values["hybrid-rounds"] !== undefined
      ? { hybrid: { precopyRounds: integer("hybrid-rounds", values["hybrid-rounds"], 1) } }
      : {}),
    ...(values["postcopy-recovery"] === true ? { postcopy: { recovery: true } } : {}),
  };
  return { vm, options, maxDowntime, json: values.json === true };
}

function meets(r: MigrationResult, maxDowntime: number): boolean {
  return r.outcome === "completed" && r.downtimeSeconds <= maxDowntime;
}

function row(r: MigrationResult, maxDowntime: number): string[] {
  const completed = r.outcome === "completed";
  return [
    r.strategy,
    r.outcome,
    formatDuration(r.totalTimeSeconds),
    completed ? formatDuration(r.downtimeSeconds) : "-",
    formatBytes(r.bytesSent.total),
    String(r.rounds.length),
    r.postcopy.faults > 0 ? String(Math.round(r.postcopy.faults)) : "-",
    r.finalThrottle > 0 ? formatPercent(r.finalThrottle) : "-",
    meets(r, maxDowntime) ? "yes" : "no",
  ];
}

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
    "",
    "Migrates one VM over one link with each strategy (a simulation of its own per strategy)",
    "and prints, side by side, the outcome, total time, downtime, data sent, rounds, post-copy",
    "faults and CPU throttle, and which strategies meet --max-downtime.",
    "",
    "The VM:",
    "  --ram <size>              RAM (required), e.g. 64GiB",
    "  --page-size <size>        4KiB (default), 2MiB or 1GiB",
    "  --dirty-rate <rate>       how fast it dirties memory, e.g. 1GiB/s (default: idle)",
    "  --wws <size>              writable working set (the hot pages)",
    `  --dirty-model <name>      ${DIRTY_MODELS.join(", ")}`,
    "                            (default: hot-cold with --wws, uniform with --dirty-rate, else none)",
    "  --hot-share <percent>     share of the dirtying on the working set (hot-cold; default 100%)",
    "  --zipf-exponent <s>       Zipf exponent (zipf; default 1)",
    "  --trace <file>            a dirty-page trace to replay (trace)",
    "  --zero-pages <percent>    share of RAM in zero pages (default 0%)",
    "  --free-pages <percent>    share of RAM the guest knows is free (default 0%)",
    "  --vcpus <n>               virtual CPUs (default 1)",
    "  --cpu-share <percent>     share of its vCPUs the guest gets (cpu-coupled; default 100%)",
    "",
    "The network and the run:",
    "  --link <rate>             link rate (default 10Gbps)",
    "  --latency <duration>      one-way latency (default 0)",
    "  --rtt <duration>          round trip of a post-copy fault (default twice the latency)",
    `  --strategy <list>         all (default) or a comma-separated list of ${STRATEGIES.join(", ")}`,
    "  --max-downtime <duration> the downtime a strategy must meet (default 300ms)",
    "  --fidelity page|fluid     page-level bitmaps or byte counts (default fluid)",
    "  --seed <n>                seed of the page layout and choices (default 1)",
    "  --max-rounds <n>          give up after n pre-copy rounds (default 1000)",
    "  --max-time <duration>     give up after this long (default 1d)",
    "",
    "QEMU rules (pre-copy, hybrid, analytic):",
    "  --downtime-limit <dur>    switch-over target (default 300ms)",
    "  --max-bandwidth <rate>    pre-copy rate cap (default 128MiB/s)",
    "  --auto-converge           throttle the guest when it dirties too fast",
    "  --xbzrle-cache <size>     enable xbzrle with this cache (QEMU's default is 64MiB)",
    "  --multifd <channels>      enable multifd with this many channels (QEMU's default is 2)",
    "  --hybrid-rounds <n>       pre-copy rounds before post-copy (hybrid; default 1)",
    "  --postcopy-recovery       a network failure pauses post-copy instead of losing the VM",
    "",
    "  --json                    print { results: [...] } as JSON",
    "",
    "Example: vx migrate --ram 64GiB --link 10Gbps --dirty-rate 1GiB/s --wws 2GiB --strategy all",
  ].join("\n"),
  run(args, io) {
    // Every flag (and the trace file) is read before anything runs.
    const p = plan(args);
    const results = compareStrategies(p.vm, p.options);
    const ok = results.filter((r) => meets(r, p.maxDowntime)).map((r) => r.strategy);
    if (p.json) {
      const out = {
        maxDowntimeSeconds: p.maxDowntime,
        meetingMaxDowntime: ok,
        results: results.map((r) => ({
          strategy: r.strategy,
          outcome: r.outcome,
          reason: r.reason,
          fidelity: r.fidelity,
          totalTimeSeconds: r.totalTimeSeconds,
          downtimeSeconds: r.downtimeSeconds,
          bytesSent: r.bytesSent.total,
          bytesSentByKind: r.bytesSent,
          rounds: r.rounds,
          postcopy: r.postcopy,
          finalThrottle: r.finalThrottle,
          sourceCpuReleasedSeconds: r.sourceCpuReleasedSeconds,
          sourceMemoryFreedSeconds: r.sourceMemoryFreedSeconds,
          meetsMaxDowntime: meets(r, p.maxDowntime),
        })),
      };
      io.out(`${JSON.stringify(out, null, 2)}\n`);
      return ExitCode.ok;
    }
    const table = [
      ["strategy", "outcome", "total", "downtime", "sent", "rounds", "faults", "throttle", "meets"],
      ...results.map((r) => row(r, p.maxDowntime)),
    ];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((line) => line[c]!.length)));
    for (const line of table) {
      io.out(
        `${line
          .map((cell, c) =>
            c >= 2 && c <= 7 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
          )
          .join("  ")
          .trimEnd()}\n`,
      );
    }
    io.out(
      ok.length > 0
        ? `\nMeet a downtime of ${formatDuration(p.maxDowntime)}: ${ok.join(", ")}.\n`
        : `\nNo strategy completes within a downtime of ${formatDuration(p.maxDowntime)}.\n`,
    );
    return ExitCode.ok;
  },
};
