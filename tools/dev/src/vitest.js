// Plain JavaScript (with vitest.d.ts beside it), like tsup.js: config files import it as it is.

/**
 * A hang guard, not a speed check: tests are bounded by their work. Suites share 2 cores with
 * builds under turbo and with other suites (a 2 s test took 90 s at a load average of 60).
 */
export const TEST_TIMEOUT_MS = 300_000;

/**
 * The vitest config every vx package tests with: sources through the `@vx/source` condition
 * (node tests honour it only through `ssr.resolve.conditions`), `test/**\/*.test.ts`, the
 * package's `test/setup.ts`, and the hang guard; `test` adds or replaces test options.
 *
 * @param {import("vitest/config").ViteUserConfig["test"]} [test]
 * @returns {import("vitest/config").ViteUserConfig}
 */
export function vitestConfig(test = {}) {
  return {
    resolve: { conditions: ["@vx/source"] },
    ssr: { resolve: { conditions: ["@vx/source"] } },
    test: {
      include: ["test/**/*.test.ts"],
      setupFiles: ["test/setup.ts"],
      testTimeout: TEST_TIMEOUT_MS,
      hookTimeout: TEST_TIMEOUT_MS,
      ...test,
    },
  };
}
