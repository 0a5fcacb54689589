import { existsSync, statSync } from "node:fs";
import { formatRate, VxError } from "@vx/core";
import { formatTopology, type ImportOptions, TOPOLOGY_DEFAULTS, type Topology } from "@vx/numa";
import { LINUX_NODE_SYSFS, readNumactlFile, readSysfsTopology } from "@vx/numa/node";
import { type CliCommand, defineCommand } from "./command.js";
import { type CliIo, ExitCode } from "./io.js";

/**
 * Builds `vx numa` reading this machine's topology from `sysfsRoot` when no `--from` is given
 * (tests point it elsewhere).
 *
 * @param options - where this machine's NUMA topology is.
 * @returns the command.
 * @example
 * ```ts
 * const command = createNumaCommand({ sysfsRoot: "fixtures/sysfs-2node" });
 * command.run(["show"], { out: console.log, err: console.error });
 * ```
 */
export function createNumaCommand(options: { readonly sysfsRoot: string }): CliCommand<number> {
  return defineCommand({
    name: "numa",
    summary: "show a NUMA topology: this machine's, or a sysfs copy or numactl --hardware capture",
    description: [
      "Prints a NUMA topology: nodes, their CPUs and memory, the SLIT distances, the idle latencies",
      "vx derives from them, and the interconnect links. Without --from it reads this machine's",
      `${options.sysfsRoot}; on a machine without it (not Linux, some containers) it says so and`,
      "exits 0. A --from that holds no topology (an empty folder) is bad input: exit 2.",
    ].join("\n"),
    positionals: [{ name: "subcommand", description: "what to do", values: ["show"] }],
    options: {
      from: {
        kind: "string",
        placeholder: "<path>",
        description:
          "a copy of /sys/devices/system/node (a folder) or the text of `numactl --hardware` (a file)",
        defaultText: `this machine's ${options.sysfsRoot}`,
      },
      json: { kind: "boolean", description: "print the topology as JSON" },
      "memory-bandwidth": {
        kind: "rate",
        allowZero: false,
        default: TOPOLOGY_DEFAULTS.memoryBandwidthBytesPerSecond,
        defaultText: bytesPerSecond(TOPOLOGY_DEFAULTS.memoryBandwidthBytesPerSecond),
        description: "local memory bandwidth of every node",
      },
      "link-bandwidth": {
        kind: "rate",
        allowZero: false,
        default: TOPOLOGY_DEFAULTS.linkBytesPerSecond,
        defaultText: bytesPerSecond(TOPOLOGY_DEFAULTS.linkBytesPerSecond),
        description: "bandwidth of each link of the (assumed) full mesh, each way",
      },
      "local-latency": {
        kind: "duration",
        allowZero: false,
        default: TOPOLOGY_DEFAULTS.localLatencySeconds,
        description: "idle latency of local memory; remote ones follow from the SLIT",
      },
    },
    notes: [
      "Sysfs and numactl do not give memory bandwidth, links or latencies: vx assumes the defaults",
      "above (sources in @vx/numa's TOPOLOGY_DEFAULTS) unless you give them, and lists the assumed",
      "ones under 'assumed'.",
    ].join("\n"),
    examples: [
      "vx numa show",
      "vx numa show --from host-nodes/ --json",
      "vx numa show --from numactl.txt --memory-bandwidth 100GB/s",
    ],
    run({ options: values, given }, io) {
      const json = values.json;
      const from = values.from;
      // Only figures given on the command line replace the defaults (which stay listed as assumed).
      const figures: ImportOptions = {
        ...(given.has("memory-bandwidth") ? { memoryBandwidth: values["memory-bandwidth"] } : {}),
        ...(given.has("link-bandwidth") ? { linkBandwidth: values["link-bandwidth"] } : {}),
        ...(given.has("local-latency") ? { localLatency: values["local-latency"] } : {}),
      };
      if (from === undefined) {
        const source = options.sysfsRoot;
        if (!existsSync(source)) return noNuma(io, json, source, `${source} does not exist`);
        try {
          return show(io, json, readSysfsTopology(source, figures));
        } catch (error) {
          if (VxError.isInstance(error) && error.code === "VX_NUMA_NO_NUMA_INFO") {
            return noNuma(io, json, source, error.message);
          }
          throw error;
        }
      }
      if (!existsSync(from)) {
        throw new VxError(
          "VX_NUMA_NOT_FOUND",
          `${from} does not exist; give a sysfs folder or a numactl file.`,
          { path: ["--from"] },
        );
      }
      if (statSync(from).isDirectory()) {
        try {
          return show(io, json, readSysfsTopology(from, figures));
        } catch (error) {
          if (VxError.isInstance(error) && error.code === "VX_NUMA_NO_NUMA_INFO") {
            // A folder given on purpose that holds no node<N> folder is not a topology.
            throw new VxError(
              "VX_NUMA_NO_NUMA_INFO",
              `${from} holds no node<N> folder, so it is not a copy of ${LINUX_NODE_SYSFS}; copy one with \`cp -rL ${LINUX_NODE_SYSFS} host-nodes\`, or give a \`numactl --hardware\` capture.`,
              { path: ["--from"] },
            );
          }
          throw error;
        }
      }
      try {
        return show(io, json, readNumactlFile(from, figures));
      } catch (error) {
        // A capture of a machine without NUMA ("No NUMA available on this system") is an answer.
        if (VxError.isInstance(error) && error.code === "VX_NUMA_NO_NUMA_INFO") {
          return noNuma(io, json, from, error.message);
        }
        throw error;
      }
    },
  });
}

function bytesPerSecond(rate: number): string {
  return formatRate(rate, { bits: false, binary: false });
}

function show(io: CliIo, json: boolean, topology: Topology): number {
  io.out(json ? `${JSON.stringify(topology, null, 2)}\n` : formatTopology(topology));
  return ExitCode.ok;
}

function noNuma(io: CliIo, json: boolean, source: string, why: string): number {
  const message =
    `No NUMA information: ${why}. Linux lists NUMA nodes as node<N> folders of ${LINUX_NODE_SYSFS} ` +
    "(with cpulist, meminfo and distance in each); this machine or capture has none. " +
    "Point vx at a capture with --from <sysfs-folder|numactl-file>.";
  io.out(
    json ? `${JSON.stringify({ available: false, source, message }, null, 2)}\n` : `${message}\n`,
  );
  return ExitCode.ok;
}

/** `vx numa`: shows a NUMA topology (this machine's by default). */
export const numaCommand: CliCommand<number> = createNumaCommand({ sysfsRoot: LINUX_NODE_SYSFS });
