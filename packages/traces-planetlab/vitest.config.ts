import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@vx/source"] },
  ssr: { resolve: { conditions: ["@vx/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // A hang guard, not a speed check: tests are bounded by their work. Suites share 2 cores with
    // builds under turbo and with other suites (a 2 s test took 90 s at a load average of 60).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
