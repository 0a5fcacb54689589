import { parseArgs } from "node:util";
import { VxError } from "@vx/core";
import { parseParam, parseShard } from "../sweep/grid.js";
import { runSweep, writeCombined } from "../sweep/run.js";
import type { CliIo } from "./io.js";

/** `vx sweep`: a grid of scenario variants on all cores; `vx sweep merge` combines slices. */
export const sweepCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
} = {
  summary: "run a grid of scenario variants on all cores (resumable, shardable); `vx sweep merge`",
  usage: [
    "Usage: vx sweep [scenario.yaml|json] --param <name=v1,v2|name=a..b> ... [--out <dir>]",
    "                [--shard i/n] [--jobs <n>]",
    "       vx sweep merge <dir>... [--out <dir>]",
    "",
    "Runs every combination of the parameters (first varies slowest) on worker threads. Each",
    "point's result goes to <out>/points/<id>.json, written atomically: a rerun skips finished",
    "points. --shard i/n runs one slice (e.g. a Slurm array task); `vx sweep merge` combines the",
    "slices' folders. Writes <out>/sweep.csv and <out>/sweep.html (a comparison chart).",
    "",
    "Parameters are scenario paths (seed, policy.overload, policy.parameter, migration.model, …)",
    "or shorthands: policy (= policy.overload), selection, parameter, threshold, migration.",
    "",
    "Options:",
    "  --param <p>   name=v1,v2,… or name=first..last[:step]; repeat for more parameters",
    "  --out <dir>   output folder (default: sweep-out)",
    "  --shard i/n   run slice i of n (1 ≤ i ≤ n)",
    "  --jobs <n>    worker threads (default: all cores)",
    "",
    "Example: vx sweep --param policy=thr,iqr,mad,lr,lrr --param seed=1..10 --out sweep-out",
  ].join("\n"),
  async run(args, io) {
    if (args[0] === "merge") {
      const { values, positionals } = parseArgs({
        args: args.slice(1),
        options: { out: { type: "string" } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length === 0) {
        throw new VxError("VX_CLI_BAD_FLAG", "vx sweep merge: give the sweep folders to combine.", {
          path: ["dirs"],
        });
      }
      const files = await writeCombined(values.out ?? positionals[0]!, positionals);
      io.out(`wrote ${files.join(", ")}\n`);
      return 0;
    }
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        param: { type: "string", multiple: true },
        out: { type: "string" },
        shard: { type: "string" },
        jobs: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) {
      throw new VxError(
        "VX_CLI_BAD_FLAG",
        `give at most one scenario file, got ${positionals.length}.`,
        {
          path: ["scenario"],
        },
      );
    }
    const params = (values.param ?? []).map((p, i) => parseParam(p, i));
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    let jobs: number | undefined;
    if (values.jobs !== undefined) {
      jobs = Number(values.jobs);
      if (!Number.isInteger(jobs) || jobs < 1) {
        throw new VxError("VX_CLI_BAD_FLAG", `--jobs "${values.jobs}": use an integer ≥ 1.`, {
          path: ["jobs"],
        });
      }
    }
    const outcome = await runSweep({
      scenarioFile: positionals[0] ?? null,
      params,
      outDir: values.out ?? "sweep-out",
      shard,
      jobs,
      onPoint: (done, total, point, error) => {
        io.err(`[${done}/${total}] ${point.id}${error === undefined ? "" : ` FAILED: ${error}`}\n`);
      },
    });
    io.out(
      `${outcome.total} points: ${outcome.ran} ran, ${outcome.skipped} already done, ${outcome.failed.length} failed\n` +
        `wrote ${outcome.files.join(", ")}\n`,
    );
    return outcome.failed.length > 0 ? 1 : 0;
  },
};
