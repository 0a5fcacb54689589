/**
 * Running pVM sizing scenarios: one policy ({@link simulatePvm}) or the ones a scenario asks for
 * ({@link comparePvmPolicies}), after validating everything against the host.
 *
 * @module
 */

import { parseWith, VxError, type VxPath } from "@vx/core";
import { createTopology, presetTopology, type Topology, type TopologySpec } from "@vx/numa";
import {
  type PvmScenario,
  type PvmScenarioInput,
  pvmScenarioSectionSchema,
  type TopologySource,
} from "./config.js";
import { runPvm } from "./internal/engine.js";
import type { PvmComparison, PvmPolicy, PvmRunResult } from "./result.js";

/**
 * Reads a host captured from Linux: a copy of sysfs's node folders or a `numactl --hardware` file.
 * `nodeTopologyReader` of `@vx/pvm/node` reads them from disk; the main entry reads no file, so it
 * runs in a browser.
 */
export type TopologyFileReader = (
  source: { readonly sysfs: string } | { readonly numactl: string },
  path: VxPath,
) => Topology;

/** Options of {@link simulatePvm} and {@link comparePvmPolicies}. */
export interface PvmRunOptions {
  /** Path of the section in a larger input (e.g. `["numa"]` in a scenario file), prefixed to error paths. */
  readonly path?: VxPath;
  /**
   * Reads `{ sysfs }` and `{ numactl }` topologies (`nodeTopologyReader` of `@vx/pvm/node` in
   * Node). Default none: such a topology is refused with `VX_PVM_NO_TOPOLOGY_READER`.
   */
  readonly readTopology?: TopologyFileReader;
}

function bad(path: VxPath, message: string): never {
  throw new VxError("VX_PVM_BAD_SCENARIO", message, { path });
}

/**
 * The host of a scenario: a preset, an inline spec, or a Linux capture.
 *
 * @param source - preset name, spec, `{ sysfs: folder }` or `{ numactl: file }`.
 * @param path - where the source sits in the input, for errors.
 * @param readFile - reads `{ sysfs }` and `{ numactl }` sources (`nodeTopologyReader` of
 *   `@vx/pvm/node`); default none.
 * @returns the topology.
 * @throws {@link @vx/core!VxError} from the numa package (`VX_NUMA_UNKNOWN_PRESET`, `VX_NUMA_BAD_TOPOLOGY`,
 *   `VX_NUMA_BAD_SYSFS`, `VX_NUMA_BAD_NUMACTL`, `VX_NUMA_NOT_FOUND`, …);
 *   `VX_PVM_NO_TOPOLOGY_READER` (path `[...path, "sysfs"]` or `[...path, "numactl"]`) for a
 *   captured host without `readFile`.
 * @example
 * ```ts
 * resolveTopology("8-node-epyc").nodes.length; // 8
 * ```
 */
export function resolveTopology(
  source: TopologySource,
  path: VxPath = ["topology"],
  readFile?: TopologyFileReader,
): Topology {
  if (typeof source === "string") {
    try {
      return presetTopology(source);
    } catch (error) {
      if (VxError.isInstance(error)) throw new VxError(error.code, error.message, { path });
      throw error;
    }
  }
  if ("sysfs" in source || "numactl" in source) {
    const key = "sysfs" in source ? "sysfs" : "numactl";
    if (readFile === undefined) {
      throw new VxError(
        "VX_PVM_NO_TOPOLOGY_READER",
        `a host read from a ${key} capture needs a file reader, and none was given; in Node pass \`readTopology: nodeTopologyReader\` (from @vx/pvm/node), elsewhere give the topology inline or as a preset.`,
        { path: [...path, key] },
      );
    }
    return readFile(source, path);
  }
  return createTopology(source as TopologySpec, { path });
}

/** Checks what the schema cannot: node indices against the host, sizes against its nodes. */
function checkAgainstHost(scenario: PvmScenario, topology: Topology, path: VxPath): void {
  const n = topology.nodes.length;
  const at = (...p: (string | number)[]): VxPath => [...path, ...p];
  const node = (value: number, where: VxPath): void => {
    if (value >= n)
      bad(where, `expected a node index 0–${n - 1} of host "${topology.name}", got ${value}.`);
  };
  scenario.guests.forEach((g, i) => {
    if (g.node !== "spread") node(g.node, at("guests", i, "node"));
    const d = g.demand;
    if (d.kind === "random" && d.min > d.max)
      bad(at("guests", i, "demand", "min"), `min (${d.min}) is above max (${d.max}).`);
  });
  const p = scenario.pvm;
  node(p.homeNode, at("pvm", "homeNode"));
  node(p.nicNode, at("pvm", "nicNode"));
  node(p.storageNode, at("pvm", "storageNode"));
  node(p.static.memoryNode, at("pvm", "static", "memoryNode"));
  p.static.nodes.forEach((m, k) => {
    node(m, at("pvm", "static", "nodes", k));
  });
  const staticCpus = [...new Set(p.static.nodes)].reduce(
    (s, m) => s + topology.nodes[m]!.cpus.length,
    0,
  );
  if (p.static.vcpus > staticCpus) {
    bad(
      at("pvm", "static", "vcpus"),
      `${p.static.vcpus} pinned vCPUs do not fit on the ${staticCpus} CPUs of nodes ${p.static.nodes.join(", ")}.`,
    );
  }
  if (p.closer.minHomeVcpus > topology.nodes[p.homeNode]!.cpus.length) {
    bad(
      at("pvm", "closer", "minHomeVcpus"),
      `node ${p.homeNode} has only ${topology.nodes[p.homeNode]!.cpus.length} CPUs.`,
    );
  }
  if (scenario.sampleSeconds < scenario.stepSeconds) {
    bad(
      at("sample"),
      `the sample interval (${scenario.sampleSeconds} s) is shorter than the step (${scenario.stepSeconds} s).`,
    );
  }
  if (scenario.durationSeconds / scenario.stepSeconds > 1e7) {
    bad(at("step"), "more than 10 million steps; use a longer step or a shorter duration.");
  }
}

function prepare(
  config: PvmScenario | PvmScenarioInput,
  options: PvmRunOptions,
): { scenario: PvmScenario; topology: Topology; path: VxPath } {
  const path = options.path ?? [];
  const scenario =
    typeof config === "object" && config !== null && "durationSeconds" in config
      ? (config as PvmScenario)
      : parseWith(pvmScenarioSectionSchema, config, {
          code: "VX_PVM_BAD_SCENARIO",
          what: "pVM scenario",
          path,
        });
  const topology = resolveTopology(scenario.topology, [...path, "topology"], options.readTopology);
  checkAgainstHost(scenario, topology, path);
  return { scenario, topology, path };
}

/**
 * Runs one pVM policy over a scenario: guests with I/O demand over time on a NUMA host, their
 * backend work served by a static pVM or by Closer.
 *
 * Use it to study one policy; {@link comparePvmPolicies} runs the ones the scenario names.
 * Everything is validated before the run; what goes wrong inside the simulated world (a static
 * pVM too small for its buffers, a saturated memory controller) is reported in the result.
 *
 * @param config - the scenario: input form (validated with {@link pvmScenarioSectionSchema}) or an
 *   already validated {@link PvmScenario} (recognised by its `durationSeconds`).
 * @param policy - `static` or `closer`.
 * @param options - a path prefix for errors.
 * @returns summary, series, per-guest figures and the pVM's pages per node (plain JSON).
 * @throws {@link @vx/core!VxError} `VX_PVM_BAD_SCENARIO` listing every invalid field (with its path) or a
 *   node index the host does not have; `VX_PVM_DOES_NOT_FIT` when the guests or the static pVM do
 *   not fit on the host; topology errors from @vx/numa.
 * @example
 * ```ts
 * const r = simulatePvm({ topology: "2-socket", duration: "2s", guests: [{ node: 1, network: { rate: "10Gbps" } }] }, "closer");
 * r.summary.remoteAccessFraction; // ≈ 0: backend and buffers on the guest's node
 * ```
 */
export function simulatePvm(
  config: PvmScenario | PvmScenarioInput,
  policy: PvmPolicy,
  options: PvmRunOptions = {},
): PvmRunResult {
  if (policy !== "static" && policy !== "closer") {
    throw new VxError(
      "VX_PVM_BAD_POLICY",
      `unknown pVM policy ${JSON.stringify(policy)}; use "static" or "closer".`,
      {
        path: ["policy"],
      },
    );
  }
  const { scenario, topology, path } = prepare(config, options);
  return runPvm({ scenario, topology, policy, path });
}

/**
 * Runs the policies a scenario names (`pvm.policy`: `static`, `closer` or `both`, the default)
 * and returns one plain-JSON result per policy, static first.
 *
 * This is the entry point for `vx run`: register {@link pvmScenarioSectionSchema} as the `numa`
 * section and pass the validated section here (with `path: ["numa"]` for error paths).
 *
 * @param config - the scenario, input form or validated.
 * @param options - a path prefix for errors.
 * @returns the host, guest count, duration and one {@link PvmRunResult} per policy.
 * @throws {@link @vx/core!VxError} as {@link simulatePvm}.
 * @example
 * ```ts
 * const { results } = comparePvmPolicies({
 *   topology: "2-socket",
 *   guests: [{ count: 40, node: "spread", network: { rate: "2Gbps" } }],
 * });
 * results.map((r) => [r.summary.policy, r.summary.throughputBytesPerSecond]);
 * ```
 */
export function comparePvmPolicies(
  config: PvmScenario | PvmScenarioInput,
  options: PvmRunOptions = {},
): PvmComparison {
  const { scenario, topology, path } = prepare(config, options);
  const policies: PvmPolicy[] =
    scenario.pvm.policy === "both" ? ["static", "closer"] : [scenario.pvm.policy];
  const results = policies.map((policy) => runPvm({ scenario, topology, policy, path }));
  return {
    topology: topology.name,
    guests: results[0]!.summary.guests,
    simulatedSeconds: results[0]!.summary.simulatedSeconds,
    results,
  };
}
