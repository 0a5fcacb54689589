import { readFileSync } from "node:fs";
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  formatTable,
  parseRate,
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
import { type CliCommand, defineCommand, flagError, type OptionValues } from "./command.js";
import { ExitCode } from "./io.js";

/** The flags of `vx stream`. */
const OPTIONS = {
  image: {
    kind: "bytes",
    allowZero: false,
    default: APPLIANCE_DEFAULTS.imageBytes,
    description: "the generated appliance's state, disk plus memory",
  },
  memory: {
    kind: "bytes",
    defaultText: `an eighth of the image, at most ${formatBytes(APPLIANCE_DEFAULTS.memoryBytes)}`,
    description: "the memory snapshot's part of the image",
  },
  "block-size": {
    kind: "bytes",
    allowZero: false,
    default: APPLIANCE_DEFAULTS.blockBytes,
    description: "the unit of tracking and demand fetches",
  },
  training: {
    kind: "integer",
    min: 1,
    default: COMPARE_DEFAULTS.trainingSessions,
    description: "generated sessions to mine",
  },
  sessions: {
    kind: "integer",
    min: 1,
    default: COMPARE_DEFAULTS.testSessions,
    description: "generated sessions to stream; the table shows means",
  },
  seed: {
    kind: "string",
    placeholder: "<n>",
    default: String(APPLIANCE_DEFAULTS.seed),
    description: "seed of the appliance and its sessions (an integer, or any text)",
  },
  trace: {
    kind: "string",
    placeholder: "<file>",
    description:
      "recorded sessions instead of generated ones: an access-trace file (vx's text format; see docs/migration/streaming.md)",
  },
  test: {
    kind: "integer",
    min: 1,
    defaultText: "1",
    description: "with --trace: stream its last n sessions, mine the others",
  },
  link: {
    kind: "string",
    placeholder: "<preset|rate>",
    default: STREAM_DEFAULTS.link.preset ?? "lte",
    description: `${LINK_PRESET_NAMES.map((n) => `${n} (${formatRate(LINK_PRESETS[n].bandwidthBytesPerSecond)}, ${formatDuration(LINK_PRESETS[n].rttSeconds)})`).join(", ")}, or a rate such as 20Mbps`,
  },
  rtt: {
    kind: "duration",
    defaultText: `the preset's; ${formatDuration(STREAM_DEFAULTS.link.rttSeconds)} with a rate`,
    description: "round trip",
  },
  strategy: {
    kind: "list",
    values: ["all", ...STREAM_STRATEGY_NAMES],
    default: ["all"],
    placeholder: "<list>",
    description: "all, or a comma-separated list of strategies",
  },
  "cross-traffic": {
    kind: "integer",
    min: 1,
    defaultText: "none",
    description: "greedy flows sharing the link",
  },
  "stall-merge": {
    kind: "duration",
    default: STREAM_DEFAULTS.stallMergeGapSeconds,
    defaultText: `${formatDuration(STREAM_DEFAULTS.stallMergeGapSeconds)}: every wait`,
    description: "waits less than this apart are one stall",
  },
  json: {
    kind: "boolean",
    description:
      "print { results: [{ strategy, startupDelaySeconds, stalls, stallSeconds, bytesTransferred, bytesWasted }] }",
  },
} as const;

/** The flags that describe the generated appliance (refused with --trace). */
const APPLIANCE_FLAGS = ["image", "memory", "block-size", "training", "sessions"] as const;

interface Plan {
  readonly options: StreamComparisonOptions;
  readonly describe: string;
}

/** The link flags: a preset name or a rate, and an optional round trip. */
function linkOf(name: string, rttSeconds: number | undefined): { input: LinkInput; text: string } {
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
    throw flagError(
      "--link",
      `expected a preset (${LINK_PRESET_NAMES.join(", ")}) or a rate such as 20Mbps, got "${name}".`,
    );
  }
  if (!(bandwidth > 0)) throw flagError("--link", `expected a rate > 0, got "${name}".`);
  const r = rttSeconds ?? STREAM_DEFAULTS.link.rttSeconds;
  return {
    input: { bandwidth, rtt: r },
    text: `${formatRate(bandwidth)}, ${formatDuration(r)} round trip`,
  };
}

/** Reads the flags that involve each other (and the trace file) before anything runs. */
function plan(values: OptionValues<typeof OPTIONS>, given: ReadonlySet<string>): Plan {
  const link = linkOf(values.link, values.rtt);
  const names = values.strategy;
  if (names.includes("all") && names.length > 1) {
    throw flagError(
      "--strategy",
      `"all" cannot be combined with other names: use --strategy all, or list the strategies you want (${STREAM_STRATEGY_NAMES.join(",")}).`,
    );
  }
  const strategies: readonly StreamStrategyName[] | "all" = names.includes("all")
    ? "all"
    : (names as readonly StreamStrategyName[]);
  const n = Number(values.seed);
  const seed: number | string = values.seed.trim() !== "" && Number.isInteger(n) ? n : values.seed;
  const cross = values["cross-traffic"];
  const common: StreamComparisonOptions = {
    link: link.input,
    strategies,
    seed,
    ...(cross !== undefined ? { crossTraffic: { flows: cross } } : {}),
    ...(given.has("stall-merge") ? { stallMergeGap: values["stall-merge"] } : {}),
  };
  if (values.trace !== undefined) {
    for (const flag of APPLIANCE_FLAGS) {
      if (given.has(flag)) {
        throw flagError(
          `--${flag}`,
          "describes the generated appliance; with --trace the file gives the sessions.",
        );
      }
    }
    let text: string;
    try {
      text = readFileSync(values.trace, "utf8");
    } catch (error) {
      throw flagError("--trace", `cannot read "${values.trace}" (${(error as Error).message}).`);
    }
    const set = parseAccessTraces(text, values.trace);
    const test = values.test ?? 1;
    if (set.sessions.length < test + 1) {
      throw flagError(
        "--trace",
        `"${values.trace}" has ${set.sessions.length} session(s); it needs at least one to mine and ${test} to stream (--test).`,
      );
    }
    const cut = set.sessions.length - test;
    return {
      options: {
        ...common,
        traces: { training: set.sessions.slice(0, cut), test: set.sessions.slice(cut) },
      },
      describe: `${values.trace}: ${cut} recorded sessions mined, ${test} streamed, over ${link.text}`,
    };
  }
  if (values.test !== undefined) throw flagError("--test", "needs --trace (recorded sessions).");
  const imageBytes = values.image;
  // The default snapshot is an eighth of the image (1 GiB of the default 8 GiB).
  const memory = values.memory ?? Math.min(APPLIANCE_DEFAULTS.memoryBytes, imageBytes / 8);
  const training = values.training;
  const sessions = values.sessions;
  return {
    options: {
      ...common,
      appliance: {
        image: imageBytes,
        memory,
        // A small image gets a start phase of at most a quarter of it.
        boot: { size: Math.min(APPLIANCE_DEFAULTS.boot.bytes, imageBytes / 4) },
        seed,
        ...(given.has("block-size") ? { blockSize: values["block-size"] } : {}),
      },
      trainingSessions: training,
      testSessions: sessions,
    },
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
export const streamCommand: CliCommand<number> = defineCommand({
  name: "stream",
  summary: "stream a virtual appliance over a last-mile link (vTube): start-up, stalls, bytes",
  description: [
    "Generates sessions of a virtual appliance (a start phase, then application phases the user",
    "moves between), mines the training sessions into clusters and a transition model, and streams",
    "a new session with each strategy, each over its own link. Prints, side by side, the start-up",
    "delay, the stalls (count and time), the session's length, the bytes transferred and wasted",
    "(never used), and the share of used blocks fetched on demand. With --trace, recorded",
    "sessions replace the generated appliance.",
    "",
    "Strategies:",
    ...STREAM_STRATEGIES.map((s) => `  ${s.name.padEnd(13)} ${s.summary}`),
  ].join("\n"),
  options: OPTIONS,
  examples: ["vx stream --image 8GiB --link lte --strategy all"],
  run({ options, given }, io) {
    // Every flag (and the trace file) is read before anything runs.
    const p = plan(options, given);
    const comparison = compareStreaming(p.options);
    if (options.json) {
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
    io.out(`${formatTable(table)}\n`);
    return ExitCode.ok;
  },
});
