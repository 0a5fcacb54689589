import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/browser.ts", "src/cli.ts", "src/sweep-worker.ts"],
  format: ["esm", "cjs"],
  dts: { entry: ["src/index.ts", "src/browser.ts"] },
  sourcemap: true,
  clean: true,
  target: "node20",
  treeshake: true,
  // import.meta.url (used to find the sweep worker) in the CommonJS build.
  shims: true,
});
