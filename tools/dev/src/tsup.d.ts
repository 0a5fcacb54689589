import type { Options } from "tsup";

/**
 * The tsup options every vx package builds with: ESM and CommonJS, declarations, source maps,
 * Node 20, tree-shaken; `overrides` adds or replaces fields (entries, externals, shims).
 *
 * @param overrides - fields to add or replace (`entry`, `external`, `shims`, `dts`).
 * @returns the options for `defineConfig`.
 * @example
 * ```ts
 * export default defineConfig(tsupConfig({ entry: ["src/index.ts", "src/node.ts"] }));
 * ```
 */
export declare function tsupConfig(overrides?: Options): Options;
