import { existsSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { VxError } from "@vx/core";
import {
  formatTopology,
  LINUX_NODE_SYSFS,
  readNumactlFile,
  readSysfsTopology,
  type Topology,
} from "@vx/numa";
import { type CliIo, ExitCode } from "./io.js";

/** The shape of a `vx` command. */
interface NumaCommand {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
}

/**
 * Builds `vx numa` reading this machine's topology from `sysfsRoot` when no `--from` is given
 * (tests point it elsewhere).
 *
 * @param options - where this machine's NUMA topology is.
 * @returns the command.
 */
export function createNumaCommand(options: { readonly sysfsRoot: string }): NumaCommand {
  return {
    summary: "show a NUMA topology: this machine's, or a sysfs copy or numactl --hardware capture",
    usage: [
      "Usage: vx numa show [--from <sysfs-folder|numactl-file>] [--json]",
      "",
      `Prints a NUMA topology: nodes, their CPUs and memory, the SLIT distances, the idle latencies`,
      `vx derives from them, and the interconnect links. Without --from it reads this machine's`,
      `${options.sysfsRoot}; on a machine without it (not Linux, some containers) it says so.`,
      "",
      "Options:",
      "  --from <path>  a copy of /sys/devices/system/node (a folder) or the text of",
      "                 `numactl --hardware` (a file)",
      "  --json         print the topology as JSON",
      "",
      "Sysfs and numactl do not give memory bandwidth, links or latencies: vx assumes its defaults",
      "and lists them under 'assumed'.",
      "",
      "Example: vx numa show --from host-nodes/",
    ].join("\n"),
    run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { from: { type: "string" }, json: { type: "boolean" } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length !== 1 || positionals[0] !== "show") {
        throw new VxError(
          "VX_CLI_BAD_USAGE",
          `vx numa takes one subcommand, "show"${positionals.length > 0 ? `, got "${positionals.join(" ")}"` : ""}; run \`vx numa --help\`.`,
        );
      }
      const json = values.json === true;
      const from = values.from;
      if (from !== undefined && from === "") {
        throw new VxError(
          "VX_CLI_BAD_USAGE",
          "--from needs a path to a sysfs folder or a numactl file.",
        );
      }
      const source = from ?? options.sysfsRoot;
      if (from === undefined && !existsSync(source)) {
        return noNuma(io, json, source, `${source} does not exist`);
      }
      let topology: Topology;
      try {
        if (from !== undefined && !existsSync(from)) {
          throw new VxError(
            "VX_NUMA_NOT_FOUND",
            `${from} does not exist; give a sysfs folder or a numactl file.`,
            {
              path: ["--from"],
            },
          );
        }
        topology = statSync(source).isDirectory()
          ? readSysfsTopology(source)
          : readNumactlFile(source);
      } catch (error) {
        if (VxError.isInstance(error) && error.code === "VX_NUMA_NO_NUMA_INFO") {
          return noNuma(io, json, source, error.message);
        }
        throw error;
      }
      io.out(json ? `${JSON.stringify(topology, null, 2)}\n` : formatTopology(topology));
      return ExitCode.ok;
    },
  };
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
export const numaCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
} = createNumaCommand({ sysfsRoot: LINUX_NODE_SYSFS });
