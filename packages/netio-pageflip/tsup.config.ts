import { tsupConfig } from "@vx/dev/tsup";
import { defineConfig } from "tsup";

export default defineConfig(
  tsupConfig({
    // zod is a runtime dependency (the option and scenario schemas); never bundle it.
    external: ["zod"],
  }),
);
