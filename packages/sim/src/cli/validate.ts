import { VxError } from "@vx/core";
import { formatScenarioIssue, isScenarioIssue, loadScenario } from "../scenario/parse.js";
import { summariseScenario } from "../scenario/summary.js";
import { type CliCommand, defineCommand } from "./command.js";
import { ExitCode } from "./io.js";

/** `vx validate`: checks scenario files and lists every problem with its line, in one go. */
export const validateCommand: CliCommand<number> = defineCommand({
  name: "validate",
  summary: "check scenario files and list every problem with its path and line",
  description: [
    "Checks each scenario file without running it: types, units, ranges and unknown keys; that",
    "referenced host and VM types exist; that every VM type fits some host type; step ≤ duration;",
    "that trace folders and CSV files exist (relative to the scenario file).",
    "",
    "Prints `ok  <file>  <summary>` for a valid file, else every problem, one per line:",
    "  <file>:<line>:<column>  <path>  <message>",
    "and exits 2 when any file has a problem.",
  ].join("\n"),
  positionals: [
    {
      name: "scenario",
      description: "a scenario file (.yaml, .yml or .json)",
      variadic: true,
    },
  ],
  options: {
    json: {
      kind: "boolean",
      description: "print a JSON array of { file, ok, summary | issues } instead",
    },
  },
  examples: ["vx validate examples/scenarios/planetlab-20110303.yaml"],
  run({ options, positionals }, io) {
    const reports = positionals.map((file) => check(file));
    if (options.json) {
      io.out(`${JSON.stringify(reports, null, 2)}\n`);
    } else {
      for (const report of reports) {
        if (report.ok) io.out(`ok  ${report.file}  ${report.summary}\n`);
        else for (const line of report.lines) io.err(`${line}\n`);
      }
    }
    return reports.every((r) => r.ok) ? ExitCode.ok : ExitCode.badInput;
  },
});

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
