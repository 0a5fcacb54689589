import { tsupConfig } from "@vx/dev/tsup";
import { defineConfig } from "tsup";

export default defineConfig(
  tsupConfig({
    entry: ["src/index.ts", "src/browser.ts", "src/cli.ts", "src/sweep-worker.ts"],
    dts: { entry: ["src/index.ts", "src/browser.ts"] },
    // import.meta.url (used to find the sweep worker) in the CommonJS build.
    shims: true,
  }),
);
