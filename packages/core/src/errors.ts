/**
 * The one error type of vx: bad input to an API, a scenario file or a CLI flag.
 *
 * Failures inside the simulated world (a link that fails, a VM that is lost) are outcomes in the
 * results, never a `VxError`.
 *
 * @module
 */

const BRAND: symbol = Symbol.for("vx.error");

/** A path to an offending field: property names and array indices, outermost first. */
export type VxPath = readonly (string | number)[];

/** One problem found in an input: what is wrong and where. */
export interface VxIssue {
  /** A stable, machine-readable code such as `VX_CORE_BAD_UNIT`. */
  readonly code: string;
  /** What is wrong and what to do about it. */
  readonly message: string;
  /** Where the problem is (empty for the input as a whole). */
  readonly path: VxPath;
}

/** Options of {@link VxError}. */
export interface VxErrorOptions {
  /** Path of the offending field, outermost first. */
  readonly path?: VxPath | undefined;
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Every problem found, when one error reports several (schema validation). */
  readonly issues?: readonly VxIssue[] | undefined;
}

/**
 * Formats a path the way users read it: `hosts[2].ram`.
 *
 * @param path - property names and array indices, outermost first.
 * @returns the dotted path, or `(root)` for an empty path.
 * @example
 * ```ts
 * formatPath(["hosts", 2, "ram"]); // "hosts[2].ram"
 * ```
 */
export function formatPath(path: VxPath): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out === "" ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * The base error of vx: a code, a message that says what to do, the path of the offending
 * field, and optionally the cause and every issue found.
 *
 * Use {@link VxError.isInstance} rather than `instanceof`: the ESM and CJS builds of a package
 * can both be loaded, and their classes differ; the `Symbol.for` brand does not.
 *
 * @example
 * ```ts
 * throw new VxError("VX_CORE_BAD_UNIT", 'Cannot read "10 parsecs" as a size; use e.g. "64GiB".', {
 *   path: ["hosts", 0, "ram"],
 * });
 * ```
 */
export class VxError extends Error {
  /** A stable, machine-readable code such as `VX_CORE_BAD_UNIT`. */
  readonly code: string;
  /** Path of the offending field, outermost first (empty when the input as a whole is wrong). */
  readonly path: VxPath;
  /** Every problem found; at least one (this error's own code, message and path). */
  readonly issues: readonly VxIssue[];

  /**
   * @param code - stable machine-readable code, `VX_<PACKAGE>_<WHAT>`.
   * @param message - what is wrong and what to do about it.
   * @param options - path, cause and issues.
   */
  constructor(code: string, message: string, options: VxErrorOptions = {}) {
    const path = options.path ?? [];
    // A single problem names its field first; an error listing several issues names each itself.
    super(
      path.length > 0 && options.issues === undefined ? `${formatPath(path)}: ${message}` : message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "VxError";
    this.code = code;
    this.path = path;
    this.issues =
      options.issues !== undefined && options.issues.length > 0
        ? options.issues
        : [{ code, message, path }];
    // The brand survives the ESM/CJS split: Symbol.for gives the same symbol to every copy.
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /**
   * True when `value` is a `VxError` from any copy of this package (ESM or CJS).
   *
   * @param value - anything caught.
   * @returns whether it carries the vx error brand.
   */
  static isInstance(value: unknown): value is VxError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true
    );
  }
}

/**
 * Throws a `VxError` with code `VX_CORE_INVALID_ARGUMENT` unless `condition` holds.
 *
 * @param condition - what must be true.
 * @param message - what is wrong and what to do.
 * @param path - path of the offending field.
 * @param code - error code; defaults to `VX_CORE_INVALID_ARGUMENT`.
 * @throws {@link VxError} when `condition` is false.
 */
export function ensure(
  condition: boolean,
  message: string,
  path: VxPath = [],
  code = "VX_CORE_INVALID_ARGUMENT",
): asserts condition {
  if (!condition) throw new VxError(code, message, { path });
}
