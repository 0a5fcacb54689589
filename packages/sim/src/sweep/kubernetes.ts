/**
 * Sweeps on Kubernetes: an Indexed Job (`completionMode: Indexed`) whose pod of index `k` runs
 * shard `k+1/N` of the sweep into a shared volume, and a merge Job to apply once it completes.
 *
 * The manifests follow the Kubernetes API reference for `batch/v1` Job (v1.33): an Indexed Job
 * has `completions` pods, numbered 0 … completions−1 in the `JOB_COMPLETION_INDEX` environment
 * variable (https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode); the
 * pods share the results through a PersistentVolumeClaim (ReadWriteMany when pods land on
 * several nodes); the base scenario travels in a ConfigMap mounted read-only. Kubernetes has no
 * dependency between Jobs: `kubectl wait --for=condition=complete` on the sweep Job, then apply
 * the merge Job (docs/cluster.md). A failed pod is retried (`backoffLimit`) and runs only the
 * points its shard still misses.
 *
 * @module
 */
import { basename, posix } from "node:path";
import { parseBytes, VxError } from "@vx/core";
import { stringify } from "yaml";
import { writeFilesAtomic } from "../report/write.js";
import { checkShards, checkVxCommand, sweepWords } from "./cluster.js";
import type { SweepParam } from "./grid.js";
import { shellQuote } from "./internal/shell.js";
import { prepareSweep } from "./run.js";

/** Defaults of {@link kubernetesManifests}. */
export const KUBERNETES_DEFAULTS: {
  /** Name of the Job (the merge Job adds `-merge`, the ConfigMap `-scenario`). */
  readonly name: string;
  /** Where the results volume is mounted in the pods. */
  readonly mountPath: string;
  /** Where the scenario ConfigMap is mounted in the pods. */
  readonly scenarioMount: string;
  /** CPU request of a pod, and its worker threads (`vx sweep --jobs`). */
  readonly cpu: number;
  /** Pod retries before the Job fails (Kubernetes' own default). */
  readonly backoffLimit: number;
  /** The command that starts vx in the image. */
  readonly vx: string;
} = {
  name: "vx-sweep",
  mountPath: "/data",
  scenarioMount: "/etc/vx",
  cpu: 1,
  backoffLimit: 6,
  vx: "vx",
};

/** Options of {@link kubernetesManifests}. */
export interface KubernetesOptions {
  /** The base scenario file (sent in a ConfigMap), or null for the embedded default. */
  readonly scenarioFile: string | null;
  readonly params: readonly SweepParam[];
  /** Pods (shards) of the Indexed Job (1 ≤ shards ≤ points). */
  readonly shards: number;
  /** A container image with vx in it. */
  readonly image: string;
  /** The PersistentVolumeClaim that holds the results (ReadWriteMany for several nodes). */
  readonly volumeClaim: string;
  /** Output folder in the pods; default `<mountPath>/<name>`. */
  readonly outDir?: string | undefined;
  /** Where the claim is mounted; default {@link KUBERNETES_DEFAULTS}.mountPath. */
  readonly mountPath?: string | undefined;
  /** Where the scenario ConfigMap is mounted; default {@link KUBERNETES_DEFAULTS}.scenarioMount. */
  readonly scenarioMount?: string | undefined;
  /** Job name (a DNS label); default {@link KUBERNETES_DEFAULTS}.name. */
  readonly name?: string | undefined;
  /** Namespace; default the one `kubectl` uses. */
  readonly namespace?: string | undefined;
  /** Pods running at once; default all shards. */
  readonly parallelism?: number | undefined;
  /** CPU request (whole cores, also the worker threads); default 1. */
  readonly cpu?: number | undefined;
  /** Memory request and limit per pod: a size (`2GiB`) or a quantity (`2Gi`); default none. */
  readonly memory?: string | undefined;
  /** Command prefix that starts vx in the image; default `vx`. */
  readonly vx?: string | undefined;
}

/** The manifests of a sweep on Kubernetes, as YAML. */
export interface KubernetesManifests {
  /** The scenario ConfigMap (when there is a scenario file) and the Indexed Job. */
  readonly sweep: string;
  /** The merge Job, to apply once the sweep Job is complete. */
  readonly merge: string;
  /** The Job names. */
  readonly names: { readonly sweep: string; readonly merge: string };
}

function bad(path: string, message: string): VxError {
  return new VxError("VX_SIM_BAD_CLUSTER_OPTION", message, { path: [path] });
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function dnsLabel(path: string, value: string, max: number): string {
  if (value.length > max || !DNS_LABEL.test(value)) {
    throw bad(
      path,
      `--${path} "${value}": use at most ${max} lower-case letters, digits and '-', starting and ending with a letter or digit.`,
    );
  }
  return value;
}

function absolutePath(path: string, value: string): string {
  if (!posix.isAbsolute(value) || /[\r\n]/.test(value)) {
    throw bad(path, `--${path} "${value}": give an absolute path in the pod, e.g. /data/sweep.`);
  }
  return posix.normalize(value);
}

/**
 * A memory request as a Kubernetes quantity: `<n>Ki|Mi|Gi|Ti` is kept; a vx size (`2GiB`) is
 * rounded up to whole MiB (`2048Mi`).
 *
 * @param text - the request.
 * @returns the quantity.
 * @throws {@link @vx/core!VxError} `VX_SIM_BAD_CLUSTER_OPTION` for a bare number, zero, or text
 * that is neither form.
 */
export function kubernetesMemory(text: string): string {
  const t = text.trim();
  if (/^[1-9]\d*(Ki|Mi|Gi|Ti)$/.test(t)) return t;
  if (/^\d+(\.\d+)?$/.test(t))
    throw bad("memory", `--memory "${text}": say the unit (e.g. 2Gi or 2GiB).`);
  let bytes: number;
  try {
    bytes = parseBytes(t, ["memory"]);
  } catch (error) {
    throw bad(
      "memory",
      `--memory "${text}": use a size such as 2GiB or a quantity such as 2Gi. ${(error as Error).message}`,
    );
  }
  if (!(bytes > 0) || !Number.isFinite(bytes))
    throw bad("memory", `--memory "${text}": give more than 0.`);
  return `${Math.ceil(bytes / 2 ** 20)}Mi`;
}

function positiveInt(path: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1)
    throw bad(path, `--${path} ${String(value)}: use an integer ≥ 1.`);
  return value;
}

/**
 * Builds the Kubernetes manifests of a sweep: a ConfigMap with the base scenario, an Indexed Job
 * of `shards` pods (pod `k` runs `vx sweep … --shard k+1/shards` into the shared volume) and a
 * merge Job (`vx sweep merge`). Every point is validated and every option checked first.
 *
 * @param options - the sweep, the image, the volume claim and the Job options.
 * @returns the YAML of the sweep (ConfigMap and Job) and of the merge Job.
 * @throws {@link @vx/core!VxError} for a bad scenario, parameter or point (as `runSweep`), and
 * `VX_SIM_BAD_CLUSTER_OPTION` for a bad option (names, paths, counts, sizes, a scenario file
 * over the ConfigMap limit of 1 MiB).
 * @example
 * ```ts
 * const { sweep, merge } = kubernetesManifests({
 *   scenarioFile: "dc.yaml",
 *   params: [parseParam("seed=1..100")],
 *   shards: 10,
 *   image: "registry.example/vx:0.1.0",
 *   volumeClaim: "vx-results",
 * });
 * ```
 */
export function kubernetesManifests(options: KubernetesOptions): KubernetesManifests {
  const sweep = prepareSweep(options.scenarioFile, options.params);
  checkShards(options.shards, sweep.grid.length);
  const name = dnsLabel("name", options.name ?? KUBERNETES_DEFAULTS.name, 50);
  const namespace =
    options.namespace === undefined ? undefined : dnsLabel("namespace", options.namespace, 63);
  const claim = dnsLabel("volume-claim", options.volumeClaim, 253);
  const image = options.image.trim();
  if (image === "" || /\s/.test(image))
    throw bad(
      "image",
      `--image "${options.image}": give a container image, e.g. registry.example/vx:0.1.0.`,
    );
  const mountPath = absolutePath("mount-path", options.mountPath ?? KUBERNETES_DEFAULTS.mountPath);
  const scenarioMount = absolutePath(
    "scenario-mount",
    options.scenarioMount ?? KUBERNETES_DEFAULTS.scenarioMount,
  );
  const out = absolutePath("out", options.outDir ?? posix.join(mountPath, name));
  const cpu = positiveInt("cpu", options.cpu, KUBERNETES_DEFAULTS.cpu);
  const parallelism = Math.min(
    positiveInt("parallelism", options.parallelism, options.shards),
    options.shards,
  );
  const memory = options.memory === undefined ? undefined : kubernetesMemory(options.memory);
  const vx = checkVxCommand(options.vx ?? KUBERNETES_DEFAULTS.vx);
  const n = options.shards;

  let scenarioPath: string | null = null;
  let configMap: Record<string, unknown> | undefined;
  const configMapName = `${name}-scenario`;
  if (sweep.base.file !== null) {
    const key = basename(sweep.base.file);
    if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
      throw bad(
        "scenario",
        `the scenario file name "${key}" cannot be a ConfigMap key: rename it with letters, digits, '-', '_' and '.'.`,
      );
    }
    if (Buffer.byteLength(sweep.base.text, "utf8") > 1_000_000) {
      throw bad(
        "scenario",
        `${sweep.base.label} is over the 1 MiB a ConfigMap holds; put it on the volume instead.`,
      );
    }
    scenarioPath = posix.join(scenarioMount, key);
    configMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta(configMapName, namespace, name, "scenario"),
      data: { [key]: sweep.base.text },
    };
  }

  const words = sweepWords(sweep, options.params, out, scenarioPath);
  const shardCommand = `exec ${vx} ${words} --shard "$((JOB_COMPLETION_INDEX + 1))/${n}" --jobs ${cpu}`;
  const mergeCommand = `exec ${vx} sweep merge ${shellQuote(out)}`;
  const resources: Record<string, Record<string, string>> = { requests: { cpu: String(cpu) } };
  if (memory !== undefined) {
    resources.requests!.memory = memory;
    resources.limits = { memory };
  }
  const results = { name: "results", persistentVolumeClaim: { claimName: claim } };
  const volumes: Record<string, unknown>[] = [results];
  const mounts: Record<string, unknown>[] = [{ name: "results", mountPath }];
  if (configMap !== undefined) {
    volumes.push({ name: "scenario", configMap: { name: configMapName } });
    mounts.push({ name: "scenario", mountPath: scenarioMount, readOnly: true });
  }
  const job = (
    jobName: string,
    component: string,
    spec: Record<string, unknown>,
    command: string,
    podMounts: Record<string, unknown>[],
    podVolumes: Record<string, unknown>[],
  ): Record<string, unknown> => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta(jobName, namespace, name, component),
    spec: {
      ...spec,
      template: {
        metadata: { labels: labels(name, component) },
        spec: {
          restartPolicy: "Never",
          containers: [
            {
              name: "vx",
              image,
              command: ["/bin/sh", "-c"],
              args: [command],
              resources,
              volumeMounts: podMounts,
            },
          ],
          volumes: podVolumes,
        },
      },
    },
  });
  const sweepJob = job(
    name,
    "sweep",
    {
      completionMode: "Indexed",
      completions: n,
      parallelism,
      backoffLimit: KUBERNETES_DEFAULTS.backoffLimit,
    },
    shardCommand,
    mounts,
    volumes,
  );
  const mergeJob = job(
    `${name}-merge`,
    "merge",
    { completions: 1, backoffLimit: KUBERNETES_DEFAULTS.backoffLimit },
    mergeCommand,
    [{ name: "results", mountPath }],
    [results],
  );
  const header = (what: string): string =>
    `# ${what}\n# Written by \`vx sweep kubernetes\` for a ${sweep.grid.length}-point sweep in ${n} shards.\n`;
  const docs = configMap === undefined ? [sweepJob] : [configMap, sweepJob];
  return {
    sweep:
      header(`kubectl apply -f this file; then kubectl wait --for=condition=complete job/${name}`) +
      docs.map((d) => stringify(d, { lineWidth: 0 })).join("---\n"),
    merge:
      header(`kubectl apply -f this file once job/${name} is complete`) +
      stringify(mergeJob, { lineWidth: 0 }),
    names: { sweep: name, merge: `${name}-merge` },
  };
}

function labels(name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "vx-sweep",
    "app.kubernetes.io/instance": name,
    "app.kubernetes.io/component": component,
  };
}

function meta(
  name: string,
  namespace: string | undefined,
  instance: string,
  component: string,
): Record<string, unknown> {
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    labels: labels(instance, component),
  };
}

/** The files {@link writeKubernetesManifests} writes. */
export const KUBERNETES_FILES: {
  readonly sweep: "sweep-job.yaml";
  readonly merge: "merge-job.yaml";
} = {
  sweep: "sweep-job.yaml",
  merge: "merge-job.yaml",
};

/**
 * Writes the manifests of {@link kubernetesManifests} into a folder (`sweep-job.yaml`,
 * `merge-job.yaml`), atomically.
 *
 * @param dir - the folder (created if missing).
 * @param manifests - the manifests.
 * @returns the absolute paths written.
 * @throws `VxError` `VX_SIM_WRITE_FAILED` when they cannot be written.
 */
export function writeKubernetesManifests(
  dir: string,
  manifests: KubernetesManifests,
): Promise<readonly string[]> {
  return writeFilesAtomic(dir, {
    [KUBERNETES_FILES.sweep]: manifests.sweep,
    [KUBERNETES_FILES.merge]: manifests.merge,
  });
}
