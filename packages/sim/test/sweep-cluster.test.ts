/**
 * The cluster paths of `vx sweep` without a cluster: the Slurm scripts (checked as text and run
 * through a stand-in sbatch), the Kubernetes manifests (checked against the batch/v1 Job and v1
 * ConfigMap schemas, and their pod commands run here with sh), and their bad options.
 * The real Slurm is in sweep-slurm.test.ts.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runCli } from "../src/cli/main.js";
import { parseParam } from "../src/sweep/grid.js";
import { kubernetesManifests, kubernetesMemory } from "../src/sweep/kubernetes.js";
import { runSweep } from "../src/sweep/run.js";
import { slurmMemory, slurmTime, submitSlurmJob, writeSlurmJob } from "../src/sweep/slurm.js";
import { bundleCli } from "./cli-bundle.js";
import { SMALL_SCENARIO_YAML } from "./small-scenario.js";

const root = mkdtempSync(join(tmpdir(), "vx-sweep-cluster-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function scenarioFile(name: string, duration: string): string {
  const file = join(root, name);
  writeFileSync(file, SMALL_SCENARIO_YAML.replace("duration: 24h", `duration: ${duration}`));
  return file;
}

async function vx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("vx sweep slurm: the scripts", () => {
  it("writes a job array of N shard tasks, a merge job and submit.sh, with the options as #SBATCH lines", async () => {
    const file = scenarioFile("dc.yaml", "1h");
    const out = join(root, "slurm-a");
    const job = await writeSlurmJob({
      scenarioFile: file,
      params: [parseParam("policy=thr,mad"), parseParam("seed=1..10")],
      outDir: out,
      shards: 5,
      partition: "short",
      account: "lab",
      time: "90min",
      mem: "1.5GiB",
      cpusPerTask: 2,
      maxRunning: 3,
      vx: "vx",
      workDir: root,
    });
    expect(job).toMatchObject({ shards: 5, points: 20, outDir: out });
    const sweep = readFileSync(job.files.sweep, "utf8");
    const lines = sweep.split("\n");
    for (const line of [
      "#!/bin/bash",
      "#SBATCH --array=1-5%3",
      "#SBATCH --cpus-per-task=2",
      "#SBATCH --job-name=vx-sweep",
      `#SBATCH --output=${join(out, "slurm", "logs", "sweep-%A_%a.out")}`,
      `#SBATCH --chdir=${root}`,
      "#SBATCH --partition=short",
      "#SBATCH --account=lab",
      "#SBATCH --time=0-01:30:00",
      "#SBATCH --mem=1536M",
      `exec vx sweep ${file} --param policy=thr,mad --param seed=1..10 --out ${out} --shard "\${SLURM_ARRAY_TASK_ID}/5" --jobs 2`,
    ]) {
      expect(lines).toContain(line);
    }
    const merge = readFileSync(job.files.merge, "utf8").split("\n");
    expect(merge).toContain("#SBATCH --kill-on-invalid-dep=yes");
    expect(merge).toContain(`exec vx sweep merge ${out}`);
    expect(existsSync(join(out, "slurm", "logs"))).toBe(true); // Slurm does not create it
    expect(readdirSync(join(out, "slurm")).sort()).toEqual([
      "logs",
      "merge.sbatch",
      "submit.sh",
      "sweep.sbatch",
    ]);
    // Deterministic: the same sweep writes the same scripts.
    const again = await writeSlurmJob({
      scenarioFile: file,
      params: [parseParam("policy=thr,mad"), parseParam("seed=1..10")],
      outDir: out,
      shards: 5,
      partition: "short",
      account: "lab",
      time: "90min",
      mem: "1.5GiB",
      cpusPerTask: 2,
      maxRunning: 3,
      vx: "vx",
      workDir: root,
    });
    expect(readFileSync(again.files.sweep, "utf8")).toBe(sweep);
  });

  it("submits the array, then the merge with --dependency=afterok on it (stand-in sbatch), by API and by submit.sh", async () => {
    const bin = join(root, "fake-bin");
    mkdirSync(bin, { recursive: true });
    const calls = join(root, "sbatch-calls");
    writeFileSync(
      join(bin, "sbatch"),
      `#!/bin/sh\necho "$@" >> ${calls}\nn=$(wc -l < ${calls})\necho "$((4240 + n));vxcluster"\n`,
    );
    chmodSync(join(bin, "sbatch"), 0o755);
    const job = await writeSlurmJob({
      scenarioFile: null,
      params: [parseParam("seed=1..4")],
      outDir: join(root, "slurm-b"),
      shards: 2,
    });
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` };
    expect(await submitSlurmJob(job, { env })).toEqual({ arrayJob: "4241", mergeJob: "4242" });
    const printed = execFileSync(job.files.submit, { env, encoding: "utf8" });
    expect(printed).toBe("job array 4243 (2 tasks), merge job 4244 (after every task succeeds)\n");
    expect(readFileSync(calls, "utf8").trim().split("\n")).toEqual([
      `--parsable ${job.files.sweep}`,
      `--parsable --dependency=afterok:4241 ${job.files.merge}`,
      `--parsable ${job.files.sweep}`,
      `--parsable --dependency=afterok:4243 ${job.files.merge}`,
    ]);
    await expect(
      submitSlurmJob(job, { env, sbatch: join(root, "no-such-sbatch") }),
    ).rejects.toMatchObject({ code: "VX_SIM_SLURM_UNAVAILABLE" });
    await expect(submitSlurmJob(job, { env, sbatch: "false" })).rejects.toMatchObject({
      code: "VX_SIM_SLURM_SUBMIT_FAILED",
    });
  });

  it("reads --time and --mem as vx units or Slurm's own forms; bare numbers are refused", () => {
    expect(slurmTime("1h")).toBe("0-01:00:00");
    expect(slurmTime("61s")).toBe("0-00:02:00");
    expect(slurmTime("2d")).toBe("2-00:00:00");
    expect(slurmTime("1-12:00:00")).toBe("1-12:00:00");
    expect(slurmTime("30:00")).toBe("30:00");
    expect(slurmMemory("2G")).toBe("2G");
    expect(slurmMemory("2GiB")).toBe("2048M");
    expect(slurmMemory("1GB")).toBe("954M");
    expect(kubernetesMemory("2Gi")).toBe("2Gi");
    expect(kubernetesMemory("512MiB")).toBe("512Mi");
    for (const bad of ["90", "10s", "soon", ""]) {
      expect(() => slurmTime(bad)).toThrow(
        expect.objectContaining({ code: "VX_SIM_BAD_CLUSTER_OPTION", path: ["time"] }),
      );
    }
    for (const bad of ["2", "0G", "0MiB", "lots"]) {
      expect(() => slurmMemory(bad)).toThrow(
        expect.objectContaining({ code: "VX_SIM_BAD_CLUSTER_OPTION", path: ["mem"] }),
      );
    }
  });

  it("bad options and bad points fail before anything is written (exit 2)", async () => {
    const out = join(root, "slurm-bad");
    for (const args of [
      ["--shards", "0"],
      ["--shards", "5"], // more shards than points
      ["--shards", "2", "--time", "90"],
      ["--shards", "2", "--mem", "0"],
      ["--shards", "2", "--partition", "a b"],
      ["--shards", "2", "--vx", ""],
      ["--shards", "2", "--out", ""],
      ["--shards", "2", "--cpus-per-task", "0"],
      [], // --shards is required
      ["--shards", "2", "--param", "policy=nope"],
    ]) {
      const r = await vx("sweep", "slurm", "--param", "seed=1..4", "--out", out, ...args);
      expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(2);
    }
    expect(existsSync(out)).toBe(false);
  });
});

// Fields of the Kubernetes API reference (v1.33) for the types the manifests use: anything else
// is a misspelling the API server would reject under `kubectl apply --validate=strict`.
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  ConfigMap: ["apiVersion", "kind", "metadata", "data", "binaryData", "immutable"],
  Job: ["apiVersion", "kind", "metadata", "spec", "status"],
  ObjectMeta: [
    "name",
    "namespace",
    "labels",
    "annotations",
    "generateName",
    "finalizers",
    "ownerReferences",
  ],
  JobSpec: [
    "activeDeadlineSeconds",
    "backoffLimit",
    "backoffLimitPerIndex",
    "completionMode",
    "completions",
    "managedBy",
    "manualSelector",
    "maxFailedIndexes",
    "parallelism",
    "podFailurePolicy",
    "podReplacementPolicy",
    "selector",
    "successPolicy",
    "suspend",
    "template",
    "ttlSecondsAfterFinished",
  ],
  PodTemplateSpec: ["metadata", "spec"],
  PodSpec: [
    "containers",
    "initContainers",
    "restartPolicy",
    "volumes",
    "nodeSelector",
    "affinity",
    "tolerations",
    "serviceAccountName",
    "securityContext",
    "imagePullSecrets",
    "priorityClassName",
    "terminationGracePeriodSeconds",
  ],
  Container: [
    "name",
    "image",
    "command",
    "args",
    "env",
    "envFrom",
    "resources",
    "volumeMounts",
    "workingDir",
    "imagePullPolicy",
    "securityContext",
  ],
  ResourceRequirements: ["requests", "limits", "claims"],
  VolumeMount: [
    "name",
    "mountPath",
    "readOnly",
    "subPath",
    "subPathExpr",
    "mountPropagation",
    "recursiveReadOnly",
  ],
  Volume: ["name", "persistentVolumeClaim", "configMap", "emptyDir", "secret", "hostPath", "nfs"],
  PersistentVolumeClaimVolumeSource: ["claimName", "readOnly"],
  ConfigMapVolumeSource: ["name", "items", "defaultMode", "optional"],
};

function unknownFields(value: unknown, type: string, path: string, found: string[]): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const allowed = FIELDS[type];
  if (allowed === undefined) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) found.push(`${path}.${key}`);
  }
  const child: Readonly<Record<string, string>> = {
    metadata: "ObjectMeta",
    spec: type === "Job" ? "JobSpec" : "PodSpec",
    template: "PodTemplateSpec",
    resources: "ResourceRequirements",
    persistentVolumeClaim: "PersistentVolumeClaimVolumeSource",
    configMap: "ConfigMapVolumeSource",
  };
  for (const [key, v] of Object.entries(record)) {
    if (key === "containers")
      for (const [i, c] of (v as unknown[]).entries())
        unknownFields(c, "Container", `${path}.containers[${i}]`, found);
    else if (key === "volumes")
      for (const [i, c] of (v as unknown[]).entries())
        unknownFields(c, "Volume", `${path}.volumes[${i}]`, found);
    else if (key === "volumeMounts")
      for (const [i, c] of (v as unknown[]).entries())
        unknownFields(c, "VolumeMount", `${path}.volumeMounts[${i}]`, found);
    else if (child[key] !== undefined) unknownFields(v, child[key]!, `${path}.${key}`, found);
  }
}

describe("vx sweep kubernetes: the manifests", () => {
  it("an Indexed Job and a merge Job that pass the batch/v1 Job schema (kubernetes-models, Kubernetes v1.33) and use only reference fields", () => {
    const manifests = kubernetesManifests({
      scenarioFile: scenarioFile("k8s.yaml", "1h"),
      params: [parseParam("seed=1..6")],
      shards: 3,
      image: "registry.example/vx:0.1.0",
      volumeClaim: "vx-results",
      namespace: "science",
      memory: "2GiB",
      cpu: 2,
      parallelism: 2,
    });
    const sweepDocs = parseAllDocuments(manifests.sweep).map(
      (d) => d.toJS() as Record<string, unknown>,
    );
    const mergeDocs = parseAllDocuments(manifests.merge).map(
      (d) => d.toJS() as Record<string, unknown>,
    );
    expect(sweepDocs.map((d) => d.kind)).toEqual(["ConfigMap", "Job"]);
    expect(mergeDocs.map((d) => d.kind)).toEqual(["Job"]);
    new ConfigMap(sweepDocs[0] as never).validate();
    for (const doc of [sweepDocs[1]!, mergeDocs[0]!]) new Job(doc as never).validate();
    const found: string[] = [];
    unknownFields(sweepDocs[0], "ConfigMap", "configmap", found);
    unknownFields(sweepDocs[1], "Job", "job", found);
    unknownFields(mergeDocs[0], "Job", "merge", found);
    expect(found).toEqual([]);

    const job = sweepDocs[1] as {
      spec: Record<string, unknown> & {
        template: {
          spec: { restartPolicy: string; containers: { args: string[]; resources: unknown }[] };
        };
      };
    };
    expect(job.spec).toMatchObject({ completionMode: "Indexed", completions: 3, parallelism: 2 });
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    const container = job.spec.template.spec.containers[0]!;
    expect(container.args[0]).toContain('--shard "$((JOB_COMPLETION_INDEX + 1))/3" --jobs 2');
    expect(container.resources).toEqual({
      requests: { cpu: "2", memory: "2048Mi" },
      limits: { memory: "2048Mi" },
    });
    // A misspelt or mistyped field is caught by the schema check this test relies on.
    expect(() =>
      new Job({
        ...(job as object),
        spec: { ...job.spec, completionMode: "Indexd" },
      } as never).validate(),
    ).toThrow();
  });

  it("the pods' commands, run here with sh for every index, then the merge's, give the bytes of a local sweep", async () => {
    const cli = await bundleCli(); // pods start vx as a process: bundled, it starts fast
    const file = scenarioFile("pods.yaml", "1h");
    const params = [parseParam("seed=1..4")];
    const volume = join(root, "volume");
    const etc = join(root, "etc-vx");
    const manifests = kubernetesManifests({
      scenarioFile: file,
      params,
      shards: 2,
      image: "registry.example/vx:0.1.0",
      volumeClaim: "vx-results",
      mountPath: volume,
      scenarioMount: etc,
      vx: cli.command,
    });
    type Doc = {
      data: Record<string, string>;
      spec: {
        completions: number;
        template: { spec: { containers: { command: string[]; args: string[] }[] } };
      };
    };
    const [configMap, job] = parseAllDocuments(manifests.sweep).map((d) => d.toJS() as Doc);
    const [merge] = parseAllDocuments(manifests.merge).map((d) => d.toJS() as Doc);
    // What the ConfigMap volume holds in the pod.
    mkdirSync(etc, { recursive: true });
    for (const [key, text] of Object.entries(configMap!.data)) writeFileSync(join(etc, key), text);
    const pod = (doc: Doc, index?: number): number | null => {
      const container = doc.spec.template.spec.containers[0]!;
      const env = {
        ...process.env,
        ...(index === undefined ? {} : { JOB_COMPLETION_INDEX: String(index) }),
      };
      return spawnSync(container.command[0]!, [...container.command.slice(1), ...container.args], {
        env,
        stdio: "ignore",
      }).status;
    };
    try {
      for (let index = 0; index < job!.spec.completions; index++) expect(pod(job!, index)).toBe(0);
      expect(pod(merge!)).toBe(0);
    } finally {
      cli.remove();
    }

    const local = join(root, "k8s-local");
    await runSweep({ scenarioFile: file, params, outDir: local, jobs: 2 });
    const inPod = join(volume, "vx-sweep");
    for (const f of [
      "sweep.json",
      "sweep.csv",
      "sweep.html",
      ...readdirSync(join(local, "points")).map((p) => `points/${p}`),
    ]) {
      expect(readFileSync(join(inPod, f), "utf8"), f).toBe(readFileSync(join(local, f), "utf8"));
    }
  }, 600_000); // a hang guard: three CLI processes and a local sweep on a shared machine

  it("bad options are VX_SIM_BAD_CLUSTER_OPTION or VX_CLI_BAD_FLAG (exit 2), and nothing is written", async () => {
    const dir = join(root, "k8s-bad");
    const base = ["sweep", "kubernetes", "--param", "seed=1..2", "--manifests", dir];
    for (const args of [
      ["--shards", "2", "--volume-claim", "c"], // no --image
      ["--shards", "2", "--image", "img"], // no --volume-claim
      ["--shards", "2", "--image", "img", "--volume-claim", "c", "--name", "Bad_Name"],
      ["--shards", "2", "--image", "img", "--volume-claim", "c", "--mount-path", "data"],
      ["--shards", "2", "--image", "img", "--volume-claim", "c", "--memory", "2"],
      ["--shards", "3", "--image", "img", "--volume-claim", "c"],
      ["--shards", "2", "--image", "", "--volume-claim", "c"],
    ]) {
      const r = await vx(...base, ...args);
      expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(2);
    }
    expect(existsSync(dir)).toBe(false);
    const ok = await vx(...base, "--shards", "2", "--image", "img", "--volume-claim", "c");
    expect(ok.code, ok.err).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["merge-job.yaml", "sweep-job.yaml"]);
    expect(ok.out).toContain("kubectl wait --for=condition=complete --timeout=24h job/vx-sweep");
  });
});
