// Plain JavaScript (with tsup.d.ts beside it): tsup loads a package's tsup.config.ts with this
// module left external, so Node imports it as it is, without a TypeScript loader.

/**
 * The tsup options every vx package builds with: ESM and CommonJS, declarations, source maps,
 * Node 20, tree-shaken; `overrides` adds or replaces fields (entries, externals, shims).
 *
 * @param {import("tsup").Options} [overrides]
 * @returns {import("tsup").Options}
 */
export function tsupConfig(overrides = {}) {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    treeshake: true,
    ...overrides,
  };
}
