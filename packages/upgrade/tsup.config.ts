import { tsupConfig } from "@vx/dev/tsup";
import { defineConfig } from "tsup";

export default defineConfig(tsupConfig());
