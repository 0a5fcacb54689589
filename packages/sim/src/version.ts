import packageJson from "../package.json" with { type: "json" };

/** The version of `@vx/sim` (and of the `vx` command). */
export const VERSION: string = packageJson.version;
