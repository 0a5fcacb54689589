import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  treeshake: true,
  // zod is a runtime dependency (the option and scenario schemas); never bundle it.
  external: ["zod"],
});
