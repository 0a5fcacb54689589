import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@vx/source"] },
  ssr: { resolve: { conditions: ["@vx/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // A hang guard, not a speed check: tests are bounded by their work. Suites share 2 cores with
    // builds under turbo and with other suites; at a load average of 80 one PlanetLab test of
    // cloudsim-figures.test.ts (two runs of the day) took over 60 s. The same guard as @vx/sim's.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
