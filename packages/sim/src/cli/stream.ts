import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  parseBytes,
  parseDuration,
  parseRate,
  VxError,
} from "@vx/core";
import {
  APPLIANCE_DEFAULTS,
  COMPARE_DEFAULTS,
  compareStreaming,
  LINK_PRESET_NAMES,
  LINK_PRESETS,
  type LinkInput,
  type LinkPresetName,
  parseAccessTraces,
  STREAM_DEFAULTS,
  STREAM_STRATEGIES,
  STREAM_STRATEGY_NAMES,
  type StreamComparisonOptions,
  type StreamStrategyName,
  type StreamSummary,
} from "@vx/migration";
import { type CliIo, ExitCode } from "./io.js";

const OPTIONS = {
  image: { type: "string" },
  memory: { type: "string" },
  "block-size": { type: "string" },
  link: { type: "string" },
  rtt: { type: "string" },
  strategy: { type: "string" },
  training: { type: "string" },
  sessions: { type: "string" },
  trace: { type: "string" },
  test: { type: "string" },
  "cross-traffic": { type: "string" },
  "stall-merge": { type: "string" },
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
  readonly options: StreamComparisonOptions;
  readonly json: boolean;
  readonly describe: string;
}

/** The link flags: a preset name or a rate, and an optional round trip. */
function linkOf(
  link: string | undefined,
  rtt: string | undefined,
): { input: LinkInput; text: string } {
  const rttSeconds = rtt === undefined ? undefined : parseDuration(rtt, ["--rtt"]);
  const name = link ?? "lte";
  if ((LINK_PRESET_NAMES as readonly string[]).includes(name)) {
    const preset = LINK_PRESETS[name as LinkPresetName];
    const r = rttSeconds ?? preset.rttSeconds;
    return {
      input: rttSeconds === undefined ? (name as LinkPresetName) : { preset: preset.name, rtt: r },
      text: `${preset.description} (${formatRate(preset.bandwidthBytesPerSecond)}, ${formatDuration(r)} round trip)`,
    };
  }
  let bandwidth: number;
  try {
    bandwidth = parseRate(name, ["--link"]);
  } catch {
    throw badFlag(
      "link",
      `expected a preset (${LINK_PRESET_NAMES.join(", ")}) or a rate such as 20Mbps, got "${name}".`,
    );
  }
  if (!(bandwidth > 0)) throw badFlag("link", `expected a rate > 0, got "${name}".`);
  const r = rttSeconds ?? LINK_PRESETS.lte.rttSeconds;
  return {
    input: { bandwidth, rtt: r },
    text: `${formatRate(bandwidth)}, ${formatDuration(r)} round trip`,
  };
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
      `vx stream takes no positional argument, got "${positionals.join(" ")}"; run \`vx stream --help\`.`,
    );
  }
  const link = linkOf(values.link, values.rtt);
  let strategies: readonly StreamStrategyName[] | "all" = "all";
  const s = values.strategy ?? "all";
  if (s !== "all") {
    const names = s.split(",").map((x) => x.trim());
    for (const name of names) {
      if (!(STREAM_STRATEGY_NAMES as readonly string[]).includes(name)) {
        throw badFlag(
          "strategy",
          `unknown strategy "${name}"; use all or a comma-separated list of ${STREAM_STRATEGY_NAMES.join(", ")}.`,
        );
      }
    }
    strategies = names as StreamStrategyName[];
  }
  let seed: number | string = 1;
  if (values.seed !== undefined) {
    const n = Number(values.seed);
    seed = values.seed.trim() !== "" && Number.isInteger(n) ? n : values.seed;
  }
  const cross =
    values["cross-traffic"] === undefined
      ? undefined
      : integer("cross-traffic", values["cross-traffic"], 1);
  const common: StreamComparisonOptions = {
    link: link.input,
    strategies,
    seed,
    ...(cross !== undefined ? { crossTraffic: { flows: cross } } : {}),
    ...(values["stall-merge"] !== undefined
      ? { stallMergeGap: parseDuration(values["stall-merge"], ["--stall-merge"]) }
      : {}),
  };
  if (values.trace !== undefined) {
    for (const flag of ["image", "memory", "block-size", "training", "sessions"] as const) {
      if (values[flag] !== undefined) {
        throw badFlag(
          flag,
          "describes the generated appliance; with --trace the file gives the sessions.",
        );
      }
    }
    let text: string;
    try {
      text = readFileSync(values.trace, "utf8");
    } catch (error) {
      throw badFlag("trace", `cannot read "${values.trace}" (${(error as Error).message}).`);
    }
    const set = parseAccessTraces(text, values.trace);
    const test = values.test === undefined ? 1 : integer("test", values.test, 1);
    if (set.sessions.length < test + 1) {
      throw badFlag(
        "trace",
        `"${values.trace}" has ${set.sessions.length} session(s); it needs at least one to mine and ${test} to stream (--test).`,
      );
    }
    const cut = set.sessions.length - test;
    return {
      options: {
        ...common,
        traces: { training: set.sessions.slice(0, cut), test: set.sessions.slice(cut) },
      },
      json: values.json === true,
      describe: `${values.trace}: ${cut} recorded sessions mined, ${test} streamed, over ${link.text}`,
    };
  }
  if (values.test !== undefined) throw badFlag("test", "needs --trace (recorded sessions).");
  const image = values.image === undefined ? undefined : parseBytes(values.image, ["--image"]);
  const imageBytes = image ?? APPLIANCE_DEFAULTS.imageBytes;
  // The default snapshot is an eighth of the image (1 GiB of the default 8 GiB).
  const memory =
    values.memory === undefined
      ? Math.min(APPLIANCE_DEFAULTS.memoryBytes, imageBytes / 8)
      : parseBytes(values.memory, ["--memory"]);
  const training =
    values.training === undefined
      ? COMPARE_DEFAULTS.trainingSessions
      : integer("training", values.training, 1);
  const sessions =
    values.sessions === undefined
      ? COMPARE_DEFAULTS.testSessions
      : integer("sessions", values.sessions, 1);
  return {
    options: {
      ...common,
      appliance: {
        image: imageBytes,
        memory,
        // A small image gets a start phase of at most a quarter of it.
        boot: { size: Math.min(APPLIANCE_DEFAULTS.boot.bytes, imageBytes / 4) },
        seed,
        ...(values["block-size"] !== undefined
          ? { blockSize: parseBytes(values["block-size"], ["--block-size"]) }
          : {}),
      },
      trainingSessions: training,
      testSessions: sessions,
    },
    json: values.json === true,
    describe:
      `${formatBytes(imageBytes)} appliance (${formatBytes(memory)} memory snapshot), ${training} ` +
      `training session${training === 1 ? "" : "s"} mined, ${sessions === 1 ? "1 session" : `mean of ${sessions} sessions`} streamed over ${link.text}`,
  };
}

function row(r: StreamSummary): string[] {
  return [
    r.strategy,
    formatDuration(r.startupDelaySeconds),
    Number.isInteger(r.stalls) ? String(r.stalls) : r.stalls.toFixed(1),
    formatDuration(r.stallSeconds),
    formatDuration(r.sessionSeconds),
    formatBytes(r.bytesTransferred),
    formatBytes(r.bytesWasted),
    formatPercent(r.missRate),
  ];
}

/** `vx stream`: streams a virtual appliance over a last-mile link with each strategy, side by side. */
export const streamCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
} = {
  summary: "stream a virtual appliance over a last-mile link (vTube): start-up, stalls, bytes",
  usage: [
    "Usage: vx stream [--image <size>] [--link <preset|rate>] [--rtt <duration>]",
    "                 [--strategy all|<name>,...] [options] [--json]",
    "",
    "Generates sessions of a virtual appliance (a start phase, then application phases the user",
    "moves between), mines the training sessions into clusters and a transition model, and streams",
    "a new session with each strategy, each over its own link. Prints, side by side, the start-up",
    "delay, the stalls (count and time), the session's length, the bytes transferred and wasted",
    "(never used), and the share of used blocks fetched on demand.",
    "",
    "Strategies:",
    ...STREAM_STRATEGIES.map((s) => `  ${s.name.padEnd(14)}  ${s.summary}`),
    "",
    "The appliance (generated):",
    `  --image <size>            its state, disk plus memory (default ${formatBytes(APPLIANCE_DEFAULTS.imageBytes)})`,
    "  --memory <size>           the memory snapshot's part (default an eighth of the image, at most 1 GiB)",
    `  --block-size <size>       the unit of tracking and demand fetches (default ${formatBytes(APPLIANCE_DEFAULTS.blockBytes)})`,
    `  --training <n>            sessions to mine (default ${COMPARE_DEFAULTS.trainingSessions})`,
    `  --sessions <n>            sessions to stream; the table shows means (default ${COMPARE_DEFAULTS.testSessions})`,
    "  --seed <n>                seed of the appliance and its sessions (default 1)",
    "",
    "Recorded sessions instead:",
    "  --trace <file>            an access-trace file (vx's text format; see docs/migration/streaming.md)",
    "  --test <n>                stream its last n sessions, mine the others (default 1)",
    "",
    "The link and the run:",
    `  --link <preset|rate>      ${LINK_PRESET_NAMES.map((n) => `${n} (${formatRate(LINK_PRESETS[n].bandwidthBytesPerSecond)}, ${formatDuration(LINK_PRESETS[n].rttSeconds)})`).join(", ")},`,
    `                            or a rate such as 20Mbps (default lte)`,
    "  --rtt <duration>          round trip (default the preset's; 70 ms with a rate)",
    "  --strategy <list>         all (default) or a comma-separated list",
    "  --cross-traffic <flows>   greedy flows sharing the link (default none)",
    `  --stall-merge <duration>  waits less than this apart are one stall (default ${formatDuration(STREAM_DEFAULTS.stallMergeGapSeconds)}: every wait)`,
    "",
    "  --json                    print { results: [{ strategy, startupDelaySeconds, stalls,",
    "                            stallSeconds, bytesTransferred, bytesWasted }] }",
    "",
    "Example: vx stream --image 8GiB --link lte --strategy all",
  ].join("\n"),
  run(args, io) {
    // Every flag (and the trace file) is read before anything runs.
    const p = plan(args);
    const comparison = compareStreaming(p.options);
    if (p.json) {
      const out = {
        results: comparison.results.map((r) => ({
          strategy: r.strategy,
          startupDelaySeconds: r.startupDelaySeconds,
          stalls: r.stalls,
          stallSeconds: r.stallSeconds,
          bytesTransferred: r.bytesTransferred,
          bytesWasted: r.bytesWasted,
        })),
      };
      io.out(`${JSON.stringify(out, null, 2)}\n`);
      return ExitCode.ok;
    }
    const m = comparison.model;
    io.out(`${p.describe}; ${m.clusters} clusters, ${m.transitions} transitions learned.\n\n`);
    const table = [
      ["strategy", "startup", "stalls", "stalled", "session", "transferred", "wasted", "on demand"],
      ...comparison.results.map(row),
    ];
    const widths = table[0]!.map((_, c) =>
      table.reduce((w, line) => Math.max(w, line[c]!.length), 0),
    );
    for (const line of table) {
      io.out(
        `${line
          .map((cell, c) => (c >= 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
          .join("  ")
          .trimEnd()}\n`,
      );
    }
    return ExitCode.ok;
  },
};
