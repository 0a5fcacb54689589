import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@vx/source"] },
  ssr: { resolve: { conditions: ["@vx/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // A hang guard, not a speed check: suites share 2 cores with builds under turbo.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
