import { tsupConfig } from "@vx/dev/tsup";
import { defineConfig } from "tsup";

export default defineConfig(
  tsupConfig({
    entry: ["src/index.ts", "src/node.ts"],
    // `import.meta.url` (the data files' location) in the CommonJS build: tsup's shim derives it
    // from `__filename` in Node and from the script's URL in a browser, without importing `node:`.
    shims: true,
  }),
);
