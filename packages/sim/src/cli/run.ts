import { parseArgs } from "node:util";
import { VxError } from "@vx/core";
import { progressBar, shouldShowProgress } from "../report/progress.js";
import { formatSummaryTable } from "../report/summary-table.js";
import { checkReportDir, resultToJson, writeReport } from "../report/write.js";
import { DEFAULT_SCENARIO_YAML, defaultScenario } from "../scenario/default.js";
import { loadScenario } from "../scenario/parse.js";
import { runScenario } from "../scenario/run.js";
import type { CliIo } from "./io.js";

function badFlag(flag: string, message: string): VxError {
  return new VxError("VX_CLI_BAD_FLAG", `--${flag}: ${message}`, { path: [flag] });
}

/** `vx run`: runs a scenario (or the embedded default), prints a summary, writes a report. */
export const runCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => Promise<number>;
} = {
  summary:
    "run a data-center scenario (default: the embedded one) and report energy, migrations, SLA",
  usage: [
    "Usage: vx run [scenario.yaml|json] [--out <dir>] [--json] [--seed <n>]",
    "",
    "Runs the scenario (without a file: the embedded default, a seeded synthetic data center),",
    "prints a summary table, and with --out writes result.json, series.csv, migrations.csv and",
    "report.html (charts as inline SVG, readable offline). A progress bar is drawn on a terminal.",
    "The scenario is checked as `vx validate` checks it, and the output folder is checked before",
    "anything runs.",
    "",
    "Options:",
    "  --out <dir>     write the report files there (atomically)",
    "  --json          print result.json to stdout instead of the table",
    "  --seed <n>      override the scenario's seed",
    "  --print-default print the embedded default scenario (YAML) and exit",
    "",
    "Exit codes: 0 success, 2 bad input (every problem listed), 1 internal failure.",
  ].join("\n"),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        out: { type: "string" },
        json: { type: "boolean" },
        seed: { type: "string" },
        "print-default": { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    if (values["print-default"] === true) {
      io.out(DEFAULT_SCENARIO_YAML);
      return 0;
    }
    if (positionals.length > 1) {
      throw new VxError(
        "VX_CLI_BAD_FLAG",
        `give at most one scenario file, got ${positionals.length}.`,
        { path: ["scenario"] },
      );
    }
    let seed: number | undefined;
    if (values.seed !== undefined) {
      const text = values.seed.trim();
      seed = text === "" ? Number.NaN : Number(text);
      if (!Number.isSafeInteger(seed) || seed < 0) {
        throw badFlag("seed", `"${values.seed}" is not a seed; use a non-negative integer.`);
      }
    }
    // A bad --out ("" included) fails now, not after the run.
    if (values.out !== undefined) checkReportDir(values.out);
    const file = positionals[0];
    const base = file === undefined ? defaultScenario() : loadScenario(file);
    const scenario = seed === undefined ? base : { ...base, seed };
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
    if (values.json === true) io.out(resultToJson(result));
    else {
      io.out(`${formatSummaryTable(result)}\n`);
      for (const table of tables) io.out(`\n${table}\n`);
    }
    if (values.out !== undefined) {
      const files = await writeReport(values.out, result);
      (values.json === true ? io.err : io.out)(`wrote ${files.join(", ")}\n`);
    }
    return 0;
  },
};
