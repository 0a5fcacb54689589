import { defineConfig } from "vitest/config";
import { vitestConfig } from "./src/vitest.js";

export default defineConfig(vitestConfig());
