/**
 * `@vx/sim`: the umbrella of vx. It composes the feature packages into a data-center simulator and
 * provides the `vx` command line; today it holds the command line and its plumbing.
 *
 * @packageDocumentation
 */

export type { CliIo } from "./cli/io.js";
export { ExitCode } from "./cli/io.js";
export { runCli } from "./cli/main.js";
export { VERSION } from "./version.js";
