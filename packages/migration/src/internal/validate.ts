/**
 * Option readers: every field is read with core's quantity schemas (`bytesSchema`, `rateSchema`,
 * `durationSchema`, `percentSchema` through `parseWith`) or an explicit check, and every problem
 * is collected with its full path, so one `VxError` lists them all before anything runs.
 *
 * @internal
 */
import {
  bytesSchema,
  durationSchema,
  parseWith,
  percentSchema,
  type QuantitySchemaOptions,
  rateSchema,
  VxError,
  type VxIssue,
  type VxPath,
} from "@vx/core";

/** Code of every invalid-option error of this package. */
export const BAD_OPTIONS = "VX_MIGRATION_BAD_OPTIONS";

type Schema = ReturnType<typeof bytesSchema>;

/** Collects issues while reading one options object tree. */
export class Issues {
  readonly list: VxIssue[] = [];

  add(code: string, message: string, path: VxPath): void {
    this.list.push({ code, message, path });
  }

  /** Throws one VxError listing every issue, if any. */
  throwIfAny(what: string): void {
    const list = this.list;
    if (list.length === 0) return;
    const n = list.length;
    let message = `Invalid ${what} (${n} ${n === 1 ? "problem" : "problems"}):`;
    for (const issue of list) message += `\n  ${pathText(issue.path)}: ${issue.message}`;
    throw new VxError(BAD_OPTIONS, message, { path: list[0]!.path, issues: list });
  }
}

function pathText(path: VxPath): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out === "" ? "(root)" : out;
}

/** Reads the fields of one (possibly absent) options object. */
export class Reader {
  readonly obj: Readonly<Record<string, unknown>>;
  readonly path: VxPath;
  readonly issues: Issues;
  readonly ok: boolean;

  constructor(value: unknown, path: VxPath, issues: Issues, allowed: readonly string[]) {
    this.path = path;
    this.issues = issues;
    if (value === undefined) {
      this.obj = {};
      this.ok = true;
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      issues.add(
        "VX_SCHEMA_INVALID_TYPE",
        `expected an object, got ${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}`,
        path,
      );
      this.obj = {};
      this.ok = false;
      return;
    }
    this.obj = value as Record<string, unknown>;
    this.ok = true;
    for (const key of Object.keys(this.obj)) {
      if (!allowed.includes(key)) {
        issues.add(
          "VX_SCHEMA_UNKNOWN_KEY",
          `unknown option "${key}"; the options here are ${allowed.join(", ")}`,
          [...path, key],
        );
      }
    }
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  private quantity(key: string, schema: Schema, fallback: number): number {
    const value = this.obj[key];
    if (value === undefined) return fallback;
    try {
      return parseWith(schema, value, { path: [...this.path, key], code: BAD_OPTIONS });
    } catch (error) {
      if (!VxError.isInstance(error)) throw error;
      for (const issue of error.issues) this.issues.list.push(issue);
      return fallback;
    }
  }

  bytes(key: string, fallback: number, options: QuantitySchemaOptions = {}): number {
    return this.quantity(key, bytesSchema(options), fallback);
  }

  rate(key: string, fallback: number, options: QuantitySchemaOptions = {}): number {
    return this.quantity(key, rateSchema(options), fallback);
  }

  duration(key: string, fallback: number, options: QuantitySchemaOptions = {}): number {
    return this.quantity(key, durationSchema(options), fallback);
  }

  fraction(key: string, fallback: number, options: QuantitySchemaOptions = {}): number {
    return this.quantity(key, percentSchema(options), fallback);
  }

  int(key: string, fallback: number, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    const value = this.obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      this.issues.add(
        typeof value === "number" ? "VX_SCHEMA_OUT_OF_RANGE" : "VX_SCHEMA_INVALID_TYPE",
        `expected an integer ${range}, got ${describe(value)}`,
        [...this.path, key],
      );
      return fallback;
    }
    return value;
  }

  number(key: string, fallback: number, min: number, exclusiveMin: boolean): number {
    const value = this.obj[key];
    if (value === undefined) return fallback;
    const ok =
      typeof value === "number" &&
      Number.isFinite(value) &&
      (exclusiveMin ? value > min : value >= min);
    if (!ok) {
      this.issues.add(
        typeof value === "number" ? "VX_SCHEMA_OUT_OF_RANGE" : "VX_SCHEMA_INVALID_TYPE",
        `expected a number ${exclusiveMin ? ">" : "≥"} ${min}, got ${describe(value)}`,
        [...this.path, key],
      );
      return fallback;
    }
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") {
      this.issues.add("VX_SCHEMA_INVALID_TYPE", `expected a boolean, got ${describe(value)}`, [
        ...this.path,
        key,
      ]);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      this.issues.add(
        "VX_SCHEMA_INVALID_VALUE",
        `expected one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${describe(value)}`,
        [...this.path, key],
      );
      return fallback;
    }
    return value as T;
  }

  /** Adds an issue on a field of this object. */
  fail(key: string | undefined, message: string, code = "VX_SCHEMA_INVALID"): void {
    this.issues.add(code, message, key === undefined ? this.path : [...this.path, key]);
  }
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : typeof value;
}
