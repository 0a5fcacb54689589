import { parseArgs } from "node:util";
import { scenarioJsonSchema } from "../scenario/json-schema.js";
import { type CliIo, ExitCode } from "./io.js";

/** `vx schema`: prints the JSON Schema of scenario files, for editors. */
export const schemaCommand: {
  readonly summary: string;
  readonly usage: string;
  readonly run: (args: readonly string[], io: CliIo) => number;
} = {
  summary: "print the JSON Schema of scenario files (for editor completion)",
  usage: [
    "Usage: vx schema",
    "",
    "Prints the JSON Schema (draft-07) of scenario files, generated from the same definition",
    "that `vx validate` uses. Save it and point your editor at it for completion and docs:",
    "",
    "  vx schema > vx.schema.json",
    "  # in a YAML scenario (VS Code with the YAML extension):",
    "  # yaml-language-server: $schema=./vx.schema.json",
    "  # in a JSON scenario:",
    '  { "$schema": "./vx.schema.json", ... }',
  ].join("\n"),
  run(args, io) {
    parseArgs({ args: [...args], options: {}, allowPositionals: false, strict: true });
    io.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    return ExitCode.ok;
  },
};
