/**
 * `vx sweep plan`, `vx sweep slurm` and `vx sweep kubernetes`: a sweep sized, then written as a
 * Slurm job array or a Kubernetes Indexed Job, for a study that outgrows one machine.
 *
 * @module
 */
import { realpathSync } from "node:fs";
import { basename, join } from "node:path";
import { formatBytes } from "@vx/core";
import { shellJoin } from "../sweep/internal/shell.js";
import {
  KUBERNETES_DEFAULTS,
  KUBERNETES_FILES,
  kubernetesManifests,
  writeKubernetesManifests,
} from "../sweep/kubernetes.js";
import { PLAN_DEFAULTS, planSweep } from "../sweep/plan.js";
import { SLURM_DEFAULTS, submitSlurmJob, writeSlurmJob } from "../sweep/slurm.js";
import { type CliCommand, defineCommand } from "./command.js";
import { ExitCode } from "./io.js";
import {
  PARAM_OPTION,
  SCENARIO_POSITIONAL,
  SWEEP_CLI_DEFAULTS,
  sweepInput,
} from "./sweep-input.js";

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

/** The `--shards` flag of the cluster commands. */
const SHARDS = {
  kind: "integer",
  min: 1,
  required: true,
  description: "how many tasks share the sweep (1 ≤ shards ≤ points)",
} as const;

/** `vx sweep plan`. */
export const planCommand: CliCommand = defineCommand({
  name: "sweep plan",
  summary: "count points and shards; estimate a shard's time and memory from sample points",
  description: [
    "Counts the sweep's points and how they fall into shards, runs a few sample points (the",
    "slowest sets the estimate) and estimates a shard's time and peak memory on this machine, with",
    "the --time and --mem to ask a cluster for (the estimates × a margin).",
  ].join("\n"),
  positionals: [SCENARIO_POSITIONAL],
  options: {
    param: PARAM_OPTION,
    shards: { kind: "integer", min: 1, default: 1, description: "shards the sweep will run in" },
    jobs: {
      kind: "integer",
      min: 1,
      default: PLAN_DEFAULTS.jobs,
      description: "worker threads per shard",
    },
    samples: {
      kind: "integer",
      min: 1,
      default: PLAN_DEFAULTS.samples,
      description: "sample points to run, spread over the grid",
    },
    json: { kind: "boolean", description: "print the plan as JSON" },
  },
  examples: ["vx sweep plan --param policy=thr,mad --param seed=1..100 --shards 20"],
  async run({ options, positionals }, io) {
    const { scenarioFile, params } = sweepInput(positionals, options.param);
    const plan = await planSweep({
      scenarioFile,
      params,
      shards: options.shards,
      jobs: options.jobs,
      samples: options.samples,
    });
    if (options.json) {
      io.out(`${JSON.stringify(plan, null, 2)}\n`);
      return ExitCode.ok;
    }
    const s = plan.sample;
    const mb = (b: number): string => formatBytes(b, { digits: 3 });
    io.out(
      [
        `points:     ${plan.points} (${params.map((p) => `${p.name} × ${p.values.length}`).join(", ") || "the base scenario"})`,
        `shards:     ${plan.shards} (${plan.pointsPerShard.min === plan.pointsPerShard.max ? plan.pointsPerShard.max : `${plan.pointsPerShard.min} to ${plan.pointsPerShard.max}`} points each), ${plan.jobs} worker${plan.jobs === 1 ? "" : "s"} per shard`,
        `sample:     ${s.ids.join(", ")}: ${s.pointSeconds.toFixed(2)} s per point (slowest), start-up ${s.startupSeconds.toFixed(2)} s, peak memory ${mb(s.peakBytes)} with one worker (${mb(s.workerBytes)} for the worker)`,
        `per shard:  about ${plan.perShard.seconds.toFixed(1)} s and ${mb(plan.perShard.memoryBytes)} (measured on this machine)`,
        `suggested:  --time ${plan.suggested.time} --mem ${plan.suggested.mem} (the estimate × ${PLAN_DEFAULTS.margin})`,
        "",
      ].join("\n"),
    );
    return ExitCode.ok;
  },
});

/** `vx sweep slurm`. */
export const slurmCommand: CliCommand = defineCommand({
  name: "sweep slurm",
  summary: "write a Slurm job array + dependent merge job (--submit submits them)",
  description: [
    "Writes <out>/slurm/sweep.sbatch (a job array: task i runs `vx sweep --shard i/N` into the",
    "shared --out), merge.sbatch (runs `vx sweep merge` after every task succeeded) and submit.sh",
    "(submits both). --submit submits them with sbatch. A task cancelled or failed can be",
    "resubmitted: it runs only its missing points.",
  ].join("\n"),
  positionals: [SCENARIO_POSITIONAL],
  options: {
    param: PARAM_OPTION,
    shards: SHARDS,
    out: {
      kind: "string",
      placeholder: "<dir>",
      default: SWEEP_CLI_DEFAULTS.out,
      description: "the sweep's output folder, on a file system every node sees",
    },
    partition: { kind: "string", defaultText: "the cluster's", description: "#SBATCH --partition" },
    account: { kind: "string", defaultText: "the user's", description: "#SBATCH --account" },
    time: {
      kind: "string",
      placeholder: "<limit>",
      defaultText: "the partition's",
      description: "time limit per task: a duration (1h, 90min) or Slurm's [D-]HH:MM:SS",
    },
    mem: {
      kind: "string",
      placeholder: "<size>",
      defaultText: "the partition's",
      description: "memory per task: a size (2GiB) or Slurm's 2G, 512M",
    },
    "cpus-per-task": {
      kind: "integer",
      min: 1,
      default: SLURM_DEFAULTS.cpusPerTask,
      description: "cores per task, also its worker threads",
    },
    "max-running": {
      kind: "integer",
      min: 1,
      defaultText: "no limit",
      description: "tasks running at once (--array=1-N%M)",
    },
    "job-name": { kind: "string", default: SLURM_DEFAULTS.jobName, description: "the job's name" },
    vx: {
      kind: "string",
      placeholder: "<command>",
      defaultText: "this vx (its Node.js and script), else vx",
      description: "the command that starts vx on the nodes",
    },
    submit: { kind: "boolean", description: "submit the jobs with sbatch" },
  },
  examples: [
    "vx sweep slurm --param seed=1..100 --shards 20 --out /shared/dc --time 1h --mem 2GiB --submit",
  ],
  async run({ options, positionals, given }, io) {
    const { scenarioFile, params } = sweepInput(positionals, options.param);
    const job = await writeSlurmJob({
      scenarioFile,
      params,
      outDir: options.out,
      shards: options.shards,
      partition: options.partition,
      account: options.account,
      time: options.time,
      mem: options.mem,
      cpusPerTask: options["cpus-per-task"],
      maxRunning: options["max-running"],
      jobName: options["job-name"],
      vx: options.vx ?? currentVxCommand(),
    });
    const lines = [
      `${job.points} points in ${job.shards} tasks into ${job.outDir}`,
      `wrote ${job.files.sweep}, ${job.files.merge}, ${job.files.submit}`,
    ];
    if (!given.has("time") || !given.has("mem")) {
      lines.push(
        "no --time or --mem: the partition's defaults apply (`vx sweep plan` estimates them)",
      );
    }
    if (options.submit) {
      const ids = await submitSlurmJob(job, { env: io.env ?? process.env });
      lines.push(
        `submitted job array ${ids.arrayJob} (${job.shards} tasks) and merge job ${ids.mergeJob} (after every task succeeds)`,
      );
      lines.push(`results: ${join(job.outDir, "sweep.csv")} once job ${ids.mergeJob} has run`);
    } else {
      lines.push(`submit with: ${job.files.submit}`);
    }
    io.out(`${lines.join("\n")}\n`);
    return ExitCode.ok;
  },
});

/** `vx sweep kubernetes` (alias `k8s`). */
export const kubernetesCommand: CliCommand = defineCommand({
  name: "sweep kubernetes",
  aliases: ["k8s"],
  summary: "write a Kubernetes Indexed Job + merge Job",
  description: [
    "Writes <manifests>/sweep-job.yaml (an Indexed Job: pod i runs `vx sweep --shard i/N` into",
    "the volume claim; with a scenario file, a ConfigMap holding it) and merge-job.yaml (runs",
    "`vx sweep merge` there). Apply the first, wait for it to complete, then apply the second.",
  ].join("\n"),
  positionals: [SCENARIO_POSITIONAL],
  options: {
    param: PARAM_OPTION,
    shards: SHARDS,
    image: {
      kind: "string",
      required: true,
      placeholder: "<image>",
      description: "a container image with vx in it",
    },
    "volume-claim": {
      kind: "string",
      required: true,
      placeholder: "<pvc>",
      description:
        "the PersistentVolumeClaim that holds the results (ReadWriteMany for several nodes)",
    },
    manifests: {
      kind: "string",
      placeholder: "<dir>",
      default: SWEEP_CLI_DEFAULTS.manifests,
      description: "where to write the manifests",
    },
    out: {
      kind: "string",
      placeholder: "<dir in pod>",
      defaultText: "<mount-path>/<name>",
      description: "the output folder in the pods",
    },
    "mount-path": {
      kind: "string",
      placeholder: "<path>",
      default: KUBERNETES_DEFAULTS.mountPath,
      description: "where the claim is mounted in the pods",
    },
    "scenario-mount": {
      kind: "string",
      placeholder: "<path>",
      default: KUBERNETES_DEFAULTS.scenarioMount,
      description: "where the scenario ConfigMap is mounted in the pods",
    },
    name: { kind: "string", default: KUBERNETES_DEFAULTS.name, description: "the Job's name" },
    namespace: { kind: "string", defaultText: "kubectl's", description: "the namespace" },
    parallelism: {
      kind: "integer",
      min: 1,
      defaultText: "all shards",
      description: "pods running at once",
    },
    cpu: {
      kind: "integer",
      min: 1,
      default: KUBERNETES_DEFAULTS.cpu,
      description: "CPU request of a pod (whole cores), also its worker threads",
    },
    memory: {
      kind: "string",
      placeholder: "<size>",
      defaultText: "none",
      description: "memory request and limit per pod: a size (2GiB) or a quantity (2Gi)",
    },
    vx: {
      kind: "string",
      placeholder: "<command>",
      default: KUBERNETES_DEFAULTS.vx,
      description: "the command that starts vx in the image",
    },
  },
  examples: [
    "vx sweep kubernetes --param seed=1..100 --shards 20 --image ghcr.io/me/vx:1 --volume-claim results",
  ],
  async run({ options, positionals }, io) {
    const { scenarioFile, params } = sweepInput(positionals, options.param);
    const manifests = kubernetesManifests({
      scenarioFile,
      params,
      shards: options.shards,
      image: options.image,
      volumeClaim: options["volume-claim"],
      outDir: options.out,
      mountPath: options["mount-path"],
      scenarioMount: options["scenario-mount"],
      name: options.name,
      namespace: options.namespace,
      parallelism: options.parallelism,
      cpu: options.cpu,
      memory: options.memory,
      vx: options.vx,
    });
    const dir = options.manifests;
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
    return ExitCode.ok;
  },
});
