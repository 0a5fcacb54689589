import { vitestConfig } from "@vx/dev/vitest";
import { defineConfig } from "vitest/config";

export default defineConfig(vitestConfig());
