import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  formatTable,
  parseQuantity,
} from "@vx/core";
import { type CliCommand, defineCommand } from "./command.js";
import { ExitCode } from "./io.js";

const BASE_UNIT = { bytes: "B", rate: "B/s", duration: "s", percent: "(fraction)" } as const;

/** `vx units`: reads human quantities the way scenario files and flags do, and shows their value. */
export const unitsCommand: CliCommand<number> = defineCommand({
  name: "units",
  summary: "read quantities as vx does (64GiB, 10Gbps, 300ms, 5%) and show them in base units",
  description: [
    "Reads each quantity with the parser that scenario files and flags use, and prints its kind,",
    "its value in base units (bytes, bytes/s, seconds, fraction) and a formatted form.",
  ].join("\n"),
  positionals: [
    {
      name: "quantity",
      description: "a size (64GiB), rate (10Gbps, 128MiB/s), duration (300ms) or percentage (5%)",
      variadic: true,
    },
  ],
  options: {
    json: { kind: "boolean", description: "print a JSON array instead of a table" },
  },
  examples: ["vx units 64GiB 10Gbps 128MiB/s 300ms 5%"],
  run({ options, positionals }, io) {
    // Parse everything first: bad input fails before anything is printed.
    const rows = positionals.map((text) => {
      const q = parseQuantity(text);
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
    if (options.json) {
      io.out(`${JSON.stringify(rows, null, 2)}\n`);
      return ExitCode.ok;
    }
    const table = [["input", "kind", "value", "unit", "formatted"]].concat(
      rows.map((r) => [r.input, r.kind, String(r.value), r.unit, r.formatted]),
    );
    io.out(`${formatTable(table, { align: "left" })}\n`);
    return ExitCode.ok;
  },
});
