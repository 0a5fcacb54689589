import { checkWritableDir } from "../report/write.js";
import { writeCombined } from "../sweep/combine.js";
import { parseShard } from "../sweep/grid.js";
import { runSweep, sweepExitCode } from "../sweep/run.js";
import { type CliCommand, defineCommand } from "./command.js";
import { ExitCode } from "./io.js";
import { kubernetesCommand, planCommand, slurmCommand } from "./sweep-cluster.js";
import {
  PARAM_OPTION,
  SCENARIO_POSITIONAL,
  SWEEP_CLI_DEFAULTS,
  sweepInput,
} from "./sweep-input.js";

/** `vx sweep merge`: combines the point files of sweep folders. */
const mergeCommand: CliCommand = defineCommand({
  name: "sweep merge",
  summary: "combine the point files of sweep folders (e.g. the shards') into sweep.csv/html",
  description: [
    "Reads the point files of each sweep folder (the shards of one sweep, each run with",
    "--shard i/n) and writes the combined sweep.json, sweep.csv and sweep.html. Every point of the",
    "grid must be there, computed from the same scenario and vx version, unless --partial.",
  ].join("\n"),
  positionals: [{ name: "dir", description: "a sweep folder", variadic: true }],
  options: {
    out: {
      kind: "string",
      placeholder: "<dir>",
      allowEmpty: true,
      defaultText: "the first folder",
      description: "where to write the combined files",
    },
    partial: {
      kind: "boolean",
      description: "combine the points that are there, leaving the missing ones out",
    },
  },
  examples: ["vx sweep merge shard-1 shard-2 --out sweep-out"],
  async run({ options, positionals }, io) {
    // An empty or unusable --out fails before anything is read.
    if (options.out !== undefined) checkWritableDir(options.out);
    const outcome = await writeCombined(options.out ?? positionals[0]!, positionals, {
      partial: options.partial,
    });
    if (outcome.missing.length > 0) {
      io.err(
        `vx: ${outcome.missing.length} points missing (--partial): left out of the combined files\n`,
      );
    }
    io.out(`${outcome.points} points combined\nwrote ${outcome.files.join(", ")}\n`);
    return ExitCode.ok;
  },
});

/** `vx sweep`: a grid of scenario variants on all cores; merge, plan, Slurm and Kubernetes. */
export const sweepCommand: CliCommand = defineCommand({
  name: "sweep",
  summary:
    "run a grid of scenario variants on all cores (resumable, shardable); merge, plan, slurm, kubernetes",
  description: [
    "Runs every combination of the parameters (first varies slowest) on worker threads. Each",
    "point's result goes to <out>/points/<id>.json, written atomically and keyed on the scenario's",
    "content, the values and the vx version: a rerun skips finished points and runs again any",
    "point computed from another scenario. --shard i/n runs one slice (a Slurm array task, a",
    "Kubernetes pod); `vx sweep merge` combines the slices. A whole sweep writes <out>/sweep.csv",
    "and <out>/sweep.html (a comparison chart).",
  ].join("\n"),
  positionals: [SCENARIO_POSITIONAL],
  subcommands: [mergeCommand, planCommand, slurmCommand, kubernetesCommand],
  options: {
    param: PARAM_OPTION,
    out: {
      kind: "string",
      placeholder: "<dir>",
      allowEmpty: true,
      default: SWEEP_CLI_DEFAULTS.out,
      description: "output folder",
    },
    shard: { kind: "string", placeholder: "<i/n>", description: "run slice i of n (1 ≤ i ≤ n)" },
    jobs: {
      kind: "integer",
      min: 1,
      defaultText: "one per core",
      description: "worker threads (more than the cores only with --oversubscribe)",
    },
    oversubscribe: { kind: "boolean", description: "allow more worker threads than cores" },
  },
  notes:
    "Exit codes: 0 done, 2 bad input (also when a point fails with bad input), 1 internal failure.",
  examples: ["vx sweep --param policy=thr,iqr,mad,lr,lrr --param seed=1..10 --out sweep-out"],
  async run({ options, positionals }, io) {
    const { scenarioFile, params } = sweepInput(positionals, options.param);
    const shard = options.shard === undefined ? undefined : parseShard(options.shard);
    const outcome = await runSweep({
      scenarioFile,
      params,
      outDir: options.out,
      shard,
      jobs: options.jobs,
      oversubscribe: options.oversubscribe,
      onPoint: (done, total, point, error) => {
        io.err(`[${done}/${total}] ${point.id}${error === undefined ? "" : ` FAILED: ${error}`}\n`);
      },
    });
    if (outcome.jobs.note !== undefined) io.err(`vx: ${outcome.jobs.note}\n`);
    const staleNote =
      outcome.stale > 0
        ? ` (${outcome.stale} of them held results of another scenario or vx version)`
        : "";
    let text = `${outcome.total} points${shard === undefined ? "" : ` (shard ${shard.index}/${shard.count} of ${outcome.gridTotal})`}: ${outcome.ran} ran${staleNote}, ${outcome.skipped} already done, ${outcome.failed.length} failed\n`;
    if (outcome.files.length > 0) text += `wrote ${outcome.files.join(", ")}\n`;
    else if (outcome.failed.length > 0) {
      text += "no combined files: fix the failures and run again (finished points are kept)\n";
    } else {
      text += `combine the shards with: vx sweep merge ${options.out}\n`;
    }
    io.out(text);
    return sweepExitCode(outcome.failed);
  },
});
