import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@vx/source"] },
  ssr: { resolve: { conditions: ["@vx/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // A hang guard, not a speed check (300 s as every package: suites share 2 cores with builds
    // under turbo, and a 2 s test took 90 s at load 60).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
