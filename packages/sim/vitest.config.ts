import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@vx/source"] },
  ssr: { resolve: { conditions: ["@vx/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
  },
});
