import { parseArgs } from "node:util";
import { formatBytes, formatDuration, formatPercent, formatRate, parseQuantity } from "@vx/core";
import { type CliIo, ExitCode } from "./io.js";

const BASE_UNIT = { bytes: "B", rate: "B/s", duration: "s", percent: "(fraction)" } as const;

/** `vx units`: reads human quantities the way scenario files and flags do, and shows their value. */
export const unitsCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
} = {
  summary: "read quantities as vx does (64GiB, 10Gbps, 300ms, 5%) and show them in base units",
  usage: [
    "Usage: vx units <quantity>... [--json]",
    "",
    "Reads each quantity with the parser that scenario files and flags use, and prints its kind,",
    "its value in base units (bytes, bytes/s, seconds, fraction) and a formatted form.",
    "",
    "Options:",
    "  --json   print a JSON array instead of a table",
    "",
    "Example: vx units 64GiB 10Gbps 128MiB/s 300ms 5%",
  ].join("\n"),
  run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) {
      io.err("vx units: give at least one quantity, e.g. `vx units 64GiB 10Gbps`.\n");
      return ExitCode.badInput;
    }
    // Parse everything first: bad input fails before anything is printed.
    const rows = positionals.map((text, i) => {
      const q = parseQuantity(text, ["quantities", i]);
      const formatted =
        q.kind === "bytes"
          ? formatBytes(q.value)
          : q.kind === "rate"
            ? `${formatRate(q.value)} = ${formatRate(q.value, { bits: false })}`
            : q.kind === "duration"
              ? formatDuration(q.value)
              : formatPercent(q.value);
      return { input: text, kind: q.kind, value: q.value, unit: BASE_UNIT[q.kind], formatted };
    });
    if (values.json === true) {
      io.out(`${JSON.stringify(rows, null, 2)}\n`);
      return ExitCode.ok;
    }
    const table = [["input", "kind", "value", "unit", "formatted"]].concat(
      rows.map((r) => [r.input, r.kind, String(r.value), r.unit, r.formatted]),
    );
    const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
    for (const row of table)
      io.out(
        `${row
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join("  ")
          .trimEnd()}\n`,
      );
    return ExitCode.ok;
  },
};
