import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/node.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  treeshake: true,
  // `import.meta.url` (the data files' location) in the CommonJS build: tsup's shim derives it
  // from `__filename` in Node and from the script's URL in a browser, without importing `node:`.
  shims: true,
});
