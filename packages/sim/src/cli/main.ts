/**
 * The top level of `vx`: picks the command, prints the help and version, and turns every error
 * into an exit code and lines on stderr (`vx <command>: --flag: message [CODE]`).
 *
 * @module
 */

import { closestMatch, formatPath, VxError, type VxIssue } from "@vx/core";
import { formatScenarioIssue, isScenarioIssue } from "../scenario/parse.js";
import { VERSION } from "../version.js";
import { type CliCommand, flagMessage, unknownFlagIssue } from "./command.js";
import { type CliIo, ExitCode } from "./io.js";
import { migrateCommand } from "./migrate.js";
import { numaCommand } from "./numa.js";
import { pvmCommand } from "./pvm.js";
import { runCommand } from "./run.js";
import { schemaCommand } from "./schema.js";
import { streamCommand } from "./stream.js";
import { sweepCommand } from "./sweep.js";
import { unitsCommand } from "./units.js";
import { upgradeCommand } from "./upgrade.js";
import { validateCommand } from "./validate.js";

/** Every command, each declared with `defineCommand` (`cli/command.ts`). */
const COMMANDS: Readonly<Record<string, CliCommand>> = {
  run: runCommand,
  sweep: sweepCommand,
  validate: validateCommand,
  schema: schemaCommand,
  migrate: migrateCommand,
  numa: numaCommand,
  pvm: pvmCommand,
  stream: streamCommand,
  units: unitsCommand,
  upgrade: upgradeCommand,
};

/** The flags `vx` itself takes, before any command. */
const TOP_FLAGS = ["--help", "-h", "--version", "-v"] as const;

function usage(): string {
  const names = Object.keys(COMMANDS);
  let width = 0;
  for (const n of names) width = Math.max(width, n.length);
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
    "Exit codes: 0 success, 1 internal failure, 2 bad input (one line per problem, with its code).",
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
  let name = "";
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
      // Only the global flags may come before the command.
      const flag = first.split("=", 1)[0]!;
      throw issuesError([unknownFlagIssue(flag, TOP_FLAGS, "")]);
    }
    const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
    if (command === undefined) {
      const near = closestMatch(first, Object.keys(COMMANDS));
      throw new VxError(
        "VX_CLI_UNKNOWN_COMMAND",
        `unknown command "${first}"${near === undefined ? "" : `; did you mean ${near}?`} ` +
          `(run \`vx --help\` to list the commands: ${Object.keys(COMMANDS).join(", ")})`,
      );
    }
    name = first;
    return await command.run(argv.slice(1), io);
  } catch (error) {
    return report(error, name, io);
  }
}

function issuesError(issues: readonly VxIssue[]): VxError {
  const first = issues[0]!;
  return new VxError(first.code, first.message, { path: first.path, issues });
}

/** Maps an error to an exit code and lines on stderr. */
function report(error: unknown, command: string, io: CliIo): number {
  const who = command === "" ? "vx" : `vx ${command}`;
  if (VxError.isInstance(error)) {
    const first = error.issues[0];
    if (first !== undefined && isScenarioIssue(first)) {
      // Problems in a file: say how many, then one `file:line:col  path  message` line each.
      const n = error.issues.length;
      io.err(`${who}: ${n} ${n === 1 ? "problem" : "problems"} [${error.code}]\n`);
      for (const issue of error.issues) io.err(`  ${formatScenarioIssue(issue)}\n`);
    } else {
      for (const issue of error.issues) io.err(`${who}: ${issueLine(issue)} [${issue.code}]\n`);
    }
    return ExitCode.badInput;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.err(`${who}: internal error (please report it with the command you ran):\n${detail}\n`);
  return ExitCode.internal;
}

/**
 * One issue as a line: `--flag: message` for a flag (once, even when the message already names
 * it), `path: message` for another field, the message alone for the input as a whole.
 */
function issueLine(issue: VxIssue): string {
  const message = oneLine(issue.message);
  const head = issue.path[0];
  if (head === undefined) return message;
  if (typeof head === "string" && head.startsWith("-")) {
    const flag = head;
    const bare = message.startsWith(`${flag}: `) ? message.slice(flag.length + 2) : message;
    return `${flag}: ${flagMessage(bare)}`;
  }
  // A message that starts with a flag or its own field (a file name) already says where it is.
  if (message.startsWith("-") || message.startsWith(String(head))) return message;
  return `${formatPath(issue.path)}: ${message}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, "; ");
}
