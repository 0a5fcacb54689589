/**
 * Zod helpers: schemas for quantities written as numbers or human strings ({@link bytesSchema},
 * {@link rateSchema}, {@link durationSchema}, {@link percentSchema}) and the conversion of zod
 * validation failures into one {@link VxError} that lists every offending field
 * ({@link parseWith}, {@link issuesFromZod}).
 *
 * Issue codes: `VX_SCHEMA_INVALID_TYPE` (wrong type), `VX_SCHEMA_UNKNOWN_KEY` (a key a strict
 * object does not know; with {@link parseWith} the message suggests the closest known key, "did
 * you mean …?"), `VX_SCHEMA_OUT_OF_RANGE` (too small or too big), `VX_SCHEMA_INVALID_VALUE`
 * (not one of the allowed values), the code a custom issue carries in `params.vxCode` (for
 * example `VX_CORE_BAD_UNIT` from the quantity schemas), else `VX_SCHEMA_INVALID`.
 *
 * @module
 */

import { z } from "zod";
import type { VxIssue, VxPath } from "./errors.js";
import { formatPath, VxError } from "./errors.js";
import { closestMatch } from "./suggest.js";
import type { QuantityKind } from "./units.js";
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatRate,
  parseBytes,
  parseDuration,
  parsePercent,
  parseRate,
} from "./units.js";

// ---------------------------------------------------------------------------------------------
// Quantity schemas

/** Options of the quantity schemas ({@link bytesSchema} and friends). */
export interface QuantitySchemaOptions {
  /** Smallest accepted value, inclusive: base units or a string of the same kind (`"1GiB"`). */
  readonly min?: number | string;
  /** Largest accepted value, inclusive: base units or a string of the same kind (`"100%"`). */
  readonly max?: number | string;
  /** Whether 0 is accepted (default `true`); set `false` for e.g. a link rate. */
  readonly allowZero?: boolean;
}

type Parse = (input: string | number, path?: VxPath) => number;
type Format = (value: number, options?: { readonly digits?: number }) => string;

const NOUNS: Readonly<Record<QuantityKind, string>> = {
  bytes: "size",
  rate: "rate",
  duration: "duration",
  percent: "percentage",
};

function quantitySchema(
  kind: QuantityKind,
  parse: Parse,
  format: Format,
  options: QuantitySchemaOptions,
): z.ZodType<number, number | string> {
  const min = options.min === undefined ? undefined : parse(options.min, ["min"]);
  const max = options.max === undefined ? undefined : parse(options.max, ["max"]);
  const allowZero = options.allowZero ?? true;
  if (min !== undefined && max !== undefined && min > max) {
    throw new VxError(
      "VX_CORE_INVALID_ARGUMENT",
      `min (${format(min)}) is above max (${format(max)}); swap them or widen the range.`,
      { path: ["min"] },
    );
  }
  const noun = NOUNS[kind];
  const show = (value: number): string => format(value, { digits: 6 });

  return z.union([z.number(), z.string()]).transform((input, ctx): number => {
    let value: number;
    try {
      value = parse(input);
    } catch (error) {
      if (!VxError.isInstance(error)) throw error;
      ctx.addIssue({
        code: "custom",
        message: error.message,
        params: { vxCode: error.code },
        input,
      });
      return z.NEVER;
    }
    let expected: string | undefined;
    if (value === 0 && !allowZero) expected = `> 0`;
    else if (min !== undefined && value < min) expected = `≥ ${show(min)}`;
    else if (max !== undefined && value > max) expected = `≤ ${show(max)}`;
    if (expected === undefined) return value;
    const got = typeof input === "string" ? JSON.stringify(input) : `${input} (${show(value)})`;
    ctx.addIssue({
      code: "custom",
      message: `expected a ${noun} ${expected}, got ${got}`,
      params: { vxCode: "VX_SCHEMA_OUT_OF_RANGE" },
      input,
    });
    return z.NEVER;
  });
}

/**
 * A zod schema for a size: a number of bytes or a string such as `"64GiB"`; outputs bytes.
 *
 * Use it in option and scenario schemas wherever a size is given. Strings are read by
 * {@link parseBytes}; its errors become issues carrying its code (`VX_CORE_BAD_UNIT`,
 * `VX_CORE_BAD_VALUE`) and message. Values outside `min`/`max`, or 0 when `allowZero` is false,
 * give `VX_SCHEMA_OUT_OF_RANGE`. Neither a number nor a string (also `NaN` and infinities, which
 * `z.number()` rejects) gives `VX_SCHEMA_INVALID_TYPE`.
 *
 * @param options - range and whether 0 is accepted.
 * @returns a schema whose input is `number | string` and whose output is bytes.
 * @throws {@link VxError} `VX_CORE_BAD_UNIT` / `VX_CORE_BAD_VALUE` when `min` or `max` cannot be
 * read as a size; `VX_CORE_INVALID_ARGUMENT` when `min > max`.
 * @example
 * ```ts
 * const ram = bytesSchema({ min: "1GiB" });
 * ram.parse("64GiB"); // 68_719_476_736
 * ```
 */
export function bytesSchema(
  options: QuantitySchemaOptions = {},
): z.ZodType<number, number | string> {
  return quantitySchema("bytes", parseBytes, formatBytes, options);
}

/**
 * A zod schema for a rate: bytes per second or a string such as `"10Gbps"`; outputs bytes/s.
 *
 * Use it for bandwidths; pass `{ allowZero: false }` where a zero rate makes no sense. Strings
 * are read by {@link parseRate}; errors as for {@link bytesSchema}.
 *
 * @param options - range and whether 0 is accepted.
 * @returns a schema whose input is `number | string` and whose output is bytes per second.
 * @throws {@link VxError} when `min` or `max` cannot be read as a rate, or `min > max`.
 * @example
 * ```ts
 * rateSchema({ allowZero: false }).parse("10Gbps"); // 1.25e9
 * ```
 */
export function rateSchema(
  options: QuantitySchemaOptions = {},
): z.ZodType<number, number | string> {
  return quantitySchema("rate", parseRate, formatRate, options);
}

/**
 * A zod schema for a duration: seconds or a string such as `"300ms"`; outputs seconds.
 *
 * Use it for timeouts, intervals and horizons. Strings are read by {@link parseDuration};
 * errors as for {@link bytesSchema}.
 *
 * @param options - range and whether 0 is accepted.
 * @returns a schema whose input is `number | string` and whose output is seconds.
 * @throws {@link VxError} when `min` or `max` cannot be read as a duration, or `min > max`.
 * @example
 * ```ts
 * durationSchema({ max: "1h" }).parse("300ms"); // 0.3
 * ```
 */
export function durationSchema(
  options: QuantitySchemaOptions = {},
): z.ZodType<number, number | string> {
  return quantitySchema("duration", parseDuration, formatDuration, options);
}

/**
 * A zod schema for a percentage: a fraction or a string such as `"5%"`; outputs a fraction.
 *
 * Values above 100 % are accepted unless `max` says otherwise (`{ max: "100%" }` or
 * `{ max: 1 }`). Strings are read by {@link parsePercent}; errors as for {@link bytesSchema}.
 *
 * @param options - range and whether 0 is accepted.
 * @returns a schema whose input is `number | string` and whose output is a fraction.
 * @throws {@link VxError} when `min` or `max` cannot be read as a percentage, or `min > max`.
 * @example
 * ```ts
 * percentSchema({ max: "100%" }).parse("5%"); // 0.05
 * ```
 */
export function percentSchema(
  options: QuantitySchemaOptions = {},
): z.ZodType<number, number | string> {
  return quantitySchema("percent", parsePercent, formatPercent, options);
}

// ---------------------------------------------------------------------------------------------
// Zod issues → VxIssues

type ZodIssue = z.core.$ZodIssue;
type PathPart = string | number;

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  bigint: "a bigint",
  symbol: "a symbol",
  undefined: "undefined",
  null: "null",
  never: "no value",
  void: "no value",
  date: "a date",
  array: "an array",
  object: "an object",
  tuple: "an array",
  record: "an object",
  map: "a Map",
  set: "a Set",
  file: "a file",
  nonoptional: "a value",
  nan: "NaN",
  function: "a function",
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** Names a value for "got …": the value itself for primitives, the type for the rest. */
function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
    case "number":
      return Object.is(value, -0) ? "0" : String(value);
    case "bigint":
      return `${value}n`;
    case "undefined":
    case "boolean":
    case "symbol":
      return String(value);
    case "function":
      return "a function";
    default:
      return value === null ? "null" : Array.isArray(value) ? "an array" : "an object";
  }
}

/** Names the type of a value for "expected a number, got string". */
function describeType(value: unknown, expected: string): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number" && (!Number.isFinite(value) || expected === "int")) {
    return String(value);
  }
  return typeof value;
}

/** How an issue's input reads after "got", or `undefined` when zod did not report it. */
function inputOf(issue: ZodIssue, reported: boolean): { readonly value: unknown } | undefined {
  if ("input" in issue) return { value: issue.input };
  // With `reportInput`, zod sets `input` on every issue; guard anyway.
  return reported ? { value: undefined } : undefined;
}

function gotValue(issue: ZodIssue, reported: boolean): string {
  const input = inputOf(issue, reported);
  if (input === undefined) return "";
  return input.value === undefined && issue.path.length > 0
    ? ", but it is missing"
    : `, got ${describeValue(input.value)}`;
}

function gotType(issue: ZodIssue, expected: string, reported: boolean): string {
  const input = inputOf(issue, reported);
  if (input === undefined) return "";
  return input.value === undefined && issue.path.length > 0
    ? ", but it is missing"
    : `, got ${describeType(input.value, expected)}`;
}

function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return describeValue(values[0]);
  return `one of ${values.map(describeValue).join(", ")}`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "nothing";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function rangeMessage(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  reported: boolean,
): string {
  const small = issue.code === "too_small";
  const limit = String(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  const input = inputOf(issue, reported)?.value;
  switch (issue.origin) {
    case "number":
    case "int":
    case "bigint": {
      const op = small ? (inclusive ? "≥" : ">") : inclusive ? "≤" : "<";
      const what = issue.origin === "int" ? "an integer" : "a number";
      return `expected ${what} ${op} ${limit}${gotValue(issue, reported)}`;
    }
    case "string": {
      const bound = issue.exact ? "exactly" : small ? "at least" : "at most";
      const got = typeof input === "string" ? `, got ${describeValue(input)}` : "";
      const chars = limit === "1" ? "character" : "characters";
      return `expected a string of ${bound} ${limit} ${chars}${got}`;
    }
    case "array":
    case "set": {
      const bound = issue.exact ? "exactly" : small ? "at least" : "at most";
      const size = Array.isArray(input) ? input.length : input instanceof Set ? input.size : -1;
      const items = limit === "1" ? "item" : "items";
      return `expected ${bound} ${limit} ${items}${size >= 0 ? `, got ${size}` : ""}`;
    }
    default:
      return issue.message;
  }
}

function formatMessage(issue: z.core.$ZodIssueInvalidStringFormat, reported: boolean): string {
  const got = gotValue(issue, reported);
  switch (issue.format) {
    case "regex":
      return `expected a string matching ${issue.pattern ?? "the pattern"}${got}`;
    case "starts_with":
    case "ends_with":
    case "includes": {
      const detail = issue as z.core.$ZodIssueInvalidStringFormat & Record<string, unknown>;
      const part = detail.prefix ?? detail.suffix ?? detail.includes;
      const verb = issue.format === "includes" ? "includes" : issue.format.replace("_", " ");
      return `expected a string that ${verb} ${describeValue(part)}${got}`;
    }
    default:
      return `expected a valid ${issue.format}${got}`;
  }
}

/** A union branch that failed on the value itself (wrong type or literal), not deeper. */
function failsAtRoot(branch: readonly ZodIssue[]): boolean {
  const only = branch.length === 1 ? branch[0] : undefined;
  return (
    only !== undefined &&
    only.path.length === 0 &&
    (only.code === "invalid_type" || only.code === "invalid_value")
  );
}

function toPathPart(key: PropertyKey): PathPart {
  return typeof key === "symbol" ? (key.description ?? String(key)) : key;
}

function convertUnion(
  issue: z.core.$ZodIssueInvalidUnion,
  path: VxPath,
  fallback: string,
  reported: boolean,
  out: VxIssue[],
): void {
  if (issue.errors.length === 0) {
    // A discriminated union with an unknown tag, or an exclusive union with several matches.
    if (issue.discriminator !== undefined && "options" in issue && issue.options !== undefined) {
      const input = inputOf(issue, reported)?.value;
      const tag =
        typeof input === "object" && input !== null
          ? (input as Record<string, unknown>)[issue.discriminator]
          : undefined;
      const got =
        input === undefined
          ? ""
          : tag === undefined
            ? ", but it is missing"
            : `, got ${describeValue(tag)}`;
      out.push({
        code: "VX_SCHEMA_INVALID_VALUE",
        message: `expected ${oneOf(issue.options)}${got}`,
        path,
      });
    } else if (issue.inclusive === false) {
      out.push({ code: fallback, message: "matches more than one of the allowed forms", path });
    } else {
      out.push({ code: fallback, message: issue.message, path });
    }
    return;
  }
  let best: readonly ZodIssue[] | undefined;
  for (const branch of issue.errors) {
    if (!failsAtRoot(branch) && (best === undefined || branch.length < best.length)) best = branch;
  }
  if (best !== undefined) {
    // The value has the right shape for some branch: report what is wrong inside the closest one.
    for (const inner of best) convertIssue(inner, path, fallback, reported, out);
    return;
  }
  // Every branch rejected the value itself: one issue listing what would have been accepted.
  const expected: string[] = [];
  let typeExpected: string | undefined;
  for (const branch of issue.errors) {
    const only = branch[0]!;
    if (only.code === "invalid_type") {
      typeExpected ??= only.expected;
      const name = typeName(only.expected);
      if (!expected.includes(name)) expected.push(name);
    } else if (only.code === "invalid_value") {
      for (const value of only.values) {
        const name = describeValue(value);
        if (!expected.includes(name)) expected.push(name);
      }
    }
  }
  const got =
    typeExpected === undefined ? gotValue(issue, reported) : gotType(issue, typeExpected, reported);
  out.push({
    code: typeExpected === undefined ? "VX_SCHEMA_INVALID_VALUE" : "VX_SCHEMA_INVALID_TYPE",
    message: `expected ${orList(expected)}${got}`,
    path,
  });
}

function convertIssue(
  issue: ZodIssue,
  prefix: VxPath,
  fallback: string,
  reported: boolean,
  out: VxIssue[],
): void {
  const path: PathPart[] = prefix.slice();
  for (const key of issue.path) path.push(toPathPart(key));
  switch (issue.code) {
    case "invalid_type":
      out.push({
        code: "VX_SCHEMA_INVALID_TYPE",
        message: `expected ${typeName(issue.expected)}${gotType(issue, issue.expected, reported)}`,
        path,
      });
      return;
    case "unrecognized_keys": {
      const known = knownKeysOf.get(issue.keys);
      for (const key of issue.keys) {
        const near = known === undefined ? undefined : closestMatch(key, known);
        out.push({
          code: "VX_SCHEMA_UNKNOWN_KEY",
          message:
            near === undefined
              ? `unknown key ${JSON.stringify(key)}; remove it or check its spelling`
              : `unknown key ${JSON.stringify(key)}; did you mean ${JSON.stringify(near)}?`,
          path: [...path, key],
        });
      }
      return;
    }
    case "too_small":
    case "too_big":
      out.push({ code: "VX_SCHEMA_OUT_OF_RANGE", message: rangeMessage(issue, reported), path });
      return;
    case "invalid_value":
      out.push({
        code: "VX_SCHEMA_INVALID_VALUE",
        message: `expected ${oneOf(issue.values)}${gotValue(issue, reported)}`,
        path,
      });
      return;
    case "invalid_union":
      convertUnion(issue, path, fallback, reported, out);
      return;
    case "invalid_key":
    case "invalid_element": {
      const what = issue.code === "invalid_key" ? "key" : "element";
      const start = out.length;
      for (const inner of issue.issues) convertIssue(inner, path, fallback, reported, out);
      for (let i = start; i < out.length; i++) {
        const inner = out[i]!;
        out[i] = {
          code: inner.code,
          message: `invalid ${what}: ${inner.message}`,
          path: inner.path,
        };
      }
      return;
    }
    case "invalid_format":
      out.push({ code: fallback, message: formatMessage(issue, reported), path });
      return;
    case "not_multiple_of":
      out.push({
        code: fallback,
        message: `expected a multiple of ${issue.divisor}${gotValue(issue, reported)}`,
        path,
      });
      return;
    case "custom": {
      const vxCode: unknown = issue.params?.vxCode;
      out.push({
        code: typeof vxCode === "string" ? vxCode : fallback,
        message: issue.message,
        path,
      });
      return;
    }
    default:
      out.push({ code: fallback, message: (issue as ZodIssue).message, path });
  }
}

/**
 * The keys a strict object (or a record with a closed key set) accepts, for each
 * `unrecognized_keys` issue of a parse run by {@link parseWith}, keyed by the issue's `keys` array
 * (zod copies that array's reference into the finished issue, and drops the schema).
 */
const knownKeysOf = new WeakMap<readonly string[], readonly string[]>();

/** What a zod schema instance accepts as keys, when it says (`shape`, or an enum key type). */
function acceptedKeys(inst: unknown): readonly string[] | undefined {
  const def = (inst as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  if (def === undefined) return undefined;
  const shape = def.shape;
  if (typeof shape === "object" && shape !== null) return Object.keys(shape);
  const values = (def.keyType as { _zod?: { values?: unknown } } | undefined)?._zod?.values;
  if (values instanceof Set) {
    const keys: string[] = [];
    for (const value of values) if (typeof value === "string") keys.push(value);
    return keys;
  }
  return undefined;
}

/**
 * A zod error map that changes no message: it only records, for "did you mean", which keys the
 * object that raised an `unrecognized_keys` issue accepts.
 */
function recordKnownKeys(issue: z.core.$ZodRawIssue): undefined {
  if (issue.code === "unrecognized_keys") {
    const keys = acceptedKeys(issue.inst);
    if (keys !== undefined) knownKeysOf.set(issue.keys, keys);
  }
  return undefined;
}

function convertIssues(
  issues: readonly ZodIssue[],
  prefix: VxPath,
  fallback: string,
  reported: boolean,
): VxIssue[] {
  const out: VxIssue[] = [];
  for (const issue of issues) convertIssue(issue, prefix, fallback, reported, out);
  return out;
}

/**
 * Converts a zod error into one {@link VxIssue} per problem, each with its full path.
 *
 * Use it when you run zod yourself; {@link parseWith} does this and throws. Codes: the
 * `params.vxCode` a custom issue carries, else `VX_SCHEMA_INVALID_TYPE`,
 * `VX_SCHEMA_UNKNOWN_KEY` (one issue per unknown key, the key appended to the path; a "did you
 * mean" suggestion needs the schema, so only {@link parseWith} adds it),
 * `VX_SCHEMA_OUT_OF_RANGE` (too small / too big), `VX_SCHEMA_INVALID_VALUE` (enums, literals,
 * discriminators; the message lists the allowed values), else `code`. A union that fails is
 * reported as the issues of its closest branch (the one with the fewest issues among those
 * whose type matched), or, when every branch rejected the value's type, as one issue listing
 * what would have been accepted. Messages say what is expected (`expected a number, got string`);
 * the "got" part needs the input, which zod reports only when parsing with `reportInput: true`.
 *
 * @param error - a zod error (from `safeParse` or a thrown `ZodError`).
 * @param code - code for issues of no more specific kind; default `VX_SCHEMA_INVALID`.
 * @returns the issues, in zod's order.
 * @example
 * ```ts
 * const result = z.object({ n: z.number() }).safeParse({ n: "1" }, { reportInput: true });
 * if (!result.success) issuesFromZod(result.error);
 * // [{ code: "VX_SCHEMA_INVALID_TYPE", message: "expected a number, got string", path: ["n"] }]
 * ```
 */
export function issuesFromZod(error: z.core.$ZodError, code = "VX_SCHEMA_INVALID"): VxIssue[] {
  return convertIssues(error.issues, [], code, false);
}

/** Options of {@link parseWith}. */
export interface ParseWithOptions {
  /** Code of the thrown error; default `VX_CORE_INVALID_OPTIONS`. */
  readonly code?: string;
  /** What is being validated, for the message (`"migration options"`); default `"input"`. */
  readonly what?: string;
  /** Path of `input` within a larger input; prefixed to every issue's path. */
  readonly path?: VxPath;
}

/**
 * Validates `input` with a zod schema and returns the output, or throws one {@link VxError}
 * listing every problem with its path.
 *
 * Use it at every API boundary and for scenario files. The error's `issues` hold one
 * {@link VxIssue} per problem (see {@link issuesFromZod} for codes and messages; an unknown key
 * close to a known one says `did you mean "policy"?`, from {@link closestMatch}), each path
 * prefixed by `options.path`; its `path` is the first issue's; its message counts the problems
 * and lists each as `path: message` on its own line.
 *
 * @param schema - the schema (classic `zod` or `zod/mini`); must be synchronous.
 * @param input - the value to validate.
 * @param options - error code, what is validated, path prefix.
 * @returns the schema's output (after defaults and transforms).
 * @throws {@link VxError} `options.code` (default `VX_CORE_INVALID_OPTIONS`) when validation
 * fails. Zod's own error when the schema has async refinements or transforms.
 * @example
 * ```ts
 * const options = z.strictObject({ ramBytes: bytesSchema({ min: 1 }), strategy: z.enum(["precopy", "postcopy"]) });
 * parseWith(options, { ramBytes: -5, strategy: "pre" }, { what: "migration options" });
 * // throws VxError: Invalid migration options (2 problems):
 * //   ramBytes: -5 is negative; a size must be a finite number ≥ 0 (bytes) or a string such as "64GiB".
 * //   strategy: expected one of "precopy", "postcopy", got "pre"
 * ```
 */
export function parseWith<T>(
  schema: z.core.$ZodType<T>,
  input: unknown,
  options: ParseWithOptions = {},
): T {
  const result = z.safeParse(schema, input, { reportInput: true, error: recordKnownKeys });
  if (result.success) return result.data;
  const prefix = options.path ?? [];
  const issues = convertIssues(result.error.issues, prefix, "VX_SCHEMA_INVALID", true);
  const count = issues.length;
  let message = `Invalid ${options.what ?? "input"} (${count} ${count === 1 ? "problem" : "problems"}):`;
  for (const issue of issues) message += `\n  ${formatPath(issue.path)}: ${issue.message}`;
  throw new VxError(options.code ?? "VX_CORE_INVALID_OPTIONS", message, {
    path: issues[0]?.path ?? prefix,
    issues,
    cause: result.error,
  });
}
