import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@vx/source"] },
  ssr: { resolve: { conditions: ["@vx/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // A hang guard, not a speed check: the machine is shared and slow; tests are bounded by work.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
