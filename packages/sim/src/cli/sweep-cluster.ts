/**
 * `vx sweep plan`, `vx sweep slurm` and `vx sweep kubernetes`: a sweep sized, then written as a
 * Slurm job array or a Kubernetes Indexed Job, for a study that outgrows one machine.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { formatBytes, VxError } from "@vx/core";
import { shellJoin } from "../sweep/internal/shell.js";
import {
  KUBERNETES_FILES,
  kubernetesManifests,
  writeKubernetesManifests,
} from "../sweep/kubernetes.js";
import { planSweep } from "../sweep/plan.js";
import { SLURM_DEFAULTS, submitSlurmJob, writeSlurmJob } from "../sweep/slurm.js";
import type { CliIo } from "./io.js";
import { intFlag, sweepInput } from "./sweep.js";

function requireShards(value: string | undefined): number {
  const shards = intFlag("shards", value);
  if (shards === undefined) {
    throw new VxError(
      "VX_CLI_BAD_FLAG",
      "--shards N is required: how many tasks share the sweep.",
      {
        path: ["shards"],
      },
    );
  }
  return shards;
}

function text(name: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === "") {
    throw new VxError(
      "VX_CLI_BAD_FLAG",
      `--${name} is empty: give a value or leave the flag out.`,
      {
        path: [name],
      },
    );
  }
  return value;
}

/**
 * The command that starts this vx again on a node sharing this file system: this Node.js, its
 * flags and this CLI script, when the running program is the vx CLI; else `vx` on the PATH.
 */
export function currentVxCommand(): string {
  const script = process.argv[1];
  if (script === undefined || !/^(vx|vx\.js|cli\.(js|cjs|mjs|ts))$/.test(basename(script))) {
    return SLURM_DEFAULTS.vx;
  }
  let path = script;
  try {
    path = realpathSync(script);
  } catch {
    // keep the path as given
  }
  return shellJoin([process.execPath, ...process.execArgv, path]);
}

/** `vx sweep plan`. */
export async function planSubcommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      param: { type: "string", multiple: true },
      shards: { type: "string" },
      jobs: { type: "string" },
      samples: { type: "string" },
      json: { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  const { scenarioFile, params } = sweepInput(positionals, values.param);
  const plan = await planSweep({
    scenarioFile,
    params,
    shards: intFlag("shards", values.shards),
    jobs: intFlag("jobs", values.jobs),
    samples: intFlag("samples", values.samples),
  });
  if (values.json === true) {
    io.out(`${JSON.stringify(plan, null, 2)}\n`);
    return 0;
  }
  const s = plan.sample;
  const mb = (b: number): string => formatBytes(b, { digits: 3 });
  io.out(
    [
      `points:     ${plan.points} (${params.map((p) => `${p.name} × ${p.values.length}`).join(", ") || "the base scenario"})`,
      `shards:     ${plan.shards} (${plan.pointsPerShard.min === plan.pointsPerShard.max ? plan.pointsPerShard.max : `${plan.pointsPerShard.min} to ${plan.pointsPerShard.max}`} points each), ${plan.jobs} worker${plan.jobs === 1 ? "" : "s"} per shard`,
      `sample:     ${s.ids.join(", ")}: ${s.pointSeconds.toFixed(2)} s per point (slowest), start-up ${s.startupSeconds.toFixed(2)} s, peak memory ${mb(s.peakBytes)} with one worker (${mb(s.workerBytes)} for the worker)`,
      `per shard:  about ${plan.perShard.seconds.toFixed(1)} s and ${mb(plan.perShard.memoryBytes)} (measured on this machine)`,
      `suggested:  --time ${plan.suggested.time} --mem ${plan.suggested.mem} (the estimate × 1.5)`,
      "",
    ].join("\n"),
  );
  return 0;
}

/** `vx sweep slurm`. */
export async function slurmSubcommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      param: { type: "string", multiple: true },
      shards: { type: "string" },
      out: { type: "string" },
      partition: { type: "string" },
      account: { type: "string" },
      time: { type: "string" },
      mem: { type: "string" },
      "cpus-per-task": { type: "string" },
      "max-running": { type: "string" },
      "job-name": { type: "string" },
      vx: { type: "string" },
      submit: { type: "boolean" },
    },
    allowPositionals: true,
    strict: true,
  });
  const { scenarioFile, params } = sweepInput(positionals, values.param);
  const job = await writeSlurmJob({
    scenarioFile,
    params,
    outDir: values.out ?? "sweep-out",
    shards: requireShards(values.shards),
    partition: text("partition", values.partition),
    account: text("account", values.account),
    time: text("time", values.time),
    mem: text("mem", values.mem),
    cpusPerTask: intFlag("cpus-per-task", values["cpus-per-task"]),
    maxRunning: intFlag("max-running", values["max-running"]),
    jobName: text("job-name", values["job-name"]),
    vx: values.vx ?? currentVxCommand(),
  });
  const lines = [
    `${job.points} points in ${job.shards} tasks into ${job.outDir}`,
    `wrote ${job.files.sweep}, ${job.files.merge}, ${job.files.submit}`,
  ];
  if (values.time === undefined || values.mem === undefined) {
    lines.push(
      "no --time or --mem: the partition's defaults apply (`vx sweep plan` estimates them)",
    );
  }
  if (values.submit === true) {
    const ids = await submitSlurmJob(job, { env: io.env ?? process.env });
    lines.push(
      `submitted job array ${ids.arrayJob} (${job.shards} tasks) and merge job ${ids.mergeJob} (after every task succeeds)`,
    );
    lines.push(`results: ${join(job.outDir, "sweep.csv")} once job ${ids.mergeJob} has run`);
  } else {
    lines.push(`submit with: ${job.files.submit}`);
  }
  io.out(`${lines.join("\n")}\n`);
  return 0;
}

/** `vx sweep kubernetes`. */
export async function kubernetesSubcommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      param: { type: "string", multiple: true },
      shards: { type: "string" },
      image: { type: "string" },
      "volume-claim": { type: "string" },
      manifests: { type: "string" },
      out: { type: "string" },
      "mount-path": { type: "string" },
      "scenario-mount": { type: "string" },
      name: { type: "string" },
      namespace: { type: "string" },
      parallelism: { type: "string" },
      cpu: { type: "string" },
      memory: { type: "string" },
      vx: { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  const { scenarioFile, params } = sweepInput(positionals, values.param);
  for (const required of ["image", "volume-claim"] as const) {
    if (values[required] === undefined) {
      throw new VxError("VX_CLI_BAD_FLAG", `--${required} is required for a Kubernetes sweep.`, {
        path: [required],
      });
    }
  }
  const manifests = kubernetesManifests({
    scenarioFile,
    params,
    shards: requireShards(values.shards),
    image: values.image!,
    volumeClaim: values["volume-claim"]!,
    outDir: text("out", values.out),
    mountPath: text("mount-path", values["mount-path"]),
    scenarioMount: text("scenario-mount", values["scenario-mount"]),
    name: text("name", values.name),
    namespace: text("namespace", values.namespace),
    parallelism: intFlag("parallelism", values.parallelism),
    cpu: intFlag("cpu", values.cpu),
    memory: text("memory", values.memory),
    vx: text("vx", values.vx),
  });
  const dir = text("manifests", values.manifests) ?? "vx-kubernetes";
  const files = await writeKubernetesManifests(dir, manifests);
  io.out(
    [
      `wrote ${files.join(", ")}`,
      "run with:",
      `  kubectl apply -f ${join(dir, KUBERNETES_FILES.sweep)}`,
      `  kubectl wait --for=condition=complete --timeout=24h job/${manifests.names.sweep}`,
      `  kubectl apply -f ${join(dir, KUBERNETES_FILES.merge)}`,
      "",
    ].join("\n"),
  );
  return 0;
}
