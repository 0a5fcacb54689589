import { progressBar, shouldShowProgress } from "../report/progress.js";
import { formatSummaryTable } from "../report/summary-table.js";
import { checkReportDir, resultToJson, writeReport } from "../report/write.js";
import { DEFAULT_SCENARIO_YAML, defaultScenario } from "../scenario/default.js";
import { loadScenario } from "../scenario/parse.js";
import { runScenario } from "../scenario/run.js";
import { type CliCommand, defineCommand } from "./command.js";
import { ExitCode } from "./io.js";

/** `vx run`: runs a scenario (or the embedded default), prints a summary, writes a report. */
export const runCommand: CliCommand = defineCommand({
  name: "run",
  summary:
    "run a data-center scenario (default: the embedded one) and report energy, migrations, SLA",
  description: [
    "Runs the scenario (without a file: the embedded default, a seeded synthetic data center),",
    "prints a summary table, and with --out writes result.json, series.csv, migrations.csv and",
    "report.html (charts as inline SVG, readable offline). A progress bar is drawn on a terminal.",
    "The scenario is checked as `vx validate` checks it, and the output folder is checked before",
    "anything runs.",
  ].join("\n"),
  positionals: [
    {
      name: "scenario",
      description: "a scenario file (.yaml, .yml or .json); without it, the embedded default",
      optional: true,
    },
  ],
  options: {
    out: {
      kind: "string",
      placeholder: "<dir>",
      allowEmpty: true,
      description: "write the report files there (atomically)",
    },
    json: { kind: "boolean", description: "print result.json to stdout instead of the table" },
    seed: {
      kind: "integer",
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
      defaultText: "the scenario's",
      description: "override the scenario's seed",
    },
    "print-default": {
      kind: "boolean",
      description: "print the embedded default scenario (YAML) and exit",
    },
  },
  notes: "Exit codes: 0 success, 2 bad input (every problem listed), 1 internal failure.",
  examples: [
    "vx run --out out/default",
    "vx run examples/scenarios/planetlab-20110303.yaml --seed 7 --json",
  ],
  async run({ options, positionals }, io) {
    if (options["print-default"]) {
      io.out(DEFAULT_SCENARIO_YAML);
      return ExitCode.ok;
    }
    // A bad --out fails now, not after the run.
    if (options.out !== undefined) checkReportDir(options.out);
    const file = positionals[0];
    const base = file === undefined ? defaultScenario() : loadScenario(file);
    const scenario = options.seed === undefined ? base : { ...base, seed: options.seed };
    const showProgress = shouldShowProgress(io.errIsTTY, io.env ?? {});
    let drawn = -1;
    const { result, tables } = runScenario(scenario, {
      onProgress: (fraction) => {
        if (!showProgress) return;
        const percent = Math.floor(fraction * 100);
        if (percent === drawn) return;
        drawn = percent;
        io.err(`\r${progressBar(fraction, { label: scenario.name })}`);
      },
    });
    if (showProgress) io.err("\n");
    if (options.json) io.out(resultToJson(result));
    else {
      io.out(`${formatSummaryTable(result)}\n`);
      for (const table of tables) io.out(`\n${table}\n`);
    }
    if (options.out !== undefined) {
      const files = await writeReport(options.out, result);
      (options.json ? io.err : io.out)(`wrote ${files.join(", ")}\n`);
    }
    return ExitCode.ok;
  },
});
