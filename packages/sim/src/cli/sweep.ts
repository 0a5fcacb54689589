import { parseArgs } from "node:util";
import { VxError } from "@vx/core";
import { writeCombined } from "../sweep/combine.js";
import { parseParam, parseShard, type SweepParam } from "../sweep/grid.js";
import { runSweep, sweepExitCode } from "../sweep/run.js";
import type { CliIo } from "./io.js";
import { kubernetesSubcommand, planSubcommand, slurmSubcommand } from "./sweep-cluster.js";

/** The scenario (at most one positional) and the `--param` flags of a sweep command. */
export function sweepInput(
  positionals: readonly string[],
  param: readonly string[] | undefined,
): { scenarioFile: string | null; params: SweepParam[] } {
  if (positionals.length > 1) {
    throw new VxError(
      "VX_CLI_BAD_FLAG",
      `give at most one scenario file, got ${positionals.length}.`,
      { path: ["scenario"] },
    );
  }
  return {
    scenarioFile: positionals[0] ?? null,
    params: (param ?? []).map((p, i) => parseParam(p, i)),
  };
}

/** An integer flag ≥ 1, or undefined when absent. */
export function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < 1) {
    throw new VxError("VX_CLI_BAD_FLAG", `--${name} "${value}": use an integer ≥ 1.`, {
      path: [name],
    });
  }
  return n;
}

const SUBCOMMANDS: Readonly<
  Record<string, (args: readonly string[], io: CliIo) => Promise<number>>
> = {
  merge: mergeSubcommand,
  plan: planSubcommand,
  slurm: slurmSubcommand,
  kubernetes: kubernetesSubcommand,
  k8s: kubernetesSubcommand,
};

/** `vx sweep`: a grid of scenario variants on all cores; merge, plan, Slurm and Kubernetes. */
export const sweepCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
} = {
  summary:
    "run a grid of scenario variants on all cores (resumable, shardable); merge, plan, slurm, kubernetes",
  usage: [
    "Usage: vx sweep [scenario.yaml|json] --param <name=v1,v2|name=a..b> ... [--out <dir>]",
    "                [--shard i/n] [--jobs <n> [--oversubscribe]]",
    "       vx sweep merge <dir>... [--out <dir>] [--partial]",
    "       vx sweep plan [scenario] --param ... [--shards N] [--jobs k] [--samples s] [--json]",
    "       vx sweep slurm [scenario] --param ... --shards N --out <shared dir> [--partition p]",
    "                [--time 1h] [--mem 2G] [--cpus-per-task k] [--account a] [--max-running m]",
    "                [--job-name name] [--vx <command>] [--submit]",
    "       vx sweep kubernetes [scenario] --param ... --shards N --image <img> --volume-claim <pvc>",
    "                [--manifests <dir>] [--out <dir in pod>] [--cpu k] [--memory 2Gi] ...",
    "",
    "Runs every combination of the parameters (first varies slowest) on worker threads. Each",
    "point's result goes to <out>/points/<id>.json, written atomically and keyed on the scenario's",
    "content, the values and the vx version: a rerun skips finished points and runs again any",
    "point computed from another scenario. --shard i/n runs one slice (a Slurm array task, a",
    "Kubernetes pod); `vx sweep merge` combines the slices. A whole sweep writes <out>/sweep.csv",
    "and <out>/sweep.html (a comparison chart).",
    "",
    "Parameters are scenario paths (seed, policy.overload, policy.parameter, migration.model, …)",
    "or shorthands: policy (= policy.overload), selection, parameter, threshold, migration.",
    "",
    "Options:",
    "  --param <p>      name=v1,v2,… or name=first..last[:step]; repeat for more parameters",
    "  --out <dir>      output folder (default: sweep-out)",
    "  --shard i/n      run slice i of n (1 ≤ i ≤ n)",
    "  --jobs <n>       worker threads (default: one per core; more than the cores only with",
    "                   --oversubscribe)",
    "",
    "Subcommands (each has --help):",
    "  merge       combine the point files of sweep folders (e.g. the shards') into sweep.csv/html",
    "  plan        count points and shards; estimate a shard's time and memory from sample points",
    "  slurm       write a Slurm job array + dependent merge job (--submit submits them)",
    "  kubernetes  write a Kubernetes Indexed Job + merge Job (alias: k8s)",
    "",
    "Exit codes: 0 done, 2 bad input (also when a point fails with bad input), 1 internal failure.",
    "Example: vx sweep --param policy=thr,iqr,mad,lr,lrr --param seed=1..10 --out sweep-out",
  ].join("\n"),
  async run(args, io) {
    const sub = args[0] === undefined ? undefined : SUBCOMMANDS[args[0]];
    if (sub !== undefined) return sub(args.slice(1), io);
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        param: { type: "string", multiple: true },
        out: { type: "string" },
        shard: { type: "string" },
        jobs: { type: "string" },
        oversubscribe: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const { scenarioFile, params } = sweepInput(positionals, values.param);
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    const outcome = await runSweep({
      scenarioFile,
      params,
      outDir: values.out ?? "sweep-out",
      shard,
      jobs: intFlag("jobs", values.jobs),
      oversubscribe: values.oversubscribe === true,
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
      text += `combine the shards with: vx sweep merge ${values.out ?? "sweep-out"}\n`;
    }
    io.out(text);
    return sweepExitCode(outcome.failed);
  },
};

async function mergeSubcommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { out: { type: "string" }, partial: { type: "boolean" } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) {
    throw new VxError("VX_CLI_BAD_FLAG", "vx sweep merge: give the sweep folders to combine.", {
      path: ["dirs"],
    });
  }
  if (values.out !== undefined && values.out.trim() === "") {
    throw new VxError("VX_SIM_BAD_OUT", "--out is empty: give a folder.", { path: ["out"] });
  }
  const outcome = await writeCombined(values.out ?? positionals[0]!, positionals, {
    partial: values.partial === true,
  });
  if (outcome.missing.length > 0) {
    io.err(
      `vx: ${outcome.missing.length} points missing (--partial): left out of the combined files\n`,
    );
  }
  io.out(`${outcome.points} points combined\nwrote ${outcome.files.join(", ")}\n`);
  return 0;
}
