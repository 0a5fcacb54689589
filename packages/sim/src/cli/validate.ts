import { parseArgs } from "node:util";
import { VxError } from "@vx/core";
import { formatScenarioIssue, isScenarioIssue, loadScenario } from "../scenario/parse.js";
import { summariseScenario } from "../scenario/summary.js";
import { type CliIo, ExitCode } from "./io.js";

/** `vx validate`: checks scenario files and lists every problem with its line, in one go. */
export const validateCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
} = {
  summary: "check scenario files and list every problem with its path and line",
  usage: [
    "Usage: vx validate <scenario.yaml|json>... [--json]",
    "",
    "Checks each scenario file without running it: types, units, ranges and unknown keys; that",
    "referenced host and VM types exist; that every VM type fits some host type; step ≤ duration;",
    "that trace folders and CSV files exist (relative to the scenario file).",
    "",
    "Prints `ok  <file>  <summary>` for a valid file, else every problem, one per line:",
    "  <file>:<line>:<column>  <path>  <message>",
    "and exits 2 when any file has a problem.",
    "",
    "Options:",
    "  --json   print a JSON array of { file, ok, summary | issues } instead",
    "",
    "Example: vx validate examples/scenarios/planetlab-20110303.yaml",
  ].join("\n"),
  run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) {
      io.err("vx validate: give a scenario file, e.g. `vx validate scenario.yaml`.\n");
      return ExitCode.badInput;
    }
    const reports = positionals.map((file) => check(file));
    if (values.json === true) {
      io.out(`${JSON.stringify(reports, null, 2)}\n`);
    } else {
      for (const report of reports) {
        if (report.ok) io.out(`ok  ${report.file}  ${report.summary}\n`);
        else for (const line of report.lines) io.err(`${line}\n`);
      }
    }
    return reports.every((r) => r.ok) ? ExitCode.ok : ExitCode.badInput;
  },
};

type Report =
  | { readonly file: string; readonly ok: true; readonly summary: string }
  | {
      readonly file: string;
      readonly ok: false;
      readonly issues: readonly unknown[];
      /** Not serialised: the text form. */
      readonly lines: readonly string[];
    };

function check(file: string): Report {
  try {
    return { file, ok: true, summary: summariseScenario(loadScenario(file)) };
  } catch (error) {
    if (!VxError.isInstance(error)) throw error;
    const located = error.issues.every(isScenarioIssue);
    const lines = located
      ? error.issues.map(formatScenarioIssue)
      : [`${file}  ${error.message.replace(/\s*\n\s*/g, "; ")} [${error.code}]`];
    const issues = error.issues.map((issue) => ({ ...issue }));
    const report = { file, ok: false as const, issues, lines };
    // Keep `lines` out of the JSON output.
    Object.defineProperty(report, "lines", { enumerable: false });
    return report;
  }
}
