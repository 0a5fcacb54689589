/**
 * The `vx` executable: runs `runCli` on the process arguments and exits with its code.
 *
 * @module
 */
import { runCli } from "./cli/main.js";

void runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTTY: process.stderr.isTTY === true,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});
