import { scenarioJsonSchema } from "../scenario/json-schema.js";
import { type CliCommand, defineCommand } from "./command.js";
import { ExitCode } from "./io.js";

/** `vx schema`: prints the JSON Schema of scenario files, for editors. */
export const schemaCommand: CliCommand<number> = defineCommand({
  name: "schema",
  summary: "print the JSON Schema of scenario files (for editor completion)",
  description: [
    "Prints the JSON Schema (draft-07) of scenario files, generated from the same definition",
    "that `vx validate` uses. Save it and point your editor at it for completion and docs:",
    "",
    "  vx schema > vx.schema.json",
    "  # in a YAML scenario (VS Code with the YAML extension):",
    "  # yaml-language-server: $schema=./vx.schema.json",
    "  # in a JSON scenario:",
    '  { "$schema": "./vx.schema.json", ... }',
  ].join("\n"),
  options: {},
  examples: ["vx schema > vx.schema.json"],
  run(_args, io) {
    io.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    return ExitCode.ok;
  },
});
