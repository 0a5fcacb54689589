import type { ViteUserConfig } from "vitest/config";

/**
 * The per-test and per-hook timeout: a hang guard, not a speed check (tests are bounded by their
 * work; suites share 2 cores with builds and other suites).
 */
export declare const TEST_TIMEOUT_MS: number;

/**
 * The vitest config every vx package tests with: sources through the `@vx/source` condition,
 * `test/**\/*.test.ts`, the package's `test/setup.ts`, and the hang guard.
 *
 * @param test - test options to add or replace.
 * @returns the config for `defineConfig`.
 * @example
 * ```ts
 * export default defineConfig(vitestConfig());
 * ```
 */
export declare function vitestConfig(test?: ViteUserConfig["test"]): ViteUserConfig;
