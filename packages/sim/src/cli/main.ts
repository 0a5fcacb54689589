import { parseArgs } from "node:util";
import { VxError } from "@vx/core";
import { formatScenarioIssue, isScenarioIssue } from "../scenario/parse.js";
import { VERSION } from "../version.js";
import { type CliIo, ExitCode } from "./io.js";
import { migrateCommand } from "./migrate.js";
import { numaCommand } from "./numa.js";
import { pvmCommand } from "./pvm.js";
import { runCommand } from "./run.js";
import { schemaCommand } from "./schema.js";
import { streamCommand } from "./stream.js";
import { sweepCommand } from "./sweep.js";
import { unitsCommand } from "./units.js";
import { validateCommand } from "./validate.js";

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number> | number;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  sweep: sweepCommand,
  validate: validateCommand,
  schema: schemaCommand,
  migrate: migrateCommand,
  numa: numaCommand,
  pvm: pvmCommand,
  stream: streamCommand,
  units: unitsCommand,
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    `vx ${VERSION}: a simulator of data-center virtualization`,
    "",
    "Usage: vx <command> [options]",
    "",
    "Commands:",
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`),
    "",
    "Options:",
    "  -h, --help     show this help (or a command's: vx <command> --help)",
    "  -v, --version  print the version",
    "",
    "Exit codes: 0 success, 1 internal failure, 2 bad input (with a one-line reason).",
    "",
  ].join("\n");
}

/**
 * Runs the `vx` command line in-process.
 *
 * @param argv - the arguments after the program name.
 * @param io - where to write output and diagnostics.
 * @returns the exit code: 0 success, 1 internal failure, 2 bad input.
 * @example
 * ```ts
 * const code = await runCli(["units", "64GiB"], { out: console.log, err: console.error });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const first = argv[0];
    if (first === undefined || first === "-h" || first === "--help" || first === "help") {
      io.out(usage());
      return ExitCode.ok;
    }
    if (first === "-v" || first === "--version") {
      io.out(`${VERSION}\n`);
      return ExitCode.ok;
    }
    if (first.startsWith("-")) {
      // Only global flags may come before the command.
      parseArgs({
        args: [first],
        options: {
          help: { type: "boolean", short: "h" },
          version: { type: "boolean", short: "v" },
        },
        strict: true,
      });
    }
    const command = COMMANDS[first];
    if (command === undefined) {
      throw new VxError(
        "VX_CLI_UNKNOWN_COMMAND",
        `unknown command "${first}"; run \`vx --help\` to list the commands (${Object.keys(COMMANDS).join(", ")}).`,
      );
    }
    const rest = argv.slice(1);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(`${command.usage}\n`);
      return ExitCode.ok;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, io);
  }
}

/** Maps an error to an exit code and a message on stderr. */
function report(error: unknown, io: CliIo): number {
  if (VxError.isInstance(error)) {
    const first = error.issues[0];
    if (error.issues.length > 1 || (first !== undefined && isScenarioIssue(first))) {
      // Problems in a file: say how many, then one `file:line:col  path  message` line each.
      const n = error.issues.length;
      io.err(`vx: ${n} ${n === 1 ? "problem" : "problems"} [${error.code}]\n`);
      for (const issue of error.issues) io.err(`  ${formatScenarioIssue(issue)}\n`);
    } else {
      io.err(`vx: ${oneLine(error.message)} [${error.code}]\n`);
    }
    return ExitCode.badInput;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
    io.err(`vx: ${oneLine((error as Error).message)}; run \`vx --help\`.\n`);
    return ExitCode.badInput;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`vx: internal error (please report it with the command you ran):\n${detail}\n`);
  return ExitCode.internal;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, "; ");
}
