/**
 * One way for tests to check a `VxError` of `@vx/core`: the `toThrowVx` matcher (registered by
 * `@vx/dev/setup`) and {@link vxErrorOf} for a test that inspects the error further.
 *
 * The error is recognised by its `Symbol.for("vx.error")` brand, as `VxError.isInstance` does,
 * so this package does not depend on `@vx/core` (which lists it as a devDependency).
 *
 * @module
 */
import { expect } from "vitest";

/** A path to an offending field, as `@vx/core`'s `VxPath`. */
export type VxPath = readonly (string | number)[];

/** A `VxError` of `@vx/core`, as tests read it. */
export interface VxErrorLike extends Error {
  readonly code: string;
  readonly path: VxPath;
  readonly issues: readonly {
    readonly code: string;
    readonly message: string;
    readonly path: VxPath;
  }[];
}

const BRAND: symbol = Symbol.for("vx.error");

/**
 * Whether `value` is a `VxError` of any copy of `@vx/core` (its brand).
 *
 * @param value - anything caught.
 * @returns true for a `VxError`.
 */
export function isVxError(value: unknown): value is VxErrorLike {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true
  );
}

/**
 * The `VxError` that `fn` throws.
 *
 * @param fn - the code that must throw.
 * @returns the error.
 * @throws an assertion error when `fn` throws nothing, or something that is not a `VxError`.
 * @example
 * ```ts
 * expect(vxErrorOf(() => parseBytes("5 furlongs")).issues).toHaveLength(1);
 * ```
 */
export function vxErrorOf(fn: () => unknown): VxErrorLike {
  try {
    fn();
  } catch (error) {
    if (isVxError(error)) return error;
    throw new Error(`expected a VxError, got ${describe(error)}`, { cause: error });
  }
  throw new Error("expected a VxError, but nothing was thrown");
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** What {@link toThrowVx} checks. */
export interface VxMatchers<R = unknown> {
  /**
   * Passes when the function throws a `VxError` with this code (and this path, when given).
   *
   * @example
   * ```ts
   * expect(() => createRandom(1.5)).toThrowVx("VX_CORE_BAD_SEED", ["seed"]);
   * ```
   */
  toThrowVx(code?: string, path?: VxPath): R;
}

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: vitest declares Matchers<T = any>; an augmentation repeats it.
  interface Matchers<T = any> extends VxMatchers<T> {}
}

/**
 * The `toThrowVx` matcher: the received function throws a `VxError`, with `code` and
 * `path` when given. Registered by `@vx/dev/setup`.
 *
 * @param received - the function.
 * @param code - the error's code.
 * @param path - the error's path.
 * @returns the match, with a message that shows what was thrown.
 */
export function toThrowVx(
  this: { readonly isNot: boolean; readonly equals: (a: unknown, b: unknown) => boolean },
  received: unknown,
  code?: string,
  path?: VxPath,
): { pass: boolean; message: () => string } {
  if (typeof received !== "function") {
    return { pass: false, message: () => "toThrowVx expects a function" };
  }
  let thrown: unknown;
  let threw = false;
  try {
    (received as () => unknown)();
  } catch (error) {
    threw = true;
    thrown = error;
  }
  const want = `a VxError${code === undefined ? "" : ` ${code}`}${path === undefined ? "" : ` at ${JSON.stringify(path)}`}`;
  if (!threw) return { pass: false, message: () => `expected ${want}, but nothing was thrown` };
  if (!isVxError(thrown)) {
    return { pass: false, message: () => `expected ${want}, got ${describe(thrown)}` };
  }
  const got = `${thrown.code} at ${JSON.stringify(thrown.path)}: ${thrown.message}`;
  const pass =
    (code === undefined || thrown.code === code) &&
    (path === undefined || this.equals(thrown.path, path));
  return {
    pass,
    message: () =>
      this.isNot ? `expected no ${want}, got ${got}` : `expected ${want}, got ${got}`,
  };
}

/**
 * Registers {@link toThrowVx} with vitest's `expect` (done once by `@vx/dev/setup`).
 *
 * @example
 * ```ts
 * registerVxMatchers();
 * ```
 */
export function registerVxMatchers(): void {
  expect.extend({ toThrowVx });
}
